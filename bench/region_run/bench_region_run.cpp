// Click → overlay for a small region with the bundled model (issue #18): the desktop window (offscreen) with the
// sample slide and the bundled model loaded, a region of ≈ 0.05 mm² selected; timed from "Run on Selected
// Regions" to the nuclei drawn on the view. --compare-grid also times the same region through the pipeline alone
// with the slide's patch grid (what every region cost before one-patch plans) and with the one-patch plan.
// Usage: bench_region_run [--region x,y,w,h] [--repeats N] [--compare-grid]. Goal: ≤ 15 s on 2 cores.
#include "bench/common/bench_arguments.h"
#include "inference/pipeline/slide_run.h"
#include "inference/slide/mpp_resolution.h"
#include "model_zoo/model_catalog.h"
#include "ui/inference_task.h"
#include "ui/loaded_model.h"
#include "ui/main_window.h"
#include "ui/model_panel.h"
#include "viewer/cell_layer.h"
#include "viewer/region_editor.h"
#include "viewer/region_store.h"
#include "viewer/slide_view.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QStandardPaths>
#include <QTimer>
#include <cstdio>
#include <sys/resource.h>

using namespace cellvit;

namespace {

// CPU seconds of this process so far (all threads): less sensitive than wall time to other jobs on the machine.
double cpuSeconds()
{
    rusage usage {};
    getrusage(RUSAGE_SELF, &usage);
    auto seconds = [](const timeval& t) { return double(t.tv_sec) + double(t.tv_usec) / 1e6; };
    return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

bool waitFor(QObject* sender, const char* signal, int timeoutMs)
{
    QEventLoop loop;
    QObject::connect(sender, signal, &loop, SLOT(quit()));
    QTimer::singleShot(timeoutMs, &loop, [&loop] { loop.exit(1); });
    return loop.exec() == 0;
}

} // namespace

int main(int argc, char** argv)
{
    qputenv("QT_QPA_PLATFORM", qgetenv("QT_QPA_PLATFORM").isEmpty() ? "offscreen" : qgetenv("QT_QPA_PLATFORM"));
    QApplication app(argc, argv);
    QStandardPaths::setTestModeEnabled(true); // no project store, no remembered checkpoint
    QRectF box(740, 740, 440, 440); // 880 px at a 40x model's resolution: one patch (at most 896)
    int repeats = 2;
    bool compareGrid = false;
    bench::parseArgumentsOrExit(argc, argv, "bench_region_run",
        "bench_region_run [--region x,y,w,h] [--repeats 2] [--compare-grid]",
        [&](const std::string& flag, bench::Arguments& args) {
            if (flag == "--region") {
                const QStringList v = QString::fromStdString(args.value()).split(QLatin1Char(','));
                if (v.size() != 4)
                    throw std::invalid_argument("--region needs x,y,w,h");
                box = QRectF(v[0].toDouble(), v[1].toDouble(), v[2].toDouble(), v[3].toDouble());
            } else if (flag == "--repeats") {
                repeats = args.intValue();
            } else if (flag == "--compare-grid") {
                compareGrid = true;
            } else {
                return false;
            }
            return true;
        });
    const auto bundled = defaultBundledModel();
    if (!bundled) {
        std::fprintf(stderr, "bench_region_run: the bundled model is not installed\n");
        return 1;
    }
    const QString slidePath = QStringLiteral(CELLVIT_SOURCE_DIR "/resources/cmu-1-small-region.svs");

    MainWindow window;
    window.setErrorReporter([](QWidget*, const QString& t, const QString& m) {
        std::fprintf(stderr, "%s: %s\n", qPrintable(t), qPrintable(m));
    });
    window.resize(1600, 1000);
    window.show();
    if (!window.openSlide(slidePath))
        return 1;
    window.modelPanel()->loadCheckpoint(QString::fromStdString(bundled->file.string()));
    if (!waitFor(window.modelPanel(), SIGNAL(modelLoaded()), 120000))
        return 1;
    const double mpp = window.slideView()->micrometresPerPixel().value_or(0.5);
    const quint64 id = window.regionStore()->addRegion({ 0, {}, RegionKind::Rectangle, QPolygonF(box) });
    window.regionEditor()->selectOnly(id);
    window.slideView()->centerOn(box.center());
    std::printf("region %.0f,%.0f %.0f×%.0f px = %.4f mm² (%.3f µm/px), model %s\n", box.x(), box.y(), box.width(),
        box.height(), box.width() * box.height() * mpp * mpp / 1e6, mpp, bundled->file.filename().c_str());

    for (int r = 0; r < repeats; ++r) {
        QElapsedTimer clock;
        clock.start();
        const double cpuBefore = cpuSeconds();
        if (!window.runOnSelectedRegions())
            return 1;
        if (!waitFor(window.inferenceTask(), SIGNAL(runningChanged(bool)), 600000) || window.inferenceTask()->isRunning())
            return 1;
        window.slideView()->repaint(); // the overlay is drawn: what the user sees
        const double seconds = double(clock.nsecsElapsed()) / 1e9;
        const InferenceOutcome& outcome = window.inferenceTask()->outcome();
        if (!outcome.error.isEmpty()) {
            std::fprintf(stderr, "bench_region_run: the run failed: %s\n", qPrintable(outcome.error));
            return 1;
        }
        std::printf("click → overlay: %.2f s (%lld patch(es), %lld nuclei; pipeline %.2f s; CPU %.1f s)\n", seconds,
            static_cast<long long>(outcome.patches), static_cast<long long>(outcome.cellCount), outcome.seconds,
            cpuSeconds() - cpuBefore);
    }

    if (compareGrid) {
        const auto slide = cellvit::openSlide(slidePath.toStdString());
        const auto model = window.modelPanel()->model();
        for (const bool onePatch : { false, true }) {
            SlideRunRequest request;
            request.slide = slide.get();
            request.slideMpp = resolveMpp(*slide);
            request.model = &model->model();
            request.region = RegionOfInterest::rectangle(box.x(), box.y(), box.width(), box.height());
            request.onePatchForSmallRegion = onePatch;
            const SlideRunResult result = runSlideSegmentation(request);
            std::printf("pipeline, %s: %.2f s (%zu patch(es), %zu nuclei)\n", onePatch ? "one patch" : "slide grid",
                result.seconds, result.patchesRun, result.cells.size());
        }
    }
    return 0;
}
