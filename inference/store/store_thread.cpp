#include "inference/store/store_thread.h"

namespace cellvit {

ProjectStoreThread::ProjectStoreThread(const std::filesystem::path& databaseFile)
{
    std::promise<void> opened;
    auto openResult = opened.get_future();
    m_thread = std::thread([this, databaseFile, &opened] { serve(databaseFile, opened); });
    try {
        openResult.get();
    } catch (...) {
        m_thread.join(); // serve() returned after reporting the failure
        throw;
    }
}

ProjectStoreThread::~ProjectStoreThread()
{
    {
        std::lock_guard lock(m_mutex);
        m_stop = true;
    }
    m_wake.notify_one();
    if (m_thread.joinable())
        m_thread.join();
}

void ProjectStoreThread::post(std::function<void(ProjectStore&)> job)
{
    {
        std::lock_guard lock(m_mutex);
        m_jobs.push_back(std::move(job));
    }
    m_wake.notify_one();
}

void ProjectStoreThread::submit(std::function<void(ProjectStore&)> job)
{
    post([job = std::move(job)](ProjectStore& store) {
        try {
            job(store);
        } catch (...) { // nobody waits for this job; it was told to handle its errors
        }
    });
}

void ProjectStoreThread::serve(const std::filesystem::path& databaseFile, std::promise<void>& opened)
{
    std::optional<ProjectStore> store;
    try {
        store.emplace(databaseFile);
    } catch (...) {
        opened.set_exception(std::current_exception());
        return;
    }
    opened.set_value();
    while (true) {
        std::function<void(ProjectStore&)> job;
        {
            std::unique_lock lock(m_mutex);
            m_wake.wait(lock, [this] { return m_stop || !m_jobs.empty(); });
            if (m_jobs.empty())
                return; // stopping, nothing left: the store closes on this thread
            job = std::move(m_jobs.front());
            m_jobs.pop_front();
        }
        job(*store); // a packaged_task: exceptions go to the caller's future
    }
}

} // namespace cellvit
