#pragma once
// Human- and machine-readable summaries of an evaluation (cellvit-cli evaluate).

#include "inference/metrics/dataset_evaluation.h"

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace cellvit::metrics {

struct EvaluationReport {
    int magnification = 40;
    double pairingRadius = 12.0;
    std::vector<ImageMetrics> images;
    DatasetMetrics dataset;
};

// NaN scores become null.
nlohmann::json reportJson(const EvaluationReport& report);

std::string reportText(const EvaluationReport& report);

} // namespace cellvit::metrics
