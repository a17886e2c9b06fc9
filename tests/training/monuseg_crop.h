#pragma once
// A real annotated crop for training tests: MoNuSeg's first training image at 20×, the size² pixels from (64, 64),
// with its instance, type and mask maps cut alike.

#include "inference/datasets/dataset_loader.h"
#include "test_support.h"

#include <opencv2/core.hpp>

namespace cellvit::test {

inline TrainingSample monusegCrop(int size)
{
    TrainingSample crop = loadDataset({ "monuseg", (dataDir() / "monuseg_train_subset").string(), 0.5 }).at(0);
    const cv::Rect box(64, 64, size, size);
    crop.rgb = crop.rgb(box).clone();
    crop.instanceMap = crop.instanceMap(box).clone();
    crop.typeMap = crop.typeMap(box).clone();
    crop.segmentationMask = crop.segmentationMask(box).clone();
    crop.typeMask = crop.typeMask(box).clone();
    return crop;
}

} // namespace cellvit::test
