#pragma once
// A SlideSource that forwards to a real slide and lets a test hold or fail reads: deterministic
// control over what a worker thread is doing when the view moves.

#include "inference/slide/slide_source.h"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>

namespace cellvit::test {

class ForwardingSlide final : public SlideSource {
public:
    explicit ForwardingSlide(std::shared_ptr<const SlideSource> real)
        : m_real(std::move(real))
    {
    }

    void hold()
    {
        std::lock_guard lock(m_mutex);
        m_open = false;
    }
    void release()
    {
        {
            std::lock_guard lock(m_mutex);
            m_open = true;
        }
        m_changed.notify_all();
    }
    void failReads(bool fail) { m_fail = fail; }
    int readsStarted() const
    {
        std::lock_guard lock(m_mutex);
        return m_started;
    }

    const std::filesystem::path& path() const override { return m_real->path(); }
    std::string vendor() const override { return m_real->vendor(); }
    const std::vector<SlideLevel>& levels() const override { return m_real->levels(); }
    std::optional<double> mppX() const override { return m_real->mppX(); }
    std::optional<double> mppY() const override { return m_real->mppY(); }
    std::optional<double> objectivePower() const override { return m_real->objectivePower(); }
    const std::map<std::string, std::string>& properties() const override { return m_real->properties(); }
    std::vector<std::string> associatedImageNames() const override { return m_real->associatedImageNames(); }
    cv::Mat readAssociatedImage(const std::string& name) const override { return m_real->readAssociatedImage(name); }

    cv::Mat readRegion(int level, int64_t x0, int64_t y0, int64_t w, int64_t h) const override
    {
        {
            std::unique_lock lock(m_mutex);
            ++m_started;
            m_changed.notify_all();
            m_changed.wait(lock, [this] { return m_open; });
        }
        if (m_fail)
            throw SlideError(path().string() + ": read refused by the test");
        return m_real->readRegion(level, x0, y0, w, h);
    }

    // Blocks until `count` reads have started (or about two seconds passed).
    bool waitForReads(int count) const
    {
        std::unique_lock lock(m_mutex);
        return m_changed.wait_for(lock, std::chrono::seconds(2), [&] { return m_started >= count; });
    }

private:
    std::shared_ptr<const SlideSource> m_real;
    mutable std::mutex m_mutex;
    mutable std::condition_variable m_changed;
    bool m_open = true;
    std::atomic<bool> m_fail { false };
    mutable int m_started = 0;
};

} // namespace cellvit::test
