// Fine-tuning a SAM-encoder STARDIST model from the golden trainer-layout CellViTSAMStarDist checkpoint with the
// trainer `cellvit-train --init` drives: a few steps on one real MoNuSeg crop lower its loss. And
// Trainer::loadWeightsForFineTuning on every golden architecture: a taxonomy of another size re-initialises exactly
// the last layer of the type and tissue heads (as a fresh network of the same seed has them) and nothing else.
#include "inference/datasets/dataset_loader.h"
#include "inference/training/trainer.h"
#include "model_zoo/checkpoint.h"
#include "monuseg_crop.h"
#include "test_support.h"

#include <QTemporaryDir>
#include <QtTest>
#include <set>
#include <sstream>

using namespace cellvit;
using namespace cellvit::training;

class TestStarDistFinetune : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void finetunesTheGoldenSamStarDist()
    {
        const auto path = test::goldenStarDistCheckpoint("CellViTSAMStarDist");
        CELLVIT_REQUIRE_PATH(path);
        CELLVIT_REQUIRE_PATH(test::dataDir() / "monuseg_train_subset");
        const Checkpoint init = loadCheckpoint(path);
        const ModelSpec spec = modelSpecFromConfig(init.arch, init.config);
        QCOMPARE(spec.encoder, EncoderKind::Sam);
        QCOMPARE(spec.decoder, DecoderKind::StarDist);

        const int size = 64;
        TrainingSample crop = test::monusegCrop(size);

        QTemporaryDir dir;
        TrainerOptions o;
        o.outDir = dir.path().toStdString();
        o.batchSize = 1;
        o.cropSize = size;
        o.learningRate = 1e-3;
        o.seed = 5;
        o.augmentation.enabled = false; // the same crop every step
        Trainer trainer(spec, init.config, o);
        trainer.loadWeights(init);
        // The start is the checkpoint: its weights, key for key.
        const NamedTensors start = trainer.stateDict();
        QCOMPARE(start.size(), init.stateDict.size());
        for (size_t i = 0; i < start.size(); ++i)
            QVERIFY2(torch::equal(start[i].second, init.stateDict[i].second.to(start[i].second.dtype())),
                start[i].first.c_str());

        const TrainingBatch batch = makeTrainingBatch({ crop }, spec);
        QVERIFY(batch.objectProbability.max().item<float>() == 1.0f); // real nuclei in the crop
        std::vector<double> totals;
        for (int step = 0; step < 6; ++step)
            totals.push_back(trainer.step(batch).total.item<double>());
        const double after = trainer.loss(batch).total.item<double>();
        std::ostringstream text;
        for (double t : totals)
            text << t << ' ';
        text << "-> " << after;
        qInfo("CellViTSAMStarDist fine-tuning loss: %s", text.str().c_str());
        QVERIFY2(std::isfinite(after) && after < 0.9 * totals.front(), text.str().c_str());
    }

    void fineTuningReinitialisesExactlyTheClassHeads_data()
    {
        QTest::addColumn<QString>("checkpoint");
        QTest::addColumn<QStringList>("typeTensors");
        QTest::addColumn<QStringList>("tissueTensors");
        const QStringList vitTissue { "encoder.head.weight", "encoder.head.bias", "classifier_head.weight",
            "classifier_head.bias" };
        const QStringList branchType { "nuclei_type_maps_decoder.decoder0_header.2.weight",
            "nuclei_type_maps_decoder.decoder0_header.2.bias" };
        auto star
            = [](const char* arch) { return QString::fromStdString(test::goldenStarDistCheckpoint(arch).string()); };
        QTest::newRow("CellViTStarDist") << star("CellViTStarDist") << branchType << vitTissue;
        QTest::newRow("CellViTSAMStarDist") << star("CellViTSAMStarDist") << branchType
                                            << QStringList { "classifier_head.weight", "classifier_head.bias" };
        QTest::newRow("CellViTStarDistShared")
            << star("CellViTStarDistShared")
            << QStringList { "nuclei_type_maps_header.weight", "nuclei_type_maps_header.bias" } << vitTissue;
        QTest::newRow("CellViTCPP") << star("CellViTCPP") << QStringList { "type_head.weight" } << vitTissue;
        QTest::newRow("CellViT (HoVer-Net)")
            << QString::fromStdString(test::goldenCheckpoint("vit_small").string()) << branchType
            << QStringList { "encoder.head.weight", "encoder.head.bias" };
        QTest::newRow("CellViTSAM (HoVer-Net)")
            << QString::fromStdString(test::goldenCheckpoint("sam_small").string()) << branchType
            << QStringList { "classifier_head.weight", "classifier_head.bias" };
    }
    void fineTuningReinitialisesExactlyTheClassHeads()
    {
        QFETCH(QString, checkpoint);
        QFETCH(QStringList, typeTensors);
        QFETCH(QStringList, tissueTensors);
        CELLVIT_REQUIRE_PATH(std::filesystem::path(checkpoint.toStdString()));
        const Checkpoint init = loadCheckpoint(checkpoint.toStdString());
        ModelSpec spec = modelSpecFromConfig(init.arch, init.config);
        QCOMPARE(spec.numNucleiClasses, 6);
        QCOMPARE(spec.numTissueClasses, 19);
        spec.numNucleiClasses = 5;
        spec.nucleiTypeNames = defaultNucleusTypeNames();
        spec.numTissueClasses = 1;
        spec.tissueTypeNames = { "Tissue" };

        QTemporaryDir dir;
        TrainerOptions o;
        o.outDir = dir.path().toStdString();
        o.seed = 11;
        Trainer fresh(spec, flatConfigForSpec(spec), o);
        Trainer tuned(spec, flatConfigForSpec(spec), o);
        const std::vector<std::string> notes = tuned.loadWeightsForFineTuning(init);
        QCOMPARE(notes.size(), size_t(2));
        QVERIFY2(
            QString::fromStdString(notes[0]).endsWith("; re-initialised " + typeTensors.join(", ")), notes[0].c_str());
        QVERIFY2(QString::fromStdString(notes[1]).endsWith("; re-initialised " + tissueTensors.join(", ")),
            notes[1].c_str());

        const std::set<QString> heads = [&] {
            std::set<QString> all(typeTensors.begin(), typeTensors.end());
            all.insert(tissueTensors.begin(), tissueTensors.end());
            return all;
        }();
        const NamedTensors start = tuned.stateDict(), initial = fresh.stateDict();
        QCOMPARE(start.size(), init.stateDict.size());
        for (size_t i = 0; i < start.size(); ++i) {
            const auto& [name, value] = start[i];
            QCOMPARE(init.stateDict[i].first, name);
            if (heads.count(QString::fromStdString(name))) // the fresh network's initialisation, the new class count
                QVERIFY2(torch::equal(value, initial[i].second), name.c_str());
            else // the checkpoint's weights
                QVERIFY2(torch::equal(value, init.stateDict[i].second.to(value.dtype())), name.c_str());
        }

        // The class lists of the same size with other names: the weights are kept, with a warning naming both.
        ModelSpec renamed = modelSpecFromConfig(init.arch, init.config);
        renamed.nucleiTypeNames = { "Background", "A", "B", "C", "D", "E" };
        Trainer same(renamed, flatConfigForSpec(renamed), o);
        const auto warnings = same.loadWeightsForFineTuning(init);
        QCOMPARE(warnings.size(), size_t(1));
        QVERIFY2(
            warnings[0].rfind("warning: type head: the checkpoint's classes (Background, Neoplastic, Inflammatory, "
                              "Connective, Dead, Epithelial) and the training's (Background, A, B, C, D, E)",
                0)
                == 0,
            warnings[0].c_str());
        const NamedTensors kept = same.stateDict();
        for (size_t i = 0; i < kept.size(); ++i)
            QVERIFY2(torch::equal(kept[i].second, init.stateDict[i].second.to(kept[i].second.dtype())),
                kept[i].first.c_str());
    }
};

QTEST_GUILESS_MAIN(TestStarDistFinetune)
#include "tst_stardist_finetune.moc"
