#include "ui/run_controller.h"

#include "inference/slide/mpp_resolution.h"
#include "inference/slide/slide_source.h"
#include "ui/loaded_model.h"
#include "viewer/cell_layer.h"

namespace cellvit {

void applyRunToLayer(
    CellLayer& layer, InferenceOutcome&& outcome, const std::vector<QPolygonF>& regions, const QSizeF& slideSize)
{
    layer.setTaxonomy(outcome.taxonomy);
    std::vector<SlideCell> cells = std::move(outcome.cells);
    if (outcome.complete) {
        if (regions.empty())
            layer.setCells(std::move(cells), { QPolygonF(QRectF(QPointF(0, 0), slideSize)) });
        else
            layer.replaceCellsIn(regions, std::move(cells));
        return;
    }
    // Cancelled: the finished patches (also those that found no nucleus) replace what was there; the rest of
    // the regions keeps its earlier cells.
    std::vector<QPolygonF> done;
    for (const QRectF& patch : outcome.patchesDone) {
        if (regions.empty())
            done.emplace_back(patch);
        for (const QPolygonF& region : regions)
            if (const QPolygonF part = region.intersected(QPolygonF(patch)); part.size() >= 3)
                done.push_back(part);
    }
    if (!done.empty())
        layer.replaceCellsIn(done, std::move(cells));
}

RunController::RunController(TaskManager* tasks, CellLayer* cells, QObject* parent)
    : QObject(parent)
    , m_task(new InferenceTask(tasks, this))
    , m_cells(cells)
{
    connect(m_task, &InferenceTask::runningChanged, this, &RunController::runningChanged);
    connect(m_task, &InferenceTask::finished, this, &RunController::onFinished);
    connect(m_task, &InferenceTask::failed, this, [this](const QString& message) {
        Q_EMIT statusMessage(tr("Segmentation failed: %1").arg(message), 8000);
    });
}

void RunController::setSlide(std::shared_ptr<const SlideSource> slide)
{
    m_slide = std::move(slide);
}

QString RunController::busyReason() const
{
    return m_task->isRunning() ? tr("A segmentation run is in progress: wait for it or cancel it first.") : QString();
}

bool RunController::start(std::shared_ptr<const LoadedModel> model, std::vector<QPolygonF> regions)
{
    QString reason = busyReason();
    if (reason.isEmpty() && !m_slide)
        reason = tr("Open a slide first.");
    if (reason.isEmpty() && !model)
        reason = tr("Open a checkpoint first.");
    if (reason.isEmpty() && !m_slide->mppX() && !declaredMpp(*m_slide))
        reason = tr("This image has no resolution metadata: set its micrometres per pixel with Analysis ▸ Set "
                    "Image Resolution first.");
    if (!reason.isEmpty()) {
        Q_EMIT runRefused(reason);
        return false;
    }
    return m_task->start(m_slide, std::move(model), std::move(regions)); // runningChanged(true) follows
}

void RunController::showModelClasses(const LoadedModel& model)
{
    if (m_cells->size() == 0 && !m_task->isRunning())
        m_cells->setTaxonomy(model.taxonomy());
}

void RunController::cancel()
{
    m_task->cancel();
}

void RunController::onFinished(bool complete)
{
    std::vector<SlideCell> cells = m_task->takeCells();
    InferenceOutcome outcome = m_task->outcome(); // without its cells, taken above
    outcome.cells = std::move(cells);
    if (!m_slide || m_task->slide() != m_slide)
        return; // a run on a slide that is no longer open
    const int found = int(outcome.cells.size());
    const QSizeF size(double(m_slide->levels().front().width), double(m_slide->levels().front().height));
    applyRunToLayer(*m_cells, std::move(outcome), m_task->regions(), size);
    Q_EMIT statusMessage(complete ? tr("Segmentation finished: %n nuclei", nullptr, found)
                                  : tr("Segmentation cancelled: %n nuclei kept", nullptr, found),
        8000);
}

} // namespace cellvit
