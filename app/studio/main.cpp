// cellvit-studio: the desktop application. `cellvit-studio [slide]` opens a slide at start-up;
// `--screenshot FILE` saves the window once the visible tiles have loaded and quits (docs, CI).
#include "ui/main_window.h"
#include "viewer/slide_view.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QElapsedTimer>
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
    parser.process(app);

    cellvit::MainWindow window;
    window.show();
    const QStringList slides = parser.positionalArguments();
    const bool opened = !slides.isEmpty() && window.openSlide(slides.front());
    if (parser.isSet(screenshot)) {
        if (!opened)
            return 1;
        saveScreenshotWhenLoaded(window, parser.value(screenshot));
    }
    return QApplication::exec();
}
