#pragma once
// One interface over whole-slide images (OpenSlide) and plain images (OpenCV, one level).

#include "model_zoo/cellvit_error.h"
#include <opencv2/core/mat.hpp>

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace cellvit {

// Any problem opening or reading a slide; the message names the file and the reason.
class SlideError : public Error {
public:
    using Error::Error;
};

struct SlideLevel {
    int64_t width = 0;
    int64_t height = 0;
    double downsample = 1.0; // relative to level 0
};

class SlideSource {
public:
    virtual ~SlideSource() = default;

    virtual const std::filesystem::path& path() const = 0;
    virtual std::string vendor() const = 0; // "aperio", ..., "image" for plain images
    virtual const std::vector<SlideLevel>& levels() const = 0;
    virtual std::optional<double> mppX() const = 0; // µm per level-0 pixel, if known or overridden
    virtual std::optional<double> mppY() const = 0;
    virtual std::optional<double> objectivePower() const = 0;
    virtual const std::map<std::string, std::string>& properties() const = 0;
    virtual std::vector<std::string> associatedImageNames() const = 0;
    virtual cv::Mat readAssociatedImage(const std::string& name) const = 0; // CV_8UC3 RGB

    // Region of w×h pixels of `level`, top-left (x0, y0) in level-0 coordinates (OpenSlide's
    // convention). Returns CV_8UC3 RGB, transparent pixels composited onto the slide background
    // (white unless the slide declares one). Areas outside the slide are background. Thread-safe.
    virtual cv::Mat readRegion(int level, int64_t x0, int64_t y0, int64_t w, int64_t h) const = 0;

    // Level whose downsample is the largest not exceeding `downsample` (OpenSlide's rule).
    int bestLevelForDownsample(double downsample) const;

    // Largest region one readRegion call accepts (w·h pixels, 768 MiB of RGB); more is a caller bug.
    static constexpr int64_t kMaxRegionPixels = int64_t(1) << 28;

protected:
    // Throws SlideError for a level that does not exist or an empty or absurdly large region.
    void checkRegionRequest(int level, int64_t w, int64_t h) const;
};

struct SlideOpenOptions {
    std::optional<double> mppOverride; // declares the resolution (plain images) or overrides the file's
};

// Opens any OpenSlide format, or PNG/JPEG/TIFF/BMP through OpenCV as a one-level slide.
std::unique_ptr<SlideSource> openSlide(const std::filesystem::path& path, const SlideOpenOptions& options = {});

// The reference's resolution order (cellvit-facts §2.6): override, `openslide.mpp-x`, `MPP = x` in
// `openslide.comment`; a generic TIFF's tiff.XResolution/ResolutionUnit is used after those.
// Throws SlideError when none is known or mpp > 0.75 (too coarse for nuclei).
double resolveMpp(const SlideSource& slide, std::optional<double> overrideMpp = std::nullopt);

} // namespace cellvit
