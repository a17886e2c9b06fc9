#pragma once
// Runs the parallel parts of UMAP on worker threads while the calling thread polls the caller's cancel callback
// and reports progress (every ~20 ms), so callbacks are only ever invoked from the caller's thread.

#include "inference/embeddings/umap.h"

#include <atomic>
#include <cstddef>
#include <functional>
#include <string>

namespace cellvit {

class UmapWork {
public:
    UmapWork(const UmapCallbacks& callbacks, int threads);

    int threads() const { return m_threads; }

    // Calls body(begin, end) on chunks of [0, count) of at most `grain` items, on all threads. Results must not
    // depend on which thread runs a chunk (that is what keeps UMAP deterministic across thread counts).
    // Progress goes from `from` to `to` of the whole run; throws UmapCancelled when cancelled.
    void forEach(std::size_t count, std::size_t grain, const std::function<void(std::size_t, std::size_t)>& body,
        const std::string& stage, double from, double to);

    // Single-threaded step: checks for cancellation and reports a progress value.
    void checkpoint(const std::string& stage, double fraction);

    // For long loops inside a chunk: true once cancellation was requested.
    bool cancelRequested() const { return m_cancelled.load(std::memory_order_relaxed); }

private:
    UmapCallbacks m_callbacks;
    int m_threads;
    std::atomic<bool> m_cancelled { false };
};

} // namespace cellvit
