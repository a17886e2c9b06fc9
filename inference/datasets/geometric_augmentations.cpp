#include "inference/datasets/geometric_augmentations.h"

#include "inference/datasets/label_transforms.h"

#include <opencv2/imgproc.hpp>

namespace cellvit {
namespace {

int interpolationFor(bool isImage)
{
    return isImage ? cv::INTER_LINEAR : cv::INTER_NEAREST;
}

} // namespace

TrainingSample rotated90(const TrainingSample& sample, int k)
{
    const int turns = ((k % 4) + 4) % 4;
    if (turns == 0)
        return sample;
    const int code = turns == 1 ? cv::ROTATE_90_COUNTERCLOCKWISE
        : turns == 2            ? cv::ROTATE_180
                                : cv::ROTATE_90_CLOCKWISE;
    return transformedPlanes(sample, [code](const cv::Mat& plane, bool) {
        cv::Mat out;
        cv::rotate(plane, out, code);
        return out;
    });
}

TrainingSample flippedHorizontally(const TrainingSample& sample)
{
    return transformedPlanes(sample, [](const cv::Mat& plane, bool) {
        cv::Mat out;
        cv::flip(plane, out, 1);
        return out;
    });
}

TrainingSample flippedVertically(const TrainingSample& sample)
{
    return transformedPlanes(sample, [](const cv::Mat& plane, bool) {
        cv::Mat out;
        cv::flip(plane, out, 0);
        return out;
    });
}

TrainingSample randomSizedCrop(const TrainingSample& sample, std::mt19937_64& rng)
{
    const cv::Size size = sample.rgb.size();
    const int limit = std::min(size.width, size.height);
    const int side = std::uniform_int_distribution<int>(std::max(1, limit / 2), limit)(rng);
    const int x = std::uniform_int_distribution<int>(0, size.width - side)(rng);
    const int y = std::uniform_int_distribution<int>(0, size.height - side)(rng);
    const cv::Rect window(x, y, side, side);
    return transformedPlanes(sample, [&](const cv::Mat& plane, bool isImage) {
        cv::Mat out;
        cv::resize(plane(window), out, size, 0, 0, interpolationFor(isImage));
        return out;
    });
}

TrainingSample remapped(const TrainingSample& sample, const cv::Mat& mapX, const cv::Mat& mapY)
{
    return transformedPlanes(sample, [&](const cv::Mat& plane, bool isImage) {
        cv::Mat out;
        // The image reflects at the border (as albumentations); labels and masks get 0 = unlabelled there.
        cv::remap(plane, out, mapX, mapY, interpolationFor(isImage),
            isImage ? cv::BORDER_REFLECT_101 : cv::BORDER_CONSTANT, cv::Scalar::all(0));
        return out;
    });
}

TrainingSample elasticTransformed(const TrainingSample& sample, std::mt19937_64& rng, const ElasticParameters& p)
{
    const int width = sample.rgb.cols, height = sample.rgb.rows;
    // Affine part, as albumentations: anchors around the centre, each moved by up to ±alphaAffine.
    const float cx = static_cast<float>(width / 2), cy = static_cast<float>(height / 2);
    const float square = static_cast<float>(std::min(width, height) / 3);
    const cv::Point2f from[3]
        = { { cx + square, cy + square }, { cx + square, cy - square }, { cx - square, cy - square } };
    std::uniform_real_distribution<float> shift(static_cast<float>(-p.alphaAffine), static_cast<float>(p.alphaAffine));
    cv::Point2f to[3];
    for (int k = 0; k < 3; ++k)
        to[k] = from[k] + cv::Point2f(shift(rng), shift(rng));
    // Inverse affine: for each output pixel, where it comes from.
    const cv::Mat inverse = cv::getAffineTransform(to, from);

    // Smooth displacement: uniform noise in [-1, 1] blurred with sigma, times alpha.
    auto displacement = [&]() {
        cv::Mat noise(height, width, CV_32F);
        std::uniform_int_distribution<uint64_t> seed;
        cv::RNG local(seed(rng));
        local.fill(noise, cv::RNG::UNIFORM, -1.0f, 1.0f);
        cv::GaussianBlur(noise, noise, cv::Size(0, 0), p.sigma, p.sigma, cv::BORDER_REFLECT);
        return cv::Mat(noise * p.alpha);
    };
    const cv::Mat dx = displacement(), dy = displacement();

    cv::Mat mapX(height, width, CV_32F), mapY(height, width, CV_32F);
    const double* m = inverse.ptr<double>(0);
    for (int y = 0; y < height; ++y) {
        float* mx = mapX.ptr<float>(y);
        float* my = mapY.ptr<float>(y);
        const float* ddx = dx.ptr<float>(y);
        const float* ddy = dy.ptr<float>(y);
        for (int x = 0; x < width; ++x) {
            // Elastic displacement applied on top of the affine warp (albumentations warps, then displaces).
            const double sx = x + ddx[x], sy = y + ddy[x];
            mx[x] = static_cast<float>(m[0] * sx + m[1] * sy + m[2]);
            my[x] = static_cast<float>(m[3] * sx + m[4] * sy + m[5]);
        }
    }
    return remapped(sample, mapX, mapY);
}

} // namespace cellvit
