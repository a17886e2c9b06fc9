#pragma once
// CPP-Net ray refinement (CellViT v1 CellViTCPP.cppnet_refine, after csccsccsccsc/cpp-net SamplingFeatures): each
// ray map is re-sampled at points along its own ray and the candidates are mixed by learned confidences.

#include <torch/nn/modules/conv.h>

#include <vector>

namespace cellvit::model {

// map, dist: B×K×H×W. Channel k of `map` sampled at (row + dist_k·sin φ_k, col + dist_k·cos φ_k), φ_k = 2πk/K,
// nearest neighbour with zero padding, as F.grid_sample(mode="nearest", align_corners=False) after the
// reference's normalisation by (W−1, H−1) (a mismatch with align_corners=False that shifts the samples by up to
// half a pixel; kept, since the weights were trained with it). When map and dist hold rays firstRay … firstRay+K−1
// of totalRays, φ_k is that ray's angle (2π(firstRay+k)/totalRays).
torch::Tensor sampleAlongRays(
    const torch::Tensor& map, const torch::Tensor& dist, int64_t firstRay = 0, int64_t totalRays = 0);

// rays: B×K×H×W head output, features: B×32×H×W stardist-branch features. For each erosion factor e the ray
// lengths base = (rays − 1)·e give sampling points; the K refined candidates (raw, sampled + base for each e) are
// mixed by softmax(conv1(stack of conv0(features) and its samples)) and passed through a ReLU.
// Every ray is refined on its own (the samples of ray k come from map k; conv1 mixes the candidates of one ray), so
// the work runs a few rays at a time: the reference's whole-map intermediates (~60 tensors of B×K×H×W at once, 8 GB
// for one 1024² patch) would otherwise set the peak memory of a run.
torch::Tensor refineRays(const torch::Tensor& rays, const torch::Tensor& features, torch::nn::Conv2dImpl& conv0,
                         torch::nn::Conv2dImpl& conv1, const std::vector<double>& erosionFactors);

} // namespace cellvit::model
