// File ▸ Open Results Folder: a folder that `cellvit-cli segment SLIDE --out DIR` wrote (its run in
// DIR/<slideIdentity>.cellvit.sqlite, the slide recorded) opens that slide with the run restored, made here by the
// same store run on the bundled sample slide with the weight-free classic engine. Folders without results,
// unreadable stores and missing slides give errors naming the folder or file; a folder of several slides asks.
// Restoring the run never stalls the GUI thread's event loop.
#include "classic_store_run.h"
#include "event_loop_gap.h"
#include "test_support.h"
#include "ui/main_window.h"
#include "ui/project_controller.h"
#include "ui/task_manager.h"
#include "viewer/cell_layer.h"
#include "viewer/region_store.h"

#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <fstream>

using namespace cellvit;

namespace {

constexpr int kRestoreTimeoutMs = 120000;
constexpr qint64 kMaxGapMs = 50;

std::filesystem::path pathOf(const QTemporaryDir& dir, const char* name)
{
    return std::filesystem::path(dir.filePath(QString::fromUtf8(name)).toStdString());
}

// What the main window holds for its project, without the window.
struct Project {
    RegionStore regions;
    CellLayer layer;
    TaskManager tasks;
    ProjectController controller { &regions, &layer, &tasks };
};

} // namespace

class TestResultsFolder : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true); // the window keeps no project stores of its own
        CELLVIT_REQUIRE_PATH(test::sampleSlide());
        QVERIFY(m_dir.isValid());
        m_slide = std::filesystem::absolute(test::sampleSlide());
        m_results = pathOf(m_dir, "sample-results");
        const StoreRunResult run = test::classicRunIntoResultsFolder(m_slide, m_results);
        QVERIFY(run.run.complete);
        m_runCells = run.run.cells.size();
        QVERIFY2(m_runCells > 1000, qPrintable(QString::number(m_runCells)));
        m_storeFile = storePathForSlide(m_slide, m_results);
        QVERIFY(std::filesystem::exists(m_storeFile));
        const auto level0 = openSlide(m_slide)->levels().front();
        m_slideSize = QSizeF(double(level0.width), double(level0.height));
    }

    void opensTheSlideOfTheFoldersRun()
    {
        Project project;
        QSignalSpy requested(&project.controller, &ProjectController::resultsSlideRequested);
        QSignalSpy failed(&project.controller, &ProjectController::resultsFolderFailed);
        QVERIFY(project.controller.openResultsFolder(m_results));
        QVERIFY2(failed.isEmpty(), failed.isEmpty() ? "" : qPrintable(failed.first().first().toString()));
        QCOMPARE(requested.size(), 1);
        const auto slide = requested.first().at(0).value<std::filesystem::path>();
        const auto storeFile = requested.first().at(1).value<std::filesystem::path>();
        QCOMPARE(slide, m_slide);
        QCOMPARE(storeFile, m_storeFile);

        // The window opens the slide, then the store it was given (no project folder is set here).
        QVERIFY(project.controller.folder().empty());
        QSignalSpy restored(&project.controller, &ProjectController::restored);
        QVERIFY(project.controller.open(slide, m_slideSize, storeFile));
        QCOMPARE(project.controller.storeFile(), m_storeFile);
        QVERIFY(restored.wait(kRestoreTimeoutMs));
        QCOMPARE(project.layer.size(), m_runCells);
        QCOMPARE(project.layer.taxonomy().typeNames(),
            (std::map<int, std::string> { { 0, "Background" }, { 1, "Nucleus" } }));
        QVERIFY(!project.controller.interruptedRun());
    }

    // Through the window, with the GUI thread's event loop watched while the run is restored onto the layer
    // (the docks, the counts and the overlay react to it).
    void theWindowRestoresTheRunWithoutStalling()
    {
        MainWindow window;
        window.setErrorReporter([](QWidget*, const QString& t, const QString& m) { QFAIL(qPrintable(t + m)); });
        window.show();
        QVERIFY(window.openResultsFolder(QString::fromStdString(m_results.string())));
        QCOMPARE(window.currentSlidePath(), QString::fromStdString(m_slide.string()));
        QCOMPARE(window.projectController()->storeFile(), m_storeFile);
        window.projectController()->waitForRestore();
        QCOMPARE(window.cellLayer()->size(), m_runCells);
        QCOMPARE(window.cellLayer()->className(1), QStringLiteral("Nucleus"));
        QTest::qWait(200); // the first tiles

        // Reopen the store (the slide stays): the store is opened on the GUI thread, the run read on a worker.
        window.cellLayer()->clear();
        QSignalSpy restored(window.projectController(), &ProjectController::restored);
        test::EventLoopGapMeter meter;
        meter.start();
        QVERIFY(window.projectController()->open(m_slide, m_slideSize, m_storeFile));
        QVERIFY(restored.wait(kRestoreTimeoutMs));
        QTest::qWait(200); // what the restored nuclei set off on the GUI thread (repaints, counts)
        meter.stop();
        QCOMPARE(window.cellLayer()->size(), m_runCells);
        qInfo(
            "restore took %lld ms; %d ticks, longest gap %lld ms", meter.elapsedMs(), meter.ticks(), meter.maxGapMs());
        QVERIFY(meter.ticks() > 10);
        QVERIFY2(meter.maxGapMs() <= kMaxGapMs, qPrintable(QString::number(meter.maxGapMs())));
    }

    void foldersWithoutResultsNameTheFolder()
    {
        Project project;
        QSignalSpy requested(&project.controller, &ProjectController::resultsSlideRequested);
        QSignalSpy failed(&project.controller, &ProjectController::resultsFolderFailed);

        const auto empty = pathOf(m_dir, "empty");
        std::filesystem::create_directories(empty);
        std::ofstream(empty / "cells.geojson") << "{}"; // other outputs of a run are no store
        QVERIFY(!project.controller.openResultsFolder(empty));
        const auto missing = pathOf(m_dir, "no-such-folder");
        QVERIFY(!project.controller.openResultsFolder(missing));
        const auto junkFolder = pathOf(m_dir, "junk");
        std::filesystem::create_directories(junkFolder);
        std::ofstream(junkFolder / "0123abcd.cellvit.sqlite")
            << "this is not an SQLite database, just text that is long enough to have a header page";
        QVERIFY(!project.controller.openResultsFolder(junkFolder));

        QCOMPARE(failed.size(), 3);
        const QString none = failed.at(0).first().toString();
        QVERIFY2(none.contains(QString::fromStdString(empty.string()))
                && none.contains(QStringLiteral("no CellViT results")),
            qPrintable(none));
        const QString gone = failed.at(1).first().toString();
        QVERIFY2(gone.contains(QString::fromStdString(missing.string())), qPrintable(gone));
        const QString junk = failed.at(2).first().toString();
        QVERIFY2(junk.contains(QStringLiteral("0123abcd.cellvit.sqlite")), qPrintable(junk));
        QVERIFY(requested.isEmpty());
        QVERIFY(!project.controller.isOpen());
    }

    void aMissingSlideIsNamedAndNothingOpens()
    {
        const auto moved = pathOf(m_dir, "moved.svs");
        std::filesystem::copy_file(m_slide, moved);
        const auto folder = pathOf(m_dir, "moved-results");
        const auto storeFile = ProjectStore::openForSlide(moved, folder)->path();
        std::filesystem::remove(moved);

        // The project of another slide is open: it stays.
        Project project;
        QVERIFY(project.controller.open(m_slide, m_slideSize, m_storeFile));
        project.controller.waitForRestore();
        QCoreApplication::processEvents();
        QCOMPARE(project.layer.size(), m_runCells);
        QSignalSpy requested(&project.controller, &ProjectController::resultsSlideRequested);
        QSignalSpy failed(&project.controller, &ProjectController::resultsFolderFailed);
        QVERIFY(!project.controller.openResultsFolder(folder));
        QCOMPARE(failed.size(), 1);
        const QString error = failed.first().first().toString();
        QVERIFY2(error.contains(QString::fromStdString(storeFile.string()))
                && error.contains(QStringLiteral("moved.svs")) && error.contains(QStringLiteral("missing")),
            qPrintable(error));
        QVERIFY(requested.isEmpty());
        QCOMPARE(project.controller.storeFile(), m_storeFile);
        QCOMPARE(project.layer.size(), m_runCells);
    }

    void aFolderOfSeveralSlidesAsksWhichOne()
    {
        const auto copy = pathOf(m_dir, "copy.svs");
        std::filesystem::copy_file(m_slide, copy);
        const auto folder = pathOf(m_dir, "cohort");
        ProjectStore::openForSlide(m_slide, folder);
        ProjectStore::openForSlide(copy, folder);

        Project project;
        QSignalSpy choice(&project.controller, &ProjectController::resultsChoiceNeeded);
        QSignalSpy requested(&project.controller, &ProjectController::resultsSlideRequested);
        QVERIFY(project.controller.openResultsFolder(folder));
        QCOMPARE(choice.size(), 1);
        QVERIFY(requested.isEmpty()); // nothing opens before the user chose
        const auto candidates = choice.first().at(1).value<std::vector<StoredResults>>();
        QCOMPARE(candidates.size(), size_t(2));
        std::set<std::filesystem::path> slides;
        for (const StoredResults& c : candidates) {
            slides.insert(c.slide);
            QCOMPARE(c.storeFile, storePathForSlide(c.slide, folder));
        }
        QCOMPARE(slides, (std::set<std::filesystem::path> { m_slide, copy }));

        const StoredResults& chosen = candidates[0].slide == copy ? candidates[0] : candidates[1];
        QVERIFY(project.controller.openResults(chosen));
        QCOMPARE(requested.size(), 1);
        QCOMPARE(requested.first().at(0).value<std::filesystem::path>(), copy);
        QCOMPARE(requested.first().at(1).value<std::filesystem::path>(), chosen.storeFile);
    }

private:
    QTemporaryDir m_dir;
    std::filesystem::path m_slide;
    std::filesystem::path m_results;
    std::filesystem::path m_storeFile;
    size_t m_runCells = 0;
    QSizeF m_slideSize;
};

QTEST_MAIN(TestResultsFolder)
#include "tst_results_folder.moc"
