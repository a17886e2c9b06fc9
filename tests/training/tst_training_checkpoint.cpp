// Checkpoints written by the trainer: official layout, read back identically by model_zoo's loadCheckpoint,
// by the trainer's own resume reader (optimizer moments included) and as fp16 safetensors.
#include "inference/training/trainer.h"
#include "inference/training/training_checkpoint.h"
#include "model_zoo/checkpoint.h"
#include "model_zoo/safetensors.h"
#include "test_support.h"
#include "tiny_training_spec.h"

#include <QTemporaryDir>
#include <QtTest>

#include <torch/torch.h>

#include <sstream>

using namespace cellvit;
using namespace cellvit::training;

namespace {

// A batch cut from a real MoNuSeg image: the first 64×64 pixels of the first two images.
TrainingBatch realBatch(const ModelSpec& spec)
{
    const auto folder = test::dataDir() / "monuseg_train_subset";
    auto samples = loadDataset({ "monuseg", folder.string(), 0.5 });
    std::vector<TrainingSample> crops;
    for (int i = 0; i < 2; ++i) {
        TrainingSample crop = samples.at(static_cast<size_t>(i));
        const cv::Rect box(0, 0, 64, 64);
        crop.rgb = crop.rgb(box).clone();
        crop.instanceMap = crop.instanceMap(box).clone();
        crop.typeMap = crop.typeMap(box).clone();
        crop.segmentationMask = crop.segmentationMask(box).clone();
        crop.typeMask = crop.typeMask(box).clone();
        crops.push_back(crop);
    }
    return makeTrainingBatch(crops, spec);
}

TrainerOptions options(const QTemporaryDir& dir)
{
    TrainerOptions o;
    o.outDir = dir.path().toStdString();
    o.threads = 2;
    o.seed = 7;
    return o;
}

} // namespace

class TestTrainingCheckpoint : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { CELLVIT_REQUIRE_PATH(test::dataDir() / "monuseg_train_subset"); }

    void officialLayoutReloadsIdentically()
    {
        QTemporaryDir dir;
        const ModelSpec spec = test::tinyTrainingSpec();
        const auto config = flatConfigForSpec(spec);
        Trainer trainer(spec, config, options(dir));
        trainer.step(realBatch(spec)); // moves the weights away from the initialisation and fills AdamW's state

        TrainingCheckpoint written;
        written.arch = "CellViT";
        written.config = config;
        written.modelState = trainer.stateDict();
        written.epoch = 3;
        written.bestMetric = 1.25;
        written.bestEpoch = 2;
        written.seed = 7;
        const auto path = std::filesystem::path(dir.path().toStdString()) / "checkpoint.pth";
        saveTrainingCheckpoint(path, written, nullptr);

        const Checkpoint loaded = loadCheckpoint(path);
        QCOMPARE(QString::fromStdString(loaded.arch), QStringLiteral("CellViT"));
        QCOMPARE(loaded.config.at("model.embed_dim").get<int>(), 32);
        QCOMPARE(loaded.config.at("model.extract_layers"), (nlohmann::json { 1, 2, 3, 4 }));
        QCOMPARE(loaded.config.at("dataset_config.nuclei_types.Connective").get<int>(), 3);
        QCOMPARE(loaded.config.at("data.magnification").get<int>(), 20);
        QCOMPARE(loaded.stateDict.size(), written.modelState.size());
        for (size_t i = 0; i < written.modelState.size(); ++i) {
            QCOMPARE(QString::fromStdString(loaded.stateDict[i].first),
                     QString::fromStdString(written.modelState[i].first));
            QVERIFY2(torch::equal(loaded.stateDict[i].second, written.modelState[i].second),
                     written.modelState[i].first.c_str());
        }
        // The spec rebuilt from the written config is the trained one.
        const ModelSpec reread = modelSpecFromConfig(loaded.arch, loaded.config);
        QCOMPARE(reread.decoderWidthScale, 0.125);
        QCOMPARE(reread.nucleiTypeNames, spec.nucleiTypeNames);

        const TrainingCheckpoint back = loadTrainingCheckpoint(path);
        QCOMPARE(back.epoch, 3);
        QCOMPARE(*back.bestMetric, 1.25);
        QCOMPARE(back.bestEpoch, 2);
        QCOMPARE(back.seed, uint64_t { 7 });
    }

    void resumeMatchesAnUninterruptedRun()
    {
        const ModelSpec spec = test::tinyTrainingSpec();
        const auto config = flatConfigForSpec(spec);
        TrainingData data;
        auto samples = loadDataset({ "monuseg", (test::dataDir() / "monuseg_train_subset").string(), 0.5 });
        data.validation.push_back(samples.back());
        samples.pop_back();
        data.train = samples;
        std::ostringstream progress;

        QTemporaryDir straightDir, resumedDir;
        auto o = options(straightDir);
        o.epochs = 2;
        o.stepsPerEpoch = 1;
        o.batchSize = 2;
        o.cropSize = 64;
        o.validationCropsPerSample = 1;
        Trainer straight(spec, config, o);
        QVERIFY(straight.run(data, {}, progress));

        auto first = o;
        first.outDir = resumedDir.path().toStdString();
        first.epochs = 1;
        Trainer interrupted(spec, config, first);
        QVERIFY(interrupted.run(data, {}, progress));
        const auto last = first.outDir / "last.pth";
        QCOMPARE(loadTrainingCheckpoint(last).epoch, 0);

        auto second = first;
        second.epochs = 2;
        second.seed = 999; // the checkpoint's seed wins
        Trainer resumed(spec, config, second);
        resumed.resume(last);
        QCOMPARE(resumed.nextEpoch(), 1);
        QVERIFY(std::abs(resumed.learningRate() - 3e-4 * 0.85) < 1e-12);
        QVERIFY(resumed.run(data, {}, progress));
        QCOMPARE(loadTrainingCheckpoint(last).epoch, 1);

        // Same weights as without the interruption: model, AdamW moments and sample order all came back.
        const auto a = straight.stateDict(), b = resumed.stateDict();
        QCOMPARE(a.size(), b.size());
        for (size_t i = 0; i < a.size(); ++i)
            QVERIFY2(torch::equal(a[i].second, b[i].second), a[i].first.c_str());
        // A stop request saves last.pth and reports an unfinished run.
        auto third = second;
        third.epochs = 3;
        Trainer stopped(spec, config, third);
        stopped.resume(last);
        QVERIFY(!stopped.run(data, [] { return true; }, progress));
        QCOMPARE(loadTrainingCheckpoint(last).epoch, 1);
    }

    void safetensorsHalfKeepsEveryTensor()
    {
        QTemporaryDir dir;
        const ModelSpec spec = test::tinyTrainingSpec();
        Trainer trainer(spec, flatConfigForSpec(spec), options(dir));
        Checkpoint c;
        c.arch = "CellViT";
        c.config = flatConfigForSpec(spec);
        c.stateDict = trainer.stateDict();
        const auto path = std::filesystem::path(dir.path().toStdString()) / "model.safetensors";
        saveSafetensors(path, c, true);
        const Checkpoint loaded = loadCheckpoint(path);
        QCOMPARE(loaded.stateDict.size(), c.stateDict.size());
        for (size_t i = 0; i < c.stateDict.size(); ++i) {
            const auto& original = c.stateDict[i].second;
            const auto& half = loaded.stateDict[i].second;
            if (original.is_floating_point()) {
                QCOMPARE(half.scalar_type(), torch::kHalf);
                QVERIFY(torch::allclose(half.to(torch::kFloat32), original, 1e-3, 1e-4));
            } else {
                QVERIFY(torch::equal(half, original));
            }
        }
        QCOMPARE(modelSpecFromConfig(loaded.arch, loaded.config).embedDim, 32);
    }
};

QTEST_GUILESS_MAIN(TestTrainingCheckpoint)
#include "tst_training_checkpoint.moc"
