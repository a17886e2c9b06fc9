#include "inference/model/cppnet_refinement.h"

#include <torch/nn/functional/vision.h>
#include <torch/torch.h>

#include <cmath>

namespace cellvit::model {

namespace F = torch::nn::functional;

torch::Tensor sampleAlongRays(const torch::Tensor& map, const torch::Tensor& dist)
{
    const int64_t b = map.size(0), k = map.size(1), h = map.size(2), w = map.size(3);
    // The reference's float32 operations in its order, so that the nearest-neighbour picks are the same.
    const auto angleOptions = torch::TensorOptions().dtype(torch::kFloat32).device(dist.device());
    const torch::Tensor angles = torch::arange(k, angleOptions) / static_cast<double>(k) * M_PI * 2.0;
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
    std::vector<torch::Tensor> candidates { raw }, confidences { confidence };
    for (double erosion : erosionFactors) {
        const torch::Tensor base = (raw - 1.0) * erosion;
        candidates.push_back(sampleAlongRays(raw, base) + base);
        confidences.push_back(sampleAlongRays(confidence, base));
    }
    const torch::Tensor stacked = torch::stack(candidates, 1); // B×C×K×H×W, C = candidates
    const int64_t b = stacked.size(0), c = stacked.size(1), k = stacked.size(2), h = stacked.size(3),
                  w = stacked.size(4);
    torch::Tensor weights = torch::stack(confidences, 1).permute({ 0, 2, 1, 3, 4 }).contiguous().view({ b * k, c, h, w });
    weights = conv1.forward(weights).contiguous().view({ b, k, c, h, w }).permute({ 0, 2, 1, 3, 4 });
    weights = torch::softmax(weights, 1);
    return torch::relu((stacked * weights).sum(1));
}

} // namespace cellvit::model
