// Whole-slide throughput on the machine's accelerator (issue #3: ≥ 40 CellViT-SAM-H patches/s of 1024² end to end
// on one H100; the official pipeline reaches ~1.9/s). A randomly initialised network of the chosen backbone runs
// every patch of a synthetic slide through the real pipeline (reading, batched forward, post-processing pool,
// merge, embedding spill). Untrained weights cost the same forward pass but give meaningless maps, so the class and
// HV maps are replaced by lattice nuclei (~1000 per patch, drawn before the clock starts) and post-processing, the
// merge and the embeddings (the network's own tokens) see a realistic load.
// Reference in the same run: the network alone (segmentationForward on batches of the same size, transfers and
// argmax included), the bound the pipeline reaches when reading and post-processing are fully hidden.
//   bench_throughput [--backbone SAM-H|SAM-L|SAM-B|ViT256] [--device auto|cpu|cuda] [--fp16] [--batch N]
//                    [--patches 64] [--postproc-threads N]

#include "bench/common/bench_arguments.h"
#include "bench/common/synthetic_slide.h"
#include "inference/model/cellvit_model.h"
#include "inference/model/device.h"
#include "inference/pipeline/slide_run.h"

#include <ATen/ATen.h>
#include <chrono>
#include <cmath>
#include <cstring>
#include <iostream>
#include <map>
#include <memory>
#include <stdexcept>
#include <nlohmann/json.hpp>
#include <string>

using namespace cellvit;

namespace {

using Clock = std::chrono::steady_clock;

double secondsSince(Clock::time_point t0)
{
    return std::chrono::duration<double>(Clock::now() - t0).count();
}

// The network's forward pass for the load and the tokens, lattice maps (prepared beforehand) for the rest.
class NetworkWithLatticeMaps : public PatchPredictor {
public:
    NetworkWithLatticeMaps(const CellVitModel& model, std::map<std::pair<int64_t, int64_t>, PatchPrediction> maps)
        : m_network(model)
        , m_maps(std::move(maps))
    {
    }
    std::vector<PatchPrediction> predict(
        const std::vector<cv::Mat>& rgb, const std::vector<PatchSpec>& patches) const override
    {
        return predictUnlessCancelled(rgb, patches, {});
    }
    std::vector<PatchPrediction> predictUnlessCancelled(const std::vector<cv::Mat>& rgb,
        const std::vector<PatchSpec>& patches, const CancellationCheck& isCancelled) const override
    {
        std::vector<PatchPrediction> out = m_network.predictUnlessCancelled(rgb, patches, isCancelled);
        for (size_t i = 0; i < out.size(); ++i) {
            PatchPrediction& lattice = m_maps.at({ patches[i].originX, patches[i].originY });
            lattice.tokens = std::move(out[i].tokens);
            lattice.tokenDim = out[i].tokenDim;
            lattice.tokenRows = out[i].tokenRows;
            lattice.tokenCols = out[i].tokenCols;
            out[i] = std::move(lattice); // each patch runs once
        }
        return out;
    }

private:
    ModelPredictor m_network;
    mutable std::map<std::pair<int64_t, int64_t>, PatchPrediction> m_maps; // predictors run on one thread
};

ModelSpec specFor(const std::string& backbone)
{
    if (backbone == "ViT256")
        return modelSpecFromConfig("CellViT256", nlohmann::json::object());
    return modelSpecFromConfig("CellViTSAM", nlohmann::json { { "model.backbone", backbone } });
}

} // namespace

int main(int argc, char** argv)
{
    std::string backbone = "SAM-H", device = "auto";
    bool fp16 = false;
    int batch = 0, patches = 64, postprocThreads = std::max(1, availableCpuCount() - 1);
    bench::parseArgumentsOrExit(argc, argv, "bench_throughput",
        "bench_throughput [--backbone SAM-H|SAM-L|SAM-B|ViT256] [--device auto|cpu|cuda] [--fp16] [--batch N] "
        "[--patches 64] [--postproc-threads N]",
        [&](const std::string& a, bench::Arguments& arguments) {
            if (a == "--backbone")
                backbone = arguments.value();
            else if (a == "--device")
                device = arguments.value();
            else if (a == "--fp16")
                fp16 = true;
            else if (a == "--batch")
                batch = arguments.intValue();
            else if (a == "--patches")
                patches = arguments.intValue();
            else if (a == "--postproc-threads")
                postprocThreads = arguments.intValue();
            else
                return false;
            return true;
        });
    std::unique_ptr<CellVitModel> model;
    try { // an unknown backbone or a device this machine lacks: a message, not an abort
        model = CellVitModel::randomlyInitialised(
            specFor(backbone), InferenceOptions { device, fp16 ? Precision::Float16 : Precision::Float32, 0, true });
    } catch (const std::exception& e) {
        std::cerr << "bench_throughput: " << e.what() << "\n";
        return 2;
    }

    // A square slide of grid² ≥ `patches` patches at 0.25 µm/px (the SAM models are x40): the plan lays
    // ceil(side / 960) patches along each side.
    const int grid = static_cast<int>(std::ceil(std::sqrt(double(patches))));
    const int64_t side = int64_t(grid) * (1024 - 64);
    bench::SyntheticSlide slide(side);
    TilePlanOptions gridOnly; // as syntheticRunRequest: reference 1024² patches whatever the slide's size
    gridOnly.onePatchForSmallSlide = false;
    const TilePlan plan = planTiles(slide, 0.25, model->spec().targetMpp(), gridOnly);
    const bench::LatticePredictor lattice(0, side);
    std::map<std::pair<int64_t, int64_t>, PatchPrediction> maps;
    for (const PatchSpec& patch : plan.patches) {
        std::vector<PatchPrediction> one = lattice.predict({ readPatch(slide, plan, patch) }, { patch });
        maps[{ patch.originX, patch.originY }] = std::move(one.front());
    }

    // Warm-up (allocator, cuDNN algorithm choice), then the run, then the network alone at the run's batch size.
    at::Tensor warm = model->hostBatch(1, 1024, 1024);
    std::memset(warm.data_ptr(), 200, static_cast<size_t>(warm.numel()));
    model->segmentationForward(warm);

    const NetworkWithLatticeMaps predictor(*model, std::move(maps));
    SlideRunRequest request = bench::syntheticRunRequest(slide, *model, predictor, batch, postprocThreads);
    request.embeddingSpill = std::filesystem::temp_directory_path() / "cellvit-bench-throughput.tmp";
    const auto t0 = Clock::now();
    const SlideRunResult result = runSlideSegmentation(request);
    const double runSeconds = secondsSince(t0);
    std::filesystem::remove(*request.embeddingSpill);

    const int runBatch = std::max(1, result.batchSize);
    at::Tensor networkBatch = model->hostBatch(runBatch, 1024, 1024);
    const cv::Mat pixels = readPatch(slide, plan, plan.patches.front());
    for (int b = 0; b < runBatch; ++b)
        std::memcpy(networkBatch[b].data_ptr(), pixels.data, pixels.total() * 3);
    const int passes = std::max(1, static_cast<int>(result.patchesRun) / runBatch);
    const auto t1 = Clock::now();
    for (int i = 0; i < passes; ++i)
        model->segmentationForward(networkBatch);
    const double networkSeconds = secondsSince(t1);

    const double endToEnd = double(result.patchesRun) / runSeconds;
    const double networkOnly = double(passes) * runBatch / networkSeconds;
    const nlohmann::json report { { "backbone", backbone }, { "device", model->deviceName() },
        { "precision", fp16 ? "fp16" : "fp32" }, { "batch", runBatch }, { "patches", result.patchesRun },
        { "cells", result.cells.size() }, { "postproc_threads", postprocThreads },
        { "end_to_end_patches_per_s", endToEnd }, { "network_only_patches_per_s", networkOnly },
        { "end_to_end_vs_network_only", endToEnd / networkOnly }, { "goal_patches_per_s", 40 },
        { "run_seconds", runSeconds } };
    std::cout << report.dump(2) << std::endl;
    return 0;
}
