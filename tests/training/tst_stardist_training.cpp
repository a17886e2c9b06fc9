// Training the STARDIST and CPP-Net decoders end to end: a tiny network trained a few dozen steps on one real
// MoNuSeg crop lowers its loss; the checkpoint it writes loads with the inference loader (same weights), resumes
// as --init does, and its outputs run through the STARDIST post-processing.
#include "inference/model/cellvit_model.h"
#include "inference/postproc/stardist_postprocess.h"
#include "inference/training/trainer.h"
#include "inference/training/training_loss.h"
#include "model_zoo/checkpoint.h"
#include "test_support.h"
#include "monuseg_crop.h"
#include "tiny_training_spec.h"

#include <QTemporaryDir>
#include <QtTest>
#include <fstream>
#include <opencv2/core.hpp>
#include <sstream>
#include <torch/torch.h>

using namespace cellvit;
using namespace cellvit::training;

namespace {

// The "total" column of the training log's train rows.
std::vector<double> trainTotals(const std::filesystem::path& csv, size_t terms)
{
    std::ifstream in(csv);
    std::string line;
    std::getline(in, line); // header
    std::vector<double> totals;
    while (std::getline(in, line)) {
        std::vector<std::string> cells;
        std::stringstream row(line);
        for (std::string cell; std::getline(row, cell, ',');)
            cells.push_back(cell);
        if (cells.at(0) == "train")
            totals.push_back(std::stod(cells.at(3 + terms)));
    }
    return totals;
}

double mean(const std::vector<double>& v, size_t begin, size_t end)
{
    double s = 0;
    for (size_t i = begin; i < end; ++i)
        s += v[i];
    return s / static_cast<double>(end - begin);
}

} // namespace

class TestStarDistTraining : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { CELLVIT_REQUIRE_PATH(test::dataDir() / "monuseg_train_subset"); }

    void trainsAndReloads_data()
    {
        QTest::addColumn<QString>("arch");
        QTest::newRow("stardist") << "CellViTStarDist";
        QTest::newRow("stardist-shared") << "CellViTStarDistShared";
        QTest::newRow("cpp-net") << "CellViTCPP";
    }

    void trainsAndReloads()
    {
        QFETCH(QString, arch);
        auto config = test::tinyTrainingConfig();
        config["model.nrays"] = 32;
        const ModelSpec spec = modelSpecFromConfig(arch.toStdString(), config);
        QVERIFY(spec.isStarDistFamily());
        const int size = 96;
        const TrainingSample crop = test::monusegCrop(size);
        const TrainingBatch batch = makeTrainingBatch({ crop }, spec);
        QVERIFY(batch.objectProbability.max().item<float>() == 1.0f); // real nuclei in the crop
        QCOMPARE(batch.rays.size(1), int64_t { 32 });

        QTemporaryDir dir;
        TrainerOptions o;
        o.outDir = dir.path().toStdString();
        o.epochs = 1;
        o.stepsPerEpoch = 40;
        o.batchSize = 1;
        o.cropSize = size;
        o.learningRate = 3e-3;
        o.seed = 11;
        o.augmentation.enabled = false; // the same crop every step
        Trainer trainer(spec, flatConfigForSpec(spec), o);
        TrainingData data;
        data.train = { crop };
        std::ostringstream progress;
        QVERIFY(trainer.run(data, {}, progress));

        const auto totals
            = trainTotals(dir.filePath("training_log.csv").toStdString(), lossTermNames(spec.decoder).size());
        QCOMPARE(totals.size(), size_t { 40 });
        const double first = mean(totals, 0, 3), last = mean(totals, 37, 40);
        qInfo("%s: loss %.4f (first 3 steps) -> %.4f (last 3)", qPrintable(arch), first, last);
        QVERIFY2(std::isfinite(last) && last < 0.85 * first, qPrintable(QString("%1 -> %2").arg(first).arg(last)));

        // The inference loader reads the checkpoint: same arch, decoder, weights.
        const auto best = std::filesystem::path(o.outDir) / "best.pth";
        const Checkpoint loaded = loadCheckpoint(best);
        QCOMPARE(QString::fromStdString(loaded.arch), arch);
        QCOMPARE(loaded.config.at("model.nrays").get<int>(), 32);
        const auto model = CellVitModel::fromCheckpoint(loaded);
        QCOMPARE(model->spec().decoder, spec.decoder);
        const NamedTensors ours = trainer.stateDict();
        QCOMPARE(loaded.stateDict.size(), ours.size());
        for (size_t i = 0; i < ours.size(); ++i) {
            QCOMPARE(loaded.stateDict[i].first, ours[i].first);
            QVERIFY2(torch::equal(loaded.stateDict[i].second, ours[i].second), ours[i].first.c_str());
        }

        // --init: a fresh trainer of the same spec starts from these weights.
        Trainer again(spec, flatConfigForSpec(spec), o);
        again.loadWeights(loaded);
        const NamedTensors init = again.stateDict();
        for (size_t i = 0; i < ours.size(); ++i)
            QVERIFY2(torch::equal(init[i].second, ours[i].second), ours[i].first.c_str());

        // The trained network's maps run through the STARDIST / CPP-Net post-processing.
        at::Tensor rgb = model->hostBatch(1, size, size);
        std::memcpy(rgb.data_ptr<uint8_t>(), crop.rgb.data, static_cast<size_t>(size * size * 3));
        const SegmentationMaps maps = model->segmentationForward(rgb);
        QCOMPARE(maps.rays.size(1), int64_t { 32 });
        const cv::Mat prob(size, size, CV_32F, maps.objectProbability.data_ptr<float>());
        const cv::Mat types(size, size, CV_8U, maps.nucleiTypeArgmax.data_ptr<uint8_t>());
        const at::Tensor rays = maps.rays.contiguous();
        const StarDistPostprocResult result = postprocessStarDist(prob, rays.data_ptr<float>(), 32, types);
        QCOMPARE(result.instanceMap.size(), cv::Size(size, size));
        qInfo("%s: %zu nuclei after %zu NMS survivors", qPrintable(arch), result.cells.size(),
            result.detections.points.size());
    }
};

QTEST_GUILESS_MAIN(TestStarDistTraining)
#include "tst_stardist_training.moc"
