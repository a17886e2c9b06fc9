#include "app/cli/segment_overlay.h"

#include <algorithm>
#include <cmath>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <stdexcept>

namespace cellvit::cli {

void addOverlayOptions(QCommandLineParser& parser)
{
    parser.addOption({ QStringLiteral("overlay"),
        QStringLiteral("Overlay image (PNG) of the region with the nuclei outlined in their class "
                       "colours; default DIR/overlay.png."),
        QStringLiteral("PNG") });
    parser.addOption({ QStringLiteral("no-overlay"), QStringLiteral("Do not write the overlay image.") });
}

std::optional<std::filesystem::path> overlayPathFromOptions(
    const QCommandLineParser& parser, const std::filesystem::path& outDir)
{
    if (parser.isSet(QStringLiteral("no-overlay")))
        return std::nullopt;
    if (parser.isSet(QStringLiteral("overlay")))
        return std::filesystem::path(parser.value(QStringLiteral("overlay")).toStdString());
    return outDir / "overlay.png";
}

OverlayInfo writeSegmentOverlay(const std::filesystem::path& png, const SlideSource& slide,
    const RegionOfInterest& region, const std::vector<SlideCell>& cells, const CellTaxonomy& taxonomy, int maxSide)
{
    const SlideLevel& base = slide.levels().front();
    const cv::Rect2d whole(0, 0, static_cast<double>(base.width), static_cast<double>(base.height));
    OverlayInfo info;
    info.level0Area = region.empty() ? whole : (region.boundingBox() & whole);
    if (info.level0Area.area() <= 0)
        throw std::runtime_error(png.string() + ": the region lies outside the slide, no overlay to draw");
    const double longSide = std::max(info.level0Area.width, info.level0Area.height);
    info.downsample = std::max(1.0, longSide / maxSide);
    info.size = cv::Size(std::max(1, static_cast<int>(std::lround(info.level0Area.width / info.downsample))),
        std::max(1, static_cast<int>(std::lround(info.level0Area.height / info.downsample))));

    // Read from the pyramid level closest below the downsample, then resize to the overlay's size.
    const int level = slide.bestLevelForDownsample(info.downsample);
    const double levelDownsample = slide.levels()[static_cast<size_t>(level)].downsample;
    const auto x0 = static_cast<int64_t>(std::floor(info.level0Area.x));
    const auto y0 = static_cast<int64_t>(std::floor(info.level0Area.y));
    const auto w = std::max<int64_t>(1, std::llround(info.level0Area.width / levelDownsample));
    const auto h = std::max<int64_t>(1, std::llround(info.level0Area.height / levelDownsample));
    cv::Mat rgb = slide.readRegion(level, x0, y0, w, h);
    if (rgb.size() != info.size)
        cv::resize(rgb, rgb, info.size, 0, 0, cv::INTER_AREA);
    cv::Mat bgr;
    cv::cvtColor(rgb, bgr, cv::COLOR_RGB2BGR);

    const int thickness = info.downsample > 2 ? 1 : 2;
    std::vector<cv::Point> outline;
    for (const SlideCell& c : cells) {
        if (c.contour.size() < 2)
            continue;
        outline.clear();
        for (const auto& p : c.contour)
            outline.emplace_back(static_cast<int>(std::lround((p.x - x0) / info.downsample)),
                static_cast<int>(std::lround((p.y - y0) / info.downsample)));
        const Rgb colour = taxonomy.classOf(c.type).color;
        cv::polylines(bgr, outline, true, cv::Scalar(colour[2], colour[1], colour[0]), thickness, cv::LINE_AA);
    }
    std::error_code ec;
    if (png.has_parent_path())
        std::filesystem::create_directories(png.parent_path(), ec);
    bool written = false;
    try {
        written = cv::imwrite(png.string(), bgr);
    } catch (const cv::Exception& e) {
        throw std::runtime_error(png.string() + ": cannot write the overlay (" + e.what() + ")");
    }
    if (!written)
        throw std::runtime_error(png.string() + ": cannot write the overlay image");
    return info;
}

} // namespace cellvit::cli
