#pragma once
// Loading the post-processing inputs from .npy files (the exchange format of `cellvit-cli infer-patch` and the
// golden vectors), with errors that name the file and the problem.

#include "model_zoo/cellvit_error.h"
#include "inference/io/npy.h"

#include <filesystem>
#include <opencv2/core/mat.hpp>
#include <stdexcept>
#include <string>

namespace cellvit {

class PostprocInputError : public Error {
public:
    using Error::Error;
};

struct PostprocInputs {
    cv::Mat npArgmax; // CV_8U
    cv::Mat hx, hy; // CV_32F
    cv::Mat typeArgmax; // CV_8U
};

// A class map from either C x H x W float32 probabilities (argmax taken) or an H x W uint8 argmax map.
// `what` names the array in error messages (usually the file name).
cv::Mat classMapFromNpy(const NpyArray& array, const std::string& what);

// Reads NP (2xHxW float32 or HxW uint8), HV (2xHxW float32/float64) and NT (CxHxW float32 or HxW uint8) and
// checks that they agree in size.
PostprocInputs loadPostprocInputs(
    const std::filesystem::path& npPath, const std::filesystem::path& hvPath, const std::filesystem::path& ntPath);

} // namespace cellvit
