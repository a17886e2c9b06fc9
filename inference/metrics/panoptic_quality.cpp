#include "inference/metrics/panoptic_quality.h"

#include "inference/metrics/linear_assignment.h"
#include "inference/metrics/numpy_reductions.h"

#include <algorithm>
#include <map>
#include <stdexcept>
#include <unordered_map>
#include <utility>

namespace cellvit::metrics {
namespace {

void requireInstanceMap(const cv::Mat& m, const char* what)
{
    if (m.type() != CV_32SC1 || m.dims != 2)
        throw std::invalid_argument(std::string(what) + ": instance map must be a 2-D CV_32S matrix");
}

std::unordered_map<int, int> indexOf(const std::vector<int>& ids)
{
    std::unordered_map<int, int> index;
    for (size_t k = 0; k < ids.size(); ++k)
        index.emplace(ids[k], static_cast<int>(k));
    return index;
}

// Pairwise IoU of overlapping instances, as inter / (|t| + |p| - inter) in the reference.
struct Overlaps {
    std::vector<long long> trueArea;
    std::vector<long long> predArea;
    std::map<std::pair<int, int>, long long> intersection; // (true index, pred index), row-major order
    double iou(const std::pair<int, int>& key, long long inter) const
    {
        const long long total = trueArea[key.first] + predArea[key.second];
        return static_cast<double>(inter) / static_cast<double>(total - inter);
    }
};

Overlaps computeOverlaps(
    const cv::Mat& trueMap, const cv::Mat& predMap, const std::vector<int>& trueIds, const std::vector<int>& predIds)
{
    const auto trueIndex = indexOf(trueIds);
    const auto predIndex = indexOf(predIds);
    Overlaps o;
    o.trueArea.assign(trueIds.size(), 0);
    o.predArea.assign(predIds.size(), 0);
    for (int r = 0; r < trueMap.rows; ++r) {
        const int* t = trueMap.ptr<int>(r);
        const int* p = predMap.ptr<int>(r);
        for (int c = 0; c < trueMap.cols; ++c) {
            const int ti = t[c] != 0 ? trueIndex.at(t[c]) : -1;
            const int pi = p[c] != 0 ? predIndex.at(p[c]) : -1;
            if (ti >= 0)
                ++o.trueArea[ti];
            if (pi >= 0)
                ++o.predArea[pi];
            if (ti >= 0 && pi >= 0)
                ++o.intersection[{ ti, pi }];
        }
    }
    return o;
}

std::vector<int> unpaired(const std::vector<int>& ids, const std::vector<int>& paired)
{
    std::vector<int> sortedPaired(paired);
    std::sort(sortedPaired.begin(), sortedPaired.end());
    std::vector<int> out;
    for (int id : ids) {
        if (!std::binary_search(sortedPaired.begin(), sortedPaired.end(), id))
            out.push_back(id);
    }
    return out;
}

} // namespace

std::vector<int> instanceIds(const cv::Mat& labels)
{
    requireInstanceMap(labels, "instanceIds");
    // Instance maps are made of long runs of one value: collect run starts only, then sort.
    std::vector<int> ids;
    int previous = 0;
    for (int r = 0; r < labels.rows; ++r) {
        const int* row = labels.ptr<int>(r);
        for (int c = 0; c < labels.cols; ++c) {
            if (row[c] != 0 && row[c] != previous)
                ids.push_back(row[c]);
            previous = row[c];
        }
    }
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
    return ids;
}

PqResult fastPq(const cv::Mat& trueMap, const cv::Mat& predMap, double matchIou)
{
    requireInstanceMap(trueMap, "fastPq");
    requireInstanceMap(predMap, "fastPq");
    if (trueMap.size() != predMap.size())
        throw std::invalid_argument("fastPq: true and predicted maps differ in size");
    if (!(matchIou >= 0.0))
        throw std::invalid_argument("fastPq: match IoU must not be negative");

    const std::vector<int> trueIds = instanceIds(trueMap);
    const std::vector<int> predIds = instanceIds(predMap);
    const Overlaps overlaps = computeOverlaps(trueMap, predMap, trueIds, predIds);

    PqResult result;
    std::vector<double> pairedIou;
    if (matchIou >= 0.5) {
        // Above 0.5 every instance overlaps at most one partner that much: pairs are unique.
        for (const auto& [key, inter] : overlaps.intersection) {
            const double iou = overlaps.iou(key, inter);
            if (iou > matchIou) {
                result.pairing.pairedTrue.push_back(trueIds[key.first]);
                result.pairing.pairedPred.push_back(predIds[key.second]);
                pairedIou.push_back(iou);
            }
        }
    } else {
        const int nt = static_cast<int>(trueIds.size());
        const int np = static_cast<int>(predIds.size());
        std::vector<double> negIou(static_cast<size_t>(nt) * np, 0.0);
        for (const auto& [key, inter] : overlaps.intersection)
            negIou[static_cast<size_t>(key.first) * np + key.second] = -overlaps.iou(key, inter);
        const Assignment a = solveLinearSumAssignment(negIou, nt, np);
        for (size_t k = 0; k < a.rows.size(); ++k) {
            const double iou = -negIou[static_cast<size_t>(a.rows[k]) * np + a.cols[k]];
            if (iou > matchIou) {
                result.pairing.pairedTrue.push_back(trueIds[a.rows[k]]);
                result.pairing.pairedPred.push_back(predIds[a.cols[k]]);
                pairedIou.push_back(iou);
            }
        }
    }
    result.pairing.unpairedTrue = unpaired(trueIds, result.pairing.pairedTrue);
    result.pairing.unpairedPred = unpaired(predIds, result.pairing.pairedPred);

    const double tp = static_cast<double>(result.pairing.pairedTrue.size());
    const double fp = static_cast<double>(result.pairing.unpairedPred.size());
    const double fn = static_cast<double>(result.pairing.unpairedTrue.size());
    // The 1e-6 terms are the reference's and shift scores at the 1e-7 level: keep them.
    result.scores.dq = tp / (tp + 0.5 * fp + 0.5 * fn + 1.0e-6);
    result.scores.sq = numpySum(pairedIou) / (tp + 1.0e-6);
    result.scores.pq = result.scores.dq * result.scores.sq;
    return result;
}

cv::Mat remapLabel(const cv::Mat& labels)
{
    const std::vector<int> ids = instanceIds(labels);
    if (ids.empty())
        return labels.clone();
    const auto index = indexOf(ids);
    cv::Mat out(labels.size(), CV_32SC1, cv::Scalar(0));
    for (int r = 0; r < labels.rows; ++r) {
        const int* in = labels.ptr<int>(r);
        int* o = out.ptr<int>(r);
        for (int c = 0; c < labels.cols; ++c)
            o[c] = in[c] != 0 ? index.at(in[c]) + 1 : 0;
    }
    return out;
}

cv::Mat binarize(const std::vector<cv::Mat>& channels)
{
    if (channels.empty())
        throw std::invalid_argument("binarize: no channels");
    cv::Mat out(channels.front().size(), CV_32SC1, cv::Scalar(0));
    int count = 1;
    for (const cv::Mat& channel : channels) {
        if (channel.size() != out.size())
            throw std::invalid_argument("binarize: channels differ in size");
        const std::vector<int> ids = instanceIds(channel);
        std::unordered_map<int, int> newId;
        for (int id : ids)
            newId.emplace(id, count++);
        for (int r = 0; r < out.rows; ++r) {
            const int* in = channel.ptr<int>(r);
            int* o = out.ptr<int>(r);
            for (int c = 0; c < out.cols; ++c) {
                if (in[c] != 0)
                    o[c] = newId.at(in[c]);
            }
        }
    }
    return out;
}

std::vector<cv::Mat> typedInstanceChannels(
    const cv::Mat& labels, const std::vector<TypedInstance>& instances, int numClasses)
{
    requireInstanceMap(labels, "typedInstanceChannels");
    std::unordered_map<int, int> typeOf;
    for (const TypedInstance& inst : instances) {
        if (inst.type < 0 || inst.type >= numClasses)
            throw std::invalid_argument("typedInstanceChannels: instance " + std::to_string(inst.id) + " has type "
                + std::to_string(inst.type) + " outside 0.." + std::to_string(numClasses - 1));
        typeOf[inst.id] = inst.type;
    }
    std::vector<cv::Mat> channels;
    for (int k = 0; k < numClasses; ++k)
        channels.emplace_back(labels.size(), CV_32SC1, cv::Scalar(0));
    for (int r = 0; r < labels.rows; ++r) {
        const int* in = labels.ptr<int>(r);
        for (int c = 0; c < labels.cols; ++c) {
            if (in[c] == 0)
                continue;
            const auto it = typeOf.find(in[c]);
            if (it != typeOf.end())
                channels[it->second].ptr<int>(r)[c] = in[c];
        }
    }
    return channels;
}

} // namespace cellvit::metrics
