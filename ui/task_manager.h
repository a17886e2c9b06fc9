#pragma once
// Runs BackgroundTasks on a thread pool of its own (QGIS's QgsTaskManager): every background job of the desktop
// app goes through one, so destroying it cancels them all and waits for their workers before anything they use
// goes away. Results are delivered on the GUI thread; a task is deleted once its result is delivered.

#include "ui/background_task.h"

#include <QObject>
#include <QPointer>
#include <QThreadPool>
#include <memory>
#include <vector>

namespace cellvit {

class TaskManager : public QObject {
    Q_OBJECT
public:
    explicit TaskManager(QObject* parent = nullptr);
    ~TaskManager() override; // cancels every task and waits; undelivered results are dropped

    // Starts `task` on the pool; the manager owns it. Returns it (valid until taskFinished has been emitted).
    template <typename Task> Task* start(std::unique_ptr<Task> task)
    {
        Task* raw = task.get();
        add(std::unique_ptr<BackgroundTask>(task.release()));
        return raw;
    }
    // A FunctionTask; done/failed are not called once `context` is destroyed.
    template <typename Result>
    BackgroundTask* run(QString description, QObject* context, typename FunctionTask<Result>::Work work,
        typename FunctionTask<Result>::Done done, typename FunctionTask<Result>::Failed failed = {})
    {
        QPointer<QObject> guard(context);
        auto guardedDone = [guard, done = std::move(done)](Result&& r) {
            if (guard && done)
                done(std::move(r));
        };
        auto guardedFailed = [guard, failed = std::move(failed)](const QString& e) {
            if (guard && failed)
                failed(e);
        };
        return start(std::make_unique<FunctionTask<Result>>(
            std::move(description), std::move(work), std::move(guardedDone), std::move(guardedFailed)));
    }

    int activeCount() const { return int(m_tasks.size()); }
    const std::vector<BackgroundTask*>& activeTasks() const { return m_tasks; }
    void cancelAll();
    // Blocks until every task started so far has finished, delivering their results (tests, shutdown).
    void waitForAll();

Q_SIGNALS:
    void activeCountChanged(int count);

private:
    void add(std::unique_ptr<BackgroundTask> task);
    void remove(BackgroundTask* task);

    QThreadPool m_pool;
    std::vector<BackgroundTask*> m_tasks; // children of this manager until delivered
};

} // namespace cellvit
