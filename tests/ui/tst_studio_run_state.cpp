// Issue #18: the desktop app's run and project state as a new user meets it — the classes shown belong to the
// model a run ran with (also after a restore), nothing can change the model or start a second run while one is
// going, a cancelled run replaces earlier nuclei in every finished patch (empty ones too), a malformed stored run
// cannot throw out of the Resume action, and dragging a region writes the project once, not per mouse move.
// Runs use the bundled 4-class model (Epithelial, Inflammatory, Fibroblast, Others) on the sample slide.
#include "inference/store/project_store.h"
#include "inference/store/slide_identity.h"
#include "test_support.h"
#include "ui/inference_task.h"
#include "ui/loaded_model.h"
#include "ui/main_window.h"
#include "ui/model_panel.h"
#include "ui/overlay_panel.h"
#include "ui/project_controller.h"
#include "ui/run_controller.h"
#include "ui/task_manager.h"
#include "viewer/cell_layer.h"
#include "viewer/region_editor.h"
#include "viewer/region_store.h"

#include <QAction>
#include <QCheckBox>
#include <QFileInfo>
#include <QMenuBar>
#include <QSignalSpy>
#include <QStatusBar>
#include <QTemporaryDir>
#include <QToolBar>
#include <set>

using namespace cellvit;

namespace {

const QStringList kCrcClasses { QStringLiteral("Background"), QStringLiteral("Epithelial"),
    QStringLiteral("Inflammatory"), QStringLiteral("Fibroblast"), QStringLiteral("Others") };

QString bundledModel()
{
    return QString::fromStdString(
        (test::sourceDir() / "resources" / "models" / "cellvit-studio-x20.safetensors").string());
}

QStringList layerClassNames(const CellLayer& layer)
{
    QStringList names;
    for (int id : layer.classIds())
        names << layer.className(id);
    return names;
}

bool loadModel(MainWindow& window, const QString& path)
{
    QSignalSpy loaded(window.modelPanel(), &ModelPanel::modelLoaded);
    QSignalSpy failed(window.modelPanel(), &ModelPanel::modelLoadFailed);
    window.modelPanel()->loadCheckpoint(path);
    return (loaded.wait(120000) || !loaded.isEmpty()) && failed.isEmpty();
}

QAction* menuAction(MainWindow& window, const QString& text)
{
    for (QAction* action : window.menuBar()->findChildren<QAction*>())
        if (action->text() == text)
            return action;
    return nullptr;
}

SlideCell squareCell(double x, double y, int type)
{
    SlideCell cell;
    cell.contour = { { x - 3, y - 3 }, { x + 3, y - 3 }, { x + 3, y + 3 }, { x - 3, y + 3 } };
    cell.centroid = { x, y };
    cell.cmin = x - 3;
    cell.rmin = y - 3;
    cell.cmax = x + 3;
    cell.rmax = y + 3;
    cell.type = type;
    return cell;
}

} // namespace

class TestStudioRunState : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        CELLVIT_REQUIRE_PATH(test::sampleSlide());
        CELLVIT_REQUIRE_PATH(std::filesystem::path(bundledModel().toStdString()));
        CELLVIT_REQUIRE_PATH(test::goldenCheckpoint("vit_small"));
        test::isolateSettings("tst_studio_run_state");
        m_slide = QString::fromStdString(test::sampleSlide().string());
    }

    // (1) At start-up, with no nuclei yet, the Overlay and Class Counts docks list the loaded model's classes.
    void docksListTheLoadedModelsClasses()
    {
        MainWindow window;
        QVERIFY(window.openSlide(m_slide));
        QVERIFY(loadModel(window, bundledModel()));
        QCOMPARE(layerClassNames(*window.cellLayer()), kCrcClasses.mid(1));
        QVERIFY(window.overlayPanel()->classToggle(3));
        QCOMPARE(window.overlayPanel()->classToggle(3)->text(), QStringLiteral("Fibroblast"));
        QVERIFY(!window.overlayPanel()->classToggle(5)); // no PanNuke "Epithelial" at 5
    }

    // (1, 5) During a run the model cannot change and no second run starts — both say why; the results keep the
    // classes of the run's model, in the store too, and a reopened slide shows them with those classes whatever
    // model is loaded.
    void aRunKeepsItsModelAndClasses()
    {
        QTemporaryDir dir;
        const auto folder = std::filesystem::path(dir.path().toStdString()) / "projects";
        size_t found = 0;
        {
            MainWindow window;
            window.setErrorReporter([](QWidget*, const QString& t, const QString& m) { QFAIL(qPrintable(t + m)); });
            window.setProjectFolder(folder);
            QVERIFY(window.openSlide(m_slide));
            window.projectController()->waitForRestore();
            QVERIFY(loadModel(window, bundledModel()));
            window.regionEditor()->selectOnly(window.regionStore()->addRegion(
                { 0, {}, RegionKind::Rectangle, QPolygonF(QRectF(740, 740, 450, 450)) }));
            QSignalSpy finished(window.inferenceTask(), &InferenceTask::finished);
            QSignalSpy failed(window.inferenceTask(), &InferenceTask::failed);
            QVERIFY(window.runOnSelectedRegions());

            QAction* open = menuAction(window, QStringLiteral("&Open Checkpoint…"));
            QAction* runSelected = menuAction(window, QStringLiteral("Run on &Selected Regions"));
            QAction* runSlide = menuAction(window, QStringLiteral("Run on &Whole Slide"));
            QVERIFY(open && runSelected && runSlide);
            for (QAction* action : { open, runSelected, runSlide }) {
                QVERIFY2(!action->isEnabled(), qPrintable(action->text()));
                QVERIFY(action->statusTip().contains(QStringLiteral("run is in progress")));
            }
            QVERIFY(window.statusBar()->currentMessage().contains(QStringLiteral("disabled until the run ends")));
            // A second start and a checkpoint load are refused with the reason, not silently.
            QVERIFY(!window.runOnWholeSlide());
            QVERIFY2(window.modelPanel()->errorText().contains(QStringLiteral("run is in progress")),
                qPrintable(window.modelPanel()->errorText()));
            window.modelPanel()->showError({});
            window.modelPanel()->loadCheckpoint(QString::fromStdString(test::goldenCheckpoint("vit_small").string()));
            QVERIFY(!window.modelPanel()->isLoading());
            QVERIFY(window.modelPanel()->errorText().contains(QStringLiteral("run is in progress")));

            // One 1024² patch: ~10 s on an idle 2-core machine, minutes when other builds share it.
            QTRY_VERIFY_WITH_TIMEOUT(!finished.isEmpty() || !failed.isEmpty(), 1000000);
            QVERIFY2(failed.isEmpty(), qPrintable(failed.value(0).value(0).toString()));
            QVERIFY(finished.first().first().toBool());
            for (QAction* action : { open, runSelected, runSlide })
                QVERIFY(action->isEnabled());
            found = window.cellLayer()->size();
            QVERIFY(found > 20);
            QCOMPARE(layerClassNames(*window.cellLayer()), kCrcClasses.mid(1));

            // Another model loaded after the run does not relabel its nuclei.
            QVERIFY(loadModel(window, QString::fromStdString(test::goldenCheckpoint("vit_small").string())));
            QCOMPARE(layerClassNames(*window.cellLayer()), kCrcClasses.mid(1));
            const auto run = window.projectController()->call([](ProjectStore& s) { return s.lastRun(); });
            QVERIFY(run);
            QCOMPARE(run->meta.classNames, kCrcClasses);
        }
        MainWindow reopened; // no model loaded at all
        reopened.setProjectFolder(folder);
        QVERIFY(reopened.openSlide(m_slide));
        reopened.projectController()->waitForRestore();
        QCOMPARE(reopened.cellLayer()->size(), found);
        QCOMPARE(layerClassNames(*reopened.cellLayer()), kCrcClasses.mid(1));
    }

    // (6) A cancelled run replaces the earlier nuclei in each finished patch, also in one that found none.
    void aFinishedEmptyPatchReplacesEarlierNuclei()
    {
        CellLayer layer;
        const QPolygonF region(QRectF(0, 0, 2000, 1000));
        layer.setCells({ squareCell(500, 500, 1), squareCell(1500, 500, 1) }, { region });
        InferenceOutcome outcome;
        outcome.complete = false; // cancelled after the first patch, which found no nucleus
        outcome.patchesDone = { QRectF(-32, -32, 1024, 1024) };
        outcome.taxonomy = CellTaxonomy::panNuke();
        applyRunToLayer(layer, std::move(outcome), { region }, QSizeF(2220, 2967));
        QCOMPARE(layer.size(), size_t(1));
        QCOMPARE(layer.cells()[0].centroid.x, 1500.0); // outside the finished patch: kept
    }

    // (4) A stored run whose regions are malformed: Resume reports it instead of throwing out of the action.
    void resumeReportsAMalformedRun()
    {
        QTemporaryDir dir;
        const auto folder = std::filesystem::path(dir.path().toStdString()) / "projects";
        {
            auto store = ProjectStore::openForSlide(test::sampleSlide(), folder);
            RunMeta meta;
            meta.modelPath = QFileInfo(bundledModel()).absoluteFilePath();
            meta.modelArch = QStringLiteral("CellViT256");
            meta.parameters = { { "regions", nlohmann::json::parse(R"([[["x", 1], [2, 3]]])") } };
            meta.patchesTotal = 2;
            store->beginRun(meta); // left "running": interrupted
        }
        MainWindow window;
        window.setProjectFolder(folder);
        QVERIFY(window.openSlide(m_slide));
        window.projectController()->waitForRestore();
        QVERIFY(window.interruptedRunBar() && !window.interruptedRunBar()->isHidden());
        QVERIFY(loadModel(window, bundledModel()));
        QAction* resume = nullptr;
        for (QAction* action : window.interruptedRunBar()->findChildren<QAction*>())
            if (action->text() == QStringLiteral("Resume"))
                resume = action;
        QVERIFY(resume);
        QVERIFY_THROWS_NO_EXCEPTION(resume->trigger());
        QVERIFY(!window.inferenceTask()->isRunning());
        QVERIFY2(window.modelPanel()->errorText().contains(QStringLiteral("malformed")),
            qPrintable(window.modelPanel()->errorText()));
    }

    // (2) Dragging a region (a translate per mouse move) writes the project once, on the store's thread.
    void draggingARegionWritesOnce()
    {
        QTemporaryDir dir;
        const auto folder = std::filesystem::path(dir.path().toStdString()) / "projects";
        MainWindow window;
        window.setProjectFolder(folder);
        QVERIFY(window.openSlide(m_slide));
        window.projectController()->waitForRestore();
        QSignalSpy saved(window.projectController(), &ProjectController::regionsSaved);
        const quint64 id = window.regionStore()->addRegion(
            { 0, QStringLiteral("Tumour"), RegionKind::Rectangle, QPolygonF(QRectF(100, 100, 200, 200)) });
        QVERIFY(saved.wait(5000));
        QCOMPARE(saved.size(), 1);
        saved.clear();
        for (int move = 0; move < 40; ++move) { // a drag: one small move per mouse event, ~100 Hz
            QVERIFY(window.regionStore()->translateRegion(id, QPointF(5, 2)));
            QTest::qWait(10);
        }
        QVERIFY(saved.wait(5000));
        QTest::qWait(2 * ProjectController::kRegionSaveDelayMs);
        QCOMPARE(saved.size(), 1);
        const auto regions = window.projectController()->call([](ProjectStore& s) { return s.loadRegions(); });
        QCOMPARE(regions.size(), size_t(1));
        QCOMPARE(regions[0].geometry.at("coordinates")[0][0][0].get<double>(), 300.0); // 100 + 40 × 5
    }

private:
    QString m_slide;
};

QTEST_MAIN(TestStudioRunState)
#include "tst_studio_run_state.moc"
