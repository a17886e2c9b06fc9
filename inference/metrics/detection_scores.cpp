#include "inference/metrics/detection_scores.h"

#include <algorithm>
#include <limits>
#include <stdexcept>

namespace cellvit::metrics {
namespace {

double divide(double num, double den)
{
    return den == 0.0
        ? (num == 0.0 ? std::numeric_limits<double>::quiet_NaN() : std::numeric_limits<double>::infinity())
        : num / den;
}

} // namespace

DetectionScores cellDetectionScores(const PooledDetections& d, std::array<double, 2> w)
{
    const double tp = static_cast<double>(d.pairedPredType.size());
    const double fp = static_cast<double>(d.unpairedPredType.size());
    const double fn = static_cast<double>(d.unpairedTrueType.size());
    return { divide(2 * tp, 2 * tp + w[0] * fp + w[1] * fn), divide(tp, tp + fp), divide(tp, tp + fn) };
}

DetectionScores cellTypeDetectionScores(const PooledDetections& d, int typeId, std::array<double, 4> w)
{
    if (d.pairedTrueType.size() != d.pairedPredType.size())
        throw std::invalid_argument("cellTypeDetectionScores: paired type lists differ in length");
    long long tp = 0, tn = 0, fp = 0, fn = 0;
    for (size_t k = 0; k < d.pairedTrueType.size(); ++k) {
        const bool isTrue = d.pairedTrueType[k] == typeId;
        const bool isPred = d.pairedPredType[k] == typeId;
        if (!isTrue && !isPred)
            continue; // only samples of this class take part
        tp += isTrue && isPred;
        tn += !isTrue && !isPred; // always 0 after the restriction, kept as in the reference
        fp += !isTrue && isPred;
        fn += isTrue && !isPred;
    }
    const double fpD = static_cast<double>(std::count(d.unpairedPredType.begin(), d.unpairedPredType.end(), typeId));
    const double fnD = static_cast<double>(std::count(d.unpairedTrueType.begin(), d.unpairedTrueType.end(), typeId));
    const double good = static_cast<double>(tp + tn);
    const double fpT = static_cast<double>(fp);
    const double fnT = static_cast<double>(fn);
    return {
        divide(2 * good, 2 * good + w[0] * fpT + w[1] * fnT + w[2] * fpD + w[3] * fnD),
        divide(good, good + w[0] * fpT + w[2] * fpD),
        divide(good, good + w[1] * fnT + w[3] * fnD),
    };
}

} // namespace cellvit::metrics
