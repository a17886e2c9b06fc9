#pragma once
// A ProjectStore that lives on a thread of its own. A QSqlDatabase connection belongs to the thread that opened
// it, but a slide run hands finished patches over from its post-processing workers: they call into the store
// through this thread, one call at a time, and wait for the result (so a patch is committed before it is merged,
// and a store error reaches the caller as the exception the store threw).

#include "inference/store/project_store.h"

#include <condition_variable>
#include <deque>
#include <filesystem>
#include <functional>
#include <future>
#include <mutex>
#include <thread>
#include <type_traits>

namespace cellvit {

class ProjectStoreThread {
public:
    // Opens the store on the new thread; throws what ProjectStore's constructor threw (StoreError).
    explicit ProjectStoreThread(const std::filesystem::path& databaseFile);
    // Closes the store on its thread after the calls already queued.
    ~ProjectStoreThread();
    ProjectStoreThread(const ProjectStoreThread&) = delete;
    ProjectStoreThread& operator=(const ProjectStoreThread&) = delete;

    // Runs f(store) on the store's thread and returns its result or rethrows its exception. Thread-safe.
    template <typename F> std::invoke_result_t<F, ProjectStore&> call(F&& f)
    {
        std::packaged_task<std::invoke_result_t<F, ProjectStore&>(ProjectStore&)> task(std::forward<F>(f));
        auto result = task.get_future();
        post([&task](ProjectStore& store) { task(store); }); // the task outlives the job: we wait below
        return result.get();
    }

    // Runs job(store) on the store's thread without waiting (debounced region saves). The job reports its own
    // errors: an exception escaping it is dropped.
    void submit(std::function<void(ProjectStore&)> job);

private:
    void post(std::function<void(ProjectStore&)> job);
    void serve(const std::filesystem::path& databaseFile, std::promise<void>& opened);

    std::mutex m_mutex;
    std::condition_variable m_wake;
    std::deque<std::function<void(ProjectStore&)>> m_jobs;
    bool m_stop = false;
    std::thread m_thread;
};

} // namespace cellvit
