// cellvit-train end to end: one tiny epoch on two real MoNuSeg crops, then a resumed second epoch.
#include "inference/training/arch_presets.h"
#include "inference/training/training_checkpoint.h"
#include "model_zoo/checkpoint.h"
#include "test_support.h"

#include <QTemporaryDir>
#include <QtTest>

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
    // model (older class names Fibroblast/Others) writes the data's taxonomy into the new checkpoint.
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
