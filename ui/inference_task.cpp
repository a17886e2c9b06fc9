#include "ui/inference_task.h"

#include "inference/pipeline/slide_run.h"
#include "inference/slide/slide_source.h"
#include "inference/store/store_slide_run.h"
#include "ui/loaded_model.h"
#include "ui/task_manager.h"

#include <QCoreApplication>
#include <QPointer>
#include <algorithm>
#include <exception>
#include <new>

namespace cellvit {

namespace {

RegionOfInterest toRegionOfInterest(const std::vector<QPolygonF>& outlines)
{
    RegionOfInterest roi;
    for (const QPolygonF& outline : outlines) {
        std::vector<cv::Point2d> ring;
        for (const QPointF& p : outline)
            ring.emplace_back(p.x(), p.y());
        roi.polygons.push_back(std::move(ring));
    }
    return roi;
}

// What the store records about a run; "regions" lets an interrupted run be resumed over the same outlines.
RunMeta storeRunMeta(const LoadedModel& model, const std::vector<QPolygonF>& regions)
{
    RunMeta meta;
    meta.modelPath = model.info().path;
    meta.modelArch = model.info().arch;
    meta.classNames = model.info().classNames;
    meta.appVersion = QCoreApplication::applicationVersion();
    nlohmann::json outlines = nlohmann::json::array();
    for (const QPolygonF& outline : regions) {
        nlohmann::json ring = nlohmann::json::array();
        for (const QPointF& p : outline)
            ring.push_back({ p.x(), p.y() });
        outlines.push_back(std::move(ring));
    }
    meta.parameters = { { "regions", std::move(outlines) }, { "device", model.info().device.toStdString() } };
    return meta;
}

} // namespace

InferenceTask::InferenceTask(TaskManager* tasks, QObject* parent)
    : QObject(parent)
    , m_tasks(tasks)
{
    qRegisterMetaType<cellvit::InferenceProgress>();
}

InferenceTask::~InferenceTask()
{
    cancel();
    if (m_current)
        m_current->waitForFinished(); // the worker uses the slide and model we hold
}

bool InferenceTask::isCancelling() const
{
    return m_running && m_current && m_current->isCanceled();
}

bool InferenceTask::start(
    std::shared_ptr<const SlideSource> slide, std::shared_ptr<const LoadedModel> model, std::vector<QPolygonF> regions)
{
    if (m_running || !slide || !model)
        return false;
    m_slide = slide;
    m_model = model;
    m_regions = regions;
    m_outcome = {};
    m_running = true;

    // The progress callback runs on pipeline threads: it only posts to the GUI thread. QPointer keeps a
    // late callback from reaching a task that is gone.
    QPointer<InferenceTask> self(this);
    auto progress = [self](const SegmentProgress& p) {
        InferenceProgress update { qint64(p.patchesDone), qint64(p.patchesTotal), qint64(p.cells), p.elapsedSeconds,
            p.etaSeconds, p.patchesPerSecond };
        QMetaObject::invokeMethod(
            self.data(),
            [self, update] {
                if (self && self->m_running)
                    Q_EMIT self->progressChanged(update);
            },
            Qt::QueuedConnection);
    };
    std::optional<StoreRunOptions> store;
    if (!m_storeFile.empty()) {
        store.emplace();
        store->storeFile = m_storeFile;
        store->resumeRun = m_resumeRun;
        store->meta = storeRunMeta(*model, regions);
    }
    m_resumeRun.reset();
    auto work = [slide, model, regions = std::move(regions), progress, store](BackgroundTask& task) {
        InferenceOutcome outcome;
        outcome.taxonomy = model->taxonomy();
        try {
            SlideRunRequest request;
            request.slide = slide.get();
            request.slideMpp = resolveMpp(*slide);
            request.model = &model->model();
            request.region = toRegionOfInterest(regions);
            SlideRunResult result;
            if (store) { // each finished patch is committed to the project store as it arrives
                StoreRunResult stored
                    = runSlideSegmentationIntoStore(request, *store, progress, task.cancelFlag());
                result = std::move(stored.run);
                outcome.storeRun = stored.runId;
            } else {
                result = runSlideSegmentation(request, progress, task.cancelFlag());
            }
            outcome.cells = std::move(result.cells); // already limited to cells centred in the regions
            outcome.cellCount = qint64(outcome.cells.size());
            outcome.complete = result.complete;
            outcome.patches = qint64(result.patchesRun + result.patchesResumed);
            outcome.seconds = result.seconds;
            outcome.patchSizeLevel0 = result.plan.grid.patchSize * result.plan.scale();
            for (const PatchSpec& patch : result.patchesDone) {
                const cv::Rect2d r = result.plan.level0Rect(patch);
                outcome.patchesDone.emplace_back(r.x, r.y, r.width, r.height);
            }
        } catch (const std::bad_alloc&) {
            outcome.error = tr("Out of memory while segmenting. Try a smaller region.");
        } catch (const std::exception& e) { // SlideError, RunError, c10::Error (CUDA out of memory), ...
            outcome.error = QString::fromLocal8Bit(e.what());
        }
        return outcome;
    };
    m_current = m_tasks->run<InferenceOutcome>(
        tr("Segmenting nuclei"), this, std::move(work),
        [this](InferenceOutcome&& outcome) { onWorkerDone(std::move(outcome)); },
        [this](const QString& error) {
            InferenceOutcome failed;
            failed.error = error;
            onWorkerDone(std::move(failed));
        });
    Q_EMIT runningChanged(true);
    return true;
}

void InferenceTask::cancel()
{
    if (m_running && m_current)
        m_current->cancel();
}

void InferenceTask::waitForFinished()
{
    if (m_running && m_current)
        m_current->waitForFinished(); // delivers the result before returning
}

void InferenceTask::onWorkerDone(InferenceOutcome&& outcome)
{
    if (!m_running)
        return;
    m_running = false;
    m_outcome = std::move(outcome);
    Q_EMIT runningChanged(false);
    if (!m_outcome.error.isEmpty())
        Q_EMIT failed(m_outcome.error);
    else
        Q_EMIT finished(m_outcome.complete);
}

} // namespace cellvit
