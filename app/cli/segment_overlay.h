#pragma once
// DIR/overlay.png of `cellvit-cli segment`: the segmented region (or the whole slide), downsampled so its long
// side is at most 4096 px, with each nucleus outlined in its class colour (the reference colour table).

#include "inference/export/cell_classes.h"
#include "inference/merge/slide_cell.h"
#include "inference/pipeline/region.h"
#include "inference/slide/slide_source.h"

#include <QCommandLineParser>
#include <filesystem>
#include <optional>
#include <vector>

namespace cellvit::cli {

// --overlay PNG and --no-overlay.
void addOverlayOptions(QCommandLineParser& parser);
// Where to write the overlay (default outDir/overlay.png); nullopt with --no-overlay.
std::optional<std::filesystem::path> overlayPathFromOptions(
    const QCommandLineParser& parser, const std::filesystem::path& outDir);

struct OverlayInfo {
    cv::Rect2d level0Area; // the part of the slide shown
    double downsample = 1; // level-0 pixels per overlay pixel
    cv::Size size;
};

// Throws std::runtime_error naming the file when it cannot be written.
OverlayInfo writeSegmentOverlay(const std::filesystem::path& png, const SlideSource& slide,
    const RegionOfInterest& region, const std::vector<SlideCell>& cells, const CellTaxonomy& taxonomy,
    int maxSide = 4096);

} // namespace cellvit::cli
