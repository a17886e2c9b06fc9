#pragma once
// Runs body(i) for i in [0, count) on up to `threads` workers (1 = inline on the caller's thread).
// The workers run on OpenCV's thread pool (cv::parallel_for_), which the post-processing's OpenCV calls use too:
// threads of our own would compete for the cores with that pool's workers while they spin after each call.
// How many run at once is also bounded by cv::getNumThreads(), and OpenCV runs a parallel_for_ that starts while
// another one is in progress anywhere in the process on its caller's thread alone (same result, no speed-up). Work items are handed out one at a time, so
// results must be written by index for deterministic output.

#include <algorithm>
#include <atomic>
#include <exception>
#include <mutex>
#include <opencv2/core/utility.hpp>

namespace cellvit {

// The number of workers parallelForWorkers(count, threads, ...) runs.
inline int parallelWorkers(int count, int threads)
{
    return std::max(1, std::min(threads, count));
}

// body(i, worker): worker in [0, parallelWorkers(count, threads)) identifies the worker (for per-worker buffers;
// one worker never runs two items at once).
template <typename Body> void parallelForWorkers(int count, int threads, Body&& body)
{
    const int workers = parallelWorkers(count, threads);
    if (workers == 1) {
        for (int i = 0; i < count; ++i)
            body(i, 0);
        return;
    }
    std::atomic<int> next { 0 };
    std::exception_ptr failure;
    std::mutex failureMutex;
    // One stripe per worker; each takes items from the shared counter until none is left (if the pool runs
    // fewer stripes at once, the first ones simply take more items).
    cv::parallel_for_(
        cv::Range(0, workers),
        [&](const cv::Range& stripes) {
            for (int w = stripes.start; w < stripes.end; ++w) {
                try {
                    for (int i = next++; i < count; i = next++)
                        body(i, w);
                } catch (...) {
                    const std::lock_guard<std::mutex> lock(failureMutex);
                    if (!failure)
                        failure = std::current_exception();
                    next = count;
                }
            }
        },
        workers);
    if (failure)
        std::rethrow_exception(failure);
}

template <typename Body> void parallelFor(int count, int threads, Body&& body)
{
    parallelForWorkers(count, threads, [&](int i, int) { body(i); });
}

} // namespace cellvit
