#include "inference/pipeline/patch_segmenter.h"

#include "inference/pipeline/bounded_queue.h"
#include "inference/merge/cell_embedding.h"
#include "inference/postproc/postprocess.h"

#include <ATen/ATen.h>

#include <chrono>
#include <exception>
#include <mutex>
#include <thread>

namespace cellvit {
namespace {

struct PreparedPatch {
    PatchSpec patch;
    at::Tensor input; // 1×3×S×S normalised
};

struct PatchMaps {
    PatchSpec patch;
    cv::Mat npArgmax, typeArgmax, hx, hy;
    at::Tensor tokens; // D×h×w float32, contiguous
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

cv::Mat channelMap(const at::Tensor& maps, int64_t b, int64_t channel)
{
    const auto h = static_cast<int>(maps.size(2)), w = static_cast<int>(maps.size(3));
    return cv::Mat(h, w, CV_32F, maps[b][channel].data_ptr<float>()).clone();
}

cv::Mat argmapOf(const at::Tensor& logits, int64_t b)
{
    const auto c = static_cast<int>(logits.size(1)), h = static_cast<int>(logits.size(2)),
               w = static_cast<int>(logits.size(3));
    return argmaxOverChannels(logits[b].data_ptr<float>(), c, h, w);
}

} // namespace

bool segmentPatches(const SlideSource& slide, const TilePlan& plan, const std::vector<PatchSpec>& patches,
                    const CellVitModel& model, const PostprocParams& params, const SegmenterOptions& options,
                    const PatchResultSink& sink, const ProgressCallback& progress, const std::atomic<bool>* cancel)
{
    const int batchSize = std::max(1, options.batchSize);
    const int workers = std::max(1, options.postprocThreads);
    auto cancelled = [&] { return cancel && cancel->load(std::memory_order_relaxed); };

    BoundedQueue<PreparedPatch> prepared(static_cast<size_t>(batchSize * std::max(1, options.readAhead)));
    BoundedQueue<PatchMaps> maps(static_cast<size_t>(batchSize + workers));
    ErrorSlot error;

    std::thread reader([&] {
        try {
            for (const auto& patch : patches) {
                if (cancelled() || error.isSet())
                    break;
                cv::Mat rgb = readPatch(slide, plan, patch);
                PreparedPatch item { patch, model.normaliseImage(rgb.data, rgb.rows, rgb.cols, static_cast<int64_t>(rgb.step)) };
                if (!prepared.push(std::move(item)))
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
                if (cancelled() || error.isSet())
                    continue; // drain without work so the producer never blocks
                try {
                    PostprocResult pp = postprocess(item->npArgmax, item->hx, item->hy, item->typeArgmax, params);
                    PatchResult result;
                    result.patch = item->patch;
                    for (auto& cell : pp.cells) {
                        if (cell.type != 0) // the WSI pipeline drops Background-typed cells
                            result.cells.push_back(std::move(cell));
                    }
                    const auto& tokens = item->tokens;
                    const TokenGridView grid { tokens.data_ptr<float>(), static_cast<int>(tokens.size(0)),
                                               static_cast<int>(tokens.size(1)), static_cast<int>(tokens.size(2)) };
                    result.embeddingDim = grid.dim;
                    result.embeddings.reserve(result.cells.size() * static_cast<size_t>(grid.dim));
                    for (const auto& cell : result.cells) {
                        const std::vector<float> e = cellEmbedding(cell, grid);
                        result.embeddings.insert(result.embeddings.end(), e.begin(), e.end());
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
            std::vector<at::Tensor> inputs;
            for (const auto& p : batch)
                inputs.push_back(p.input);
            const ModelOutputs out = model.forward(at::cat(inputs, 0));
            for (size_t b = 0; b < batch.size(); ++b) {
                const auto i = static_cast<int64_t>(b);
                PatchMaps item { batch[b].patch, argmapOf(out.nucleiBinaryMap, i), argmapOf(out.nucleiTypeMap, i),
                                 channelMap(out.hvMap, i, 0), channelMap(out.hvMap, i, 1), out.tokens[i].contiguous() };
                maps.push(std::move(item));
            }
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
    return !cancelled();
}

} // namespace cellvit
