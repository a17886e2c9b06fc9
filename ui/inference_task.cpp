#include "ui/inference_task.h"

#include "inference/pipeline/slide_run.h"
#include "inference/slide/slide_source.h"
#include "inference/store/store_slide_run.h"
#include "ui/loaded_model.h"

#include <QCoreApplication>
#include <QPointer>
#include <QtConcurrent/QtConcurrentRun>
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

InferenceTask::InferenceTask(QObject* parent)
    : QObject(parent)
{
    qRegisterMetaType<cellvit::InferenceProgress>();
    connect(&m_watcher, &QFutureWatcherBase::finished, this, &InferenceTask::onWorkerDone);
}

InferenceTask::~InferenceTask()
{
    if (m_cancel)
        m_cancel->store(true);
    m_watcher.waitForFinished(); // the worker uses the slide and model we hold
}

bool InferenceTask::start(
    std::shared_ptr<const SlideSource> slide, std::shared_ptr<const LoadedModel> model, std::vector<QPolygonF> regions)
{
    if (m_running || !slide || !model)
        return false;
    m_slide = slide;
    m_regions = regions;
    m_outcome = {};
    m_cancel = std::make_shared<std::atomic<bool>>(false);
    m_running = true;
    Q_EMIT runningChanged(true);

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
    auto cancel = m_cancel;
    std::optional<StoreRunOptions> store;
    if (!m_storeFile.empty()) {
        store.emplace();
        store->storeFile = m_storeFile;
        store->resumeRun = m_resumeRun;
        store->meta = storeRunMeta(*model, regions);
    }
    m_resumeRun.reset();
    m_watcher.setFuture(QtConcurrent::run([slide, model, regions = std::move(regions), cancel, progress, store] {
        auto outcome = std::make_shared<InferenceOutcome>();
        try {
            SlideRunRequest request;
            request.slide = slide.get();
            request.slideMpp = resolveMpp(*slide);
            request.model = &model->model();
            request.region = toRegionOfInterest(regions);
            SlideRunResult result;
            if (store) { // each finished patch is committed to the project store as it arrives
                StoreRunResult stored = runSlideSegmentationIntoStore(request, *store, progress, cancel.get());
                result = std::move(stored.run);
                outcome->storeRun = stored.runId;
            } else {
                result = runSlideSegmentation(request, progress, cancel.get());
            }
            outcome->cells = std::move(result.cells); // already limited to cells centred in the regions
            outcome->cellCount = qint64(outcome->cells.size());
            outcome->complete = result.complete;
            outcome->patches = qint64(result.patchesRun + result.patchesResumed);
            outcome->seconds = result.seconds;
            outcome->patchSizeLevel0 = result.plan.grid.patchSize * result.plan.scale();
        } catch (const std::bad_alloc&) {
            outcome->error = tr("Out of memory while segmenting. Try a smaller region.");
        } catch (const std::exception& e) { // SlideError, RunError, c10::Error (CUDA out of memory), ...
            outcome->error = QString::fromLocal8Bit(e.what());
        } catch (...) {
            outcome->error = tr("Unknown error while segmenting.");
        }
        return outcome;
    }));
    return true;
}

void InferenceTask::cancel()
{
    if (m_running && m_cancel)
        m_cancel->store(true);
}

void InferenceTask::waitForFinished()
{
    if (!m_running)
        return;
    m_watcher.waitForFinished();
    QCoreApplication::sendPostedEvents(&m_watcher); // deliver the finished notification now
    if (m_running)
        onWorkerDone();
}

void InferenceTask::onWorkerDone()
{
    if (!m_running)
        return;
    const auto result = m_watcher.future().result();
    m_running = false;
    m_outcome = std::move(*result);
    Q_EMIT runningChanged(false);
    if (!m_outcome.error.isEmpty())
        Q_EMIT failed(m_outcome.error);
    else
        Q_EMIT finished(m_outcome.complete);
}

} // namespace cellvit
