// Fine-tuning a SAM-encoder STARDIST model from the golden trainer-layout CellViTSAMStarDist checkpoint with the
// trainer `cellvit-train --init` drives (Trainer::loadWeights): a few steps on one real MoNuSeg crop lower its loss.
// (The command line itself refuses this checkpoint: it trains the 5-class default taxonomy, the checkpoint has
// PanNuke's 6 classes, as every official checkpoint.)
#include "inference/datasets/dataset_loader.h"
#include "inference/training/trainer.h"
#include "model_zoo/checkpoint.h"
#include "test_support.h"

#include <QTemporaryDir>
#include <QtTest>
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
        TrainingSample crop
            = loadDataset({ "monuseg", (test::dataDir() / "monuseg_train_subset").string(), 0.5 }).at(0);
        const cv::Rect box(64, 64, size, size);
        crop.rgb = crop.rgb(box).clone();
        crop.instanceMap = crop.instanceMap(box).clone();
        crop.typeMap = crop.typeMap(box).clone();
        crop.segmentationMask = crop.segmentationMask(box).clone();
        crop.typeMask = crop.typeMask(box).clone();

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
};

QTEST_GUILESS_MAIN(TestStarDistFinetune)
#include "tst_stardist_finetune.moc"
