// The Cancel button of the desktop application during a real run (golden sam_small checkpoint on the bundled
// sample, CPU, where one 1024² forward pass takes tens of seconds): the run ends within a second of the click,
// also while the network is in the middle of a patch; the cells of finished patches are kept, the patch in
// flight is dropped, and earlier results outside the run stay as they were.
#include "test_support.h"
#include "ui/class_counts_panel.h"
#include "ui/inference_task.h"
#include "ui/main_window.h"
#include "ui/model_panel.h"
#include "viewer/cell_layer.h"
#include "viewer/region_editor.h"
#include "viewer/region_store.h"

#include <algorithm>
#include <QApplication>
#include <QElapsedTimer>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardPaths>
#include <set>

using namespace cellvit;

namespace {

constexpr int kCancelBudgetMs = 1000;
constexpr int kPatchTimeoutMs = 900000; // one 1024² SAM patch: ~50 s on an idle 2-core CPU, far more when busy

SlideCell squareCell(double x, double y)
{
    SlideCell cell;
    cell.contour = { { x - 5, y - 5 }, { x + 5, y - 5 }, { x + 5, y + 5 }, { x - 5, y + 5 } };
    cell.centroid = { x, y };
    cell.cmin = int(x) - 5;
    cell.rmin = int(y) - 5;
    cell.cmax = int(x) + 6;
    cell.rmax = int(y) + 6;
    cell.type = 2;
    return cell;
}

} // namespace

class TestStudioCancel : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        CELLVIT_REQUIRE_PATH(test::sampleSlide());
        CELLVIT_REQUIRE_PATH(test::goldenCheckpoint("sam_small"));
        test::isolateSettings("tst_studio_cancel");
    }

    // One patch, cancelled while the network runs it: nothing finished, nothing replaced.
    void cancelDuringTheOnlyPatchEndsWithinASecond()
    {
        MainWindow window;
        window.setErrorReporter([](QWidget*, const QString& t, const QString& m) { QFAIL(qPrintable(t + m)); });
        window.show();
        QVERIFY(window.openSlide(QString::fromStdString(test::sampleSlide().string())));
        loadModel(window);
        const QPolygonF outline(QRectF(1000, 1000, 400, 400)); // inside patch (2, 2)
        window.regionEditor()->selectOnly(window.regionStore()->addRegion({ 0, {}, RegionKind::Rectangle, outline }));
        const SlideCell earlier = squareCell(1105, 1105); // a previous result inside the region
        const SlideCell elsewhere = squareCell(105, 105); // and one outside it
        window.cellLayer()->setCells({ earlier, elsewhere });

        InferenceTask* task = window.inferenceTask();
        QSignalSpy finished(task, &InferenceTask::finished);
        QSignalSpy failed(task, &InferenceTask::failed);
        QSignalSpy progress(task, &InferenceTask::progressChanged);
        QVERIFY(window.runOnSelectedRegions());
        QTest::qWait(3000); // tissue mask and plan are done; the patch is in the network
        QVERIFY(task->isRunning());
        QVERIFY2(progress.isEmpty(), "the patch must still be in the network when Cancel is clicked");

        QElapsedTimer clock;
        clock.start();
        window.modelPanel()->cancelButton()->click();
        QVERIFY(task->isCancelling());
        QVERIFY(finished.wait(kPatchTimeoutMs));
        const qint64 latency = clock.elapsed();
        qInfo("Cancel during the forward pass → finished after %lld ms", latency);
        QVERIFY2(latency < kCancelBudgetMs, qPrintable(QString::number(latency)));
        QVERIFY(failed.isEmpty());
        QCOMPARE(finished.first().first().toBool(), false);
        QVERIFY(!task->isRunning());
        QCOMPARE(task->outcome().patches, qint64(0)); // the patch in flight is not counted as done
        QCOMPARE(task->outcome().cellCount, qint64(0));
        QVERIFY(window.modelPanel()->progressText().contains(QStringLiteral("Cancelled")));
        // Nothing finished, so nothing was replaced.
        CellLayer* layer = window.cellLayer();
        QCOMPARE(layer->size(), size_t(2));
        QCOMPARE(layer->cellsWithCentroidIn(outline).size(), size_t(1));
        QCOMPARE(window.countsPanel()->table().total, layer->size());
        QVERIFY(window.modelPanel()->cancelButton()->isEnabled() == false);
    }

    // Two patches, cancelled while the network runs the second: the first patch's cells are kept.
    void cancelDuringTheSecondPatchKeepsTheFirst()
    {
        MainWindow window;
        window.setErrorReporter([](QWidget*, const QString& t, const QString& m) { QFAIL(qPrintable(t + m)); });
        window.show();
        QVERIFY(window.openSlide(QString::fromStdString(test::sampleSlide().string())));
        loadModel(window);
        // Patches (2, 2) and (2, 3): level-0 columns [946, 1459) and [1426, 1939) with this x40 checkpoint.
        const QPolygonF outline(QRectF(1000, 1000, 900, 400));
        window.regionEditor()->selectOnly(window.regionStore()->addRegion({ 0, {}, RegionKind::Rectangle, outline }));
        const SlideCell elsewhere = squareCell(105, 105);
        window.cellLayer()->setCells({ elsewhere });

        InferenceTask* task = window.inferenceTask();
        QSignalSpy finished(task, &InferenceTask::finished);
        QSignalSpy failed(task, &InferenceTask::failed);
        QSignalSpy progress(task, &InferenceTask::progressChanged);
        QVERIFY(window.runOnSelectedRegions());
        QElapsedTimer firstPatch;
        firstPatch.start();
        QVERIFY(progress.wait(kPatchTimeoutMs)); // the first patch is finished
        const qint64 firstPatchMs = firstPatch.elapsed();
        InferenceProgress state = progress.last().first().value<InferenceProgress>();
        QCOMPARE(state.patchesTotal, qint64(2));
        QCOMPARE(state.patchesDone, qint64(1));
        const qint64 cellsOfFirstPatch = state.cells;
        // Well inside the second forward pass (it takes about as long as the first).
        QTest::qWait(int(std::min<qint64>(2000, firstPatchMs / 4)));
        QVERIFY(task->isRunning());
        QCOMPARE(progress.last().first().value<InferenceProgress>().patchesDone, qint64(1));

        QElapsedTimer clock;
        clock.start();
        window.modelPanel()->cancelButton()->click();
        QVERIFY(finished.wait(kPatchTimeoutMs));
        const qint64 latency = clock.elapsed();
        const InferenceOutcome& outcome = task->outcome();
        qInfo("first patch took %lld ms; Cancel in the second → finished after %lld ms, %lld nuclei kept "
              "(%lld in the first patch before merging)",
            firstPatchMs, latency, outcome.cellCount, cellsOfFirstPatch);
        // On a busy machine the budget grows with the first patch's time (see tst_cli_interrupt): waiting for the
        // second patch to end still fails.
        const qint64 budget = std::max<qint64>(kCancelBudgetMs, firstPatchMs / 20);
        QVERIFY2(latency < budget, qPrintable(QStringLiteral("%1 ms, budget %2 ms").arg(latency).arg(budget)));
        QVERIFY(failed.isEmpty());
        QCOMPARE(finished.first().first().toBool(), false);
        QCOMPARE(outcome.patches, qint64(1));
        QCOMPARE(progress.last().first().value<InferenceProgress>().patchesDone, qint64(1));

        // The kept cells all come from the one finished patch and lie in the region; the overlay shows them
        // beside the untouched earlier cell, and the counts agree.
        CellLayer* layer = window.cellLayer();
        QVERIFY2(outcome.cellCount > 0, "the finished patch found nuclei in the region");
        QVERIFY(outcome.cellCount <= cellsOfFirstPatch);
        QCOMPARE(qint64(layer->size()), outcome.cellCount + 1);
        QCOMPARE(qint64(layer->cellsWithCentroidIn(outline).size()), outcome.cellCount);
        std::set<std::pair<int, int>> patches;
        for (const SlideCell& cell : layer->cells()) {
            if (outline.containsPoint(QPointF(cell.centroid.x, cell.centroid.y), Qt::OddEvenFill))
                patches.insert({ cell.patch.row, cell.patch.col });
        }
        QCOMPARE(patches.size(), size_t(1));
        QCOMPARE(layer->cellsWithCentroidIn(QPolygonF(QRectF(0, 0, 200, 200))).size(), size_t(1));
        QCOMPARE(window.countsPanel()->table().total, layer->size());

        // The next run starts right away.
        QVERIFY(window.runOnSelectedRegions());
        task->cancel();
        QVERIFY(finished.wait(kPatchTimeoutMs));
        QVERIFY(!task->isRunning());
    }

private:
    void loadModel(MainWindow& window)
    {
        QSignalSpy loaded(window.modelPanel(), &ModelPanel::modelLoaded);
        QSignalSpy failed(window.modelPanel(), &ModelPanel::modelLoadFailed);
        window.modelPanel()->loadCheckpoint(QString::fromStdString(test::goldenCheckpoint("sam_small").string()));
        QVERIFY(loaded.wait(300000) || !failed.isEmpty());
        QVERIFY2(failed.isEmpty(), failed.isEmpty() ? "" : qPrintable(failed.first().first().toString()));
        QVERIFY(window.modelPanel()->model());
    }
};

QTEST_MAIN(TestStudioCancel)
#include "tst_studio_cancel.moc"
