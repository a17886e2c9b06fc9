#pragma once
// Whole-slide images through the OpenSlide 3.4 C API (Aperio, Hamamatsu, MIRAX, tiled TIFF, ...).

#include "inference/slide/slide_source.h"

struct _openslide; // OpenSlide's opaque handle (openslide_t); its header stays private to this library.

namespace cellvit {

class OpenSlideSource final : public SlideSource {
public:
    // Throws SlideError (naming the file and OpenSlide's reason) when OpenSlide cannot open it.
    explicit OpenSlideSource(std::filesystem::path path, std::optional<double> mppOverride = std::nullopt);
    ~OpenSlideSource() override;

    const std::filesystem::path& path() const override { return m_path; }
    std::string vendor() const override { return m_vendor; }
    const std::vector<SlideLevel>& levels() const override { return m_levels; }
    std::optional<double> mppX() const override;
    std::optional<double> mppY() const override;
    std::optional<double> objectivePower() const override;
    const std::map<std::string, std::string>& properties() const override { return m_properties; }
    std::vector<std::string> associatedImageNames() const override { return m_associatedImageNames; }
    cv::Mat readAssociatedImage(const std::string& name) const override;
    cv::Mat readRegion(int level, int64_t x0, int64_t y0, int64_t w, int64_t h) const override;

private:
    struct HandleCloser {
        void operator()(_openslide* handle) const;
    };

    // OpenSlide's errors are sticky: once set, every later call fails. Checked after each call.
    void throwIfFailed(const char* operation) const;

    std::filesystem::path m_path;
    std::unique_ptr<_openslide, HandleCloser> m_handle;
    std::optional<double> m_mppOverride;
    std::string m_vendor;
    std::vector<SlideLevel> m_levels;
    std::map<std::string, std::string> m_properties;
    std::vector<std::string> m_associatedImageNames;
    cv::Vec3b m_background { 255, 255, 255 }; // RGB
};

} // namespace cellvit
