#include "ui/background_task.h"

#include <QCoreApplication>
#include <exception>
#include <new>

namespace cellvit {

BackgroundTask::BackgroundTask(QString description)
    : m_description(std::move(description))
{
}

BackgroundTask::~BackgroundTask() = default;

void BackgroundTask::cancel()
{
    m_cancel->store(true);
}

void BackgroundTask::reportProgress(double fraction)
{
    // The task outlives its run() (it is deleted only after delivery), and a deleted context drops the call.
    QMetaObject::invokeMethod(
        this,
        [this, fraction] {
            if (m_active)
                Q_EMIT progressChanged(fraction);
        },
        Qt::QueuedConnection);
}

void BackgroundTask::execute()
{
    QString error;
    try {
        run();
    } catch (const std::bad_alloc&) {
        error = QCoreApplication::translate("cellvit", "Out of memory.");
    } catch (const std::exception& e) {
        error = QString::fromLocal8Bit(e.what());
        if (error.isEmpty())
            error = QCoreApplication::translate("cellvit", "Unknown error.");
    } catch (...) {
        error = QCoreApplication::translate("cellvit", "Unknown error.");
    }
    // Posted before the task counts as done: it cannot be delivered (and deleted) before this call, and after the
    // notification below the worker no longer touches it.
    QMetaObject::invokeMethod(this, &BackgroundTask::deliver, Qt::QueuedConnection);
    std::lock_guard lock(m_mutex);
    m_error = error;
    m_done = true;
    m_doneChanged.notify_all();
}

void BackgroundTask::deliver()
{
    if (m_delivered || !m_active)
        return;
    QString error;
    {
        std::unique_lock lock(m_mutex);
        m_doneChanged.wait(lock, [this] { return m_done; }); // posted just before it is set
        error = m_error;
    }
    m_delivered = true;
    m_active = false;
    finished(error);
    Q_EMIT taskFinished(error.isEmpty());
}

void BackgroundTask::waitForFinished()
{
    if (m_active)
        deliver(); // waits for run() to return
}

} // namespace cellvit
