#include "inference/datasets/random_crop.h"

#include "inference/datasets/label_transforms.h"

#include <stdexcept>

namespace cellvit {
namespace {

cv::Mat windowOf(const cv::Mat& plane, int size, cv::Point offset)
{
    cv::Mat out = cv::Mat::zeros(size, size, plane.type());
    const cv::Rect window(offset, cv::Size(size, size));
    const cv::Rect inside = window & cv::Rect(0, 0, plane.cols, plane.rows);
    if (inside.area() > 0)
        plane(inside).copyTo(out(inside - offset));
    return out;
}

int randomOffset(int extent, int size, std::mt19937_64& rng)
{
    // Larger image: the window's start within it; smaller image: the image's start within the window
    // (a negative window offset).
    const int slack = extent - size;
    std::uniform_int_distribution<int> pick(0, std::abs(slack));
    return slack >= 0 ? pick(rng) : -pick(rng);
}

} // namespace

TrainingSample paddedCropAt(const TrainingSample& sample, int size, cv::Point offset)
{
    if (size <= 0)
        throw std::invalid_argument(sample.source + ": crop size must be positive, got " + std::to_string(size));
    return transformedPlanes(sample, [&](const cv::Mat& plane, bool) { return windowOf(plane, size, offset); });
}

TrainingSample randomPaddedCrop(const TrainingSample& sample, int size, std::mt19937_64& rng)
{
    if (sample.rgb.empty())
        throw std::invalid_argument(sample.source + ": cannot crop an empty sample");
    const int x = randomOffset(sample.rgb.cols, size, rng);
    const int y = randomOffset(sample.rgb.rows, size, rng);
    return paddedCropAt(sample, size, { x, y });
}

} // namespace cellvit
