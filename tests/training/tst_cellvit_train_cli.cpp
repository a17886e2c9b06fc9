// cellvit-train end to end: one tiny epoch on two real MoNuSeg crops, then a resumed second epoch; --init from the
// golden official-layout checkpoints (PanNuke's 6 nucleus / 19 tissue classes) re-initialises only the class heads.
#include "inference/training/arch_presets.h"
#include "inference/training/training_checkpoint.h"
#include "model_zoo/checkpoint.h"
#include "model_zoo/safetensors.h"
#include "test_support.h"

#include <ATen/ATen.h>
#include <QTemporaryDir>
#include <QtTest>

#include <cstring>
#include <fstream>

using namespace cellvit;

namespace {

const QString kTinyArch = QStringLiteral(
    R"({"model.embed_dim":32,"model.depth":4,"model.num_heads":2,"model.extract_layers":[1,2,3,4],)"
    R"("model.decoder_width_scale":0.125})");

int csvRows(const std::filesystem::path& path, const std::string& phase)
{
    std::ifstream in(path);
    int rows = 0;
    for (std::string line; std::getline(in, line);)
        rows += line.rfind(phase + ",", 0) == 0 ? 1 : 0;
    return rows;
}

QString monusegData()
{
    return QStringLiteral("monuseg:") + QString::fromStdString((test::dataDir() / "monuseg_train_subset").string());
}

// One tiny fine-tuning epoch (one step of one 64-px crop) from `init`; --lr 1e-12 moves no weight by more than
// ~1e-12, so the written weights are the ones training started from.
test::ProcessRun fineTune(const std::filesystem::path& init, const QString& out)
{
    return test::runProgram(CELLVIT_TRAIN_PATH,
        { "--data", monusegData(), "--holdout", "TCGA-21-5786-01Z-00-DX1", "--init",
            QString::fromStdString(init.string()), "--crop", "64", "--batch", "1", "--steps-per-epoch", "1",
            "--validation-crops", "1", "--epochs", "1", "--lr", "1e-12", "--threads", "2", "--out", out });
}

bool isBatchNormStatistic(const std::string& name)
{
    for (const char* suffix : { ".running_mean", ".running_var", ".num_batches_tracked" })
        if (name.size() > std::strlen(suffix)
            && name.compare(name.size() - std::strlen(suffix), std::string::npos, suffix) == 0)
            return true;
    return false;
}

const char* kPanNukeTypes
    = "checkpoint has 6 classes (Background, Neoplastic, Inflammatory, Connective, Dead, "
      "Epithelial), training uses 5 classes (Background, Epithelial, Inflammatory, Connective, Other)";

} // namespace

class TestCellvitTrainCli : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { CELLVIT_REQUIRE_PATH(test::dataDir() / "monuseg_train_subset"); }

    void tinyEpochThenResume()
    {
        QTemporaryDir dir;
        const std::filesystem::path out = dir.path().toStdString();
        const QString data = QStringLiteral("monuseg:") + QString::fromStdString((test::dataDir() / "monuseg_train_subset").string());
        const QStringList common { "--data", data, "--holdout", "TCGA-21-5786-01Z-00-DX1", "--arch-config", kTinyArch,
                                   "--crop", "64", "--batch", "2", "--steps-per-epoch", "1", "--validation-crops", "1",
                                   "--threads", "2", "--out", dir.path() };
        const auto first = test::runProgram(CELLVIT_TRAIN_PATH, QStringList(common) << "--epochs" << "1");
        QVERIFY2(first.exitCode == 0, qPrintable(first.err + first.out));
        QVERIFY(first.out.contains("training 4 samples, validating 1"));
        for (const char* file : { "last.pth", "best.pth", "model.safetensors", "training_log.csv" })
            QVERIFY2(std::filesystem::exists(out / file), file);
        QCOMPARE(csvRows(out / "training_log.csv", "train"), 1);
        QCOMPARE(csvRows(out / "training_log.csv", "val"), 1);

        const Checkpoint best = loadCheckpoint(out / "best.pth");
        QCOMPARE(QString::fromStdString(best.arch), QStringLiteral("CellViT"));
        QCOMPARE(best.config.at("data.magnification").get<int>(), 20);
        QCOMPARE(best.config.at("data.holdout"), (nlohmann::json { "TCGA-21-5786-01Z-00-DX1" }));
        const Checkpoint half = loadCheckpoint(out / "model.safetensors");
        QCOMPARE(half.stateDict.size(), best.stateDict.size());

        const auto second = test::runProgram(CELLVIT_TRAIN_PATH, QStringList(common) << "--epochs" << "2" << "--resume"
                                                                                     << dir.path() + "/last.pth");
        QVERIFY2(second.exitCode == 0, qPrintable(second.err + second.out));
        QVERIFY(second.out.contains("resuming at epoch 2 of 2"));
        QCOMPARE(training::loadTrainingCheckpoint(out / "last.pth").epoch, 1);
        QCOMPARE(csvRows(out / "training_log.csv", "train"), 2);
    }

    void cppNetFromJsonThenInit()
    {
        // STARDIST-family archs come from --arch-config ("arch" key or the presets) and --init.
        const auto preset = training::parseArchConfig("cpu-small-stardist");
        QCOMPARE(QString::fromStdString(preset.arch), QStringLiteral("CellViTStarDist"));
        QCOMPARE(preset.flatConfig.at("model.nrays").get<int>(), 32);
        QCOMPARE(QString::fromStdString(training::parseArchConfig("cpu-small-cpp").arch), QStringLiteral("CellViTCPP"));

        QTemporaryDir dir;
        const std::filesystem::path out = dir.path().toStdString();
        const QString data = QStringLiteral("monuseg:") + QString::fromStdString((test::dataDir() / "monuseg_train_subset").string());
        QString arch = kTinyArch;
        arch.replace(QStringLiteral("{"), QStringLiteral(R"({"arch":"CellViTCPP","model.nrays":32,)"));
        const QStringList common { "--data", data, "--holdout", "TCGA-21-5786-01Z-00-DX1", "--crop", "64", "--batch",
                                   "1", "--steps-per-epoch", "1", "--validation-crops", "1", "--epochs", "1",
                                   "--threads", "2" };
        const auto first = test::runProgram(CELLVIT_TRAIN_PATH, QStringList(common) << "--arch-config" << arch
                                                                                    << "--out" << dir.path() + "/a");
        QVERIFY2(first.exitCode == 0, qPrintable(first.err + first.out));
        QVERIFY2(first.out.contains("rays_refined_l1"), qPrintable(first.out));
        std::ifstream csv(out / "a" / "training_log.csv");
        std::string header;
        std::getline(csv, header);
        QCOMPARE(QString::fromStdString(header),
            QStringLiteral("phase,epoch,step,dist_bce,rays_l1,rays_refined_l1,nt_ce,nt_dice,nt_nucleus,total,lr,seconds"));
        const Checkpoint best = loadCheckpoint(out / "a" / "best.pth");
        QCOMPARE(QString::fromStdString(best.arch), QStringLiteral("CellViTCPP"));
        QCOMPARE(best.config.at("model.nrays").get<int>(), 32);

        const auto init = test::runProgram(CELLVIT_TRAIN_PATH, QStringList(common) << "--init" << dir.path() + "/a/best.pth"
                                                                                   << "--out" << dir.path() + "/b");
        QVERIFY2(init.exitCode == 0, qPrintable(init.err + init.out));
        QCOMPARE(QString::fromStdString(loadCheckpoint(out / "b" / "best.pth").arch), QStringLiteral("CellViTCPP"));
    }

    // --init from an official PanNuke checkpoint (6 nucleus classes, 19 tissues) on MoNuSeg (the 5-class default
    // taxonomy, one tissue): the final layers of the type and tissue heads start afresh, every other tensor starts
    // from the checkpoint.
    void initFromGoldenCheckpointReinitialisesOnlyTheClassHeads_data()
    {
        QTest::addColumn<QString>("checkpoint");
        QTest::addColumn<QString>("typeLayer");
        QTest::addColumn<QStringList>("tissueLayers");
        QTest::newRow("CellViTStarDist")
            << QString::fromStdString(test::goldenStarDistCheckpoint("CellViTStarDist").string())
            << "nuclei_type_maps_decoder.decoder0_header.2" << QStringList { "encoder.head", "classifier_head" };
        QTest::newRow("HoVer-Net vit_small")
            << QString::fromStdString(test::goldenCheckpoint("vit_small").string())
            << "nuclei_type_maps_decoder.decoder0_header.2" << QStringList { "encoder.head" };
    }
    void initFromGoldenCheckpointReinitialisesOnlyTheClassHeads()
    {
        QFETCH(QString, checkpoint);
        QFETCH(QString, typeLayer);
        QFETCH(QStringList, tissueLayers);
        CELLVIT_REQUIRE_PATH(std::filesystem::path(checkpoint.toStdString()));
        QTemporaryDir dir;
        const auto run = fineTune(checkpoint.toStdString(), dir.path());
        QVERIFY2(run.exitCode == 0, qPrintable(run.err + run.out));
        const QString typeLine = QStringLiteral("type head: ") + kPanNukeTypes + "; re-initialised " + typeLayer
            + ".weight, " + typeLayer + ".bias\n";
        QVERIFY2(run.out.contains(typeLine), qPrintable(run.out));
        QStringList tissueTensors;
        for (const auto& layer : tissueLayers)
            tissueTensors << layer + ".weight" << layer + ".bias";
        const QString tissueLine = QStringLiteral("tissue head: checkpoint has 19 classes (Adrenal_gland, Bile-duct, ")
            + "Bladder, Breast, Cervix, Colon, Esophagus, HeadNeck, Kidney, Liver, Lung, Ovarian, Pancreatic, Prostate, "
            + "Skin, Stomach, Testis, Thyroid, Uterus), training uses 1 class (Tissue); re-initialised "
            + tissueTensors.join(", ") + "\n";
        QVERIFY2(run.out.contains(tissueLine), qPrintable(run.out));
        QVERIFY2(!run.err.contains("warning"), qPrintable(run.err));

        const Checkpoint golden = loadCheckpoint(checkpoint.toStdString());
        const Checkpoint trained = loadCheckpoint(std::filesystem::path(dir.path().toStdString()) / "last.pth");
        QCOMPARE(trained.stateDict.size(), golden.stateDict.size());
        QCOMPARE(trained.config.at("data.num_nuclei_classes").get<int>(), 5);
        QCOMPARE(trained.config.at("data.num_tissue_classes").get<int>(), 1);
        int compared = 0;
        for (size_t i = 0; i < golden.stateDict.size(); ++i) {
            const auto& [name, start] = golden.stateDict[i];
            QCOMPARE(trained.stateDict[i].first, name);
            const at::Tensor& now = trained.stateDict[i].second;
            const QString layer = QString::fromStdString(name).section('.', 0, -2);
            if (layer == typeLayer) {
                QCOMPARE(now.size(0), 5);
            } else if (tissueLayers.contains(layer)) {
                QCOMPARE(now.size(0), 1);
            } else if (!isBatchNormStatistic(name)) { // the training step updates BatchNorm statistics
                QVERIFY2(now.sizes() == start.sizes(), name.c_str());
                QVERIFY2(at::allclose(now, start.to(now.dtype()), /*rtol=*/0.0, /*atol=*/1e-9), name.c_str());
                ++compared;
            }
        }
        QVERIFY(compared > 100);
    }

    // Any other shape mismatch is still an error naming the tensor and both shapes, also one in the type branch
    // that is not its last layer and a last layer of another branch with a class-like size.
    void initRefusesOtherShapeMismatches_data()
    {
        QTest::addColumn<QString>("tensor");
        QTest::addColumn<QString>("message");
        QTest::newRow("dist head")
            << "dist_decoder.decoder0_header.2.weight"
            << "dist_decoder.decoder0_header.2.weight: checkpoint [6, 64, 1, 1], model [1, 64, 1, 1]";
        QTest::newRow("type branch conv") << "nuclei_type_maps_decoder.decoder0_header.1.block.0.weight"
                                          << "nuclei_type_maps_decoder.decoder0_header.1.block.0.weight: checkpoint "
                                             "[6, 64, 3, 3], model [64, 64, 3, 3]";
    }
    void initRefusesOtherShapeMismatches()
    {
        QFETCH(QString, tensor);
        QFETCH(QString, message);
        const auto path = test::goldenStarDistCheckpoint("CellViTStarDist");
        CELLVIT_REQUIRE_PATH(path);
        Checkpoint broken = loadCheckpoint(path);
        bool replaced = false;
        for (auto& [name, value] : broken.stateDict)
            if (name == tensor.toStdString()) {
                auto sizes = value.sizes().vec();
                sizes[0] = 6;
                value = at::zeros(sizes, value.options());
                replaced = true;
            }
        QVERIFY(replaced);
        QTemporaryDir dir;
        const std::filesystem::path file = std::filesystem::path(dir.path().toStdString()) / "broken.safetensors";
        saveSafetensors(file, broken);
        const auto run = fineTune(file, dir.path() + "/out");
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.err.contains("shape mismatches (1):") && run.err.contains(message), qPrintable(run.err));
        QVERIFY2(!std::filesystem::exists(std::filesystem::path(dir.path().toStdString()) / "out" / "last.pth"),
            "no training after the error");
    }

    void badArgumentsAreUsageErrors()
    {
        const auto noData = test::runProgram(CELLVIT_TRAIN_PATH, { "--out", "/tmp/x" });
        QCOMPARE(noData.exitCode, 2);
        QVERIFY(noData.err.contains("--data"));
        QTemporaryDir dir;
        const QString data = QStringLiteral("monuseg:") + QString::fromStdString((test::dataDir() / "monuseg_train_subset").string());
        const auto badHoldout = test::runProgram(CELLVIT_TRAIN_PATH, { "--data", data, "--holdout", "no-such-image",
                                                                      "--out", dir.path() });
        QCOMPARE(badHoldout.exitCode, 2);
        QVERIFY(badHoldout.err.contains("no-such-image"));
        // The command line is QCommandLineParser's, as cellvit-cli's: unknown options, bad numbers and --help.
        const auto unknown = test::runProgram(CELLVIT_TRAIN_PATH, { "--data", data, "--out", dir.path(), "--epoch", "3" });
        QCOMPARE(unknown.exitCode, 2);
        QVERIFY2(unknown.err.contains("Unknown option 'epoch'"), qPrintable(unknown.err));
        const auto badNumber = test::runProgram(CELLVIT_TRAIN_PATH, { "--data", data, "--out", dir.path(), "--epochs", "two" });
        QCOMPARE(badNumber.exitCode, 2);
        QVERIFY2(badNumber.err.contains("--epochs needs an integer"), qPrintable(badNumber.err));
        const auto missingValue = test::runProgram(CELLVIT_TRAIN_PATH, { "--data", data, "--out" });
        QCOMPARE(missingValue.exitCode, 2);
        QVERIFY2(missingValue.err.contains("Missing value after '--out'"), qPrintable(missingValue.err));
        const auto help = test::runProgram(CELLVIT_TRAIN_PATH, { "--help" });
        QCOMPARE(help.exitCode, 0);
        QVERIFY2(help.out.contains("--sampling <MODE>") && help.out.contains("per-source-cell-tissue"), qPrintable(help.out));
    }

    // CoNSeP patches: --holdout names an original image and takes all 16 of its patches; --init from the bundled
    // model (older class names Fibroblast/Others, same count) keeps its weights and writes the data's taxonomy into
    // the new checkpoint.
    void consepHoldsOutWholeImagesAndInitTakesTheNewTaxonomy()
    {
        QTemporaryDir dir;
        const std::filesystem::path out = dir.path().toStdString();
        const QString data
            = QStringLiteral("consep:") + QString::fromStdString((test::dataDir() / "consep_train_patches").string());
        const auto bundled = test::sourceDir() / "resources" / "models" / "cellvit-studio-x20.safetensors";
        CELLVIT_REQUIRE_PATH(bundled);
        const auto run = test::runProgram(CELLVIT_TRAIN_PATH,
            { "--data", data, "--holdout", "train_3,train_11", "--init", QString::fromStdString(bundled.string()),
                "--sampling", "per-source-cell-tissue", "--crop", "64", "--batch", "2", "--steps-per-epoch", "1",
                "--validation-crops", "1", "--epochs", "1", "--threads", "2", "--out", dir.path() });
        QVERIFY2(run.exitCode == 0, qPrintable(run.err + run.out));
        QVERIFY2(run.out.contains("training 400 samples, validating 32"), qPrintable(run.out));
        // Same class count, other names: the type head's weights are kept, with a warning naming both lists.
        QVERIFY2(run.err.contains("warning: type head: the checkpoint's classes (") && run.err.contains("Fibroblast")
                && run.err.contains("Connective, Other)"),
            qPrintable(run.err));
        QVERIFY2(!run.out.contains("re-initialised"), qPrintable(run.out));
        const Checkpoint best = loadCheckpoint(out / "model.safetensors");
        QCOMPARE(best.config.at("dataset_config.nuclei_types.Connective").get<int>(), 3);
        QCOMPARE(best.config.at("dataset_config.nuclei_types.Other").get<int>(), 4);
        QVERIFY(!best.config.contains("dataset_config.nuclei_types.Fibroblast"));
        QVERIFY(!best.config.contains("dataset_config.nuclei_types.Others"));

        const auto onePatch = test::runProgram(
            CELLVIT_TRAIN_PATH, { "--data", data, "--holdout", "train_3_005", "--out", dir.path() + "/x" });
        QCOMPARE(onePatch.exitCode, 2);
        QVERIFY2(onePatch.err.contains("whole image (train_3)"), qPrintable(onePatch.err));
    }
};

QTEST_GUILESS_MAIN(TestCellvitTrainCli)
#include "tst_cellvit_train_cli.moc"
