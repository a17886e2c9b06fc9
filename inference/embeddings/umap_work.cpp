#include "inference/embeddings/umap_work.h"

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

namespace cellvit {

UmapWork::UmapWork(const UmapCallbacks& callbacks, int threads)
    : m_callbacks(callbacks)
    , m_threads(threads > 0 ? threads : std::max(1, static_cast<int>(std::thread::hardware_concurrency())))
{
}

void UmapWork::checkpoint(const std::string& stage, double fraction)
{
    if (m_callbacks.isCancelled && m_callbacks.isCancelled())
        m_cancelled = true;
    if (m_cancelled)
        throw UmapCancelled();
    if (m_callbacks.onProgress)
        m_callbacks.onProgress(std::clamp(fraction, 0.0, 1.0), stage);
}

void UmapWork::forEach(std::size_t count, std::size_t grain, const std::function<void(std::size_t, std::size_t)>& body,
    const std::string& stage, double from, double to)
{
    checkpoint(stage, from);
    if (count == 0)
        return;
    grain = std::max<std::size_t>(grain, 1);
    std::atomic<std::size_t> next { 0 }, done { 0 };
    std::mutex mutex;
    std::condition_variable finished;
    std::exception_ptr failure;
    int running = 0;
    const int workers = static_cast<int>(std::min<std::size_t>(m_threads, (count + grain - 1) / grain));

    auto work = [&] {
        try {
            for (;;) {
                if (m_cancelled.load(std::memory_order_relaxed))
                    break;
                const std::size_t begin = next.fetch_add(grain);
                if (begin >= count)
                    break;
                const std::size_t end = std::min(count, begin + grain);
                body(begin, end);
                done += end - begin;
            }
        } catch (...) {
            std::lock_guard lock(mutex);
            if (!failure)
                failure = std::current_exception();
            m_cancelled = true; // stops the other workers; the exception is rethrown below
        }
        std::lock_guard lock(mutex);
        if (--running == 0)
            finished.notify_all();
    };

    std::vector<std::thread> threads;
    {
        std::lock_guard lock(mutex);
        running = workers;
    }
    for (int t = 0; t < workers; ++t)
        threads.emplace_back(work);
    {
        std::unique_lock lock(mutex);
        while (!finished.wait_for(lock, std::chrono::milliseconds(20), [&] { return running == 0; })) {
            lock.unlock();
            if (m_callbacks.isCancelled && m_callbacks.isCancelled())
                m_cancelled = true;
            if (m_callbacks.onProgress)
                m_callbacks.onProgress(from + (to - from) * double(done.load()) / double(count), stage);
            lock.lock();
        }
    }
    for (auto& t : threads)
        t.join();
    if (failure) {
        try {
            std::rethrow_exception(failure);
        } catch (const UmapCancelled&) {
            throw;
        } catch (...) {
            m_cancelled = false; // a real error, not a cancellation
            throw;
        }
    }
    checkpoint(stage, to);
}

} // namespace cellvit
