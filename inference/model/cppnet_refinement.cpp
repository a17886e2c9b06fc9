#include "inference/model/cppnet_refinement.h"

#include <torch/nn/functional/vision.h>
#include <torch/torch.h>

#include <algorithm>
#include <cmath>

namespace cellvit::model {

namespace F = torch::nn::functional;

namespace {

constexpr int64_t kRaysPerChunk = 4;

} // namespace

torch::Tensor sampleAlongRays(const torch::Tensor& map, const torch::Tensor& dist, int64_t firstRay, int64_t totalRays)
{
    const int64_t b = map.size(0), k = map.size(1), h = map.size(2), w = map.size(3);
    if (totalRays <= 0)
        totalRays = k;
    // The reference's float32 operations in its order, so that the nearest-neighbour picks are the same.
    const auto angleOptions = torch::TensorOptions().dtype(torch::kFloat32).device(dist.device());
    const torch::Tensor angles = (torch::arange(totalRays, angleOptions) / static_cast<double>(totalRays) * M_PI * 2.0)
                                     .slice(0, firstRay, firstRay + k);
    const torch::Tensor sinAngles = torch::sin(angles).view({ 1, k, 1, 1 });
    const torch::Tensor cosAngles = torch::cos(angles).view({ 1, k, 1, 1 });
    const torch::Tensor offsetRow = sinAngles * dist;
    const torch::Tensor offsetCol = cosAngles * dist;
    torch::Tensor coords = torch::stack({ offsetCol, offsetRow }, 2); // B×K×2×H×W, (x, y)

    const auto indexOptions = torch::TensorOptions().dtype(torch::kLong).device(dist.device());
    const torch::Tensor x = torch::arange(w, indexOptions).view({ 1, -1 }).expand({ h, -1 });
    const torch::Tensor y = torch::arange(h, indexOptions).view({ -1, 1 }).expand({ -1, w });
    const torch::Tensor grid = torch::stack({ x, y }, 0).to(torch::kFloat32).unsqueeze(0).unsqueeze(0);
    coords = coords + grid;

    const torch::Tensor normalised = torch::stack({ coords.select(2, 0) / (w - 1), coords.select(2, 1) / (h - 1) }, 2)
                                         * 2.0
                                     - 1.0;
    const torch::Tensor samplingGrid = normalised.permute({ 1, 0, 3, 4, 2 }).flatten(0, 1); // (K·B)×H×W×2
    const torch::Tensor planes = map.contiguous().view({ b, k, 1, h, w }).permute({ 1, 0, 2, 3, 4 }).flatten(0, 1);
    const torch::Tensor sampled = F::grid_sample(planes, samplingGrid,
                                                 F::GridSampleFuncOptions()
                                                     .mode(torch::kNearest)
                                                     .padding_mode(torch::kZeros)
                                                     .align_corners(false));
    return sampled.view({ k, b, 1, h, w }).permute({ 1, 0, 2, 3, 4 }).flatten(1, 2);
}

torch::Tensor refineRays(const torch::Tensor& rays, const torch::Tensor& features, torch::nn::Conv2dImpl& conv0,
                         torch::nn::Conv2dImpl& conv1, const std::vector<double>& erosionFactors)
{
    const torch::Tensor raw = rays.contiguous();
    const torch::Tensor confidence = conv0.forward(features).contiguous();
    const int64_t totalRays = raw.size(1);
    std::vector<torch::Tensor> refined;
    for (int64_t first = 0; first < totalRays; first += kRaysPerChunk) {
        const int64_t end = std::min(totalRays, first + kRaysPerChunk);
        const torch::Tensor rawRays = raw.slice(1, first, end).contiguous();
        const torch::Tensor rayConfidence = confidence.slice(1, first, end).contiguous();
        std::vector<torch::Tensor> candidates { rawRays }, confidences { rayConfidence };
        for (double erosion : erosionFactors) {
            const torch::Tensor base = (rawRays - 1.0) * erosion;
            candidates.push_back(sampleAlongRays(rawRays, base, first, totalRays) + base);
            confidences.push_back(sampleAlongRays(rayConfidence, base, first, totalRays));
        }
        const torch::Tensor stacked = torch::stack(candidates, 1); // B×C×k×H×W, C = candidates
        candidates.clear();
        const int64_t b = stacked.size(0), c = stacked.size(1), k = stacked.size(2), h = stacked.size(3),
                      w = stacked.size(4);
        torch::Tensor weights
            = torch::stack(confidences, 1).permute({ 0, 2, 1, 3, 4 }).contiguous().view({ b * k, c, h, w });
        confidences.clear();
        weights = conv1.forward(weights).contiguous().view({ b, k, c, h, w }).permute({ 0, 2, 1, 3, 4 });
        weights = torch::softmax(weights, 1);
        refined.push_back(torch::relu((stacked * weights).sum(1)));
    }
    return torch::cat(refined, 1);
}

} // namespace cellvit::model
