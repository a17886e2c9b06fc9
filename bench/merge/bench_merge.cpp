// Merge throughput on a synthetic slide: a 10x10 grid of 1024 patches (overlap 64) over a lattice of ~100k
// nuclei (16-gon, radius 9 px, spacing 30 px). Each patch "predicts" the nuclei that touch it, clipped to the
// patch. Reports cells/s and the peak resident memory for both merge modes.
//   bench_merge [rows cols spacing]

#include "inference/merge/slide_cell_merger.h"

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <opencv2/imgproc.hpp>
#include <sys/resource.h>

using namespace cellvit;

namespace {

std::vector<Cell> patchCells(const PatchGrid& grid, PatchIndex patch, int spacing)
{
    constexpr int kRadius = 9;
    const cv::Point origin = grid.patchOriginInLevel(patch);
    std::vector<Cell> cells;
    const int firstY = std::max(0, (origin.y - kRadius) / spacing),
              firstX = std::max(0, (origin.x - kRadius) / spacing);
    for (int gy = firstY; gy * spacing - kRadius < origin.y + grid.patchSize; ++gy) {
        for (int gx = firstX; gx * spacing - kRadius < origin.x + grid.patchSize; ++gx) {
            const int cx = gx * spacing + spacing / 2 - origin.x, cy = gy * spacing + spacing / 2 - origin.y;
            if (cx + kRadius < 0 || cy + kRadius < 0 || cx - kRadius >= grid.patchSize
                || cy - kRadius >= grid.patchSize)
                continue;
            Cell c;
            c.id = static_cast<int>(cells.size()) + 1;
            c.type = 1 + (gx + gy) % 5;
            c.typeProb = 0.9;
            for (int k = 0; k < 16; ++k) {
                const double a = k * 2.0 * M_PI / 16.0;
                const int x
                    = std::clamp(static_cast<int>(std::lround(cx + kRadius * std::cos(a))), 0, grid.patchSize - 1);
                const int y
                    = std::clamp(static_cast<int>(std::lround(cy + kRadius * std::sin(a))), 0, grid.patchSize - 1);
                if (c.contour.empty() || c.contour.back() != cv::Point(x, y))
                    c.contour.emplace_back(x, y);
            }
            const cv::Rect box = cv::boundingRect(c.contour);
            c.rmin = box.y, c.cmin = box.x, c.rmax = box.y + box.height, c.cmax = box.x + box.width;
            c.centroid = { box.x + (box.width - 1) / 2.0, box.y + (box.height - 1) / 2.0 };
            if (c.contour.size() >= 3)
                cells.push_back(std::move(c));
        }
    }
    return cells;
}

long peakRssMiB()
{
    rusage usage {};
    getrusage(RUSAGE_SELF, &usage);
    return usage.ru_maxrss / 1024;
}

void run(MergeMode mode, int rows, int cols, int spacing)
{
    const PatchGrid grid;
    size_t out = 0;
    SlideCellMerger merger(grid, mode, [&out](SlideCell&&) { ++out; });
    double seconds = 0.0;
    for (int r = 0; r < rows; ++r) {
        for (int c = 0; c < cols; ++c) {
            const std::vector<Cell> cells = patchCells(grid, { r, c }, spacing);
            const auto t0 = std::chrono::steady_clock::now();
            merger.addPatch({ r, c }, cells);
            seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        }
    }
    const auto t0 = std::chrono::steady_clock::now();
    merger.finish();
    const double finishSeconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    seconds += finishSeconds;
    const MergeStats& s = merger.stats();
    std::printf("%-9s cells in %zu (margin %zu, held at most %zu), out %zu: %.3f s (finish %.3f s), %.0f cells/s, "
                "peak RSS %ld MiB\n",
        mode == MergeMode::Reference ? "reference" : "complete", s.cellsIn, s.marginCells, s.peakHeldCells, out,
        seconds, finishSeconds, s.cellsIn / seconds, peakRssMiB());
}

} // namespace

int main(int argc, char** argv)
{
    const int rows = argc > 1 ? std::atoi(argv[1]) : 10;
    const int cols = argc > 2 ? std::atoi(argv[2]) : 10;
    const int spacing = argc > 3 ? std::atoi(argv[3]) : 30;
    if (rows <= 0 || cols <= 0 || spacing < 20) {
        std::fprintf(stderr, "usage: bench_merge [rows>0 cols>0 spacing>=20]\n");
        return 2;
    }
    const int lattice = (rows * 960 + 64) / spacing;
    std::printf("grid %dx%d patches, lattice spacing %d px (~%d nuclei)\n", rows, cols, spacing,
        lattice * ((cols * 960 + 64) / spacing));
    run(MergeMode::Complete, rows, cols, spacing);
    run(MergeMode::Reference, rows, cols, spacing);
    return 0;
}
