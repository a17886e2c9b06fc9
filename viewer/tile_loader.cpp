#include "viewer/tile_loader.h"

#include "inference/slide/slide_source.h"

#include <QElapsedTimer>
#include <algorithm>
#include <exception>

namespace cellvit {

TileLoader::TileLoader(std::shared_ptr<const SlideSource> slide, TilePyramid pyramid, int threadCount, QObject* parent)
    : QObject(parent)
    , m_slide(std::move(slide))
    , m_pyramid(std::move(pyramid))
{
    qRegisterMetaType<cellvit::TileKey>();
    for (int i = 0; i < std::max(1, threadCount); ++i) {
        m_workers.emplace_back(QThread::create([this] { workerLoop(); }));
        m_workers.back()->setObjectName(QStringLiteral("TileLoader-%1").arg(i));
        m_workers.back()->start();
    }
}

TileLoader::~TileLoader()
{
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
        m_stack.clear();
    }
    m_wake.notify_all();
    for (auto& worker : m_workers)
        worker->wait();
}

void TileLoader::request(const std::vector<TileKey>& keys)
{
    {
        std::lock_guard lock(m_mutex);
        pushLocked(keys);
    }
    m_wake.notify_all();
}

void TileLoader::replaceRequests(const std::vector<TileKey>& keys)
{
    {
        std::lock_guard lock(m_mutex);
        ++m_generation;
        m_dropped += m_stack.size();
        m_stack.clear();
        pushLocked(keys);
    }
    m_wake.notify_all();
}

void TileLoader::pushLocked(const std::vector<TileKey>& keys)
{
    for (auto it = keys.rbegin(); it != keys.rend(); ++it) {
        if (!m_pyramid.isValid(*it) || m_inFlight.count(*it))
            continue;
        const auto same = std::find_if(m_stack.begin(), m_stack.end(), [&](const Job& j) { return j.key == *it; });
        if (same != m_stack.end())
            m_stack.erase(same);
        m_stack.push_back({ *it, m_generation });
    }
}

quint64 TileLoader::generation() const
{
    std::lock_guard lock(m_mutex);
    return m_generation;
}

std::size_t TileLoader::pendingCount() const
{
    std::lock_guard lock(m_mutex);
    return m_stack.size();
}

std::size_t TileLoader::droppedCount() const
{
    std::lock_guard lock(m_mutex);
    return m_dropped;
}

std::size_t TileLoader::loadedCount() const
{
    std::lock_guard lock(m_mutex);
    return m_loaded;
}

double TileLoader::meanLoadMilliseconds() const
{
    std::lock_guard lock(m_mutex);
    return m_loaded ? m_loadMsTotal / double(m_loaded) : 0.0;
}

void TileLoader::workerLoop()
{
    for (;;) {
        Job job;
        {
            std::unique_lock lock(m_mutex);
            m_wake.wait(lock, [this] { return m_stopping || !m_stack.empty(); });
            if (m_stopping)
                return;
            job = m_stack.back();
            m_stack.pop_back();
            m_inFlight.insert(job.key);
        }
        QElapsedTimer timer;
        timer.start();
        QImage image;
        QString error;
        try {
            image = readTile(*m_slide, m_pyramid, job.key);
        } catch (const std::exception& e) {
            error = QString::fromStdString(e.what());
        }
        {
            std::lock_guard lock(m_mutex);
            if (error.isEmpty()) {
                ++m_loaded;
                m_loadMsTotal += double(timer.nsecsElapsed()) / 1e6;
            }
        }
        deliver(job, image, error);
    }
}

void TileLoader::deliver(const Job& job, const QImage& image, const QString& error)
{
    // The key stays "in flight" until the GUI thread has it, so it is not read twice meanwhile.
    QMetaObject::invokeMethod(
        this,
        [this, job, image, error] {
            {
                std::lock_guard lock(m_mutex);
                m_inFlight.erase(job.key);
            }
            if (error.isEmpty())
                Q_EMIT tileLoaded(job.key, image, job.generation);
            else
                Q_EMIT tileFailed(job.key, error);
        },
        Qt::QueuedConnection);
}

} // namespace cellvit
