#include "inference/datasets/sampling_weights.h"

#include <algorithm>
#include <numeric>
#include <stdexcept>

namespace cellvit {
namespace {

// Classes 1..classCount-1 present in a sample: any labelled (typeMask 255) pixel of that class. The
// reference counts nuclei per class from PanNuke's types; presence is all the formula uses.
std::vector<int> classPresence(const TrainingSample& s, int classCount)
{
    std::vector<int> present(static_cast<size_t>(classCount), 0);
    for (int y = 0; y < s.typeMap.rows; ++y) {
        const int* type = s.typeMap.ptr<int>(y);
        const uchar* valid = s.typeMask.empty() ? nullptr : s.typeMask.ptr<uchar>(y);
        for (int x = 0; x < s.typeMap.cols; ++x) {
            if (type[x] > 0 && type[x] < classCount && (!valid || valid[x] == 255))
                present[static_cast<size_t>(type[x])] = 1;
        }
    }
    return present;
}

} // namespace

std::vector<double> cellTissueSamplingWeights(
    const std::vector<TrainingSample>& samples, int classCount, int tissueCount, double gamma)
{
    if (classCount < 1 || tissueCount < 1 || gamma < 0.0 || gamma > 1.0)
        throw std::invalid_argument("sampling weights: need classCount >= 1, tissueCount >= 1 and gamma in [0, 1]");
    const size_t n = samples.size();
    if (n == 0)
        return {};

    // Tissue: w_t = K / (gamma * n_t + (1 - gamma) * K), K = number of samples.
    std::vector<double> tissueCounts(static_cast<size_t>(tissueCount), 0.0);
    for (const TrainingSample& s : samples) {
        if (s.tissueClass < 0 || s.tissueClass >= tissueCount)
            throw std::invalid_argument(s.source + ": tissue class " + std::to_string(s.tissueClass) + " outside [0, "
                + std::to_string(tissueCount) + ")");
        tissueCounts[static_cast<size_t>(s.tissueClass)] += 1.0;
    }
    const double k = static_cast<double>(n);
    std::vector<double> tissue(n);
    for (size_t i = 0; i < n; ++i)
        tissue[i] = k / (gamma * tissueCounts[static_cast<size_t>(samples[i].tissueClass)] + (1.0 - gamma) * k);

    // Cell: n_c = images containing class c, K_c = sum of n_c, w_c = K_c / (gamma * n_c + (1 - gamma) * K_c);
    // image weight = (1 - gamma) * max_c presence + gamma * sum_c presence_c * w_c.
    std::vector<std::vector<int>> presence;
    std::vector<double> imagesWithClass(static_cast<size_t>(classCount), 0.0);
    for (const TrainingSample& s : samples) {
        presence.push_back(classPresence(s, classCount));
        for (int c = 1; c < classCount; ++c)
            imagesWithClass[static_cast<size_t>(c)] += presence.back()[static_cast<size_t>(c)];
    }
    double kc = 0.0;
    for (int c = 1; c < classCount; ++c)
        kc += imagesWithClass[static_cast<size_t>(c)];
    std::vector<double> cell(n, 0.0);
    if (kc > 0.0) {
        for (size_t i = 0; i < n; ++i) {
            int anyPresent = 0;
            double sum = 0.0;
            for (int c = 1; c < classCount; ++c) {
                const int p = presence[i][static_cast<size_t>(c)];
                anyPresent = std::max(anyPresent, p);
                if (p)
                    sum += kc / (gamma * imagesWithClass[static_cast<size_t>(c)] + (1.0 - gamma) * kc);
            }
            cell[i] = (1.0 - gamma) * anyPresent + gamma * sum;
        }
    }
    // Images without any class get the smallest non-zero weight (the reference's replacement).
    double smallest = 0.0;
    for (double w : cell)
        if (w > 0.0 && (smallest == 0.0 || w < smallest))
            smallest = w;
    for (double& w : cell)
        if (w == 0.0)
            w = smallest;

    const double maxTissue = *std::max_element(tissue.begin(), tissue.end());
    const double maxCell = *std::max_element(cell.begin(), cell.end());
    std::vector<double> weights(n);
    for (size_t i = 0; i < n; ++i)
        weights[i] = tissue[i] / maxTissue + (maxCell > 0.0 ? cell[i] / maxCell : 0.0);
    return weights;
}

std::vector<double> perSourceCellTissueWeights(const std::vector<TrainingSample>& samples,
    const std::vector<size_t>& sourceSizes, int classCount, int tissueCount, double gamma)
{
    if (std::accumulate(sourceSizes.begin(), sourceSizes.end(), size_t(0)) != samples.size())
        throw std::invalid_argument("sampling weights: the source sizes do not add up to the samples");
    std::vector<double> weights;
    weights.reserve(samples.size());
    auto begin = samples.begin();
    for (const size_t size : sourceSizes) {
        const std::vector<TrainingSample> source(begin, begin + static_cast<std::ptrdiff_t>(size));
        begin += static_cast<std::ptrdiff_t>(size);
        const std::vector<double> inner = cellTissueSamplingWeights(source, classCount, tissueCount, gamma);
        const double sum = std::accumulate(inner.begin(), inner.end(), 0.0);
        for (const double w : inner)
            weights.push_back(w / sum);
    }
    return weights;
}

} // namespace cellvit
