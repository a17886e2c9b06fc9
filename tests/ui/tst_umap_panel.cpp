// The Embeddings docks of the desktop application with real nuclei: the 284 annotated nuclei of a PUMA
// melanoma ROI become the cells on the sample slide, and their embeddings are shape descriptors measured from
// the real outlines (tumour nuclei are large, lymphocytes small and round), loaded from an embeddings.npy as a
// CLI run would write it. The UMAP is computed by the panel's background worker; the tests check the linked
// selection (plot ↔ slide), point clicks, plot pixels, exports and the interactive classifier.
#include "inference/embeddings/cell_classifier.h"
#include "inference/export/geojson_reader.h"
#include "inference/io/npy.h"
#include "test_support.h"
#include "ui/cell_export_controller.h"
#include "ui/class_counts_panel.h"
#include "ui/classifier_panel.h"
#include "ui/embedding_import_controller.h"
#include "ui/main_window.h"
#include "ui/scatter_plot.h"
#include "ui/umap_panel.h"
#include "ui/umap_task.h"
#include "viewer/cell_layer.h"
#include "viewer/region_editor.h"
#include "viewer/region_store.h"
#include "viewer/slide_view.h"

#include <QApplication>
#include <QDockWidget>
#include <QElapsedTimer>
#include <QFile>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QSvgRenderer>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTextStream>
#include <cmath>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

using namespace cellvit;

namespace {

constexpr int kUmapTimeoutMs = 300000;
const char* const kTumour = "nuclei_tumor";
const char* const kLymphocyte = "nuclei_lymphocyte";

struct RealCells {
    std::vector<SlideCell> cells;
    std::vector<std::string> classNames; // per cell
    std::vector<float> embeddings; // n × kDim
};
constexpr int kDim = 6;

// Shape descriptors of one outline: log area, log perimeter, circularity, bbox aspect, log bbox width/height.
std::array<float, kDim> describe(const std::vector<cv::Point2d>& ring)
{
    double area = 0, perimeter = 0;
    for (size_t i = 0, j = ring.size() - 1; i < ring.size(); j = i++) {
        area += ring[j].x * ring[i].y - ring[i].x * ring[j].y;
        perimeter += std::hypot(ring[i].x - ring[j].x, ring[i].y - ring[j].y);
    }
    area = std::abs(area) / 2;
    double x0 = ring[0].x, x1 = x0, y0 = ring[0].y, y1 = y0;
    for (const auto& p : ring) {
        x0 = std::min(x0, p.x), x1 = std::max(x1, p.x), y0 = std::min(y0, p.y), y1 = std::max(y1, p.y);
    }
    const double w = std::max(1.0, x1 - x0), h = std::max(1.0, y1 - y0);
    return { float(std::log(area + 1)), float(std::log(perimeter + 1)),
        float(4 * M_PI * area / (perimeter * perimeter)), float(std::min(w, h) / std::max(w, h)), float(std::log(w)),
        float(std::log(h)) };
}

RealCells loadRealCells()
{
    RealCells real;
    const auto file = test::dataDir() / "puma_nuclei_geojson_samples" / "training_set_primary_roi_006_nuclei.geojson";
    const GeoJsonImport parsed = readGeoJsonFile(file);
    std::map<std::string, int> typeOf;
    for (const GeoJsonFeature& feature : parsed.features) {
        if (feature.geometry.polygons.empty() || feature.geometry.polygons[0].rings.empty())
            continue;
        std::vector<cv::Point2d> ring = feature.geometry.polygons[0].rings[0];
        if (ring.size() > 3 && ring.front() == ring.back())
            ring.pop_back();
        if (ring.size() < 3)
            continue;
        SlideCell cell;
        double cx = 0, cy = 0;
        cell.rmin = cell.rmax = ring[0].y;
        cell.cmin = cell.cmax = ring[0].x;
        for (const auto& p : ring) {
            cx += p.x, cy += p.y;
            cell.rmin = std::min(cell.rmin, p.y), cell.rmax = std::max(cell.rmax, p.y + 1);
            cell.cmin = std::min(cell.cmin, p.x), cell.cmax = std::max(cell.cmax, p.x + 1);
        }
        cell.centroid = cv::Point2d(std::round(cx / double(ring.size())), std::round(cy / double(ring.size())));
        cell.contour = ring;
        const auto inserted = typeOf.emplace(feature.className, int(typeOf.size()) + 1);
        cell.type = inserted.first->second;
        cell.typeProb = 0.5 + 0.5 * double(real.cells.size() % 7) / 6.0;
        const auto d = describe(ring);
        real.embeddings.insert(real.embeddings.end(), d.begin(), d.end());
        real.classNames.push_back(feature.className);
        real.cells.push_back(std::move(cell));
    }
    return real;
}

} // namespace

class TestUmapPanel : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        CELLVIT_REQUIRE_PATH(test::sampleSlide());
        CELLVIT_REQUIRE_PATH(
            test::dataDir() / "puma_nuclei_geojson_samples" / "training_set_primary_roi_006_nuclei.geojson");
        test::isolateSettings("tst_umap_panel");
        QSettings().clear();
        QVERIFY(m_dir.isValid());

        m_real = loadRealCells();
        QCOMPARE(m_real.cells.size(), size_t(284)); // every annotated nucleus of the ROI
        m_window = std::make_unique<MainWindow>();
        m_window->setErrorReporter([](QWidget*, const QString& t, const QString& m) { QFAIL(qPrintable(t + m)); });
        m_window->resize(1600, 1000);
        m_window->show();
        QVERIFY(m_window->openSlide(QString::fromStdString(test::sampleSlide().string())));
        std::map<int, std::string> names;
        for (size_t i = 0; i < m_real.cells.size(); ++i)
            names[m_real.cells[i].type] = m_real.classNames[i];
        m_window->cellLayer()->setTaxonomy(CellTaxonomy(names));
        m_window->cellLayer()->setCells(m_real.cells);

        // The embeddings arrive as a CLI run leaves them: embeddings.npy, rows in cell order.
        const QString npy = m_dir.filePath(QStringLiteral("embeddings.npy"));
        writeNpy(npy.toStdString(), { int64_t(m_real.cells.size()), kDim }, m_real.embeddings.data());
        QSignalSpy loaded(m_window->embeddingImport(), &EmbeddingImportController::loaded);
        m_window->embeddingImport()->loadFile(npy); // read in the background
        QVERIFY(loaded.wait(60000));
        QCOMPARE(m_window->cellLayer()->embeddingDim(), kDim);
        QCOMPARE(m_window->cellLayer()->embeddings(), m_real.embeddings);
    }

    void rejectsEmbeddingsOfTheWrongShape()
    {
        QString reported;
        m_window->setErrorReporter([&](QWidget*, const QString&, const QString& m) { reported = m; });
        const QString npy = m_dir.filePath(QStringLiteral("short.npy"));
        writeNpy(npy.toStdString(), { 10, kDim }, m_real.embeddings.data());
        QSignalSpy failed(m_window->embeddingImport(), &EmbeddingImportController::failed);
        m_window->embeddingImport()->loadFile(npy);
        QVERIFY(failed.wait(60000));
        QVERIFY2(reported.contains(QStringLiteral("short.npy")) && reported.contains(QStringLiteral("284")),
            qPrintable(reported));
        QCOMPARE(m_window->cellLayer()->embeddings(), m_real.embeddings); // unchanged
        m_window->setErrorReporter([](QWidget*, const QString& t, const QString& m) { QFAIL(qPrintable(t + m)); });
    }

    void computesTheLayoutInTheBackground()
    {
        UmapPanel* panel = m_window->umapPanel();
        QVERIFY(panel);
        UmapParams params;
        params.nNeighbors = 12;
        params.minDist = 0.2;
        panel->setParams(params);
        QSignalSpy progress(panel->task(), &UmapTask::progressChanged);
        QSignalSpy ready(panel, &UmapPanel::layoutReady);
        QVERIFY(panel->computeLayout());
        QVERIFY(panel->task()->isRunning());
        QVERIFY(!panel->computeLayout()); // one at a time
        QVERIFY(ready.wait(kUmapTimeoutMs));
        QVERIFY(progress.count() > 0);
        QCOMPARE(panel->pointCells().size(), m_real.cells.size());
        QCOMPARE(panel->coordinates().size(), 2 * m_real.cells.size());
        for (float v : panel->coordinates())
            QVERIFY(std::isfinite(v));
        QCOMPARE(QSettings().value(QStringLiteral("umap/nNeighbors")).toInt(), 12);
        QCOMPARE(panel->plot()->points().size(), m_real.cells.size());
        // The layout separates what the descriptors separate: tumour and lymphocyte centroids lie apart
        // compared with the spread inside each group.
        QPointF mean[2];
        int count[2] = { 0, 0 };
        for (size_t i = 0; i < panel->pointCells().size(); ++i) {
            const std::string& name = m_real.classNames[panel->pointCells()[i]];
            const int g = name == kTumour ? 0 : name == kLymphocyte ? 1 : -1;
            if (g < 0)
                continue;
            mean[g] += QPointF(panel->coordinates()[2 * i], panel->coordinates()[2 * i + 1]);
            ++count[g];
        }
        QVERIFY(count[0] > 50 && count[1] > 50);
        mean[0] /= count[0];
        mean[1] /= count[1];
        double spread[2] = { 0, 0 };
        for (size_t i = 0; i < panel->pointCells().size(); ++i) {
            const std::string& name = m_real.classNames[panel->pointCells()[i]];
            const int g = name == kTumour ? 0 : name == kLymphocyte ? 1 : -1;
            if (g >= 0)
                spread[g]
                    += QLineF(mean[g], QPointF(panel->coordinates()[2 * i], panel->coordinates()[2 * i + 1])).length()
                    / count[g];
        }
        qInfo("group means %.3f apart; mean distance to the mean %.3f (tumour), %.3f (lymphocytes)",
            QLineF(mean[0], mean[1]).length(), spread[0], spread[1]);
        QVERIFY(QLineF(mean[0], mean[1]).length() > 0.75 * std::min(spread[0], spread[1]));
    }

    void cancelsALayout()
    {
        UmapPanel* panel = m_window->umapPanel();
        QSignalSpy cancelled(panel->task(), &UmapTask::cancelled);
        QSignalSpy ready(panel, &UmapPanel::layoutReady);
        const std::vector<float> before = panel->coordinates();
        QVERIFY(panel->computeLayout());
        panel->task()->cancel();
        panel->task()->waitForFinished();
        // Either the layout was cancelled or it finished before the flag was seen; never both, never neither.
        QCOMPARE(cancelled.count() + ready.count(), 1);
        if (cancelled.count() == 1)
            QCOMPARE(panel->coordinates(), before);
        if (ready.count() == 1)
            QCOMPARE(panel->coordinates().size(), before.size());
    }

    void rectangleInThePlotHighlightsThoseNuclei()
    {
        UmapPanel* panel = m_window->umapPanel();
        ScatterPlot* plot = panel->plot();
        QVERIFY(plot->isVisible());
        panel->rectangleToolAction()->trigger();
        const QPoint from(int(plot->width() * 0.25), int(plot->height() * 0.25));
        const QPoint to(int(plot->width() * 0.7), int(plot->height() * 0.75));
        QSignalSpy highlighted(m_window->cellLayer(), &CellLayer::highlightedCellsChanged);
        QTest::mousePress(plot, Qt::LeftButton, {}, from);
        QTest::mouseMove(plot, (from + to) / 2);
        QTest::mouseMove(plot, to);
        QTest::mouseRelease(plot, Qt::LeftButton, {}, to);
        QCOMPARE(highlighted.count(), 1);

        // Independently: the cells whose layout coordinates map into the rectangle.
        const QRectF rect = QRectF(from, to).normalized();
        std::vector<quint32> expected;
        for (size_t i = 0; i < panel->pointCells().size(); ++i) {
            const QPointF p = plot->toWidget(QPointF(panel->coordinates()[2 * i], panel->coordinates()[2 * i + 1]));
            if (rect.contains(p))
                expected.push_back(panel->pointCells()[i]);
        }
        std::sort(expected.begin(), expected.end());
        QVERIFY2(
            expected.size() > 5 && expected.size() < m_real.cells.size(), qPrintable(QString::number(expected.size())));
        QCOMPARE(m_window->cellLayer()->highlightedCells(), expected);
        QCOMPARE(plot->highlighted().size(), expected.size());
    }

    void regionSelectedOnTheSlideHighlightsItsPoints()
    {
        UmapPanel* panel = m_window->umapPanel();
        Region region;
        region.name = QStringLiteral("left half");
        region.polygon = QPolygonF(QRectF(0, 0, 512, 1024));
        const quint64 id = m_window->regionStore()->addRegion(region);
        QVERIFY(id);
        m_window->regionEditor()->selectOnly(id);
        std::set<int> expected;
        for (quint32 cell : m_window->cellLayer()->cellsWithCentroidIn(region.polygon))
            expected.insert(*panel->pointOf(cell));
        QVERIFY(expected.size() > 20);
        const std::vector<int>& shown = panel->plot()->highlighted();
        QCOMPARE(std::set<int>(shown.begin(), shown.end()), expected);
        m_window->regionEditor()->selectOnly(0);
        m_window->regionStore()->clear();
        m_window->cellLayer()->setHighlightedCells({});
        QVERIFY(panel->plot()->highlighted().empty());
    }

    void clickingAPointCentresTheViewOnItsCell()
    {
        UmapPanel* panel = m_window->umapPanel();
        ScatterPlot* plot = panel->plot();
        // A point well inside the plot; the click goes to its (rounded) position and picks the nearest point.
        std::optional<size_t> target;
        for (size_t i = 0; i < panel->pointCells().size() && !target; ++i) {
            const QPointF p = plot->toWidget(QPointF(panel->coordinates()[2 * i], panel->coordinates()[2 * i + 1]));
            if (QRectF(20, 20, plot->width() - 40, plot->height() - 40).contains(p))
                target = i;
        }
        QVERIFY(target);
        const QPoint click
            = plot->toWidget(QPointF(panel->coordinates()[2 * *target], panel->coordinates()[2 * *target + 1]))
                  .toPoint();
        size_t nearest = 0;
        double best = 1e18;
        for (size_t i = 0; i < panel->pointCells().size(); ++i) {
            const QPointF d
                = plot->toWidget(QPointF(panel->coordinates()[2 * i], panel->coordinates()[2 * i + 1])) - click;
            if (QPointF::dotProduct(d, d) < best) {
                best = QPointF::dotProduct(d, d);
                nearest = i;
            }
        }
        const quint32 cell = panel->pointCells()[nearest];
        QSignalSpy activated(panel, &UmapPanel::cellActivated);
        QTest::mouseClick(plot, Qt::LeftButton, {}, click);
        QCOMPARE(activated.count(), 1);
        QCOMPARE(activated.at(0).at(0).value<quint32>(), cell);
        QCOMPARE(m_window->cellLayer()->selectedCell(), std::optional<quint32>(cell));
        const QPointF centre = m_window->slideView()->transform().center();
        const cv::Point2d& centroid = m_window->cellLayer()->cells()[cell].centroid;
        QVERIFY2(std::abs(centre.x() - centroid.x) < 1e-6 && std::abs(centre.y() - centroid.y) < 1e-6,
            qPrintable(QStringLiteral("centre %1,%2 cell %3,%4")
                           .arg(centre.x())
                           .arg(centre.y())
                           .arg(centroid.x)
                           .arg(centroid.y)));
        m_window->cellLayer()->setSelectedCell(std::nullopt);
    }

    void rendersPointsInTheirClassColours()
    {
        UmapPanel* panel = m_window->umapPanel();
        ScatterPlot* plot = panel->plot();
        panel->setColorMode(UmapPanel::ColorMode::Class);
        QVERIFY(plot->highlighted().empty());
        const QSize size = plot->size(); // the widget's mapping applies as is
        const QImage image = plot->renderImage(size);
        std::vector<QPointF> at;
        for (size_t i = 0; i < panel->pointCells().size(); ++i)
            at.push_back(plot->toWidget(QPointF(panel->coordinates()[2 * i], panel->coordinates()[2 * i + 1])));
        // Each point's pixel carries the colour of the last point drawn over it (its own when alone).
        auto pixelOf = [&](size_t i) { return QPoint(int(std::floor(at[i].x())), int(std::floor(at[i].y()))); };
        int checked = 0, alone = 0;
        for (size_t i = 0; i < at.size(); ++i) {
            const QPoint pixel = pixelOf(i);
            // Away from the frame, axis titles and legend (top right).
            if (!QRect(20, 20, int(size.width() * 0.5), size.height() - 45).contains(pixel))
                continue;
            size_t top = i;
            const int reach = (plot->pointSize() - 1) / 2; // a point's square covers its pixel ± reach
            for (size_t j = i + 1; j < at.size(); ++j) {
                const QPoint other = pixelOf(j);
                if (std::abs(other.x() - pixel.x()) <= reach && std::abs(other.y() - pixel.y()) <= reach)
                    top = j;
            }
            alone += top == i;
            const QColor expected
                = m_window->cellLayer()->classColor(m_window->cellLayer()->cells()[panel->pointCells()[top]].type);
            QCOMPARE(image.pixelColor(pixel).rgb(), expected.rgb());
            ++checked;
        }
        qInfo("%d pixels checked, %d of points drawn alone", checked, alone);
        QVERIFY2(alone >= 10, qPrintable(QString::number(alone)));
        QVERIFY2(checked >= 10, qPrintable(QString::number(checked)));
    }

    void rasterisesManyPointsOnce()
    {
        // 200 k points (the layout repeated with offsets): one raster, then repaints reuse it.
        const UmapPanel* panel = m_window->umapPanel();
        std::vector<QPointF> points;
        for (int copy = 0; points.size() < 200000; ++copy)
            for (size_t i = 0; i < panel->pointCells().size(); ++i)
                points.emplace_back(panel->coordinates()[2 * i] + 0.01 * copy, panel->coordinates()[2 * i + 1]);
        ScatterPlot plot;
        plot.resize(800, 600);
        plot.setPoints(points);
        QElapsedTimer clock;
        clock.start();
        const QImage image = plot.renderImage(QSize(800, 600));
        const qint64 ms = clock.elapsed();
        qInfo("200k points rasterised in %lld ms", ms);
        QVERIFY(!image.isNull());
        QVERIFY2(ms < 2000, qPrintable(QString::number(ms)));
    }

    void exportsCoordinatesAndPlot()
    {
        UmapPanel* panel = m_window->umapPanel();
        const QString csv = m_dir.filePath(QStringLiteral("umap.csv"));
        QString error;
        QVERIFY2(panel->exportCsv(csv, &error), qPrintable(error));
        QFile file(csv);
        QVERIFY(file.open(QIODevice::ReadOnly | QIODevice::Text));
        QTextStream in(&file);
        QCOMPARE(in.readLine(), QStringLiteral("cell_id,centroid_x,centroid_y,class,umap_1,umap_2"));
        size_t rows = 0;
        while (!in.atEnd()) {
            const QStringList f = in.readLine().split(QLatin1Char(','));
            QCOMPARE(f.size(), 6);
            QCOMPARE(f[0].toUInt(), panel->pointCells()[rows]);
            QCOMPARE(f[4].toFloat(), panel->coordinates()[2 * rows]);
            QCOMPARE(f[5].toFloat(), panel->coordinates()[2 * rows + 1]);
            QCOMPARE(f[3].toStdString(), m_real.classNames[panel->pointCells()[rows]]);
            ++rows;
        }
        QCOMPARE(rows, panel->pointCells().size());

        const QString png = m_dir.filePath(QStringLiteral("umap.png"));
        QVERIFY2(panel->exportPng(png, &error), qPrintable(error));
        const QImage image(png);
        QCOMPARE(image.size(), QSize(1200, 1000));
        const QString svg = m_dir.filePath(QStringLiteral("umap.svg"));
        QVERIFY2(panel->exportSvg(svg, &error), qPrintable(error));
        QSvgRenderer renderer(svg);
        QVERIFY(renderer.isValid());
        QCOMPARE(renderer.viewBox(), QRect(0, 0, 1200, 1000));

        QVERIFY(!panel->exportCsv(m_dir.filePath(QStringLiteral("no/such/dir/umap.csv")), &error));
        QVERIFY2(error.contains(QStringLiteral("umap.csv")), qPrintable(error));
    }

    void classifierLearnsTwoLabelledGroups()
    {
        ClassifierPanel* classifier = m_window->classifierPanel();
        CellLayer* layer = m_window->cellLayer();
        const int large = classifier->addClass(QStringLiteral("Large nuclei"), QColor(230, 25, 75));
        const int small = classifier->addClass(QStringLiteral("Small nuclei"), QColor(0, 130, 200));
        // Two visibly different groups: the 30 largest tumour nuclei, labelled by clicking them on the slide,
        // and the 30 smallest lymphocytes, labelled by a selection in the plot. (The annotated classes overlap
        // in size, so not every tumour nucleus is large.)
        auto byArea = [&](const char* name, bool largestFirst) {
            std::vector<size_t> ids;
            for (size_t i = 0; i < m_real.cells.size(); ++i)
                if (m_real.classNames[i] == name)
                    ids.push_back(i);
            std::sort(ids.begin(), ids.end(), [&](size_t a, size_t b) {
                const float areaA = m_real.embeddings[a * kDim], areaB = m_real.embeddings[b * kDim];
                return largestFirst ? areaA > areaB : areaA < areaB;
            });
            ids.resize(30);
            return ids;
        };
        classifier->setLabelling(true);
        classifier->setCurrentClass(large);
        std::vector<size_t> rows;
        std::vector<int> labels;
        for (size_t i : byArea(kTumour, true)) {
            layer->setSelectedCell(quint32(i)); // what a click on the nucleus does
            rows.push_back(i);
            labels.push_back(large);
        }
        classifier->setCurrentClass(small);
        std::vector<quint32> lymphocytes;
        for (size_t i : byArea(kLymphocyte, false)) {
            lymphocytes.push_back(quint32(i));
            rows.push_back(i);
            labels.push_back(small);
        }
        Q_EMIT m_window->umapPanel()->cellsSelected(lymphocytes); // as a lasso in the plot would
        classifier->setLabelling(false);
        QCOMPARE(classifier->labels().size(), size_t(60));

        QSignalSpy trained(classifier, &ClassifierPanel::trainingFinished);
        QVERIFY(classifier->train());
        QVERIFY(trained.wait(120000));
        QCOMPARE(trained.at(0).at(0).toBool(), true);

        // The same training done here directly: the panel trains on exactly the labelled rows.
        std::vector<ClassifierClass> classes { { "Large nuclei", { 230, 25, 75 } },
            { "Small nuclei", { 0, 130, 200 } } };
        const auto& e = m_real.embeddings;
        // The panel keeps labels in a map ordered by cell id.
        std::vector<std::pair<size_t, int>> ordered;
        for (size_t i = 0; i < rows.size(); ++i)
            ordered.emplace_back(rows[i], labels[i]);
        std::sort(ordered.begin(), ordered.end());
        rows.clear();
        labels.clear();
        for (const auto& [r, l] : ordered) {
            rows.push_back(r);
            labels.push_back(l);
        }
        const CellClassifier reference
            = CellClassifier::train(e.data(), m_real.cells.size(), kDim, rows, labels, classes);
        const ClassifierPrediction expected = reference.predict(e.data(), m_real.cells.size(), kDim);
        QCOMPARE(classifier->predictedClasses(), expected.classes);

        // The labelled cells are classified as labelled; tumour nuclei are called large more often than
        // lymphocytes.
        int agree = 0;
        for (size_t i = 0; i < rows.size(); ++i)
            agree += classifier->predictedClasses()[rows[i]] == labels[i];
        QVERIFY2(agree >= 57, qPrintable(QString::number(agree)));
        QVERIFY2(classifier->crossValidatedAccuracy() >= 0.85,
            qPrintable(QString::number(classifier->crossValidatedAccuracy())));
        int tumourLarge = 0, tumourAll = 0, lymphSmall = 0, lymphAll = 0;
        for (size_t i = 0; i < m_real.cells.size(); ++i) {
            if (m_real.classNames[i] == kTumour) {
                ++tumourAll;
                tumourLarge += classifier->predictedClasses()[i] == large;
            } else if (m_real.classNames[i] == kLymphocyte) {
                ++lymphAll;
                lymphSmall += classifier->predictedClasses()[i] == small;
            }
        }
        qInfo("tumour called large %d/%d, lymphocytes called small %d/%d, labelled agree %d/60, CV %.3f", tumourLarge,
            tumourAll, lymphSmall, lymphAll, agree, classifier->crossValidatedAccuracy());
        QVERIFY2(double(tumourLarge) / tumourAll > 0.5 && double(lymphSmall) / lymphAll > 0.5
                && double(tumourLarge) / tumourAll > 1.0 - double(lymphSmall) / lymphAll,
            qPrintable(QStringLiteral("%1/%2 %3/%4").arg(tumourLarge).arg(tumourAll).arg(lymphSmall).arg(lymphAll)));

        // Counts table: before = the annotated classes, after = the predictions.
        std::map<QString, std::pair<int, int>> expectedCounts;
        for (size_t i = 0; i < m_real.cells.size(); ++i) {
            ++expectedCounts[QString::fromStdString(m_real.classNames[i])].first;
            ++expectedCounts[QString::fromStdString(classes[size_t(expected.classes[i])].name)].second;
        }
        QTableWidget* table = classifier->countsTable();
        QCOMPARE(size_t(table->rowCount()), expectedCounts.size());
        for (int r = 0; r < table->rowCount(); ++r) {
            const auto& counts = expectedCounts.at(table->item(r, 0)->text());
            QCOMPARE(table->item(r, 1)->text().toInt(), counts.first);
            QCOMPARE(table->item(r, 2)->text().toInt(), counts.second);
        }

        // Apply: the overlay and the class counts use the new classes and colours; the layout stays.
        const size_t points = m_window->umapPanel()->pointCells().size();
        QVERIFY(classifier->apply());
        QCOMPARE(m_window->umapPanel()->pointCells().size(), points);
        for (size_t i = 0; i < m_real.cells.size(); ++i)
            QCOMPARE(layer->cells()[i].type, expected.classes[i] + 1);
        QCOMPARE(layer->className(large + 1), QStringLiteral("Large nuclei"));
        QCOMPARE(layer->classColor(small + 1), QColor(0, 130, 200));
        const QString csv = m_window->countsPanel()->csv();
        QVERIFY2(csv.contains(QStringLiteral("Large nuclei")) && csv.contains(QStringLiteral("Small nuclei")),
            qPrintable(csv));

        // Save and load: the reloaded classifier predicts the same classes, with its taxonomy.
        const QString json = m_dir.filePath(QStringLiteral("classifier.json"));
        QString error;
        QVERIFY2(classifier->saveClassifier(json, &error), qPrintable(error));
        const std::vector<int> before = classifier->predictedClasses();
        QSignalSpy reloaded(classifier, &ClassifierPanel::trainingFinished);
        QVERIFY2(classifier->loadClassifier(json, &error), qPrintable(error));
        QVERIFY(reloaded.wait(60000));
        QCOMPARE(classifier->classCount(), 2);
        QCOMPARE(classifier->classes()[1].name, std::string("Small nuclei"));
        QCOMPARE(classifier->predictedClasses(), before);
        QVERIFY(!classifier->loadClassifier(m_dir.filePath(QStringLiteral("missing.json")), &error));
        QVERIFY2(error.contains(QStringLiteral("missing.json")), qPrintable(error));

        // GeoJSON export of the reclassified cells names the new classes.
        const QString geojson = m_dir.filePath(QStringLiteral("cells.geojson"));
        QSignalSpy exported(m_window->cellExport(), &CellExportController::finished);
        QVERIFY(m_window->exportCells(geojson, false));
        QVERIFY(exported.wait(60000));
        const GeoJsonImport back = readGeoJsonFile(geojson.toStdString());
        QCOMPARE(back.features.size(), m_real.cells.size());
        std::map<std::string, int> names;
        for (const GeoJsonFeature& f : back.features)
            ++names[f.className];
        QCOMPARE(names.size(), size_t(2));
        QVERIFY(names.count("Large nuclei") && names.count("Small nuclei"));
        // ... and carries the classifier's colours, so QuPath shows what the pathologist chose.
        std::ifstream text(geojson.toStdString());
        const auto document = nlohmann::json::parse(text);
        int smallFeatures = 0;
        for (const auto& feature : document.at("features")) {
            const auto& classification = feature.at("properties").at("classification");
            if (classification.at("name") == "Small nuclei") {
                QCOMPARE(classification.at("color").get<std::vector<int>>(), (std::vector<int> { 0, 130, 200 }));
                ++smallFeatures;
            }
        }
        QCOMPARE(smallFeatures, names["Small nuclei"]);
    }

    void cleanupTestCase() { m_window.reset(); }

private:
    QTemporaryDir m_dir;
    RealCells m_real;
    std::unique_ptr<MainWindow> m_window;
};

QTEST_MAIN(TestUmapPanel)
#include "tst_umap_panel.moc"
