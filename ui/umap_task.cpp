#include "ui/umap_task.h"

#include <QCoreApplication>
#include <QPointer>
#include <QtConcurrent/QtConcurrentRun>
#include <exception>
#include <new>

namespace cellvit {

UmapTask::UmapTask(QObject* parent)
    : QObject(parent)
{
    connect(&m_watcher, &QFutureWatcherBase::finished, this, &UmapTask::onWorkerDone);
}

UmapTask::~UmapTask()
{
    if (m_cancel)
        m_cancel->store(true);
    m_watcher.waitForFinished();
}

bool UmapTask::start(std::vector<float> data, size_t n, size_t dim, const UmapParams& params)
{
    if (m_running || n < 2 || dim == 0 || data.size() != n * dim)
        return false;
    m_cancel = std::make_shared<std::atomic<bool>>(false);
    m_running = true;
    Q_EMIT runningChanged(true);

    // Progress comes from worker threads: post it to the GUI thread, at most ~100 updates.
    QPointer<UmapTask> self(this);
    auto lastPercent = std::make_shared<std::atomic<int>>(-1);
    UmapCallbacks callbacks;
    callbacks.onProgress = [self, lastPercent](double fraction, const std::string& stage) {
        const int percent = int(fraction * 100);
        if (lastPercent->exchange(percent) == percent)
            return;
        const QString text = QString::fromStdString(stage);
        QMetaObject::invokeMethod(
            self.data(),
            [self, fraction, text] {
                if (self && self->m_running)
                    Q_EMIT self->progressChanged(fraction, text);
            },
            Qt::QueuedConnection);
    };
    auto cancel = m_cancel;
    callbacks.isCancelled = [cancel] { return cancel->load(); };
    m_watcher.setFuture(QtConcurrent::run([data = std::move(data), n, dim, params, callbacks] {
        auto outcome = std::make_shared<Outcome>();
        try {
            outcome->coordinates = computeUmap(data.data(), n, dim, params, callbacks);
        } catch (const UmapCancelled&) {
            outcome->cancelled = true;
        } catch (const std::bad_alloc&) {
            outcome->error = tr("Out of memory while computing the UMAP layout.");
        } catch (const std::exception& e) {
            outcome->error = QString::fromLocal8Bit(e.what());
        }
        return outcome;
    }));
    return true;
}

void UmapTask::cancel()
{
    if (m_running && m_cancel)
        m_cancel->store(true);
}

void UmapTask::waitForFinished()
{
    if (!m_running)
        return;
    m_watcher.waitForFinished();
    QCoreApplication::sendPostedEvents(&m_watcher);
    if (m_running)
        onWorkerDone();
}

void UmapTask::onWorkerDone()
{
    if (!m_running)
        return;
    const auto outcome = m_watcher.future().result();
    m_running = false;
    Q_EMIT runningChanged(false);
    if (!outcome->error.isEmpty()) {
        Q_EMIT failed(outcome->error);
    } else if (outcome->cancelled) {
        Q_EMIT cancelled();
    } else {
        m_coordinates = std::move(outcome->coordinates);
        Q_EMIT finished();
    }
}

} // namespace cellvit
