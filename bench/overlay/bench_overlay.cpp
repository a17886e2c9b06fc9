// Paint time of the nuclei overlay per frame with many synthetic nuclei at three zoom levels (contours,
// centroid dots, cached raster tiles), panning a little every frame like a user dragging the view.
// Usage: bench_overlay [--cells N] [--frames F] [--width W --height H] [--filled 0|1]. Goal: p95 ≤ 16 ms per frame.
#include "bench/common/bench_arguments.h"
#include "viewer/cell_layer.h"
#include "viewer/cell_overlay_painter.h"
#include "viewer/view_transform.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QGuiApplication>
#include <QImage>
#include <QPainter>
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <random>

using namespace cellvit;

namespace {

std::vector<SlideCell> syntheticNuclei(size_t count, double side)
{
    std::mt19937_64 random(42);
    std::uniform_real_distribution<double> position(0, side), radius(3.5, 8.0), wobble(0.8, 1.2);
    std::uniform_int_distribution<int> type(1, 5);
    std::vector<SlideCell> cells(count);
    for (SlideCell& cell : cells) {
        const double cx = std::round(position(random)), cy = std::round(position(random)), r = radius(random);
        cell.centroid = { cx, cy };
        for (int i = 0; i < 14; ++i) { // ~ the vertex count of a simplified nucleus contour
            const double a = i * 2 * M_PI / 14, rr = r * wobble(random);
            cell.contour.emplace_back(std::round(cx + rr * std::cos(a)), std::round(cy + rr * std::sin(a)));
        }
        cell.cmin = cx - 1.2 * r;
        cell.rmin = cy - 1.2 * r;
        cell.cmax = cx + 1.2 * r + 1;
        cell.rmax = cy + 1.2 * r + 1;
        cell.type = type(random);
        cell.typeProb = 0.9;
    }
    return cells;
}

double percentile(std::vector<double> values, double p)
{
    std::sort(values.begin(), values.end());
    return values[std::min(values.size() - 1, size_t(std::ceil(p * double(values.size()))) - 1)];
}

const char* detailName(OverlayDetail detail)
{
    switch (detail) {
    case OverlayDetail::Outlines:
        return "contours";
    case OverlayDetail::Centroids:
        return "dots";
    case OverlayDetail::Raster:
        return "raster tiles";
    }
    return "?";
}

} // namespace

int main(int argc, char* argv[])
{
    qputenv("QT_QPA_PLATFORM", "offscreen");
    QGuiApplication app(argc, argv); // fonts and raster paint engine
    size_t cellCount = 1000000;
    int frames = 120, width = 1600, height = 1000;
    bool filled = false;
    cellvit::bench::parseArgumentsOrExit(argc, argv, "bench_overlay",
        "bench_overlay [--cells 1000000] [--frames 120] [--width 1600] [--height 1000] [--filled 0|1]",
        [&](const std::string& flag, cellvit::bench::Arguments& arguments) {
            if (flag == "--cells")
                cellCount = static_cast<size_t>(std::max<int64_t>(0, arguments.int64Value()));
            else if (flag == "--frames")
                frames = arguments.intValue();
            else if (flag == "--width")
                width = arguments.intValue();
            else if (flag == "--filled")
                filled = arguments.intValue() != 0;
            else if (flag == "--height")
                height = arguments.intValue();
            else
                return false;
            return true;
        });
    // About 1 nucleus per 1600 px² (a cellular slide at 0.25 µm/px): the side follows the count.
    const double side = std::sqrt(double(cellCount) * 1600.0);
    QElapsedTimer timer;
    timer.start();
    std::vector<SlideCell> cells = syntheticNuclei(cellCount, side);
    const double generateMs = double(timer.nsecsElapsed()) / 1e6;
    CellLayer layer;
    timer.restart();
    layer.setCells(std::move(cells));
    const double indexMs = double(timer.nsecsElapsed()) / 1e6;
    std::printf("%zu synthetic nuclei on a %.0f² px slide (generated in %.0f ms); R-tree bulk load %.0f ms\n",
        cellCount, side, generateMs, indexMs);
    std::printf("viewport %d×%d, %d frames per zoom, panning 23 px per frame\n", width, height, frames);

    QImage frame(width, height, QImage::Format_ARGB32_Premultiplied);
    bool allWithinGoal = true;
    layer.setFilled(filled);
    for (const double downsample : { 1.0, 4.0, 32.0 }) {
        CellOverlayPainter painter;
        ViewTransform transform(QSizeF(side, side), QSizeF(width, height));
        transform.setDownsample(downsample);
        transform.setCenter(QPointF(side / 2, side / 2));
        std::vector<double> times;
        size_t drawn = 0;
        int framesUntilComplete = -1; // raster: frames until no tile is pending
        OverlayDetail detail = OverlayDetail::Outlines;
        double first = 0;
        for (int f = 0; f < frames; ++f) {
            frame.fill(Qt::white);
            QPainter p(&frame);
            timer.restart();
            const OverlayPaintStats stats = painter.paint(p, layer, transform);
            const double ms = double(timer.nsecsElapsed()) / 1e6;
            p.end();
            if (f == 0)
                first = ms;
            times.push_back(ms);
            drawn = std::max(drawn, stats.cellsDrawn);
            if (framesUntilComplete < 0 && stats.rasterTilesPending == 0)
                framesUntilComplete = f + 1;
            detail = stats.detail;
            transform.panBy(QPointF(-23, -11)); // the content moves as when dragging
        }
        const double p95 = percentile(times, 0.95);
        allWithinGoal = allWithinGoal && p95 <= 16.0;
        std::printf(
            "downsample %5.1f (%-12s): up to %7zu nuclei per frame; first %.2f ms, median %.2f ms, p95 %.2f ms, "
            "max %.2f ms %s\n",
            downsample, detailName(detail), drawn, first, percentile(times, 0.5), p95,
            *std::max_element(times.begin(), times.end()), p95 <= 16.0 ? "(≤ 16 ms)" : "(ABOVE 16 ms)");
        if (detail == OverlayDetail::Raster)
            std::printf(
                "    raster tiles built progressively: overlay complete after %d frame(s)\n", framesUntilComplete);
    }
    return allWithinGoal ? 0 : 1;
}
