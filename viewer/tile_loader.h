#pragma once
// Reads tiles on worker threads. Requests form a stack (the most recent on top, as in ASAP's IOThread)
// so the tiles of the current view load first; replacing the requests starts a new generation and
// drops everything still pending from the old one. Results arrive on the loader's thread (the GUI
// thread) through queued calls.

#include "viewer/tile_key.h"
#include "viewer/tile_pyramid.h"

#include <QImage>
#include <QObject>
#include <QString>
#include <QThread>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <unordered_set>
#include <vector>

namespace cellvit {

class SlideSource;

class TileLoader : public QObject {
    Q_OBJECT
public:
    TileLoader(
        std::shared_ptr<const SlideSource> slide, TilePyramid pyramid, int threadCount = 2, QObject* parent = nullptr);
    ~TileLoader() override; // stops and joins the workers; undelivered results are discarded

    const TilePyramid& pyramid() const { return m_pyramid; }
    const std::shared_ptr<const SlideSource>& slide() const { return m_slide; }

    // Pushes keys on top of the stack, keys[0] ending on top (loaded first). Keys already pending are
    // moved up, keys being loaded or outside the pyramid are skipped.
    void request(const std::vector<TileKey>& keys);
    // Starts a new generation: drops every pending request, then request(keys).
    void replaceRequests(const std::vector<TileKey>& keys);

    quint64 generation() const;
    std::size_t pendingCount() const;
    std::size_t droppedCount() const; // pending requests discarded by replaceRequests
    std::size_t loadedCount() const;
    double meanLoadMilliseconds() const; // per tile, read + conversion on a worker

Q_SIGNALS:
    void tileLoaded(const cellvit::TileKey& key, const QImage& image, quint64 generation);
    void tileFailed(const cellvit::TileKey& key, const QString& message);

private:
    struct Job {
        TileKey key;
        quint64 generation = 0;
    };

    void pushLocked(const std::vector<TileKey>& keys);
    void workerLoop();
    void deliver(const Job& job, const QImage& image, const QString& error);

    const std::shared_ptr<const SlideSource> m_slide;
    const TilePyramid m_pyramid;

    mutable std::mutex m_mutex;
    std::condition_variable m_wake;
    std::vector<Job> m_stack; // back() is the top
    std::unordered_set<TileKey, TileKeyHash> m_inFlight;
    quint64 m_generation = 0;
    bool m_stopping = false;
    std::size_t m_dropped = 0;
    std::size_t m_loaded = 0;
    double m_loadMsTotal = 0.0;

    std::vector<std::unique_ptr<QThread>> m_workers;
};

} // namespace cellvit
