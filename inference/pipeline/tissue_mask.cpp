#include "inference/pipeline/tissue_mask.h"

#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>

namespace cellvit {

double TissueMask::tissueFraction(const cv::Rect2d& level0Rect) const
{
    if (mask.empty())
        return 0.0;
    const cv::Rect2d scaled(level0Rect.x / downsample, level0Rect.y / downsample, level0Rect.width / downsample,
                            level0Rect.height / downsample);
    const cv::Rect cells(static_cast<int>(std::floor(scaled.x)), static_cast<int>(std::floor(scaled.y)),
                         std::max(1, static_cast<int>(std::ceil(scaled.x + scaled.width) - std::floor(scaled.x))),
                         std::max(1, static_cast<int>(std::ceil(scaled.y + scaled.height) - std::floor(scaled.y))));
    const cv::Rect inside = cells & cv::Rect(0, 0, mask.cols, mask.rows);
    if (inside.area() == 0)
        return 0.0;
    // Over the part the image covers: a 256² tile in a 2048² patch footprint is all tissue, not 1.6 % of it.
    return static_cast<double>(cv::countNonZero(mask(inside))) / inside.area();
}

TissueMask computeTissueMask(const SlideSource& slide, int maxSide)
{
    const auto& level0 = slide.levels().front();
    const double wanted = std::max(1.0, static_cast<double>(std::max(level0.width, level0.height)) / maxSide);
    const int level = slide.bestLevelForDownsample(wanted);
    const auto& lv = slide.levels()[static_cast<size_t>(level)];
    // Read the chosen level in strips so a huge level never needs one giant request.
    const cv::Size target(std::max<int>(1, static_cast<int>(std::lround(level0.width / wanted))),
                          std::max<int>(1, static_cast<int>(std::lround(level0.height / wanted))));
    cv::Mat thumb(target, CV_8UC3);
    const int64_t stripLevelRows = std::max<int64_t>(1, (int64_t { 1 } << 24) / std::max<int64_t>(1, lv.width));
    for (int64_t y = 0; y < lv.height; y += stripLevelRows) {
        const int64_t rows = std::min(stripLevelRows, lv.height - y);
        cv::Mat strip = slide.readRegion(level, 0, static_cast<int64_t>(std::llround(y * lv.downsample)), lv.width, rows);
        const int y0 = static_cast<int>(std::lround(y * lv.downsample / wanted));
        const int y1 = std::min(target.height, static_cast<int>(std::lround((y + rows) * lv.downsample / wanted)));
        if (y1 <= y0)
            continue;
        cv::Mat resized;
        cv::resize(strip, resized, cv::Size(target.width, y1 - y0), 0, 0, cv::INTER_AREA);
        resized.copyTo(thumb.rowRange(y0, y1));
    }

    cv::Mat hsv;
    cv::cvtColor(thumb, hsv, cv::COLOR_RGB2HSV);
    std::vector<cv::Mat> channels;
    cv::split(hsv, channels);
    cv::Mat saturation;
    cv::medianBlur(channels[1], saturation, 5);
    cv::Mat tissue;
    const double otsu = cv::threshold(saturation, tissue, 0, 255, cv::THRESH_BINARY | cv::THRESH_OTSU);
    // A slide that is almost all tissue (or all glass) has no bimodal histogram; keep a floor so faint
    // glass (S <= 10 in the reference's rule) never counts as tissue.
    if (otsu < 10)
        cv::threshold(saturation, tissue, 10, 255, cv::THRESH_BINARY);
    cv::Mat dark;
    cv::threshold(channels[2], dark, 85, 255, cv::THRESH_BINARY); // 255 where V > 85
    cv::bitwise_and(tissue, dark, tissue);
    const cv::Mat kernel = cv::getStructuringElement(cv::MORPH_ELLIPSE, cv::Size(7, 7));
    cv::morphologyEx(tissue, tissue, cv::MORPH_CLOSE, kernel);

    TissueMask result;
    result.mask = tissue;
    result.downsample = static_cast<double>(level0.width) / target.width;
    return result;
}

} // namespace cellvit
