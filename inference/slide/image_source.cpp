#include "inference/slide/image_source.h"

#include <fstream>
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

namespace cellvit {

namespace {

cv::Mat toEightBit(const cv::Mat& image, const std::filesystem::path& path)
{
    switch (image.depth()) {
    case CV_8U:
        return image;
    case CV_16U: {
        cv::Mat out;
        image.convertTo(out, CV_8U, 1.0 / 257.0); // 65535 → 255
        return out;
    }
    default:
        throw SlideError(path.string() + ": unsupported pixel type (only 8- and 16-bit integer images are read)");
    }
}

bool isJpeg(const std::filesystem::path& path)
{
    char magic[3] = {};
    std::ifstream(path, std::ios::binary).read(magic, sizeof magic);
    return static_cast<uchar>(magic[0]) == 0xFF && static_cast<uchar>(magic[1]) == 0xD8
        && static_cast<uchar>(magic[2]) == 0xFF;
}

cv::Mat compositeOntoWhite(const cv::Mat& bgra)
{
    cv::Mat rgb(bgra.size(), CV_8UC3);
    for (int y = 0; y < bgra.rows; ++y) {
        const auto* in = bgra.ptr<cv::Vec4b>(y);
        auto* out = rgb.ptr<cv::Vec3b>(y);
        for (int x = 0; x < bgra.cols; ++x) {
            const int a = in[x][3];
            for (int c = 0; c < 3; ++c) // BGR in, RGB out
                out[x][c] = static_cast<uchar>((in[x][2 - c] * a + 255 * (255 - a) + 127) / 255);
        }
    }
    return rgb;
}

} // namespace

cv::Mat readImageAsRgb(const std::filesystem::path& path)
{
    cv::Mat raw;
    try {
        // IMREAD_UNCHANGED keeps alpha (composited below rather than dropped); JPEG has no alpha, so it
        // goes through IMREAD_COLOR, which also honours the EXIF orientation.
        raw = cv::imread(path.string(), isJpeg(path) ? cv::IMREAD_COLOR : cv::IMREAD_UNCHANGED);
    } catch (const cv::Exception& e) {
        throw SlideError(path.string() + ": OpenCV cannot decode the image: " + e.what());
    }
    if (raw.empty())
        throw SlideError(path.string() + ": OpenCV cannot decode the image (corrupt, truncated or unsupported)");
    const cv::Mat eightBit = toEightBit(raw, path);
    cv::Mat rgb;
    switch (eightBit.channels()) {
    case 1:
        cv::cvtColor(eightBit, rgb, cv::COLOR_GRAY2RGB);
        break;
    case 3:
        cv::cvtColor(eightBit, rgb, cv::COLOR_BGR2RGB);
        break;
    case 4:
        rgb = compositeOntoWhite(eightBit);
        break;
    default:
        throw SlideError(path.string() + ": unsupported channel count " + std::to_string(eightBit.channels()));
    }
    return rgb;
}

ImageSource::ImageSource(std::filesystem::path path, std::optional<double> mppOverride)
    : m_path(std::move(path))
    , m_mppOverride(mppOverride)
    , m_rgb(readImageAsRgb(m_path))
{
    m_levels.push_back({ m_rgb.cols, m_rgb.rows, 1.0 });
}

cv::Mat ImageSource::readAssociatedImage(const std::string& name) const
{
    throw SlideError(m_path.string() + ": a plain image has no associated image '" + name + "'");
}

cv::Mat ImageSource::readRegion(int level, int64_t x0, int64_t y0, int64_t w, int64_t h) const
{
    checkRegionRequest(level, w, h);
    cv::Mat region(static_cast<int>(h), static_cast<int>(w), CV_8UC3, cv::Scalar(255, 255, 255));
    // Intersection of the request with the image, in image coordinates.
    const int64_t left = std::max<int64_t>(x0, 0), top = std::max<int64_t>(y0, 0);
    const int64_t right = std::min<int64_t>(x0 + w, m_rgb.cols), bottom = std::min<int64_t>(y0 + h, m_rgb.rows);
    if (left < right && top < bottom) {
        const cv::Rect from(int(left), int(top), int(right - left), int(bottom - top));
        const cv::Rect to(int(left - x0), int(top - y0), from.width, from.height);
        m_rgb(from).copyTo(region(to));
    }
    return region;
}

} // namespace cellvit
