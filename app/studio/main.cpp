// cellvit-studio: the desktop application. `cellvit-studio [slide]` opens a slide at start-up;
// `--regions FILE` / `--detections FILE` import GeoJSON regions / QuPath detections, `--view X,Y,MAG`
// centres the view on level-0 (X, Y) at magnification MAG; `--screenshot FILE` saves the window once the
// visible tiles have loaded and quits (docs, CI).
#include "ui/main_window.h"
#include "viewer/slide_view.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QTextStream>
#include <QTimer>

namespace {

constexpr int kScreenshotPollMs = 50;
constexpr qint64 kScreenshotTimeoutMs = 30000;

// Polls until the view has drawn its tiles (or a timeout), then saves the window and quits.
void saveScreenshotWhenLoaded(cellvit::MainWindow& window, const QString& file)
{
    auto timer = std::make_shared<QElapsedTimer>();
    timer->start();
    auto* poll = new QTimer(&window); // owned by the window
    QObject::connect(poll, &QTimer::timeout, &window, [&window, file, timer, poll] {
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

    QCommandLineParser parser;
    parser.setApplicationDescription(QApplication::translate("main", "CellViT Studio: view whole-slide images."));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addPositionalArgument(
        QStringLiteral("slide"), QApplication::translate("main", "Slide to open."), QStringLiteral("[slide]"));
    const QCommandLineOption screenshot(QStringLiteral("screenshot"),
        QApplication::translate("main", "Save the window to <file> and quit."), QStringLiteral("file"));
    parser.addOption(screenshot);
    const QCommandLineOption regions(QStringLiteral("regions"),
        QApplication::translate("main", "Import the GeoJSON annotations in <file> as regions."), QStringLiteral("file"));
    const QCommandLineOption detections(QStringLiteral("detections"),
        QApplication::translate("main", "Show the QuPath detections in <file> as nuclei."), QStringLiteral("file"));
    const QCommandLineOption view(QStringLiteral("view"),
        QApplication::translate("main", "Centre on level-0 x,y at magnification m."), QStringLiteral("x,y,m"));
    parser.addOptions({ regions, detections, view });
    parser.process(app);

    cellvit::MainWindow window;
    if (parser.isSet(screenshot)) { // unattended: errors go to stderr instead of a modal dialog
        window.setErrorReporter([](QWidget*, const QString& title, const QString& message) {
            QTextStream(stderr) << title << ": " << message << Qt::endl;
        });
    }
    window.show();
    const QStringList slides = parser.positionalArguments();
    const bool opened = !slides.isEmpty() && window.openSlide(slides.front());
    if (opened && parser.isSet(regions))
        window.importRegions(parser.value(regions));
    if (opened && parser.isSet(detections))
        window.importDetections(parser.value(detections));
    if (opened && parser.isSet(view)) {
        const QStringList parts = parser.value(view).split(QLatin1Char(','));
        if (parts.size() == 3) {
            window.slideView()->setMagnification(parts[2].toDouble());
            window.slideView()->centerOn(QPointF(parts[0].toDouble(), parts[1].toDouble()));
        }
    }
    if (parser.isSet(screenshot)) {
        if (!opened)
            return 1;
        saveScreenshotWhenLoaded(window, parser.value(screenshot));
    }
    return QApplication::exec();
}
