// Optimisation on a fixed real batch lowers the loss; the encoder freeze leaves the encoder untouched.
#include "inference/training/trainer.h"
#include "process_memory.h"
#include "test_support.h"
#include "tiny_training_spec.h"

#include <QTemporaryDir>
#include <opencv2/core.hpp>
#include <QtTest>
#include <torch/torch.h>

#include <cstdlib>
#include <sstream>

using namespace cellvit;
using namespace cellvit::training;


class TestTrainerStep : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { CELLVIT_REQUIRE_PATH(test::dataDir() / "cpm15_miccai2015_training"); }

    void stepsOnAFixedBatchLowerTheLoss()
    {
        const ModelSpec spec = test::tinyTrainingSpec();
        auto samples = loadDataset({ "cpm15", (test::dataDir() / "cpm15_miccai2015_training").string(), 0.5 });
        std::mt19937_64 rng(3);
        AugmentationOptions plain;
        plain.enabled = false;
        std::vector<TrainingSample> crops { augmentedCrop(samples.at(0), 64, rng, plain),
            augmentedCrop(samples.at(1), 64, rng, plain) };
        const TrainingBatch batch = makeTrainingBatch(crops, spec);
        QVERIFY(batch.nucleusLabels.sum().item<int64_t>() > 0); // real nuclei in the crops

        QTemporaryDir dir;
        TrainerOptions o;
        o.outDir = dir.path().toStdString();
        o.learningRate = 1e-3;
        Trainer trainer(spec, flatConfigForSpec(spec), o);
        const double before = trainer.step(batch).total.item<double>();
        double after = before;
        for (int i = 0; i < 4; ++i)
            after = trainer.step(batch).total.item<double>();
        QVERIFY2(after < before, qPrintable(QString("loss %1 -> %2").arg(before).arg(after)));
        QVERIFY(std::isfinite(after));
    }

    // The tests run on the programs' jemalloc settings (freed pages kept, never purged on a timer). In training
    // the kept pages grew without bound (a 40x run was killed for memory at 24 GB), so every epoch hands them back:
    // pages freed before the run are no longer resident after it.
    void anEpochHandsTheFreedPagesBack()
    {
        const ModelSpec spec = test::tinyTrainingSpec();
        TrainingData data;
        data.train = loadDataset({ "cpm15", (test::dataDir() / "cpm15_miccai2015_training").string(), 0.5 });
        QTemporaryDir dir;
        TrainerOptions o;
        o.outDir = dir.path().toStdString();
        o.epochs = 1;
        o.stepsPerEpoch = 1;
        o.batchSize = 1;
        o.cropSize = 64;
        Trainer trainer(spec, flatConfigForSpec(spec), o);

        constexpr size_t kBytes = 256u << 20;
        void* block = std::malloc(kBytes);
        QVERIFY(block);
        test::touchPages(block, kBytes);
        std::free(block);
        const long kept = test::residentBytes();
        std::ostringstream progress;
        QVERIFY(trainer.run(data, {}, progress));
        const long released = kept - test::residentBytes();
        QVERIFY2(released > long(kBytes) / 2, qPrintable(QStringLiteral("%1 MB released").arg(released >> 20)));
    }

    void targetsComeFromTheCrop()
    {
        const ModelSpec spec = test::tinyTrainingSpec();
        auto samples = loadDataset({ "cpm15", (test::dataDir() / "cpm15_miccai2015_training").string(), 0.5 });
        std::mt19937_64 rng(5);
        AugmentationOptions plain;
        plain.enabled = false;
        const TrainingSample crop = augmentedCrop(samples.at(2), 64, rng, plain);
        const TrainingBatch batch = makeTrainingBatch({ crop }, spec);
        // NP = instance > 0, pixel for pixel.
        int64_t nuclei = 0;
        for (int r = 0; r < crop.instanceMap.rows; ++r)
            for (int c = 0; c < crop.instanceMap.cols; ++c)
                nuclei += crop.instanceMap.at<int>(r, c) > 0 ? 1 : 0;
        QCOMPARE(batch.nucleusLabels.sum().item<int64_t>(), nuclei);
        // HV is zero off nuclei and within [−1, 1].
        QCOMPARE((batch.hv.abs().sum(1) * (1 - batch.nucleusLabels)).sum().item<float>(), 0.0f);
        QVERIFY(batch.hv.abs().max().item<float>() <= 1.0f);
        // CPM-15 has no classes: NT is supervised as background exactly on its labelled background.
        QCOMPARE(batch.typeMask.sum().item<int64_t>(), 64 * 64 - nuclei);
        QCOMPARE(batch.typeLabels.sum().item<int64_t>(), int64_t { 0 });
        // ... and its nuclei as "some nucleus class" (untyped), exactly the NP foreground.
        QCOMPARE(batch.untypedNucleusMask.sum().item<int64_t>(), nuclei);
        QCOMPARE(
            (batch.untypedNucleusMask.squeeze(1) - batch.nucleusLabels.to(torch::kFloat32)).abs().sum().item<float>(),
            0.0f);
        // Outlines known everywhere: NP is gated exactly like HV.
        QCOMPARE((batch.binaryMask - batch.segmentationMask).abs().sum().item<float>(), 0.0f);
        // Normalised input in [−1, 1].
        QVERIFY(batch.images.min().item<float>() >= -1.0f && batch.images.max().item<float>() <= 1.0f);
    }

    void pointLabelsTeachNpWhereTheClassIsKnown()
    {
        const ModelSpec spec = test::tinyTrainingSpec();
        const auto samples = loadDataset(
            { "crchistophenotypes", (test::dataDir() / "crchistophenotypes_2016_04_28").string(), 0.5 });
        std::mt19937_64 rng(7);
        AugmentationOptions plain;
        plain.enabled = false;
        const TrainingSample crop = augmentedCrop(samples.at(0), 256, rng, plain);
        QVERIFY(cv::countNonZero(crop.segmentationMask) == 0); // points only: no outlines
        const auto classDisks = cv::countNonZero((crop.typeMap > 0) & (crop.typeMask > 0));
        QVERIFY2(classDisks > 0, "the crop holds classified points");

        const TrainingBatch batch = makeTrainingBatch({ crop }, spec);
        // NP is known exactly where the class is known: nucleus on the class disks, background far from points.
        QCOMPARE(batch.binaryMask.sum().item<int64_t>(), static_cast<int64_t>(cv::countNonZero(crop.typeMask)));
        QCOMPARE((batch.binaryMask - batch.typeMask).abs().sum().item<float>(), 0.0f);
        QCOMPARE(batch.nucleusLabels.sum().item<int64_t>(), static_cast<int64_t>(classDisks));
        QCOMPARE(batch.segmentationMask.sum().item<float>(), 0.0f); // HV stays unsupervised

        BatchOptions typesOnly;
        typesOnly.binaryFromTypes = false;
        const TrainingBatch old = makeTrainingBatch({ crop }, spec, typesOnly);
        QCOMPARE(old.binaryMask.sum().item<float>(), 0.0f);
        QCOMPARE(old.nucleusLabels.sum().item<int64_t>(), int64_t { 0 });
    }
};

QTEST_GUILESS_MAIN(TestTrainerStep)
#include "tst_trainer_step.moc"
