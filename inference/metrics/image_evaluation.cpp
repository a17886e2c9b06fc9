#include "inference/metrics/image_evaluation.h"

#include "inference/metrics/instance_centroids.h"

#include <limits>
#include <stdexcept>

namespace cellvit::metrics {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

PqScores nanScores()
{
    return { kNaN, kNaN, kNaN };
}

std::vector<cv::Point2d> centroidsOf(const std::vector<EvaluatedCell>& cells)
{
    std::vector<cv::Point2d> points;
    points.reserve(cells.size());
    for (const EvaluatedCell& c : cells)
        points.push_back(c.centroid);
    return points;
}

// binarize(pred_typed[1:]): class channels 1.. merged; untyped predictions act as one class.
cv::Mat binarizedPrediction(const EvaluationInput& pred, int numClasses)
{
    std::vector<TypedInstance> instances = pred.typedInstances;
    if (!pred.hasTypes) {
        for (TypedInstance& t : instances)
            t.type = 1;
    }
    std::vector<cv::Mat> channels = typedInstanceChannels(pred.labels, instances, numClasses);
    channels.erase(channels.begin());
    return binarize(channels);
}

} // namespace

EvaluationInput groundTruthInput(cv::Mat labels, const std::map<int, int>& typeById)
{
    EvaluationInput in;
    in.hasTypes = !typeById.empty();
    // Class 0 (unclassified) stays out of the channels: the reference's GT background channel is empty.
    for (const auto& [id, type] : typeById) {
        if (type != 0)
            in.typedInstances.push_back({ id, type });
    }
    for (const InstanceCentroid& c : instanceCentroids(labels)) {
        const auto it = typeById.find(c.id);
        in.cells.push_back({ c.id, c.centroid, it != typeById.end() ? it->second : 0 });
    }
    in.labels = std::move(labels);
    return in;
}

EvaluationInput predictionInput(cv::Mat labels, std::vector<EvaluatedCell> cells, bool hasTypes)
{
    EvaluationInput in;
    in.labels = std::move(labels);
    in.hasTypes = hasTypes;
    for (const EvaluatedCell& c : cells)
        in.typedInstances.push_back({ c.id, hasTypes ? c.type : 0 });
    in.cells = std::move(cells);
    return in;
}

EvaluationInput predictionInputFromMap(cv::Mat labels, const std::map<int, int>& typeById)
{
    EvaluationInput in;
    in.hasTypes = !typeById.empty();
    const auto typeOf = [&](int id) {
        const auto it = typeById.find(id);
        return it != typeById.end() ? it->second : 0;
    };
    for (int id : instanceIds(labels))
        in.typedInstances.push_back({ id, typeOf(id) });
    for (const InstanceCentroid& c : instanceCentroids(labels))
        in.cells.push_back({ c.id, c.centroid, typeOf(c.id) });
    in.labels = std::move(labels);
    return in;
}

ImageMetrics evaluateImage(const EvaluationInput& gt, const EvaluationInput& pred, const EvaluationSettings& settings)
{
    if (gt.labels.size() != pred.labels.size())
        throw std::invalid_argument("evaluateImage: ground truth is " + std::to_string(gt.labels.cols) + "x"
            + std::to_string(gt.labels.rows) + " px but the prediction is " + std::to_string(pred.labels.cols) + "x"
            + std::to_string(pred.labels.rows));
    if (settings.numClasses < 2)
        throw std::invalid_argument("evaluateImage: need at least one class besides background");

    ImageMetrics m;
    m.typed = gt.hasTypes && pred.hasTypes;

    const cv::Mat remappedGt = remapLabel(gt.labels);
    if (instanceIds(remappedGt).empty()) {
        m.binary.scores = nanScores();
    } else {
        m.binary = fastPq(remappedGt, binarizedPrediction(pred, settings.numClasses), settings.matchIou);
    }

    if (m.typed) {
        const auto predChannels = typedInstanceChannels(pred.labels, pred.typedInstances, settings.numClasses);
        const auto gtChannels = typedInstanceChannels(gt.labels, gt.typedInstances, settings.numClasses);
        for (int j = 0; j < settings.numClasses; ++j) {
            const cv::Mat gtClass = remapLabel(gtChannels[j]);
            if (instanceIds(gtClass).empty()) {
                m.classPq.push_back(nanScores());
                continue;
            }
            // The reference passes (pred, gt) here, i.e. the prediction plays "true": keep that order.
            m.classPq.push_back(fastPq(remapLabel(predChannels[j]), gtClass, settings.matchIou).scores);
        }
    }

    m.pairing = pairCoordinates(centroidsOf(gt.cells), centroidsOf(pred.cells), settings.pairingRadius);
    for (const EvaluatedCell& c : gt.cells)
        m.trueTypes.push_back(c.type);
    for (const EvaluatedCell& c : pred.cells)
        m.predTypes.push_back(c.type);
    return m;
}

} // namespace cellvit::metrics
