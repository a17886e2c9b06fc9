// Post-processing speed on 1024 x 1024 patches: C++ (single thread, thread pool) vs the Python reference
// (reference_postproc.py: scipy + skimage + cv2) timed on the same maps in the same run. Usage: README.md.
#include "bench/common/bench_arguments.h"
#include "inference/io/npy.h"
#include "inference/postproc/cell_extraction.h"
#include "inference/postproc/foreground_mask.h"
#include "inference/postproc/hv_edge_map.h"
#include "inference/postproc/marker_watershed.h"
#include "inference/postproc/postproc_inputs.h"
#include "inference/postproc/postprocess.h"
#include "inference/postproc/watershed_inputs.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <functional>
#include <iostream>
#include <nlohmann/json.hpp>
#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>
#include <string>
#include <thread>
#include <time.h>
#include <unistd.h>
#include <vector>

namespace {

using namespace cellvit;
namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

double median(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    return v.empty() ? 0.0 : v[v.size() / 2];
}

double minimum(const std::vector<double>& v)
{
    return v.empty() ? 0.0 : *std::min_element(v.begin(), v.end());
}

double millisecondsOf(const std::function<void()>& work)
{
    const auto t0 = Clock::now();
    work();
    return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
}

// CPU time of the calling thread: on a shared machine under load, wall time mostly measures the other jobs.
double threadCpuMilliseconds()
{
    timespec t {};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return t.tv_sec * 1e3 + t.tv_nsec * 1e-6;
}

struct Patch {
    std::string name;
    PostprocInputs maps;
    fs::path npPath, hvPath, ntPath; // the same maps on disk, for the Python reference
};

// Every second pixel of m from (phaseRow, phaseCol): a 2x nearest-neighbour downscale.
cv::Mat subsample(const cv::Mat& m, int phaseRow, int phaseCol)
{
    cv::Mat out(m.rows / 2, m.cols / 2, m.type());
    const size_t pixelBytes = m.elemSize();
    for (int r = 0; r < out.rows; ++r)
        for (int c = 0; c < out.cols; ++c)
            std::memcpy(out.ptr(r, c), m.ptr(2 * r + phaseRow, 2 * c + phaseCol), pixelBytes);
    return out;
}

// ~1100 nuclei on 1024 x 1024: the golden 1024 maps downscaled 2x (nearest: labels and HV ramps stay
// consistent) with a different sampling phase per quadrant, and mirrored 2 x 2 (a horizontal mirror negates
// the x ramp, a vertical one the y ramp). The phases keep the quadrants from being exact copies, which would
// create tied watershed keys that real maps do not have.
PostprocInputs denseMosaic(const PostprocInputs& in)
{
    const auto mosaic = [](const cv::Mat& m, double signX, double signY) {
        cv::Mat flippedX, flippedY, flippedXY, top, bottom, out;
        cv::flip(subsample(m, 0, 1), flippedX, 1);
        cv::flip(subsample(m, 1, 0), flippedY, 0);
        cv::flip(subsample(m, 1, 1), flippedXY, -1);
        cv::hconcat(subsample(m, 0, 0), flippedX * signX, top);
        cv::hconcat(flippedY * signY, flippedXY * (signX * signY), bottom);
        cv::vconcat(top, bottom, out);
        return out;
    };
    PostprocInputs out;
    out.npArgmax = mosaic(in.npArgmax, 1, 1);
    out.typeArgmax = mosaic(in.typeArgmax, 1, 1);
    out.hx = mosaic(in.hx, -1, 1);
    out.hy = mosaic(in.hy, 1, -1);
    return out;
}

void writeMaps(const Patch& p)
{
    const cv::Mat& np = p.maps.npArgmax;
    writeNpy(p.npPath, { np.rows, np.cols }, p.maps.npArgmax.ptr<uint8_t>());
    writeNpy(p.ntPath, { np.rows, np.cols }, p.maps.typeArgmax.ptr<uint8_t>());
    cv::Mat hv;
    cv::vconcat(p.maps.hx, p.maps.hy, hv);
    writeNpy(p.hvPath, { 2, np.rows, np.cols }, hv.ptr<float>());
}

// Median time per stage (on `threads` threads), to show where the time goes. The stages as segmentInstances runs them:
// the edge map only as the marker seeds and the landscape's input, scratch buffers kept between repeats.
nlohmann::json stageTimes(const PostprocInputs& in, const PostprocParams& params, int repeats, int threads)
{
    // The watershed blurs the landscape itself, where it needs it (markerWatershedCompactFromDistance).
    std::vector<std::string> names { "foreground", "hv_edge_map+seeds+dist", "markers", "watershed+landscape+boxes",
        "cells" };
    std::vector<std::vector<double>> times(names.size());
    cv::Mat fg, seeds, dist, instances;
    ComponentLabels blobs, markers;
    HvEdgeScratch edgeScratch;
    MarkerScratch markerScratch;
    WatershedScratch watershedScratch;
    for (int i = 0; i < repeats; ++i) {
        times[0].push_back(millisecondsOf([&] { foregroundMask(in.npArgmax, params.minBlobSize, fg, blobs); }));
        times[1].push_back(millisecondsOf([&] {
            hvEdgeSeedsAndDistance(
                in.hx, in.hy, fg, params.sobelKernel, params.markerThreshold, seeds, dist, edgeScratch, threads);
        }));
        times[2].push_back(
            millisecondsOf([&] { markersFromSeeds(seeds, params.minMarkerSize, markers, markerScratch); }));
        std::vector<int> rawOfNew;
        std::vector<InstanceBox> boxes;
        times[3].push_back(millisecondsOf([&] {
            instances = markerWatershedCompactFromDistance(
                dist, markers.labels, fg, watershedScratch, rawOfNew, &blobs, &boxes, threads);
        }));
        times[4].push_back(millisecondsOf([&] { extractCells(instances, in.typeArgmax, boxes, threads); }));
    }
    nlohmann::json out;
    for (size_t s = 0; s < names.size(); ++s)
        out[names[s]] = median(times[s]);
    return out;
}

// remap: "official" (the official per-instance renumbering loop) or "lut".
nlohmann::json runPython(const Patch& p, int magnification, int repeats, const std::string& remap)
{
    const std::string command = std::string("/usr/bin/python3 ") + CELLVIT_BENCH_REFERENCE_SCRIPT + " --np "
        + p.npPath.string() + " --hv " + p.hvPath.string() + " --nt " + p.ntPath.string() + " --magnification "
        + std::to_string(magnification) + " --repeat " + std::to_string(repeats) + " --remap " + remap + " 2>&1";
    FILE* pipe = popen(command.c_str(), "r");
    if (!pipe)
        return nullptr;
    std::string last, line;
    char buffer[4096];
    while (fgets(buffer, sizeof buffer, pipe)) {
        line += buffer;
        if (!line.empty() && line.back() == '\n') {
            if (line.size() > 1)
                last = line;
            line.clear();
        }
    }
    const int status = pclose(pipe);
    if (status != 0 || last.empty() || last[0] != '{') {
        std::cerr << "reference_postproc.py failed (install python3-scipy python3-skimage python3-opencv): " << last
                  << line << std::endl;
        return nullptr;
    }
    return nlohmann::json::parse(last);
}

} // namespace

int main(int argc, char** argv)
{
    int repeats = 20, pythonRepeats = 5, magnification = 40;
    int poolThreads = std::max(2u, std::thread::hardware_concurrency());
    bool withPython = true;
    cellvit::bench::parseArgumentsOrExit(argc, argv, "bench_postproc",
        "bench_postproc [--repeats N] [--python-repeats N] [--threads N] [--magnification 40|20] [--no-python]",
        [&](const std::string& a, cellvit::bench::Arguments& arguments) {
            if (a == "--repeats")
                repeats = std::max(1, arguments.intValue());
            else if (a == "--python-repeats")
                pythonRepeats = std::max(1, arguments.intValue());
            else if (a == "--threads")
                poolThreads = std::max(1, arguments.intValue());
            else if (a == "--magnification")
                magnification = arguments.intValue();
            else if (a == "--no-python")
                withPython = false;
            else
                return false;
            return true;
        });
    const PostprocParams params = PostprocParams::forMagnification(magnification);

    const fs::path golden = fs::path(CELLVIT_SHARED_DIR) / "golden" / "postproc" / "monuseg_CH5767_1024" / "inputs";
    const fs::path work = fs::temp_directory_path() / ("bench_postproc_" + std::to_string(::getpid()));
    fs::create_directories(work);
    std::vector<Patch> patches;
    patches.push_back({ "monuseg_CH5767_1024 (real maps)",
        loadPostprocInputs(
            golden / "nuclei_binary_argmax.npy", golden / "hv_map.npy", golden / "nuclei_type_argmax.npy"),
        golden / "nuclei_binary_argmax.npy", golden / "hv_map.npy", golden / "nuclei_type_argmax.npy" });
    patches.push_back({ "dense mosaic (1024 case downscaled 2x at 4 phases, mirrored 2x2)",
        denseMosaic(patches[0].maps), work / "np.npy", work / "hv.npy", work / "nt.npy" });
    writeMaps(patches[1]);

    nlohmann::json report = nlohmann::json::array();
    for (const Patch& p : patches) {
        const PostprocInputs& in = p.maps;
        const auto runOnce
            = [&](int threads) { return postprocess(in.npArgmax, in.hx, in.hy, in.typeArgmax, params, threads); };
        const PostprocResult result = runOnce(1);
        const double cells = static_cast<double>(result.cells.size());

        cv::setNumThreads(1); // single-threaded: no OpenCV workers either
        runOnce(1);
        std::vector<double> single, singleCpu, pooled;
        for (int i = 0; i < repeats; ++i) {
            const double cpu0 = threadCpuMilliseconds();
            single.push_back(millisecondsOf([&] { runOnce(1); }));
            singleCpu.push_back(threadCpuMilliseconds() - cpu0);
        }
        const nlohmann::json stages = stageTimes(in, params, repeats, 1);
        cv::setNumThreads(-1);
        for (int i = 0; i < repeats; ++i)
            pooled.push_back(millisecondsOf([&] { runOnce(poolThreads); }));
        const nlohmann::json poolStages = stageTimes(in, params, repeats, poolThreads);

        nlohmann::json entry { { "patch", p.name },
            { "size", std::to_string(in.npArgmax.cols) + "x" + std::to_string(in.npArgmax.rows) },
            { "magnification", magnification }, { "instances", result.rawLabels.size() },
            { "cells", result.cells.size() }, { "cpp_single_ms", median(single) },
            { "cpp_single_min_ms", minimum(single) }, { "cpp_single_cpu_ms", median(singleCpu) },
            { "cpp_single_cpu_min_ms", minimum(singleCpu) },
            { "cpp_single_cells_per_s", cells / median(single) * 1000.0 }, { "cpp_pool_threads", poolThreads },
            { "cpp_pool_ms", median(pooled) }, { "cpp_pool_min_ms", minimum(pooled) },
            { "cpp_pool_cells_per_s", cells / median(pooled) * 1000.0 }, { "cpp_single_stage_ms", stages },
            { "cpp_pool_stage_ms", poolStages } };
        if (withPython) {
            const nlohmann::json py = runPython(p, magnification, pythonRepeats, "official");
            if (!py.is_null()) {
                const double pyMs = median(py.at("ms_per_patch").get<std::vector<double>>());
                entry["python_ms"] = pyMs;
                entry["python_min_ms"] = minimum(py.at("ms_per_patch").get<std::vector<double>>());
                entry["python_cells"] = py.at("num_cells");
                entry["python_cells_per_s"] = cells / pyMs * 1000.0;
                entry["speedup_single_vs_python"] = pyMs / median(single);
                entry["speedup_pool_vs_python"] = pyMs / median(pooled);
                if (py.at("num_cells").get<size_t>() != result.cells.size())
                    std::cerr << "warning: Python and C++ disagree on the number of cells\n";
            }
            // The same with the renumbering done by one lookup table: how much of the gap is that loop.
            const nlohmann::json lut = runPython(p, magnification, pythonRepeats, "lut");
            if (!lut.is_null()) {
                const double lutMs = median(lut.at("ms_per_patch").get<std::vector<double>>());
                entry["python_lut_remap_ms"] = lutMs;
                entry["speedup_single_vs_python_lut_remap"] = lutMs / median(single);
                entry["speedup_pool_vs_python_lut_remap"] = lutMs / median(pooled);
            }
        }
        std::cout << entry.dump(2) << std::endl;
        report.push_back(entry);
    }
    fs::remove_all(work);
    return 0;
}
