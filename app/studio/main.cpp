// cellvit-studio: the desktop application. `cellvit-studio [slide]` opens a slide at start-up;
// `--mpp X` declares a plain image's resolution (Analysis ▸ Set Image Resolution),
// `--regions FILE` / `--detections FILE` import GeoJSON regions / QuPath detections, `--view X,Y,MAG`
// centres the view on level-0 (X, Y) at magnification MAG, `--checkpoint FILE [--run]` loads a model (and
// runs it on the imported regions), `--embeddings FILE` loads embeddings.npy for the nuclei shown, `--umap`
// computes the UMAP of the nuclei's embeddings (once a run has ended); `--screenshot FILE` saves the window
// once the visible tiles have loaded and any run and layout have ended, and quits (docs, CI).
#include "ui/embedding_import_controller.h"
#include "ui/inference_task.h"
#include "ui/language_settings.h"
#include "ui/main_window.h"
#include "ui/model_panel.h"
#include "ui/task_manager.h"
#include "ui/umap_panel.h"
#include "ui/umap_task.h"
#include "viewer/slide_view.h"

#include <QApplication>
#include <QFileInfo>
#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QTextStream>
#include <QTimer>
#include <functional>
#include <memory>

namespace {

constexpr int kScreenshotPollMs = 50;
constexpr qint64 kScreenshotTimeoutMs = 30000; // for the tiles; a model run may take longer

// Polls until the view has drawn its tiles (or a timeout), then saves the window and quits.
// `ready` says whether everything else asked for on the command line (a model run) has ended.
void saveScreenshotWhenLoaded(cellvit::MainWindow& window, const QString& file, std::function<bool()> ready)
{
    auto timer = std::make_shared<QElapsedTimer>();
    timer->start();
    auto* poll = new QTimer(&window); // owned by the window
    QObject::connect(poll, &QTimer::timeout, &window, [&window, file, timer, poll, ready] {
        if (!ready()) {
            timer->restart();
            return;
        }
        if (!window.slideView()->isFullyLoaded() && timer->elapsed() < kScreenshotTimeoutMs)
            return;
        poll->stop();
        window.slideView()->repaint();
        const bool saved = window.grab().save(file);
        QApplication::exit(saved ? 0 : 1);
    });
    poll->start(kScreenshotPollMs);
}

} // namespace

int main(int argc, char* argv[])
{
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("CellViT"));
    QApplication::setApplicationName(QStringLiteral("CellViT Studio"));
    QApplication::setApplicationVersion(QStringLiteral(CELLVIT_VERSION));
    // Before any translated text: the settings override ("ui/language"), else the system locale's language.
    cellvit::installTranslators(app, cellvit::effectiveLanguage(cellvit::languageSetting()));

    QCommandLineParser parser;
    parser.setApplicationDescription(QApplication::translate("main", "CellViT Studio: view whole-slide images."));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addPositionalArgument(
        QStringLiteral("slide"),
        QApplication::translate("main", "Slide to open, or a results folder written by cellvit-cli segment --out."),
        QStringLiteral("[slide|folder]"));
    const QCommandLineOption screenshot(QStringLiteral("screenshot"),
        QApplication::translate("main", "Save the window to <file> and quit."), QStringLiteral("file"));
    parser.addOption(screenshot);
    const QCommandLineOption regions(QStringLiteral("regions"),
        QApplication::translate("main", "Import the GeoJSON annotations in <file> as regions."),
        QStringLiteral("file"));
    const QCommandLineOption detections(QStringLiteral("detections"),
        QApplication::translate("main", "Show the QuPath detections in <file> as nuclei."), QStringLiteral("file"));
    const QCommandLineOption view(QStringLiteral("view"),
        QApplication::translate("main", "Centre on level-0 x,y at magnification m."), QStringLiteral("x,y,m"));
    const QCommandLineOption checkpoint(QStringLiteral("checkpoint"),
        QApplication::translate("main", "Load the CellViT checkpoint <file>."), QStringLiteral("file"));
    const QCommandLineOption run(QStringLiteral("run"),
        QApplication::translate("main", "Run the checkpoint on the selected regions once it is loaded."));
    const QCommandLineOption embeddings(QStringLiteral("embeddings"),
        QApplication::translate("main", "Load embeddings.npy <file> for the nuclei shown (--detections)."),
        QStringLiteral("file"));
    const QCommandLineOption umap(QStringLiteral("umap"),
        QApplication::translate("main", "Compute the UMAP of the nuclei's embeddings (after a run) and show it."));
    const QCommandLineOption mpp(QStringLiteral("mpp"),
        QApplication::translate("main", "Micrometres per pixel of the opened image (a plain image has no resolution "
                                        "metadata), as Analysis > Set Image Resolution."),
        QStringLiteral("x"));
    parser.addOptions({ regions, detections, view, checkpoint, run, embeddings, umap, mpp });
    parser.process(app);

    cellvit::MainWindow window;
    if (parser.isSet(screenshot)) { // unattended: errors go to stderr instead of a modal dialog
        window.setErrorReporter([](QWidget*, const QString& title, const QString& message) {
            QTextStream(stderr) << title << ": " << message << Qt::endl;
        });
    }
    window.show();
    const QStringList slides = parser.positionalArguments();
    const bool opened = !slides.isEmpty()
        && (QFileInfo(slides.front()).isDir() ? window.openResultsFolder(slides.front()) : window.openSlide(slides.front()));
    // The options below build on each other: each background step (the project's restore, the import, the
    // embeddings) is waited for before the next.
    window.tasks()->waitForAll();
    if (opened && parser.isSet(mpp))
        window.setImageResolution(parser.value(mpp).toDouble()); // a bad value is reported, the slide stays open
    if (opened && parser.isSet(regions))
        window.importRegions(parser.value(regions));
    if (opened && parser.isSet(detections)) {
        window.importDetections(parser.value(detections));
        window.tasks()->waitForAll();
    }
    if (opened && parser.isSet(embeddings)) {
        window.embeddingImport()->loadFile(parser.value(embeddings));
        window.tasks()->waitForAll();
    }
    if (opened && parser.isSet(view)) {
        const QStringList parts = parser.value(view).split(QLatin1Char(','));
        if (parts.size() == 3) {
            window.slideView()->setMagnification(parts[2].toDouble());
            window.slideView()->centerOn(QPointF(parts[0].toDouble(), parts[1].toDouble()));
        }
    }
    auto settled = std::make_shared<bool>(!parser.isSet(checkpoint)); // the model loaded (and ran) or failed
    if (opened && parser.isSet(checkpoint)) {
        auto settle = [settled] { *settled = true; };
        QObject::connect(window.modelPanel(), &cellvit::ModelPanel::modelLoadFailed, &window, settle);
        QObject::connect(window.inferenceTask(), &cellvit::InferenceTask::finished, &window, settle);
        QObject::connect(window.inferenceTask(), &cellvit::InferenceTask::failed, &window, settle);
        const bool runAfterLoading = parser.isSet(run);
        QObject::connect(
            window.modelPanel(), &cellvit::ModelPanel::modelLoaded, &window, [&window, settled, runAfterLoading] {
                if (!runAfterLoading || !window.runOnSelectedRegions())
                    *settled = true;
            });
        window.modelPanel()->loadCheckpoint(parser.value(checkpoint));
    } else if (!parser.isSet(screenshot)) {
        window.modelPanel()->loadStartupModel(); // the last checkpoint, else the bundled default model
    }
    // --umap: the layout starts once the nuclei are there (after the run, if any); the screenshot waits for it.
    auto umapSettled = std::make_shared<bool>(!parser.isSet(umap));
    if (opened && parser.isSet(umap)) {
        cellvit::UmapPanel* panel = window.umapPanel();
        auto settle = [umapSettled] { *umapSettled = true; };
        QObject::connect(panel, &cellvit::UmapPanel::layoutReady, &window, settle);
        QObject::connect(panel->task(), &cellvit::UmapTask::failed, &window, settle);
        auto started = std::make_shared<bool>(false);
        auto* poll = new QTimer(&window); // owned by the window
        QObject::connect(poll, &QTimer::timeout, &window, [settled, umapSettled, started, poll, panel] {
            if (!*settled)
                return;
            poll->stop();
            if (!*started) {
                *started = true;
                if (!panel->computeLayout()) {
                    QTextStream(stderr) << "UMAP: " << panel->statusText() << Qt::endl;
                    *umapSettled = true;
                }
            }
        });
        poll->start(kScreenshotPollMs);
    }
    if (parser.isSet(screenshot)) {
        if (!opened)
            return 1;
        saveScreenshotWhenLoaded(
            window, parser.value(screenshot), [settled, umapSettled] { return *settled && *umapSettled; });
    }
    return QApplication::exec();
}
