#include "inference/model/device.h"
#include "inference/slide/slide_source.h"
#include "test_support.h"
#include "ui/about_text.h"
#include "ui/main_window.h"
#include "ui/recent_files.h"
#include "viewer/slide_view.h"

#include <QApplication>
#include <QFile>
#include <QLabel>
#include <QMimeData>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTemporaryDir>
#include <opencv2/core/version.hpp>
#include <openslide.h>

using namespace cellvit;

namespace {

struct Report {
    QString title;
    QString message;
};

} // namespace

class TestMainWindow : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        CELLVIT_REQUIRE_PATH(test::sampleSlide());
        test::isolateSettings("tst_main_window");
        m_sample = QString::fromStdString(test::sampleSlide().string());
    }

    void init() { RecentFiles().clear(); }

    void opensTheSampleSlide()
    {
        MainWindow window;
        window.setErrorReporter(
            [](QWidget*, const QString& title, const QString& message) { QFAIL(qPrintable(title + message)); });
        window.show();
        QVERIFY(window.openSlide(m_sample));
        QCOMPARE(window.currentSlidePath(), m_sample);
        QVERIFY(window.slideView()->hasSlide());
        QCOMPARE(QString::fromStdString(window.slideView()->slide()->path().string()), m_sample);
        QVERIFY(window.windowTitle().contains(QStringLiteral("cmu-1-small-region.svs")));
        QCOMPARE(RecentFiles().files(), QStringList { m_sample });
        // The status bar shows the zoom: the sample is fitted below its 20x objective.
        const auto labels = window.statusBar()->findChildren<QLabel*>();
        const bool zoomShown = std::any_of(labels.begin(), labels.end(), [&](QLabel* l) {
            return l->text().startsWith(
                QString::number(window.slideView()->magnification(), 'f', 2) + QStringLiteral("×"));
        });
        QVERIFY(zoomShown);
        QVERIFY(window.slideView()->magnification() < 20.0);
    }

    void brokenFileKeepsTheCurrentSlideAndReports()
    {
        MainWindow window;
        std::vector<Report> reports;
        window.setErrorReporter([&](QWidget*, const QString& title, const QString& message) {
            reports.push_back({ title, message });
        });
        QVERIFY(window.openSlide(m_sample));
        const SlideSource* shown = window.slideView()->slide().get();

        QTemporaryDir dir;
        const QString broken = dir.filePath(QStringLiteral("broken-slide.svs"));
        QFile file(broken);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("II*\0 this is not a slide");
        file.close();

        QVERIFY(!window.openSlide(broken));
        QCOMPARE(int(reports.size()), 1);
        QVERIFY(!reports[0].title.isEmpty());
        QVERIFY2(reports[0].message.contains(QStringLiteral("broken-slide.svs")), qPrintable(reports[0].message));
        // The reason follows the sentence naming the file.
        const QString reason = reports[0].message.section(QStringLiteral("\n\n"), 1);
        QVERIFY2(reason.size() > 10, qPrintable(reports[0].message));
        QCOMPARE(window.currentSlidePath(), m_sample);
        QCOMPARE(window.slideView()->slide().get(), shown);
        QCOMPARE(RecentFiles().files(), QStringList { m_sample }); // failures are not remembered

        QVERIFY(!window.openSlide(dir.filePath(QStringLiteral("missing.svs"))));
        QCOMPARE(int(reports.size()), 2);
        QVERIFY(reports[1].message.contains(QStringLiteral("missing.svs")));
        QCOMPARE(window.slideView()->slide().get(), shown);
    }

    void dropOpensTheFile()
    {
        MainWindow window;
        window.setErrorReporter(
            [](QWidget*, const QString& title, const QString& message) { QFAIL(qPrintable(title + message)); });
        QMimeData mime;
        mime.setUrls({ QUrl::fromLocalFile(m_sample) });
        QDragEnterEvent enter(QPoint(10, 10), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(&window, &enter);
        QVERIFY(enter.isAccepted());
        QDropEvent drop(QPointF(10, 10), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(&window, &drop);
        QCOMPARE(window.currentSlidePath(), m_sample);
    }

    void recentFilesAreNewestFirstAndBounded()
    {
        RecentFiles recent(QStringLiteral("recentSlides"), 3);
        for (const char* name : { "/a.svs", "/b.svs", "/c.svs", "/d.svs", "/b.svs" })
            recent.add(QString::fromLatin1(name));
        QCOMPARE(recent.files(),
            (QStringList { QStringLiteral("/b.svs"), QStringLiteral("/d.svs"), QStringLiteral("/c.svs") }));
        recent.remove(QStringLiteral("/d.svs"));
        QCOMPARE(recent.files(), (QStringList { QStringLiteral("/b.svs"), QStringLiteral("/c.svs") }));
    }

    void aboutNamesTheLibraryVersions()
    {
        const QString text = aboutText();
        QVERIFY(text.contains(QString::fromLatin1(qVersion())));
        QVERIFY(text.contains(QStringLiteral(CV_VERSION)));
        QVERIFY(text.contains(QString::fromLatin1(openslide_get_version())));
        QVERIFY(text.contains(QStringLiteral("LibTorch ") + QString::fromStdString(libtorchVersion())));
    }

private:
    QString m_sample;
};

QTEST_MAIN(TestMainWindow)
#include "tst_main_window.moc"
