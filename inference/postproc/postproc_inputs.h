#pragma once
// Loading the post-processing inputs from .npy files (the exchange format of `cellvit-cli infer-patch` and the
// golden vectors), with errors that name the file and the problem.

#include "model_zoo/cellvit_error.h"
#include "inference/io/npy.h"

#include <filesystem>
#include <opencv2/core/mat.hpp>
#include <stdexcept>
#include <string>
#include <vector>

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

struct StarDistInputs {
    cv::Mat prob; // CV_32F object probabilities (after the sigmoid)
    std::vector<float> rays; // nrays × H × W
    int nrays = 0;
    cv::Mat typeArgmax; // CV_8U
};

// A class map from either C x H x W float32 probabilities (argmax taken) or an H x W uint8 argmax map.
// `what` names the array in error messages (usually the file name).
cv::Mat classMapFromNpy(const NpyArray& array, const std::string& what);

// Reads NP (2xHxW float32 or HxW uint8), HV (2xHxW float32/float64) and NT (CxHxW float32 or HxW uint8) and
// checks that they agree in size.
PostprocInputs loadPostprocInputs(
    const std::filesystem::path& npPath, const std::filesystem::path& hvPath, const std::filesystem::path& ntPath);

// Reads the STARDIST / CPP-Net inputs: probability H×W float32 (a leading 1×1 or 1 is accepted), rays nrays×H×W
// float32 (or 1×nrays×H×W) and NT as for loadPostprocInputs; checks that they agree in size.
StarDistInputs loadStarDistInputs(
    const std::filesystem::path& probPath, const std::filesystem::path& raysPath, const std::filesystem::path& ntPath);

} // namespace cellvit
