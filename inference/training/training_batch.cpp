#include "inference/training/training_batch.h"

#include "inference/targets/hv_target.h"
#include "inference/targets/object_probability_target.h"
#include "inference/targets/split_instances.h"
#include "inference/targets/star_distances.h"

#include <opencv2/core.hpp>
#include <torch/torch.h>

namespace cellvit::training {
namespace {

[[noreturn]] void fail(const TrainingSample& sample, const std::string& problem)
{
    throw std::invalid_argument("training sample '" + sample.source + "': " + problem);
}

// Copies a CV_32S / CV_32F / CV_8U map into a 2-D tensor of the same element type.
torch::Tensor matToTensor(const cv::Mat& mat, torch::ScalarType type)
{
    cv::Mat continuous = mat.isContinuous() ? mat : mat.clone();
    return torch::from_blob(continuous.data, { continuous.rows, continuous.cols }, type).clone();
}

torch::Tensor maskTensor(const cv::Mat& mask, int rows, int cols, const TrainingSample& sample, const char* name)
{
    if (mask.empty())
        return torch::ones({ rows, cols });
    if (mask.type() != CV_8UC1 || mask.rows != rows || mask.cols != cols)
        fail(sample, std::string(name) + " must be a CV_8U map of the image's size");
    return matToTensor(mask, torch::kUInt8).gt(0).to(torch::kFloat32);
}

} // namespace

TrainingBatch makeTrainingBatch(
    const std::vector<TrainingSample>& crops, const ModelSpec& spec, const BatchOptions& options)
{
    if (crops.empty())
        throw std::invalid_argument("training batch: no crops");
    const int rows = crops.front().rgb.rows, cols = crops.front().rgb.cols;
    std::vector<torch::Tensor> images, nuclei, hvs, types, segMasks, binaryMasks, typeMasks, untypedMasks;
    std::vector<torch::Tensor> probabilities, rays;
    std::vector<int64_t> tissues;
    const auto mean
        = torch::tensor({ spec.normMean[0], spec.normMean[1], spec.normMean[2] }, torch::kFloat32).view({ 3, 1, 1 });
    const auto stdDev
        = torch::tensor({ spec.normStd[0], spec.normStd[1], spec.normStd[2] }, torch::kFloat32).view({ 3, 1, 1 });
    for (const auto& crop : crops) {
        if (crop.rgb.type() != CV_8UC3 || crop.rgb.rows != rows || crop.rgb.cols != cols)
            fail(crop, "all crops of a batch must be CV_8UC3 images of the same size");
        if (rows % 16 != 0 || cols % 16 != 0)
            fail(crop, "crop sides must be multiples of 16");
        if (crop.instanceMap.type() != CV_32SC1 || crop.instanceMap.size() != crop.rgb.size())
            fail(crop, "instanceMap must be a CV_32S map of the image's size");
        if (crop.typeMap.type() != CV_32SC1 || crop.typeMap.size() != crop.rgb.size())
            fail(crop, "typeMap must be a CV_32S map of the image's size");
        if (crop.tissueClass < 0 || crop.tissueClass >= spec.numTissueClasses)
            fail(crop,
                "tissue class " + std::to_string(crop.tissueClass) + " is outside the model's "
                    + std::to_string(spec.numTissueClasses) + " tissue classes");

        const cv::Mat pixels = crop.rgb.isContinuous() ? crop.rgb : crop.rgb.clone();
        const auto rgb = torch::from_blob(pixels.data, { rows, cols, 3 }, torch::kUInt8).clone();
        images.push_back((rgb.permute({ 2, 0, 1 }).to(torch::kFloat32).div(255.0) - mean) / stdDev);
        const auto instances = matToTensor(crop.instanceMap, torch::kInt32);
        const HvTarget hv = instanceHvTarget(crop.instanceMap);
        hvs.push_back(torch::stack({ matToTensor(hv.x, torch::kFloat32), matToTensor(hv.y, torch::kFloat32) }));
        if (spec.isStarDistFamily()) {
            const cv::Mat pieces = splitDisconnectedInstances(crop.instanceMap);
            probabilities.push_back(matToTensor(instanceObjectProbability(pieces), torch::kFloat32).unsqueeze(0));
            std::vector<torch::Tensor> perRay;
            for (const cv::Mat& ray : starDistances(pieces, spec.nrays))
                perRay.push_back(matToTensor(ray, torch::kFloat32));
            rays.push_back(torch::stack(perRay));
        }
        auto typeIds = matToTensor(crop.typeMap, torch::kInt32).to(torch::kInt64);
        auto typeMask = maskTensor(crop.typeMask, rows, cols, crop, "typeMask");
        const auto segMask = maskTensor(crop.segmentationMask, rows, cols, crop, "segmentationMask");
        auto nucleus = instances.gt(0);
        auto binaryMask = segMask;
        if (options.binaryFromTypes) {
            const auto typedOnly = segMask.eq(0) & typeMask.gt(0);
            nucleus = torch::where(typedOnly, typeIds.gt(0), nucleus);
            binaryMask = binaryMask.masked_fill(typedOnly, 1.0);
        }
        nuclei.push_back(nucleus.to(torch::kInt64));
        auto untyped = torch::zeros_like(segMask);
        if (options.typeBackgroundFromSegmentation) {
            untyped = (segMask.gt(0) & instances.gt(0) & typeMask.eq(0)).to(torch::kFloat32);
            const auto knownBackground = segMask.gt(0) & instances.eq(0) & typeMask.eq(0);
            typeIds = typeIds.masked_fill(knownBackground, 0);
            typeMask = typeMask.masked_fill(knownBackground, 1.0);
        }
        // Unlabelled pixels may carry any id; only labelled ones must fit the model.
        const auto labelledIds = typeIds.masked_select(typeMask.gt(0));
        if (labelledIds.numel() > 0
            && (labelledIds.min().item<int64_t>() < 0 || labelledIds.max().item<int64_t>() >= spec.numNucleiClasses))
            fail(crop, "type ids must lie in 0.." + std::to_string(spec.numNucleiClasses - 1));
        types.push_back(typeIds.clamp(0, spec.numNucleiClasses - 1));
        typeMasks.push_back(typeMask.unsqueeze(0));
        segMasks.push_back(segMask.unsqueeze(0));
        binaryMasks.push_back(binaryMask.unsqueeze(0));
        untypedMasks.push_back(untyped.unsqueeze(0));
        tissues.push_back(crop.tissueClass);
    }
    TrainingBatch batch;
    batch.images = torch::stack(images);
    batch.nucleusLabels = torch::stack(nuclei);
    batch.hv = torch::stack(hvs);
    batch.typeLabels = torch::stack(types);
    batch.segmentationMask = torch::stack(segMasks);
    batch.binaryMask = torch::stack(binaryMasks);
    batch.typeMask = torch::stack(typeMasks);
    batch.untypedNucleusMask = torch::stack(untypedMasks);
    batch.tissueLabels = torch::tensor(tissues, torch::kInt64);
    if (spec.isStarDistFamily()) {
        batch.objectProbability = torch::stack(probabilities);
        batch.rays = torch::stack(rays);
    }
    return batch;
}

} // namespace cellvit::training
