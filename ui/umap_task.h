#pragma once
// One UMAP layout in the background: computeUmap runs as a task of the window's TaskManager, progress and the
// result are delivered on the GUI thread, Cancel sets the flag the layout polls (it ends within one SGD epoch).

#include "inference/embeddings/umap.h"

#include <QObject>
#include <QPointer>
#include <QString>
#include <atomic>
#include <memory>
#include <vector>

namespace cellvit {

class BackgroundTask;
class TaskManager;

class UmapTask : public QObject {
    Q_OBJECT
public:
    explicit UmapTask(TaskManager* tasks, QObject* parent = nullptr);
    ~UmapTask() override; // cancels and waits for the worker

    // data: n × dim row-major. False when a layout is being computed or n < 2.
    bool start(std::vector<float> data, size_t n, size_t dim, const UmapParams& params);
    bool isRunning() const { return m_running; }
    // n × 2 of the last finished layout.
    const std::vector<float>& coordinates() const { return m_coordinates; }
    // Blocks until the worker has ended and its outcome is delivered (tests, shutdown).
    void waitForFinished();

public Q_SLOTS:
    void cancel();

Q_SIGNALS:
    void runningChanged(bool running);
    void progressChanged(double fraction, const QString& stage);
    void finished(); // coordinates() ready
    void cancelled();
    void failed(const QString& message);

private:
    struct Outcome {
        std::vector<float> coordinates;
        bool cancelled = false;
        QString error;
    };
    void onWorkerDone(Outcome&& outcome);

    TaskManager* m_tasks; // not owned
    QPointer<BackgroundTask> m_current;
    std::vector<float> m_coordinates;
    bool m_running = false;
};

} // namespace cellvit
