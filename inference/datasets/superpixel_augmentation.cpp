#include "inference/datasets/superpixel_augmentation.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <opencv2/imgproc.hpp>
#include <vector>

namespace cellvit {
namespace {

struct Centre {
    double l, a, b, x, y;
};

} // namespace

cv::Mat slicSegments(const cv::Mat& rgb, int segments, double compactness)
{
    cv::Mat rgbFloat, lab;
    rgb.convertTo(rgbFloat, CV_32F, 1.0 / 255.0);
    cv::cvtColor(rgbFloat, lab, cv::COLOR_RGB2Lab); // L 0..100, a/b about -128..127
    const int rows = rgb.rows, cols = rgb.cols;
    const int step = std::max(1, static_cast<int>(std::lround(std::sqrt(double(rows) * cols / std::max(1, segments)))));
    std::vector<Centre> centres;
    for (int y = step / 2; y < rows; y += step)
        for (int x = step / 2; x < cols; x += step) {
            const auto& p = lab.at<cv::Vec3f>(y, x);
            centres.push_back({ p[0], p[1], p[2], double(x), double(y) });
        }
    cv::Mat labels(rgb.size(), CV_32SC1, cv::Scalar(0));
    cv::Mat distance(rgb.size(), CV_64FC1);
    const double spatialWeight = compactness * compactness / (double(step) * step);
    for (int iteration = 0; iteration < 10; ++iteration) {
        distance.setTo(std::numeric_limits<double>::max());
        for (size_t k = 0; k < centres.size(); ++k) {
            const Centre& c = centres[k];
            const int y0 = std::max(0, int(c.y) - step), y1 = std::min(rows - 1, int(c.y) + step);
            const int x0 = std::max(0, int(c.x) - step), x1 = std::min(cols - 1, int(c.x) + step);
            for (int y = y0; y <= y1; ++y) {
                const auto* p = lab.ptr<cv::Vec3f>(y);
                double* d = distance.ptr<double>(y);
                int* label = labels.ptr<int>(y);
                for (int x = x0; x <= x1; ++x) {
                    const double dl = p[x][0] - c.l, da = p[x][1] - c.a, db = p[x][2] - c.b;
                    const double dx = x - c.x, dy = y - c.y;
                    const double value = dl * dl + da * da + db * db + (dx * dx + dy * dy) * spatialWeight;
                    if (value < d[x]) {
                        d[x] = value;
                        label[x] = static_cast<int>(k);
                    }
                }
            }
        }
        std::vector<std::array<double, 6>> sums(centres.size(), { 0, 0, 0, 0, 0, 0 });
        for (int y = 0; y < rows; ++y)
            for (int x = 0; x < cols; ++x) {
                const auto& p = lab.at<cv::Vec3f>(y, x);
                auto& s = sums[static_cast<size_t>(labels.at<int>(y, x))];
                s[0] += p[0], s[1] += p[1], s[2] += p[2], s[3] += x, s[4] += y, s[5] += 1;
            }
        for (size_t k = 0; k < centres.size(); ++k)
            if (const double n = sums[k][5]; n > 0)
                centres[k] = { sums[k][0] / n, sums[k][1] / n, sums[k][2] / n, sums[k][3] / n, sums[k][4] / n };
    }
    return labels;
}

cv::Mat superpixelsReplaced(
    const cv::Mat& rgb, std::mt19937_64& rng, double replaceProbability, int segments, int maxSize)
{
    cv::Mat work = rgb;
    const int longest = std::max(rgb.rows, rgb.cols);
    const bool resized = longest > maxSize;
    if (resized) {
        const double scale = double(maxSize) / longest;
        cv::resize(rgb, work, cv::Size(std::max(1, int(std::lround(rgb.cols * scale))),
                                  std::max(1, int(std::lround(rgb.rows * scale)))),
            0, 0, cv::INTER_LINEAR);
    }
    const cv::Mat labels = slicSegments(work, segments);
    double largest = 0;
    cv::minMaxLoc(labels, nullptr, &largest);
    const int count = static_cast<int>(largest) + 1;
    std::vector<std::array<double, 4>> sums(static_cast<size_t>(count), { 0, 0, 0, 0 });
    for (int y = 0; y < work.rows; ++y)
        for (int x = 0; x < work.cols; ++x) {
            const auto& p = work.at<cv::Vec3b>(y, x);
            auto& s = sums[static_cast<size_t>(labels.at<int>(y, x))];
            s[0] += p[0], s[1] += p[1], s[2] += p[2], s[3] += 1;
        }
    std::bernoulli_distribution replace(replaceProbability);
    std::vector<char> replaced(static_cast<size_t>(count));
    for (auto& r : replaced)
        r = replace(rng) ? 1 : 0;
    cv::Mat out = work.clone();
    for (int y = 0; y < out.rows; ++y)
        for (int x = 0; x < out.cols; ++x) {
            const size_t k = static_cast<size_t>(labels.at<int>(y, x));
            if (replaced[k] && sums[k][3] > 0)
                out.at<cv::Vec3b>(y, x) = cv::Vec3b(cv::saturate_cast<uchar>(sums[k][0] / sums[k][3]),
                    cv::saturate_cast<uchar>(sums[k][1] / sums[k][3]), cv::saturate_cast<uchar>(sums[k][2] / sums[k][3]));
        }
    if (resized) {
        cv::Mat back;
        cv::resize(out, back, rgb.size(), 0, 0, cv::INTER_LINEAR);
        return back;
    }
    return out;
}

} // namespace cellvit
