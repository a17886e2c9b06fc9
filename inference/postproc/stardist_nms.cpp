#include "inference/postproc/stardist_nms.h"

#include "inference/postproc/polygon_overlap.h"
#include "inference/postproc/star_polygon.h"

#include <algorithm>
#include <cmath>
#include <optional>
#include <stdexcept>

namespace cellvit {

namespace {

struct Candidate {
    int row, col;
    float prob;
};

// np.argsort(scores)[::-1] on the row-major candidate list: descending probability; equal probabilities (the
// reference's quicksort leaves them in no defined order) later pixel first, as a stable sort reversed would.
std::vector<Candidate> sortedCandidates(const cv::Mat& prob, const StarDistNmsParams& params)
{
    std::vector<Candidate> candidates;
    const int b = std::max(params.border, 0);
    for (int r = b; r < prob.rows - b; ++r) {
        const float* p = prob.ptr<float>(r);
        for (int c = b; c < prob.cols - b; ++c) {
            if (p[c] > params.probThreshold)
                candidates.push_back({ r, c, p[c] });
        }
    }
    std::reverse(candidates.begin(), candidates.end());
    std::stable_sort(candidates.begin(), candidates.end(),
                     [](const Candidate& l, const Candidate& r) { return l.prob > r.prob; });
    return candidates;
}

bool boxesIntersect(const NmsPolygon& a, const NmsPolygon& b)
{
    return b.xMin <= a.xMax && a.xMin <= b.xMax && b.yMin <= a.yMax && a.yMin <= b.yMax;
}

} // namespace

StarDistDetections starDistNms(const cv::Mat& prob, const float* rays, int nrays, const StarDistNmsParams& params)
{
    if (prob.type() != CV_32FC1 || nrays < 3 || !rays)
        throw std::invalid_argument("starDistNms: expected a CV_32F probability map and at least 3 rays");
    const std::vector<Candidate> candidates = sortedCandidates(prob, params);
    const size_t n = candidates.size();
    const size_t plane = static_cast<size_t>(prob.rows) * static_cast<size_t>(prob.cols);

    std::vector<float> dists(n * static_cast<size_t>(nrays));
    std::vector<NmsPolygon> polygons(n);
    float maxRadius = 0;
    for (size_t i = 0; i < n; ++i) {
        const size_t pixel = static_cast<size_t>(candidates[i].row) * prob.cols + candidates[i].col;
        float* d = &dists[i * nrays];
        for (int k = 0; k < nrays; ++k)
            d[k] = rays[k * plane + pixel];
        polygons[i] = nmsPolygon(candidates[i].row, candidates[i].col, d, nrays);
        maxRadius = std::max(maxRadius, polygons[i].radius);
    }

    // The reference's kd-tree radius search: neighbours j with float squared centre distance < (max_r + r_i)².
    // Candidates bucketed by row and sorted by column give the square around i directly; the test itself is the
    // reference's, so the same pairs are compared (and which pairs are compared first does not matter: only i
    // suppresses).
    std::vector<std::vector<size_t>> byRow(static_cast<size_t>(prob.rows));
    for (size_t i = 0; i < n; ++i)
        byRow[static_cast<size_t>(candidates[i].row)].push_back(i);
    for (auto& row : byRow)
        std::sort(row.begin(), row.end(), [&](size_t l, size_t r) { return candidates[l].col < candidates[r].col; });

    std::vector<std::optional<OverlapShape>> shapes(n);
    const auto shapeOf = [&](size_t i) -> const OverlapShape& {
        if (!shapes[i])
            shapes[i].emplace(polygons[i].vertices);
        return *shapes[i];
    };
    std::vector<char> suppressed(n, 0);
    for (size_t i = 0; i + 1 < n; ++i) {
        if (suppressed[i])
            continue;
        const float reach = maxRadius + polygons[i].radius;
        const float reach2 = reach * reach;
        const float pr = static_cast<float>(candidates[i].row), pc = static_cast<float>(candidates[i].col);
        const int span = static_cast<int>(std::min(reach + 1.0f, static_cast<float>(prob.rows + prob.cols)));
        const int rowFirst = std::max(0, candidates[i].row - span);
        const int rowLast = std::min(prob.rows - 1, candidates[i].row + span);
        for (int row = rowFirst; row <= rowLast; ++row) {
            const std::vector<size_t>& bucket = byRow[static_cast<size_t>(row)];
            auto it = std::lower_bound(bucket.begin(), bucket.end(), candidates[i].col - span,
                                       [&](size_t j, int col) { return candidates[j].col < col; });
            for (; it != bucket.end() && candidates[*it].col <= candidates[i].col + span; ++it) {
                const size_t j = *it;
                if (j <= i || suppressed[j])
                    continue;
                const float dr = pr - static_cast<float>(candidates[j].row);
                const float dc = pc - static_cast<float>(candidates[j].col);
                float distance2 = 0;
                distance2 += dr * dr;
                distance2 += dc * dc;
                if (!(distance2 < reach2))
                    continue;
                if (!boxesIntersect(polygons[i], polygons[j]))
                    continue;
                const float inter = intersectionArea(shapeOf(i), shapeOf(j));
                const double overlap = inter / std::fmin(polygons[i].area + 1.e-10, polygons[j].area + 1.e-10);
                if (overlap > params.overlapThreshold)
                    suppressed[j] = 1;
            }
        }
    }

    StarDistDetections out;
    out.nrays = nrays;
    for (size_t i = 0; i < n; ++i) {
        if (suppressed[i])
            continue;
        out.points.emplace_back(candidates[i].col, candidates[i].row);
        out.probs.push_back(candidates[i].prob);
        out.dists.insert(out.dists.end(), dists.begin() + i * nrays, dists.begin() + (i + 1) * nrays);
    }
    return out;
}

} // namespace cellvit
