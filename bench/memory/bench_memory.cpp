// Host memory of a whole-slide run per million cells (issue #3: ≤ 2 GB per million cells in flight and in the
// result store). A synthetic slide (tissue-like pixels, no file) and a synthetic predictor (a dense field of
// ~1000 elliptic nuclei per 1024² patch on a jittered lattice in slide coordinates, so overlapping patches
// agree, and SAM-H-wide 1280-dim tokens) drive the real pipeline: post-processing, merge, embedding spill,
// embeddings.npy and the cells.json export. Prints the baseline RSS before the run, the peak RSS (ru_maxrss)
// after each phase, and (peak − baseline) per million cells.
//   bench_memory [--cells N] [--dim 1280] [--out DIR] [--in-memory] [--threads 2] [--batch 2]
// --in-memory: the pre-spill behaviour (embeddings held in the cells, embeddings.npy built from a copy).

#include "bench/common/bench_arguments.h"
#include "bench/common/synthetic_slide.h"
#include "inference/export/official_json_writer.h"
#include "inference/io/npy.h"
#include "inference/model/cellvit_model.h"
#include "inference/pipeline/slide_run.h"
#include "inference/slide/slide_source.h"

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <opencv2/imgproc.hpp>
#include <string>
#include <sys/resource.h>

using namespace cellvit;

namespace {

double peakRssMB()
{
    rusage usage {};
    getrusage(RUSAGE_SELF, &usage);
    return usage.ru_maxrss / 1024.0;
}

double currentRssMB()
{
    std::ifstream in("/proc/self/status");
    std::string line;
    while (std::getline(in, line))
        if (line.rfind("VmRSS:", 0) == 0)
            return std::stod(line.substr(6)) / 1024.0;
    return 0;
}

} // namespace

int main(int argc, char** argv)
{
    int64_t cells = 250000;
    int dim = 1280, threads = 2, batch = 2;
    bool inMemory = false;
    std::filesystem::path outDir = std::filesystem::temp_directory_path() / "cellvit-bench-memory";
    bench::parseArgumentsOrExit(argc, argv, "bench_memory",
        "bench_memory [--cells N] [--dim 1280] [--out DIR] [--in-memory] [--threads 2] [--batch 2]",
        [&](const std::string& a, bench::Arguments& arguments) {
            if (a == "--cells")
                cells = arguments.int64Value();
            else if (a == "--dim")
                dim = arguments.intValue();
            else if (a == "--out")
                outDir = arguments.value();
            else if (a == "--threads")
                threads = arguments.intValue();
            else if (a == "--batch")
                batch = arguments.intValue();
            else if (a == "--in-memory")
                inMemory = true;
            else
                return false;
            return true;
        });
    std::filesystem::create_directories(outDir);
    const int64_t side = static_cast<int64_t>(std::sqrt(double(cells)) * bench::kLatticeSpacing);
    bench::SyntheticSlide slide(side);
    bench::LatticePredictor predictor(dim, side);
    // Only the spec matters (x40, post-processing constants); the small CellViT-256 weights count in the baseline.
    const auto model = CellVitModel::randomlyInitialised(
        modelSpecFromConfig("CellViT256", nlohmann::json::object()), InferenceOptions { "cpu" });

    SlideRunRequest request = bench::syntheticRunRequest(slide, *model, predictor, batch, threads);
    if (!inMemory)
        request.embeddingSpill = outDir / ".cellvit-embeddings.tmp";

    const double baseline = currentRssMB();
    const double peakBefore = peakRssMB();
    const auto t0 = std::chrono::steady_clock::now();
    SlideRunResult result = runSlideSegmentation(request);
    const auto t1 = std::chrono::steady_clock::now();
    const double peakRun = peakRssMB();
    if (inMemory) {
        // What cmd_segment did before the spill: one dense copy of every row, then writeNpy.
        std::vector<float> rows(result.cells.size() * size_t(dim), std::numeric_limits<float>::quiet_NaN());
        for (size_t i = 0; i < result.cells.size(); ++i)
            if (result.cells[i].embedding.size() == size_t(dim))
                std::copy(result.cells[i].embedding.begin(), result.cells[i].embedding.end(),
                    rows.begin() + std::ptrdiff_t(i * size_t(dim)));
        writeNpy(outDir / "embeddings.npy", { int64_t(result.cells.size()), dim }, rows.data());
    } else {
        result.spilledEmbeddings->writeNpy(outDir / "embeddings.npy", result.cells);
    }
    const auto t2 = std::chrono::steady_clock::now();
    const double peakEmbeddings = peakRssMB();
    writeOfficialCellsJson(outDir / "cells.json", result.cells, OfficialJsonOptions {});
    const auto t3 = std::chrono::steady_clock::now();
    const double peakExport = peakRssMB();

    const double millions = double(result.cells.size()) / 1e6;
    auto seconds = [](auto a, auto b) { return std::chrono::duration<double>(b - a).count(); };
    std::printf("mode %s, dim %d, slide %lld² px, %zu patches, %zu cells\n", inMemory ? "in-memory" : "spill", dim,
        static_cast<long long>(side), result.plan.patches.size(), result.cells.size());
    std::printf("time: run %.1f s, embeddings.npy %.1f s, cells.json %.1f s\n", seconds(t0, t1), seconds(t1, t2),
        seconds(t2, t3));
    std::printf("RSS baseline %.0f MB (peak before run %.0f MB)\n", baseline, peakBefore);
    std::printf("peak RSS after run %.0f MB, after embeddings.npy %.0f MB, after cells.json %.0f MB\n", peakRun,
        peakEmbeddings, peakExport);
    std::printf("(peak - baseline) per million cells: run+embeddings %.0f MB, incl. cells.json export %.0f MB (goal <= "
                "2048 MB)\n",
        (peakEmbeddings - baseline) / millions, (peakExport - baseline) / millions);
    std::printf("peak RSS per million cells (absolute): %.0f MB\n", peakExport / millions);
    std::error_code ignored;
    std::filesystem::remove(outDir / "embeddings.npy", ignored);
    std::filesystem::remove(outDir / "cells.json", ignored);
    return 0;
}
