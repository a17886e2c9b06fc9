#include "inference/pipeline/patch_segmenter.h"

#include "inference/pipeline/bounded_queue.h"
#include "inference/merge/cell_embedding.h"
#include "inference/postproc/cell_rescale.h"
#include "inference/postproc/postprocess.h"
#include "inference/postproc/stardist_postprocess.h"

#include <chrono>
#include <exception>
#include <mutex>
#include <thread>

namespace cellvit {
namespace {

struct PreparedPatch {
    PatchSpec patch;
    cv::Mat rgb;
};

struct PatchMaps {
    PatchSpec patch;
    PatchPrediction prediction;
};

// First error wins; later ones are consequences of the shutdown.
class ErrorSlot {
public:
    void set(std::exception_ptr e)
    {
        std::lock_guard lock(m_mutex);
        if (!m_error)
            m_error = std::move(e);
    }
    void rethrowIfSet()
    {
        std::lock_guard lock(m_mutex);
        if (m_error)
            std::rethrow_exception(m_error);
    }
    bool isSet()
    {
        std::lock_guard lock(m_mutex);
        return static_cast<bool>(m_error);
    }

private:
    std::mutex m_mutex;
    std::exception_ptr m_error;
};

} // namespace

bool segmentPatches(const SlideSource& slide, const TilePlan& plan, const std::vector<PatchSpec>& patches,
                    const PatchPredictor& predictor, const PostprocParams& params, const SegmenterOptions& options,
                    const PatchResultSink& sink, const ProgressCallback& progress, const std::atomic<bool>* cancel)
{
    const int batchSize = std::max(1, options.batchSize);
    const int workers = std::max(1, options.postprocThreads);
    auto cancelled = [&] { return cancel && cancel->load(std::memory_order_relaxed); };
    CancellationCheck cancelDuringForward;
    if (cancel)
        cancelDuringForward = [cancel] { return cancel->load(std::memory_order_relaxed); };
    bool forwardAbandoned = false;

    BoundedQueue<PreparedPatch> prepared(static_cast<size_t>(batchSize * std::max(1, options.readAhead)));
    BoundedQueue<PatchMaps> maps(static_cast<size_t>(batchSize + workers));
    ErrorSlot error;

    std::thread reader([&] {
        try {
            for (const auto& patch : patches) {
                if (cancelled() || error.isSet())
                    break;
                if (!prepared.push(PreparedPatch { patch, readPatch(slide, plan, patch) }))
                    break;
            }
        } catch (...) {
            error.set(std::current_exception());
        }
        prepared.close();
    });

    std::mutex sinkMutex;
    SegmentProgress state;
    state.patchesTotal = patches.size();
    const auto start = std::chrono::steady_clock::now();
    std::vector<std::thread> pool;
    for (int i = 0; i < workers; ++i) {
        pool.emplace_back([&] {
            while (auto item = maps.pop()) {
                // After a cancel the few patches whose forward pass already ran are still post-processed
                // (cheap next to the network), so their cells are kept; after an error everything drains.
                if (error.isSet())
                    continue;
                try {
                    const PatchPrediction& maps = item->prediction;
                    PostprocResult pp = maps.nrays > 0
                        ? postprocessStarDist(maps.objectProbability, maps.rays.data(), maps.nrays, maps.typeArgmax)
                        : postprocess(maps.npArgmax, maps.hx, maps.hy, maps.typeArgmax, params);
                    // Back to the network's pixels when its maps came upsampled (PostprocParams::mapScale).
                    pp.cells = downscaledCells(std::move(pp.cells), params.mapScale);
                    PatchResult result;
                    result.patch = item->patch;
                    for (auto& cell : pp.cells) {
                        if (cell.type != 0) // the WSI pipeline drops Background-typed cells
                            result.cells.push_back(std::move(cell));
                    }
                    if (!maps.tokens.empty()) {
                        const TokenGridView grid { maps.tokens.data(), maps.tokenDim, maps.tokenRows, maps.tokenCols };
                        result.embeddingDim = grid.dim;
                        result.embeddings.reserve(result.cells.size() * static_cast<size_t>(grid.dim));
                        for (const auto& cell : result.cells) {
                            const std::vector<float> e = cellEmbedding(cell, grid);
                            result.embeddings.insert(result.embeddings.end(), e.begin(), e.end());
                        }
                    }
                    std::lock_guard lock(sinkMutex);
                    state.cells += result.cells.size();
                    ++state.patchesDone;
                    sink(std::move(result));
                    if (progress) {
                        state.elapsedSeconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
                        state.patchesPerSecond = state.patchesDone / std::max(1e-9, state.elapsedSeconds);
                        state.etaSeconds = (state.patchesTotal - state.patchesDone) / std::max(1e-9, state.patchesPerSecond);
                        progress(state);
                    }
                } catch (...) {
                    error.set(std::current_exception());
                }
            }
        });
    }

    try {
        std::vector<PreparedPatch> batch;
        bool more = true;
        while (more && !cancelled() && !error.isSet()) {
            batch.clear();
            while (static_cast<int>(batch.size()) < batchSize) {
                auto item = prepared.pop();
                if (!item) {
                    more = false;
                    break;
                }
                batch.push_back(std::move(*item));
            }
            if (batch.empty())
                break;
            std::vector<cv::Mat> rgb;
            std::vector<PatchSpec> where;
            for (const auto& p : batch) {
                rgb.push_back(p.rgb);
                where.push_back(p.patch);
            }
            std::vector<PatchPrediction> predictions;
            try {
                predictions = predictor.predictUnlessCancelled(rgb, where, cancelDuringForward);
            } catch (const InferenceCancelled&) {
                forwardAbandoned = true; // this batch has no results: it is not done
                break;
            }
            if (predictions.size() != batch.size())
                throw std::logic_error("the predictor returned a different number of patches than it was given");
            for (size_t b = 0; b < batch.size(); ++b)
                maps.push(PatchMaps { batch[b].patch, std::move(predictions[b]) });
        }
    } catch (...) {
        error.set(std::current_exception());
    }
    prepared.close(); // unblocks the reader if we stopped early
    maps.close();
    reader.join();
    for (auto& t : pool)
        t.join();
    error.rethrowIfSet();
    return !forwardAbandoned && !cancelled();
}

} // namespace cellvit
