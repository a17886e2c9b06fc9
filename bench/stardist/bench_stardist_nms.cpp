// STARDIST post-processing (NMS + label map + cells) on a 1024 x 1024 patch against the HoVer-Net post-processing of
// a 1024 x 1024 patch, single thread, same run. The STARDIST patch is a 4 x 4 mosaic of a golden case (realistic
// probabilities and rays, golden/stardist/postproc); the HoVer-Net patch is golden/postproc/monuseg_CH5767_1024.
// Usage: bench_stardist_nms [--case NAME] [--repeats N]
#include "bench/common/bench_arguments.h"
#include "inference/io/npy.h"
#include "inference/postproc/postproc_inputs.h"
#include "inference/postproc/postprocess.h"
#include "inference/postproc/stardist_postprocess.h"

#include <algorithm>
#include <opencv2/core.hpp>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

namespace {

using namespace cellvit;
namespace fs = std::filesystem;

struct Maps {
    cv::Mat prob, types;
    std::vector<float> rays;
    int nrays = 0;
};

// The sparse golden inputs as full maps (rays 0 where prob <= 0.5, as the reference was given them).
Maps loadCase(const fs::path& dir)
{
    Maps m;
    const NpyArray prob = readNpy(dir / "inputs" / "dist_map_prob.npy");
    const int rows = static_cast<int>(prob.shape[0]), cols = static_cast<int>(prob.shape[1]);
    m.prob = cv::Mat(rows, cols, CV_32F, const_cast<float*>(prob.data<float>())).clone();
    const NpyArray types = readNpy(dir / "inputs" / "nuclei_type_argmax.npy");
    m.types = cv::Mat(rows, cols, CV_8U, const_cast<uint8_t*>(types.data<uint8_t>())).clone();
    const fs::path refined = dir / "inputs" / "stardist_map_refined_at_pixels.npy";
    const NpyArray pixels = readNpy(dir / "inputs" / "pixels.npy");
    const NpyArray values = readNpy(fs::exists(refined) ? refined : dir / "inputs" / "stardist_map_at_pixels.npy");
    m.nrays = static_cast<int>(values.shape[1]);
    const size_t plane = static_cast<size_t>(rows) * cols;
    m.rays.assign(plane * m.nrays, 0.0f);
    for (int64_t i = 0; i < pixels.shape[0]; ++i) {
        const size_t p = static_cast<size_t>(pixels.data<int32_t>()[2 * i]) * cols + pixels.data<int32_t>()[2 * i + 1];
        for (int k = 0; k < m.nrays; ++k)
            m.rays[k * plane + p] = values.data<float>()[i * m.nrays + k];
    }
    return m;
}

Maps mosaic(const Maps& tile, int size)
{
    Maps m;
    m.nrays = tile.nrays;
    m.prob = cv::Mat(size, size, CV_32F);
    m.types = cv::Mat(size, size, CV_8U);
    const size_t plane = static_cast<size_t>(size) * size, tilePlane = static_cast<size_t>(tile.prob.total());
    m.rays.assign(plane * m.nrays, 0.0f);
    for (int r = 0; r < size; ++r) {
        for (int c = 0; c < size; ++c) {
            const int tr = r % tile.prob.rows, tc = c % tile.prob.cols;
            m.prob.at<float>(r, c) = tile.prob.at<float>(tr, tc);
            m.types.at<uint8_t>(r, c) = tile.types.at<uint8_t>(tr, tc);
            for (int k = 0; k < m.nrays; ++k)
                m.rays[k * plane + static_cast<size_t>(r) * size + c]
                    = tile.rays[k * tilePlane + static_cast<size_t>(tr) * tile.prob.cols + tc];
        }
    }
    return m;
}

template <typename Work>
double medianMilliseconds(int repeats, Work&& work)
{
    std::vector<double> ms;
    for (int i = 0; i < repeats; ++i) {
        const auto t0 = std::chrono::steady_clock::now();
        work();
        ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
    }
    std::sort(ms.begin(), ms.end());
    return ms[ms.size() / 2];
}

} // namespace

int main(int argc, char** argv)
{
    std::string caseName = "stardist_cpm_image08";
    int repeats = 5;
    cellvit::bench::parseArgumentsOrExit(argc, argv, "bench_stardist_nms",
        "bench_stardist_nms [--case stardist_cpm_image08] [--repeats 5]",
        [&](const std::string& flag, cellvit::bench::Arguments& arguments) {
            if (flag == "--case")
                caseName = arguments.value();
            else if (flag == "--repeats")
                repeats = std::max(1, arguments.intValue());
            else
                return false;
            return true;
        });
    const fs::path golden = fs::path(CELLVIT_SHARED_DIR) / "golden";
    const Maps patch = mosaic(loadCase(golden / "stardist" / "postproc" / caseName), 1024);
    size_t cells = 0, survivors = 0;
    const double starDistMs = medianMilliseconds(repeats, [&] {
        const StarDistPostprocResult r = postprocessStarDist(patch.prob, patch.rays.data(), patch.nrays, patch.types);
        cells = r.cells.size();
        survivors = r.detections.points.size();
    });
    const StarDistDetections nmsOnly = starDistNms(patch.prob, patch.rays.data(), patch.nrays);
    const double nmsMs = medianMilliseconds(repeats, [&] { starDistNms(patch.prob, patch.rays.data(), patch.nrays); });
    const int candidates = cv::countNonZero(patch.prob > 0.5f);

    const fs::path hover = golden / "postproc" / "monuseg_CH5767_1024" / "inputs";
    const PostprocInputs in = loadPostprocInputs(hover / "nuclei_binary_argmax.npy", hover / "hv_map.npy",
                                                 hover / "nuclei_type_argmax.npy");
    size_t hoverCells = 0;
    const double hoverMs = medianMilliseconds(repeats, [&] {
        hoverCells = postprocess(in.npArgmax, in.hx, in.hy, in.typeArgmax, PostprocParams::forMagnification(40)).cells.size();
    });
    std::printf("STARDIST 1024² (%s x16): %d candidates, %zu survivors, %zu cells: NMS %.1f ms, whole %.1f ms\n",
                caseName.c_str(), candidates, survivors, cells, nmsMs, starDistMs);
    std::printf("HoVer-Net 1024² (monuseg_CH5767_1024): %zu cells: %.1f ms\n", hoverCells, hoverMs);
    std::printf("median of %d runs, one thread\n", repeats);
    return nmsOnly.points.size() == survivors ? 0 : 1;
}
