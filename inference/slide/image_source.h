#pragma once
// A plain image (PNG, JPEG, TIFF, BMP, ... anything OpenCV decodes) seen as a one-level slide.

#include "inference/slide/slide_source.h"

namespace cellvit {

class ImageSource final : public SlideSource {
public:
    // Decodes the whole image now. Throws SlideError when OpenCV cannot decode it.
    explicit ImageSource(std::filesystem::path path, std::optional<double> mppOverride = std::nullopt);

    const std::filesystem::path& path() const override { return m_path; }
    std::string vendor() const override { return "image"; }
    const std::vector<SlideLevel>& levels() const override { return m_levels; }
    // Plain images carry no trustworthy resolution; only the override declares one.
    std::optional<double> mppX() const override { return m_mppOverride; }
    std::optional<double> mppY() const override { return m_mppOverride; }
    std::optional<double> objectivePower() const override { return std::nullopt; }
    const std::map<std::string, std::string>& properties() const override { return m_properties; }
    std::vector<std::string> associatedImageNames() const override { return {}; }
    cv::Mat readAssociatedImage(const std::string& name) const override;
    // Only level 0 exists; pixels outside the image are white.
    cv::Mat readRegion(int level, int64_t x0, int64_t y0, int64_t w, int64_t h) const override;

    const cv::Mat& image() const { return m_rgb; } // the whole image, CV_8UC3 RGB

private:
    std::filesystem::path m_path;
    std::optional<double> m_mppOverride;
    cv::Mat m_rgb;
    std::vector<SlideLevel> m_levels;
    std::map<std::string, std::string> m_properties;
};

// Decodes an image file into CV_8UC3 RGB: grey is expanded, 16-bit scaled to 8-bit, and an alpha
// channel composited onto white (the slide background convention). Throws SlideError.
cv::Mat readImageAsRgb(const std::filesystem::path& path);

} // namespace cellvit
