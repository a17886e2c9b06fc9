#pragma once
// Owns segmentation runs for the main window: starts them (one at a time, refusing with a reason otherwise),
// keeps the model and taxonomy each run ran with, and puts finished results on the cell layer (replacing earlier
// cells in the analysed outlines, or after a cancel in exactly the finished patches, empty ones included).
// MainWindow only wires its signals to widgets.

#include "ui/inference_task.h"

#include <QObject>
#include <QPolygonF>
#include <QSizeF>
#include <memory>
#include <vector>

namespace cellvit {

class CellLayer;
class LoadedModel;
class SlideSource;
class TaskManager;

// The results of a finished (or cancelled) run on the layer: the run's cells replace the earlier ones inside
// `regions` (the whole slide of `slideSize` when empty); after a cancel only inside the finished patches.
// The layer takes the run's taxonomy.
void applyRunToLayer(CellLayer& layer, InferenceOutcome&& outcome, const std::vector<QPolygonF>& regions,
    const QSizeF& slideSize);

class RunController : public QObject {
    Q_OBJECT
public:
    RunController(TaskManager* tasks, CellLayer* cells, QObject* parent = nullptr);

    InferenceTask* task() const { return m_task; }
    bool isRunning() const { return m_task->isRunning(); }
    // The open slide: results of a run on another slide are dropped.
    void setSlide(std::shared_ptr<const SlideSource> slide);
    // Starts a run; false with runRefused(reason) when it cannot start now (a run is going on, no slide or model).
    bool start(std::shared_ptr<const LoadedModel> model, std::vector<QPolygonF> regions);
    // Why Open Checkpoint / Run are disabled now; empty when they are not.
    QString busyReason() const;
    // A model was loaded: while no nuclei are shown, the overlay and counts list its classes.
    void showModelClasses(const LoadedModel& model);

public Q_SLOTS:
    void cancel();

Q_SIGNALS:
    void runRefused(const QString& reason);
    void statusMessage(const QString& text, int timeoutMs);
    void runningChanged(bool running);

private:
    void onFinished(bool complete);

    InferenceTask* m_task;
    CellLayer* m_cells;
    std::shared_ptr<const SlideSource> m_slide;
};

} // namespace cellvit
