// Host memory of a whole-slide run per million cells (issue #3: ≤ 2 GB per million cells in flight and in the
// result store). A synthetic slide (tissue-like pixels, no file) and a synthetic predictor (a dense field of
// ~1000 elliptic nuclei per 1024² patch on a jittered lattice in slide coordinates, so overlapping patches
// agree, and SAM-H-wide 1280-dim tokens) drive the real pipeline: post-processing, merge, embedding spill,
// embeddings.npy and the cells.json export. Prints the baseline RSS before the run, the peak RSS (ru_maxrss)
// after each phase, and (peak − baseline) per million cells.
//   bench_memory [--cells N] [--dim 1280] [--out DIR] [--in-memory] [--threads 2] [--batch 2]
// --in-memory: the pre-spill behaviour (embeddings held in the cells, embeddings.npy built from a copy).

#include "inference/export/official_json_writer.h"
#include "inference/io/npy.h"
#include "inference/model/cellvit_model.h"
#include "inference/pipeline/slide_run.h"
#include "inference/slide/slide_source.h"
#include "inference/targets/hv_target.h"

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

constexpr int kSpacing = 32; // lattice step in level-0 pixels: (1024/32)² ≈ 1000 nuclei per patch

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

uint32_t hash(int64_t a, int64_t b)
{
    uint64_t h = static_cast<uint64_t>(a) * 0x9E3779B97F4A7C15ull ^ (static_cast<uint64_t>(b) + 0x632BE59BD9B4E019ull);
    h ^= h >> 29;
    h *= 0xBF58476D1CE4E5B9ull;
    h ^= h >> 32;
    return static_cast<uint32_t>(h);
}

class SyntheticSlide : public SlideSource {
public:
    explicit SyntheticSlide(int64_t side)
        : m_levels { { side, side, 1.0 } }
    {
    }
    const std::filesystem::path& path() const override { return m_path; }
    std::string vendor() const override { return "synthetic"; }
    const std::vector<SlideLevel>& levels() const override { return m_levels; }
    std::optional<double> mppX() const override { return 0.25; }
    std::optional<double> mppY() const override { return 0.25; }
    std::optional<double> objectivePower() const override { return 40.0; }
    const std::map<std::string, std::string>& properties() const override { return m_properties; }
    std::vector<std::string> associatedImageNames() const override { return {}; }
    cv::Mat readAssociatedImage(const std::string&) const override { return {}; }
    cv::Mat readRegion(int level, int64_t x0, int64_t y0, int64_t w, int64_t h) const override
    {
        checkRegionRequest(level, w, h);
        // Eosin-pink tissue with a faint texture; the predictor does not look at it.
        cv::Mat rgb(static_cast<int>(h), static_cast<int>(w), CV_8UC3, cv::Scalar(226, 160, 190));
        for (int y = 0; y < rgb.rows; y += 7)
            rgb.row(y).setTo(cv::Scalar(200, 130, 170 + int((y0 + x0) % 20)));
        return rgb;
    }

private:
    std::filesystem::path m_path = "synthetic-slide";
    std::vector<SlideLevel> m_levels;
    std::map<std::string, std::string> m_properties;
};

class SyntheticPredictor : public PatchPredictor {
public:
    explicit SyntheticPredictor(int dim)
        : m_dim(dim)
    {
    }
    std::vector<PatchPrediction> predict(
        const std::vector<cv::Mat>& rgb, const std::vector<PatchSpec>& patches) const override
    {
        std::vector<PatchPrediction> out;
        for (size_t i = 0; i < rgb.size(); ++i) {
            const int side = rgb[i].rows;
            const int64_t ox = patches[i].originX, oy = patches[i].originY;
            cv::Mat labels(side, side, CV_32S, cv::Scalar(0));
            cv::Mat types(side, side, CV_8U, cv::Scalar(0));
            int id = 0;
            const int64_t gx0 = (ox - kSpacing) / kSpacing - 1, gy0 = (oy - kSpacing) / kSpacing - 1;
            for (int64_t gy = gy0; gy * kSpacing < oy + side + kSpacing; ++gy) {
                for (int64_t gx = gx0; gx * kSpacing < ox + side + kSpacing; ++gx) {
                    if (gx < 0 || gy < 0 || (gx + 1) * kSpacing > m_slideSide || (gy + 1) * kSpacing > m_slideSide)
                        continue;
                    const uint32_t r = hash(gx, gy);
                    // Nucleus in slide coordinates: jittered centre, radii 6–11 px, any orientation.
                    const double cx = double(gx * kSpacing + kSpacing / 2 + int(r % 9) - 4 - ox);
                    const double cy = double(gy * kSpacing + kSpacing / 2 + int((r >> 4) % 9) - 4 - oy);
                    const cv::Size axes(6 + int((r >> 8) % 6), 6 + int((r >> 12) % 4));
                    if (cx + 12 < 0 || cy + 12 < 0 || cx - 12 >= side || cy - 12 >= side)
                        continue;
                    ++id;
                    const double angle = double((r >> 16) % 180);
                    cv::ellipse(labels, cv::Point(int(cx), int(cy)), axes, angle, 0, 360, cv::Scalar(id), cv::FILLED);
                    cv::ellipse(types, cv::Point(int(cx), int(cy)), axes, angle, 0, 360,
                        cv::Scalar(1 + int((r >> 24) % 5)), cv::FILLED);
                }
            }
            PatchPrediction p;
            p.npArgmax = labels > 0;
            p.npArgmax /= 255;
            p.typeArgmax = types;
            const HvTarget hv = instanceHvTarget(labels);
            p.hx = hv.x;
            p.hy = hv.y;
            p.tokenDim = m_dim;
            p.tokenRows = p.tokenCols = side / 16;
            p.tokens.resize(size_t(m_dim) * size_t(p.tokenRows * p.tokenCols));
            const float base = float(patches[i].row * 1000 + patches[i].col);
            for (size_t k = 0; k < p.tokens.size(); ++k)
                p.tokens[k] = base + float(k % 977) * 1e-3f;
            out.push_back(std::move(p));
        }
        return out;
    }
    int64_t m_slideSide = 0;

private:
    int m_dim;
};

} // namespace

int main(int argc, char** argv)
{
    int64_t cells = 250000;
    int dim = 1280, threads = 2, batch = 2;
    bool inMemory = false;
    std::filesystem::path outDir = std::filesystem::temp_directory_path() / "cellvit-bench-memory";
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        auto next = [&]() -> std::string {
            if (i + 1 >= argc)
                throw std::invalid_argument(a + " needs a value");
            return argv[++i];
        };
        if (a == "--cells")
            cells = std::stoll(next());
        else if (a == "--dim")
            dim = std::stoi(next());
        else if (a == "--out")
            outDir = next();
        else if (a == "--threads")
            threads = std::stoi(next());
        else if (a == "--batch")
            batch = std::stoi(next());
        else if (a == "--in-memory")
            inMemory = true;
        else {
            std::cerr
                << "usage: bench_memory [--cells N] [--dim 1280] [--out DIR] [--in-memory] [--threads 2] [--batch 2]\n";
            return 2;
        }
    }
    std::filesystem::create_directories(outDir);
    const int64_t side = static_cast<int64_t>(std::sqrt(double(cells)) * kSpacing);
    SyntheticSlide slide(side);
    SyntheticPredictor predictor(dim);
    predictor.m_slideSide = side;
    // Only the spec matters (x40, post-processing constants); the small CellViT-256 weights count in the baseline.
    const auto model = CellVitModel::randomlyInitialised(
        modelSpecFromConfig("CellViT256", nlohmann::json::object()), InferenceOptions { "cpu" });

    SlideRunRequest request;
    request.slide = &slide;
    request.slideMpp = 0.25;
    request.model = model.get();
    request.predictor = &predictor;
    request.skipBackground = false;
    request.segmenter.batchSize = batch;
    request.segmenter.postprocThreads = threads;
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
