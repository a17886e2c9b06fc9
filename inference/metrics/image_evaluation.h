#pragma once
// Metrics of one image, following the reference's calculate_step_metric
// (v1 inference_cellvit_experiment_pannuke.py): bPQ, PQ per class channel, centroid pairing.

#include "inference/metrics/coordinate_pairing.h"
#include "inference/metrics/panoptic_quality.h"

#include <map>
#include <opencv2/core.hpp>
#include <string>
#include <vector>

namespace cellvit::metrics {

struct EvaluatedCell {
    int id; // instance id in the labels map
    cv::Point2d centroid; // x, y
    int type; // class id; 0 when the source has no classes
};

// One side (ground truth or prediction) of an image.
struct EvaluationInput {
    cv::Mat labels; // CV_32S instance map, 0 = background
    std::vector<TypedInstance> typedInstances; // instances placed in the class channels
    std::vector<EvaluatedCell> cells; // detection points, in instance-id order
    bool hasTypes = false;
};

// Ground truth: every instance goes into its class channel (typeById may be empty = no classes);
// detection points are the instance centroids (calculate_instances, which drops degenerate shapes).
EvaluationInput groundTruthInput(cv::Mat labels, const std::map<int, int>& typeById);

// Prediction given as cells (e.g. cells.json): only the listed cells enter the class channels,
// as generate_instance_nuclei_map does.
EvaluationInput predictionInput(cv::Mat labels, std::vector<EvaluatedCell> cells, bool hasTypes);

// Prediction given as an instance map without a cell list (instance maps, GeoJSON): every instance
// enters the class channels (so a map scored against itself is perfect), and the detection points
// are derived like the ground truth's.
EvaluationInput predictionInputFromMap(cv::Mat labels, const std::map<int, int>& typeById);

struct EvaluationSettings {
    double pairingRadius = 12.0;
    int numClasses = 6; // channels 0..numClasses-1, 0 = background
    double matchIou = 0.5;
};

struct ImageMetrics {
    std::string name;
    PqResult binary; // scores NaN when the ground truth has no instance
    bool typed = false; // both sides carry classes
    std::vector<PqScores> classPq; // per channel 0..numClasses-1 (typed only); NaN where the GT channel is empty
    CoordinatePairing pairing; // A = ground-truth cells, B = predicted cells
    std::vector<int> trueTypes; // class of each ground-truth cell
    std::vector<int> predTypes; // class of each predicted cell
};

ImageMetrics evaluateImage(const EvaluationInput& gt, const EvaluationInput& pred, const EvaluationSettings& settings);

} // namespace cellvit::metrics
