#pragma once
// One segmentation run in the background (QGIS task style): runSlideSegmentation runs on a worker thread,
// progress and the result are delivered on the GUI thread, Cancel sets the run's flag. The core checks it
// between patches and inside the network's forward pass (between encoder blocks and decoder convolution
// bands), so a cancelled run ends within a second even on a CPU, abandons the patch in flight and keeps the
// cells of the finished patches. Errors (bad tile, out of memory, ...) arrive as failed(message); nothing
// else changes then.

#include "inference/export/cell_classes.h"
#include "inference/merge/slide_cell.h"

#include <QMetaType>
#include <QObject>
#include <QPointer>
#include <QPolygonF>
#include <QStringList>
#include <atomic>
#include <filesystem>
#include <memory>
#include <optional>
#include <vector>

namespace cellvit {

class BackgroundTask;
class LoadedModel;
class SlideSource;
class TaskManager;

struct InferenceProgress {
    qint64 patchesDone = 0, patchesTotal = 0, cells = 0;
    double elapsedSeconds = 0, etaSeconds = 0, patchesPerSecond = 0;
};

struct InferenceOutcome {
    std::vector<SlideCell> cells; // centroid inside the run's outlines (the patches reach beyond them)
    qint64 cellCount = 0; // cells.size() when the run ended (cells can be taken away)
    bool complete = false; // false: cancelled (cells of the finished patches only)
    QString error; // non-empty: the run failed and `cells` is empty
    qint64 patches = 0;
    double patchSizeLevel0 = 0; // side of one patch in level-0 px (with SlideCell::patchOrigin: its area)
    double seconds = 0;
    qint64 storeRun = 0; // the run's id in the project store (0 without a store)
    // Level-0 squares of the patches whose cells are in `cells`, also those that found none: after a cancel,
    // earlier results are replaced exactly there.
    std::vector<QRectF> patchesDone;
    CellTaxonomy taxonomy; // of the model the run ran with (not the one loaded now)
};

class InferenceTask : public QObject {
    Q_OBJECT
public:
    // Runs go through `tasks` (which must outlive this object's runs: destroying it cancels and joins them).
    explicit InferenceTask(TaskManager* tasks, QObject* parent = nullptr);
    ~InferenceTask() override; // cancels a run and waits for its worker

    // Starts a run over `regions` (level-0 outlines; empty = whole slide). False when a run is going on or
    // the slide or model is missing.
    bool start(std::shared_ptr<const SlideSource> slide, std::shared_ptr<const LoadedModel> model,
        std::vector<QPolygonF> regions);
    bool isRunning() const { return m_running; }
    // The model of the run going on, or of the last one.
    const std::shared_ptr<const LoadedModel>& model() const { return m_model; }
    // Runs write each finished patch to this project store (project_store.h) and read their cells back from
    // it; empty = no store. The next start() resumes `run` when set (its finished patches are not run again).
    void setStoreFile(std::filesystem::path file) { m_storeFile = std::move(file); }
    void setResumeRun(std::optional<qint64> run) { m_resumeRun = run; }
    bool isCancelling() const;

    // The last finished run: its outlines, slide and result (cells can be taken once).
    const std::vector<QPolygonF>& regions() const { return m_regions; }
    const std::shared_ptr<const SlideSource>& slide() const { return m_slide; }
    std::vector<SlideCell> takeCells() { return std::move(m_outcome.cells); }
    const InferenceOutcome& outcome() const { return m_outcome; }

    // Blocks until the current run has ended (tests, shutdown); results are delivered before it returns.
    void waitForFinished();

public Q_SLOTS:
    void cancel();

Q_SIGNALS:
    void runningChanged(bool running);
    void progressChanged(const cellvit::InferenceProgress& progress);
    void finished(bool complete); // cells ready in takeCells()
    void failed(const QString& message);

private:
    void onWorkerDone(InferenceOutcome&& outcome);

    TaskManager* m_tasks; // not owned
    QPointer<BackgroundTask> m_current;
    std::shared_ptr<const SlideSource> m_slide;
    std::shared_ptr<const LoadedModel> m_model;
    std::vector<QPolygonF> m_regions;
    InferenceOutcome m_outcome;
    bool m_running = false;
    std::filesystem::path m_storeFile;
    std::optional<qint64> m_resumeRun;
};

} // namespace cellvit

Q_DECLARE_METATYPE(cellvit::InferenceProgress)
