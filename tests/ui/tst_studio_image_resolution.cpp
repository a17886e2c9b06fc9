// A plain image (a tile exported from QuPath, a field of view) has no resolution metadata. The desktop app used
// to refuse every run on it with the CLI's "pass --mpp"; Analysis ▸ Set Image Resolution declares it. Here on a
// real CoNSeP tile (256² at 40×, 56 annotated nuclei) with the bundled default model: refused with a reason that
// names the action, an out-of-range value refused, and once declared the run gives exactly the nuclei of the core
// pipeline on the image opened with that resolution (what `cellvit-cli segment TILE --mpp 0.25` runs).
// The declaration belongs to the slide's project: opening the tile again applies it, also when it was made while
// the project was still being read, and from the run of an older results folder; a value the models cannot use is
// not applied.
#include "default_model.h"
#include "inference/model/cellvit_model.h"
#include "inference/pipeline/slide_run.h"
#include "inference/slide/slide_source.h"
#include "test_support.h"
#include "ui/inference_task.h"
#include "ui/main_window.h"
#include "ui/model_panel.h"
#include "ui/project_controller.h"
#include "ui/run_controller.h"
#include "viewer/cell_layer.h"
#include "viewer/slide_view.h"

#include <QSignalSpy>
#include <QStatusBar>
#include <QTemporaryDir>
#include <algorithm>
#include <tuple>

using namespace cellvit;

namespace {

std::vector<std::pair<double, double>> sortedCentroids(const std::vector<SlideCell>& cells)
{
    std::vector<std::pair<double, double>> centroids;
    for (const SlideCell& c : cells)
        centroids.emplace_back(c.centroid.x, c.centroid.y);
    std::sort(centroids.begin(), centroids.end());
    return centroids;
}

void failOnError(QWidget*, const QString& title, const QString& message)
{
    QFAIL(qPrintable(title + QStringLiteral(": ") + message));
}

std::filesystem::path projectsIn(const QTemporaryDir& dir)
{
    return std::filesystem::path(dir.path().toStdString()) / "projects";
}

// Opens `slide` with its project in `folder` and waits for the project to be read.
bool openInProject(MainWindow& window, const std::filesystem::path& slide, const std::filesystem::path& folder)
{
    window.setErrorReporter(failOnError);
    window.setProjectFolder(folder);
    if (!window.openSlide(QString::fromStdString(slide.string())))
        return false;
    window.projectController()->waitForRestore();
    return true;
}

} // namespace

class TestStudioImageResolution : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        CELLVIT_REQUIRE_PATH(m_tile);
        CELLVIT_REQUIRE_PATH(test::bundledDefaultModel());
        test::isolateSettings("tst_studio_image_resolution");
    }

    void tileRunsOnceItsResolutionIsDeclared()
    {
        QTemporaryDir dir;
        MainWindow window;
        window.setProjectFolder(projectsIn(dir));
        QStringList errors;
        window.setErrorReporter([&](QWidget*, const QString&, const QString& message) { errors << message; });
        QVERIFY(window.openSlide(QString::fromStdString(m_tile.string())));
        QVERIFY(!window.slideView()->micrometresPerPixel());
        QSignalSpy loaded(window.modelPanel(), &ModelPanel::modelLoaded);
        window.modelPanel()->loadCheckpoint(QString::fromStdString(test::bundledDefaultModel().string()));
        QVERIFY(loaded.wait(120000) || !loaded.isEmpty());

        // No resolution: refused before any work, with the way out.
        QSignalSpy refused(window.runController(), &RunController::runRefused);
        QVERIFY(!window.runOnWholeSlide());
        QCOMPARE(refused.count(), 1);
        const QString reason = refused.first().first().toString();
        QVERIFY2(reason.contains(QStringLiteral("Set Image Resolution")), qPrintable(reason));

        // A value the models cannot use is refused and changes nothing.
        QVERIFY(!window.setImageResolution(2.0));
        QCOMPARE(errors.size(), 1);
        QVERIFY(!window.slideView()->micrometresPerPixel());

        QVERIFY(window.setImageResolution(0.25));
        QCOMPARE(window.slideView()->micrometresPerPixel().value_or(0), 0.25);
        QSignalSpy finished(window.inferenceTask(), &InferenceTask::finished);
        QSignalSpy failed(window.inferenceTask(), &InferenceTask::failed);
        QVERIFY(window.runOnWholeSlide());
        QVERIFY(finished.wait(300000) || !failed.isEmpty());
        QVERIFY2(failed.isEmpty(), failed.isEmpty() ? "" : qPrintable(failed.first().first().toString()));
        QVERIFY(errors.size() == 1);
        // The stored run records the resolution it worked from, as a CLI run does.
        const auto runs = window.projectController()->call([](ProjectStore& s) { return s.runs(); });
        QVERIFY(!runs.empty());
        QVERIFY2(runs.back().meta.parameters.value("mpp", 0.0) == 0.25, runs.back().meta.parameters.dump().c_str());

        // The core on the same image and resolution finds the same nuclei at the same places.
        const auto slide = openSlide(m_tile, { 0.25 });
        const auto model = CellVitModel::load(test::bundledDefaultModel(), InferenceOptions { "cpu" });
        SlideRunRequest request;
        request.slide = slide.get();
        request.slideMpp = 0.25;
        request.model = model.get();
        const SlideRunResult expected = runSlideSegmentation(request);
        QCOMPARE(expected.plan.patches.size(), size_t(1)); // the tile as one 256² patch
        QCOMPARE(expected.plan.grid.patchSize, 256);
        // 56 nuclei are annotated on this tile: a run at the wrong scale or on white would find far fewer.
        QVERIFY2(expected.cells.size() >= 30 && expected.cells.size() <= 80, qPrintable(QString::number(expected.cells.size())));
        QCOMPARE(window.cellLayer()->size(), expected.cells.size());
        QCOMPARE(sortedCentroids(window.cellLayer()->cells()), sortedCentroids(expected.cells));
    }

    void theDeclaredResolutionIsRestoredWithTheProject()
    {
        QTemporaryDir dir;
        const auto folder = projectsIn(dir);
        {
            MainWindow window;
            QVERIFY(openInProject(window, m_tile, folder));
            QVERIFY(!window.slideView()->micrometresPerPixel());
            QVERIFY(window.setImageResolution(0.25));
            window.projectController()->flushRegionSaves(); // the store's queue: the declaration is written
        }
        MainWindow reopened;
        reopened.setErrorReporter(failOnError);
        reopened.setProjectFolder(folder);
        QVERIFY(reopened.openSlide(QString::fromStdString(m_tile.string())));
        QVERIFY(!reopened.slideView()->micrometresPerPixel()); // the file has none; the project is read next
        reopened.projectController()->waitForRestore();
        QTRY_COMPARE(reopened.slideView()->micrometresPerPixel().value_or(0), 0.25);
        QVERIFY2(reopened.statusBar()->currentMessage().contains(QStringLiteral("declared")),
            qPrintable(reopened.statusBar()->currentMessage()));
    }

    void aDeclarationMadeWhileTheProjectIsReadWins()
    {
        QTemporaryDir dir;
        const auto folder = projectsIn(dir);
        ProjectStore::openForSlide(m_tile, folder)->setDeclaredMpp(0.25);
        MainWindow window;
        window.setErrorReporter(failOnError);
        window.setProjectFolder(folder);
        QVERIFY(window.openSlide(QString::fromStdString(m_tile.string())));
        QVERIFY(window.projectController()->isRestoring());
        QVERIFY(window.setImageResolution(0.3));
        window.projectController()->waitForRestore();
        QTest::qWait(50);
        QCOMPARE(window.slideView()->micrometresPerPixel().value_or(0), 0.3);
        window.projectController()->flushRegionSaves();
        QCOMPARE(window.projectController()->call([](ProjectStore& s) { return s.declaredMpp(); }).value_or(0), 0.3);
    }

    // A results folder written before declarations were kept (`segment TILE --mpp 0.25` of an older version): its
    // run's resolution is used for an image without one, and never overrides a slide's own (the sample slide:
    // 0.499 µm/px in its metadata).
    void anOlderResultsFolderLendsItsRunsResolution()
    {
        QTemporaryDir dir;
        for (const auto& [slide, runMpp, expected] :
            { std::tuple { m_tile, 0.25, 0.25 }, std::tuple { test::sampleSlide(), 0.3, 0.499 } }) {
            const auto results = std::filesystem::path(dir.path().toStdString()) / slide.stem();
            {
                auto store = ProjectStore::openForSlide(slide, results);
                RunMeta meta;
                meta.parameters = { { "mpp", runMpp }, { "regions", nlohmann::json::array() } };
                store->beginRun(meta);
                QVERIFY(!store->declaredMpp());
            }
            MainWindow window;
            window.setErrorReporter(failOnError);
            QVERIFY(window.openResultsFolder(QString::fromStdString(results.string())));
            window.projectController()->waitForRestore();
            QTest::qWait(50);
            QCOMPARE(window.slideView()->micrometresPerPixel().value_or(0), expected);
        }
    }

    // A resolution the models cannot use (a `segment --mpp 0.9` run's) is named, not applied.
    void anUnusableDeclarationIsNamedNotApplied()
    {
        QTemporaryDir dir;
        const auto folder = projectsIn(dir);
        ProjectStore::openForSlide(m_tile, folder)->setDeclaredMpp(0.9);
        MainWindow window;
        QVERIFY(openInProject(window, m_tile, folder));
        QTRY_VERIFY(window.statusBar()->currentMessage().contains(QStringLiteral("0.9")));
        QVERIFY(!window.slideView()->micrometresPerPixel());
    }

private:
    const std::filesystem::path m_tile = test::dataDir() / "consep_train_patches" / "images" / "train_3_000.jpg";
};

QTEST_MAIN(TestStudioImageResolution)
#include "tst_studio_image_resolution.moc"
