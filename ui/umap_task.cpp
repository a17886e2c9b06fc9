#include "ui/umap_task.h"

#include "ui/task_manager.h"

#include <QPointer>
#include <exception>
#include <new>

namespace cellvit {

UmapTask::UmapTask(TaskManager* tasks, QObject* parent)
    : QObject(parent)
    , m_tasks(tasks)
{
}

UmapTask::~UmapTask()
{
    cancel();
    if (m_current)
        m_current->waitForFinished();
}

bool UmapTask::start(std::vector<float> data, size_t n, size_t dim, const UmapParams& params)
{
    if (m_running || n < 2 || dim == 0 || data.size() != n * dim)
        return false;
    m_running = true;

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
    auto work = [data = std::move(data), n, dim, params, callbacks](BackgroundTask& task) mutable {
        const std::atomic<bool>* cancelled = task.cancelFlag();
        callbacks.isCancelled = [cancelled] { return cancelled->load(); };
        Outcome outcome;
        try {
            outcome.coordinates = computeUmap(data.data(), n, dim, params, callbacks);
        } catch (const UmapCancelled&) {
            outcome.cancelled = true;
        } catch (const std::bad_alloc&) {
            outcome.error = tr("Out of memory while computing the UMAP layout.");
        }
        return outcome;
    };
    m_current = m_tasks->run<Outcome>(
        tr("Computing the UMAP layout"), this, std::move(work), [this](Outcome&& o) { onWorkerDone(std::move(o)); },
        [this](const QString& error) {
            Outcome failed;
            failed.error = error;
            onWorkerDone(std::move(failed));
        });
    Q_EMIT runningChanged(true);
    return true;
}

void UmapTask::cancel()
{
    if (m_running && m_current)
        m_current->cancel();
}

void UmapTask::waitForFinished()
{
    if (m_running && m_current)
        m_current->waitForFinished(); // delivers before returning
}

void UmapTask::onWorkerDone(Outcome&& outcome)
{
    if (!m_running)
        return;
    m_running = false;
    Q_EMIT runningChanged(false);
    if (!outcome.error.isEmpty()) {
        Q_EMIT failed(outcome.error);
    } else if (outcome.cancelled) {
        Q_EMIT cancelled();
    } else {
        m_coordinates = std::move(outcome.coordinates);
        Q_EMIT finished();
    }
}

} // namespace cellvit
