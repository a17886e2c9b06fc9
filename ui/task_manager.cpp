#include "ui/task_manager.h"

#include <algorithm>

namespace cellvit {

TaskManager::TaskManager(QObject* parent)
    : QObject(parent)
{
    // The network and post-processing use their own threads; these workers mostly wait on them or on I/O.
    m_pool.setMaxThreadCount(std::max(4, QThread::idealThreadCount()));
}

TaskManager::~TaskManager()
{
    cancelAll();
    m_pool.waitForDone(); // the children (tasks) are deleted after this, with nothing running
}

void TaskManager::add(std::unique_ptr<BackgroundTask> task)
{
    BackgroundTask* raw = task.release();
    raw->setParent(this);
    raw->m_active = true;
    m_tasks.push_back(raw);
    connect(raw, &BackgroundTask::taskFinished, this, [this, raw] { remove(raw); });
    Q_EMIT activeCountChanged(activeCount());
    m_pool.start([raw] { raw->execute(); });
}

void TaskManager::remove(BackgroundTask* task)
{
    const auto it = std::find(m_tasks.begin(), m_tasks.end(), task);
    if (it == m_tasks.end())
        return;
    m_tasks.erase(it);
    task->deleteLater();
    Q_EMIT activeCountChanged(activeCount());
}

void TaskManager::cancelAll()
{
    for (BackgroundTask* task : m_tasks)
        task->cancel();
}

void TaskManager::waitForAll()
{
    while (!m_tasks.empty())
        m_tasks.front()->waitForFinished();
}

} // namespace cellvit
