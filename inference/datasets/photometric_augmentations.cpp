#include "inference/datasets/photometric_augmentations.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <opencv2/imgproc.hpp>

namespace cellvit {

cv::Mat downscaledAndBack(const cv::Mat& rgb, double scale)
{
    cv::Mat small, out;
    const cv::Size reduced(
        std::max(1, static_cast<int>(rgb.cols * scale)), std::max(1, static_cast<int>(rgb.rows * scale)));
    cv::resize(rgb, small, reduced, 0, 0, cv::INTER_NEAREST);
    cv::resize(small, out, rgb.size(), 0, 0, cv::INTER_NEAREST);
    return out;
}

cv::Mat randomBoxBlur(const cv::Mat& rgb, std::mt19937_64& rng, int limit)
{
    const int choices = std::max(1, (limit - 3) / 2 + 1); // 3, 5, 7, 9 for limit 10
    const int kernel = 3 + 2 * std::uniform_int_distribution<int>(0, choices - 1)(rng);
    cv::Mat out;
    cv::blur(rgb, out, cv::Size(kernel, kernel), cv::Point(-1, -1), cv::BORDER_REFLECT_101);
    return out;
}

cv::Mat withGaussianNoise(const cv::Mat& rgb, std::mt19937_64& rng, double minVariance, double maxVariance)
{
    const double sigma = std::sqrt(std::uniform_real_distribution<double>(minVariance, maxVariance)(rng));
    cv::Mat noise(rgb.size(), CV_32FC(rgb.channels()));
    cv::RNG local(std::uniform_int_distribution<uint64_t>()(rng));
    local.fill(noise, cv::RNG::NORMAL, 0.0, sigma);
    cv::Mat image;
    rgb.convertTo(image, CV_32F);
    cv::Mat out;
    cv::Mat(image + noise).convertTo(out, CV_8U); // saturating, as albumentations' clip
    return out;
}

namespace {

cv::Mat greyOf(const cv::Mat& rgbFloat)
{
    cv::Mat grey;
    cv::cvtColor(rgbFloat, grey, cv::COLOR_RGB2GRAY);
    return grey;
}

// Blend of the image with `other` (same type): img * f + other * (1 - f), clipped to [0, 255].
cv::Mat blended(const cv::Mat& image, const cv::Mat& other, double f)
{
    cv::Mat out;
    cv::addWeighted(image, f, other, 1.0 - f, 0.0, out);
    cv::min(cv::max(out, 0.0), 255.0, out);
    return out;
}

} // namespace

cv::Mat colorJittered(const cv::Mat& rgb, std::mt19937_64& rng, const ColorJitterRange& range)
{
    auto factor = [&](double spread) {
        return std::uniform_real_distribution<double>(std::max(0.0, 1.0 - spread), 1.0 + spread)(rng);
    };
    const double brightness = factor(range.brightness);
    const double contrast = factor(range.contrast);
    const double saturation = factor(range.saturation);
    const double hue = std::uniform_real_distribution<double>(-range.hue, range.hue)(rng);
    std::array<int, 4> order { 0, 1, 2, 3 };
    std::shuffle(order.begin(), order.end(), rng);

    cv::Mat image;
    rgb.convertTo(image, CV_32F);
    for (int step : order) {
        if (step == 0) {
            image = blended(image, cv::Mat::zeros(image.size(), image.type()), brightness);
        } else if (step == 1) {
            const cv::Scalar mean = cv::mean(greyOf(image));
            image = blended(image, cv::Mat(image.size(), image.type(), cv::Scalar::all(mean[0])), contrast);
        } else if (step == 2) {
            cv::Mat grey3;
            cv::cvtColor(greyOf(image), grey3, cv::COLOR_GRAY2RGB);
            image = blended(image, grey3, saturation);
        } else {
            // Hue rotation by hue * 360 degrees in HSV (float HSV: H in [0, 360)).
            cv::Mat hsv;
            cv::cvtColor(image / 255.0, hsv, cv::COLOR_RGB2HSV);
            std::vector<cv::Mat> channels;
            cv::split(hsv, channels);
            cv::Mat& h = channels[0];
            h += hue * 360.0;
            for (int y = 0; y < h.rows; ++y) {
                float* row = h.ptr<float>(y);
                for (int x = 0; x < h.cols; ++x)
                    row[x] = std::fmod(row[x] + 360.0f, 360.0f);
            }
            cv::merge(channels, hsv);
            cv::cvtColor(hsv, image, cv::COLOR_HSV2RGB);
            image *= 255.0;
        }
    }
    cv::Mat out;
    image.convertTo(out, CV_8U);
    return out;
}

cv::Mat zoomBlurred(const cv::Mat& rgb, std::mt19937_64& rng, double maxFactor)
{
    const double step = std::uniform_real_distribution<double>(0.01, 0.03)(rng);
    cv::Mat image;
    rgb.convertTo(image, CV_32F);
    cv::Mat sum = image.clone();
    int count = 1;
    for (double zoom = 1.0; zoom < maxFactor - 1e-9; zoom += step) {
        // Enlarge by `zoom` and keep the centre (albumentations' central_zoom).
        cv::Mat enlarged;
        const cv::Size grown(
            static_cast<int>(std::ceil(image.cols * zoom)), static_cast<int>(std::ceil(image.rows * zoom)));
        cv::resize(image, enlarged, grown, 0, 0, cv::INTER_LINEAR);
        const int top = (grown.height - image.rows) / 2, left = (grown.width - image.cols) / 2;
        sum += enlarged(cv::Rect(left, top, image.cols, image.rows));
        ++count;
    }
    cv::Mat out;
    cv::Mat(sum / count).convertTo(out, CV_8U);
    return out;
}

cv::Mat hedStainJittered(const cv::Mat& rgb, std::mt19937_64& rng, double sigma)
{
    // Ruifrok-Johnston stain vectors (rows: haematoxylin, eosin, residual DAB), unit length, in RGB order.
    cv::Matx33d stains(0.65, 0.70, 0.29, 0.07, 0.99, 0.11, 0.27, 0.57, 0.78);
    for (int i = 0; i < 3; ++i) {
        const double norm
            = std::sqrt(stains(i, 0) * stains(i, 0) + stains(i, 1) * stains(i, 1) + stains(i, 2) * stains(i, 2));
        for (int j = 0; j < 3; ++j)
            stains(i, j) /= norm;
    }
    std::uniform_real_distribution<double> scale(1.0 - sigma, 1.0 + sigma), shift(-sigma, sigma);
    cv::Matx33d jitter = cv::Matx33d::zeros();
    cv::Vec3d offset;
    for (int i = 0; i < 3; ++i) {
        jitter(i, i) = scale(rng);
        offset[i] = shift(rng);
    }
    // Per pixel (row vectors): od' = ((od * S^-1) * diag(a) + b) * S, one affine map of the optical density.
    const cv::Matx33d linear = stains.t() * jitter * stains.inv().t();
    const cv::Vec3d constant = stains.t() * offset;
    cv::Matx34d affine;
    for (int i = 0; i < 3; ++i) {
        for (int j = 0; j < 3; ++j)
            affine(i, j) = linear(i, j);
        affine(i, 3) = constant[i];
    }
    cv::Mat od;
    rgb.convertTo(od, CV_32F, 1.0 / 256.0, 1.0 / 256.0); // (I + 1) / 256, never 0
    cv::log(od, od);
    od = -od;
    cv::transform(od, od, affine);
    cv::exp(-od, od);
    cv::Mat out;
    od.convertTo(out, CV_8U, 256.0, -1.0); // saturating back to [0, 255]
    return out;
}

} // namespace cellvit
