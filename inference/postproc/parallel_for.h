#pragma once
// Runs body(i) for i in [0, count) on up to `threads` worker threads (1 = inline on the caller's thread).
// Work items are handed out one at a time, so results must be written by index for deterministic output.

#include <algorithm>
#include <atomic>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

namespace cellvit {

// The number of workers parallelForWorkers(count, threads, ...) runs.
inline int parallelWorkers(int count, int threads)
{
    return std::max(1, std::min(threads, count));
}

// body(i, worker): worker in [0, parallelWorkers(count, threads)) identifies the thread (0 = the caller), for
// per-worker buffers.
template <typename Body> void parallelForWorkers(int count, int threads, Body&& body)
{
    threads = parallelWorkers(count, threads);
    if (threads == 1) {
        for (int i = 0; i < count; ++i)
            body(i, 0);
        return;
    }
    std::atomic<int> next { 0 };
    std::exception_ptr failure;
    std::mutex failureMutex;
    auto worker = [&](int w) {
        try {
            for (int i = next++; i < count; i = next++)
                body(i, w);
        } catch (...) {
            const std::lock_guard<std::mutex> lock(failureMutex);
            if (!failure)
                failure = std::current_exception();
            next = count;
        }
    };
    std::vector<std::thread> pool;
    for (int t = 1; t < threads; ++t)
        pool.emplace_back(worker, t);
    worker(0);
    for (std::thread& t : pool)
        t.join();
    if (failure)
        std::rethrow_exception(failure);
}

template <typename Body> void parallelFor(int count, int threads, Body&& body)
{
    parallelForWorkers(count, threads, [&](int i, int) { body(i); });
}

} // namespace cellvit
