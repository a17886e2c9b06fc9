#pragma once
// One piece of background work, in the style of QGIS's QgsTask: run() executes on a worker thread of a
// TaskManager's pool and polls isCanceled(); progress may be reported from there; finished() then runs on the
// GUI thread with the error text (empty when run() returned), where the result is handed over. A task that is
// cancelled still finishes: run() returns early with what it has, or throws.

#include <QObject>
#include <QString>
#include <atomic>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>

namespace cellvit {

class BackgroundTask : public QObject {
    Q_OBJECT
public:
    explicit BackgroundTask(QString description);
    ~BackgroundTask() override;

    const QString& description() const { return m_description; }
    bool isCanceled() const { return m_cancel->load(); }
    // The flag core functions take as `const std::atomic<bool>*`.
    const std::atomic<bool>* cancelFlag() const { return m_cancel.get(); }
    // Started and its result not delivered yet.
    bool isActive() const { return m_active; }
    // Any thread: progress in [0, 1]; progressChanged follows on the GUI thread.
    void reportProgress(double fraction);
    // Blocks until run() has returned and delivers the result now (tests, shutdown). No-op when not active.
    void waitForFinished();

public Q_SLOTS:
    void cancel(); // thread-safe

Q_SIGNALS:
    void progressChanged(double fraction);
    void taskFinished(bool ok); // after finished(): ok = no error

protected:
    // Worker thread. Throw to fail: the exception's text becomes the error (std::bad_alloc: "out of memory").
    virtual void run() = 0;
    // GUI thread, once: error is empty when run() returned.
    virtual void finished(const QString& error) = 0;

private:
    friend class TaskManager;
    void execute(); // worker thread
    void deliver(); // GUI thread

    QString m_description;
    std::shared_ptr<std::atomic<bool>> m_cancel = std::make_shared<std::atomic<bool>>(false);
    bool m_active = false; // GUI thread
    bool m_delivered = false;
    QString m_error;
    std::mutex m_mutex;
    std::condition_variable m_doneChanged;
    bool m_done = false; // run() returned (guarded by m_mutex)
};

// A task made of functions: work(task) on the worker returns the result, done(result) or failed(error) receive it
// on the GUI thread.
template <typename Result> class FunctionTask final : public BackgroundTask {
public:
    using Work = std::function<Result(BackgroundTask&)>;
    using Done = std::function<void(Result&&)>;
    using Failed = std::function<void(const QString&)>;
    FunctionTask(QString description, Work work, Done done, Failed failed)
        : BackgroundTask(std::move(description))
        , m_work(std::move(work))
        , m_done(std::move(done))
        , m_failed(std::move(failed))
    {
    }

protected:
    void run() override { m_result.emplace(m_work(*this)); }
    void finished(const QString& error) override
    {
        if (!error.isEmpty()) {
            if (m_failed)
                m_failed(error);
        } else if (m_done && m_result) {
            m_done(std::move(*m_result));
        }
        m_result.reset();
    }

private:
    Work m_work;
    Done m_done;
    Failed m_failed;
    std::optional<Result> m_result;
};

} // namespace cellvit
