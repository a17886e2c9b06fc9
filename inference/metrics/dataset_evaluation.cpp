#include "inference/metrics/dataset_evaluation.h"

#include "inference/metrics/numpy_reductions.h"

#include <limits>

namespace cellvit::metrics {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

PqScores nanMeanScores(const std::vector<PqScores>& scores)
{
    std::vector<double> dq, sq, pq;
    for (const PqScores& s : scores) {
        dq.push_back(s.dq);
        sq.push_back(s.sq);
        pq.push_back(s.pq);
    }
    return { nanMean(dq), nanMean(sq), nanMean(pq) };
}

} // namespace

PooledDetections poolDetections(const std::vector<ImageMetrics>& images)
{
    PooledDetections pooled;
    for (const ImageMetrics& m : images) {
        for (const auto& [a, b] : m.pairing.paired) {
            pooled.pairedTrueType.push_back(m.trueTypes.at(a));
            pooled.pairedPredType.push_back(m.predTypes.at(b));
        }
        for (int a : m.pairing.unpairedA)
            pooled.unpairedTrueType.push_back(m.trueTypes.at(a));
        for (int b : m.pairing.unpairedB)
            pooled.unpairedPredType.push_back(m.predTypes.at(b));
    }
    return pooled;
}

DatasetMetrics aggregateMetrics(const std::vector<ImageMetrics>& images, const std::vector<NucleusClass>& classes)
{
    DatasetMetrics d;
    d.imageCount = images.size();

    std::vector<PqScores> binary;
    std::vector<PqScores> imageMeans; // per typed image: NaN-mean over its class channels
    for (const ImageMetrics& m : images) {
        binary.push_back(m.binary.scores);
        if (m.typed) {
            d.typed = true;
            imageMeans.push_back(nanMeanScores(m.classPq));
        }
    }
    d.binary = nanMeanScores(binary);
    d.multiClass = d.typed ? nanMeanScores(imageMeans) : PqScores { kNaN, kNaN, kNaN };

    const PooledDetections pooled = poolDetections(images);
    d.detection = cellDetectionScores(pooled);
    d.paired = pooled.pairedTrueType.size();
    d.unpairedTrue = pooled.unpairedTrueType.size();
    d.unpairedPred = pooled.unpairedPredType.size();

    if (d.typed) {
        for (const NucleusClass& c : classes) {
            std::vector<PqScores> perImage;
            for (const ImageMetrics& m : images) {
                if (m.typed && c.id >= 0 && c.id < static_cast<int>(m.classPq.size()))
                    perImage.push_back(m.classPq[c.id]);
            }
            d.perClass.push_back({ c, nanMeanScores(perImage), cellTypeDetectionScores(pooled, c.id) });
        }
    }
    std::vector<double> classF1;
    for (const ClassMetrics& c : d.perClass)
        classF1.push_back(c.detection.f1);
    d.meanClassF1 = d.typed ? nanMean(classF1) : kNaN;
    return d;
}

} // namespace cellvit::metrics
