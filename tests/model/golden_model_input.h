#pragma once
// The golden model inputs (../shared/golden/model/inputs/input_<size>.png), normalised as the network expects.
#include "inference/model/cellvit_model.h"
#include "test_support.h"

#include <ATen/ATen.h>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <filesystem>
#include <stdexcept>
#include <string>

namespace cellvit::test {

// A golden RGB input image, normalised by the model as a patch is.
inline at::Tensor loadGoldenImage(const CellVitModel& model, const std::filesystem::path& path)
{
    cv::Mat bgr = cv::imread(path.string(), cv::IMREAD_COLOR);
    if (bgr.empty())
        throw std::runtime_error("cannot read " + path.string());
    cv::Mat rgb;
    cv::cvtColor(bgr, rgb, cv::COLOR_BGR2RGB);
    return model.normaliseImage(rgb.data, rgb.rows, rgb.cols, static_cast<int64_t>(rgb.step));
}

inline at::Tensor loadGoldenInput(const CellVitModel& model, int size)
{
    return loadGoldenImage(model, goldenDir() / "model" / "inputs" / ("input_" + std::to_string(size) + ".png"));
}

} // namespace cellvit::test
