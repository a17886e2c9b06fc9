#include "inference/export/geojson_writer.h"
#include "inference/slide/slide_source.h"
#include "test_support.h"
#include "viewer/cell_layer.h"
#include "viewer/cell_measurements.h"
#include "viewer/cell_overlay_painter.h"
#include "viewer/class_palette.h"
#include "viewer/class_counts.h"
#include "viewer/detection_import.h"
#include "viewer/view_transform.h"

#include <QImage>
#include <QPainter>
#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <set>
#include <cmath>

using namespace cellvit;

namespace {

// A roughly round nucleus (16-gon) of `radius` px around (cx, cy).
SlideCell roundCell(double cx, double cy, double radius, int type, double prob = 0.9)
{
    SlideCell cell;
    cell.centroid = { cx, cy };
    for (int i = 0; i < 16; ++i) {
        const double a = i * 2 * M_PI / 16;
        cell.contour.emplace_back(std::round(cx + radius * std::cos(a)), std::round(cy + radius * std::sin(a)));
    }
    cell.cmin = cx - radius;
    cell.rmin = cy - radius;
    cell.cmax = cx + radius + 1;
    cell.rmax = cy + radius + 1;
    cell.type = type;
    cell.typeProb = prob;
    return cell;
}

// Renders `layer` over white, 400×300 widget px showing level-0 [0, 400·ds) × [0, 300·ds).
QImage render(
    const CellLayer& layer, CellOverlayPainter& painter, double downsample, OverlayPaintStats* stats = nullptr)
{
    QImage image(400, 300, QImage::Format_ARGB32_Premultiplied);
    image.fill(Qt::white);
    ViewTransform transform(QSizeF(100000, 100000), QSizeF(400, 300));
    transform.setDownsample(downsample);
    transform.setCenter(QPointF(200 * downsample, 150 * downsample));
    QPainter p(&image);
    const OverlayPaintStats s = painter.paint(p, layer, transform);
    if (stats)
        *stats = s;
    return image;
}

// Renders as the view does: frames repeat while raster tiles are left for the next frame (a slow machine spends
// the frame budget on the first tile); the stats add up the tiles and cells of all those frames.
QImage renderSettled(const CellLayer& layer, CellOverlayPainter& painter, double downsample, OverlayPaintStats* stats)
{
    OverlayPaintStats total, frame;
    QImage image;
    for (int frames = 0; frames < 64; ++frames) {
        image = render(layer, painter, downsample, &frame);
        total.detail = frame.detail;
        total.cellsDrawn += frame.cellsDrawn;
        total.rasterTilesBuilt += frame.rasterTilesBuilt;
        total.rasterTilesPending = frame.rasterTilesPending;
        if (frame.rasterTilesPending == 0)
            break;
    }
    *stats = total;
    return image;
}

bool near(const QColor& a, const QColor& b, int tolerance = 8)
{
    return std::abs(a.red() - b.red()) <= tolerance && std::abs(a.green() - b.green()) <= tolerance
        && std::abs(a.blue() - b.blue()) <= tolerance;
}

// The antialiased outline covers a pixel next to the contour: some pixel next to `at` must be at least 40 %
// of the way from white to the class colour in every channel, and no further from it in any.
bool nearSomewhere(const QImage& image, const QPoint& at, const QColor& colour)
{
    auto tinted = [&](const QColor& c) {
        const int actual[3] = { c.red(), c.green(), c.blue() };
        const int target[3] = { colour.red(), colour.green(), colour.blue() };
        for (int k = 0; k < 3; ++k) {
            if (target[k] == 255)
                continue;
            const double alpha = double(255 - actual[k]) / double(255 - target[k]);
            if (alpha < 0.4 || alpha > 1.05)
                return false;
        }
        return true;
    };
    for (int dy = -1; dy <= 1; ++dy)
        for (int dx = -1; dx <= 1; ++dx)
            if (tinted(image.pixelColor(at + QPoint(dx, dy))))
                return true;
    return false;
}

} // namespace

class TestCellOverlay : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        test::isolateSettings("tst_cell_overlay"); // remembered class colours go to a throw-away place
        QSettings().remove(QStringLiteral("overlay"));
    }

    void drawsNucleiInTheirClassColour()
    {
        CellLayer layer;
        layer.setCells({ roundCell(50, 50, 10, 1), roundCell(150, 60, 10, 2), roundCell(250, 200, 12, 3) });
        layer.setOpacity(1.0);
        layer.setFilled(true);
        CellOverlayPainter painter;
        OverlayPaintStats stats;
        QImage image = render(layer, painter, 1.0, &stats);
        QCOMPARE(stats.detail, OverlayDetail::Outlines);
        QCOMPARE(stats.cellsDrawn, size_t(3));
        // Outline pixels carry the class colour; the fill is the colour at 35 % over white.
        auto blended = [](const QColor& c) {
            return QColor(int(std::lround(c.red() * 0.35 + 255 * 0.65)),
                int(std::lround(c.green() * 0.35 + 255 * 0.65)), int(std::lround(c.blue() * 0.35 + 255 * 0.65)));
        };
        QVERIFY(nearSomewhere(image, QPoint(60, 50), layer.classColor(1))); // antialiased: within a pixel
        QVERIFY2(
            near(image.pixelColor(50, 50), blended(layer.classColor(1))), qPrintable(image.pixelColor(50, 50).name()));
        QVERIFY(near(image.pixelColor(150, 60), blended(layer.classColor(2))));
        QVERIFY(near(image.pixelColor(250, 200), blended(layer.classColor(3))));
        QCOMPARE(image.pixelColor(100, 150), QColor(Qt::white)); // between nuclei

        // Per-class visibility, then H (all overlays).
        layer.setClassVisible(2, false);
        image = render(layer, painter, 1.0);
        QCOMPARE(image.pixelColor(150, 60), QColor(Qt::white));
        QVERIFY(near(image.pixelColor(50, 50), blended(layer.classColor(1))));
        layer.setOverlaysVisible(false);
        image = render(layer, painter, 1.0, &stats);
        QCOMPARE(stats.cellsDrawn, size_t(0));
        QCOMPARE(image.pixelColor(50, 50), QColor(Qt::white));
    }

    void coarseZoomDrawsDotsThenCachedRasterTiles()
    {
        CellLayer layer;
        std::vector<SlideCell> cells;
        for (int i = 0; i < 50; ++i)
            cells.push_back(roundCell(400 + 300.0 * i, 1000, 8, 1 + i % 5));
        layer.setCells(std::move(cells));
        layer.setOpacity(1.0);
        CellOverlayPainter painter;
        OverlayPaintStats stats;
        QImage image = render(layer, painter, 4.0, &stats); // 1600×1200 level-0 px: cells 0..4 visible
        QCOMPARE(stats.detail, OverlayDetail::Centroids);
        QCOMPARE(stats.cellsDrawn, size_t(5));
        QCOMPARE(image.pixelColor(100, 250), layer.classColor(1)); // (400, 1000) / 4
        QCOMPARE(image.pixelColor(175, 250), layer.classColor(2));

        image = renderSettled(layer, painter, 32.0, &stats); // every cell in view
        QCOMPARE(stats.detail, OverlayDetail::Raster);
        QVERIFY(stats.rasterTilesBuilt > 0);
        QVERIFY(stats.cellsDrawn >= 50); // a dot on a tile edge is drawn into both tiles
        for (int i = 0; i < 42; ++i) { // 400 widget px = 12800 level-0 px: cells 0..41 on screen
            const QPoint at(int((400 + 300.0 * i) / 32), int(1000 / 32));
            QVERIFY2(near(image.pixelColor(at), layer.classColor(1 + i % 5), 2), qPrintable(QString::number(i)));
        }
        render(layer, painter, 32.0, &stats); // cached: nothing rendered again
        QCOMPARE(stats.rasterTilesBuilt, 0);
        layer.setClassVisible(1, false); // a class change invalidates the cache
        image = renderSettled(layer, painter, 32.0, &stats);
        QVERIFY(stats.rasterTilesBuilt > 0);
        QVERIFY(stats.cellsDrawn >= 40 && stats.cellsDrawn < 50);
        QCOMPARE(image.pixelColor(int(400 / 32), int(1000 / 32)), QColor(Qt::white));
    }

    void findsNucleiAndReplacesResultsInsideARegion()
    {
        CellLayer layer;
        layer.setCells({ roundCell(50, 50, 10, 1), roundCell(150, 60, 10, 2), roundCell(56, 50, 10, 3) });
        QCOMPARE(layer.cellAt({ 44, 50 }), std::optional<quint32>(0)); // overlap: the nearer centre wins
        QCOMPARE(layer.cellAt({ 62, 50 }), std::optional<quint32>(2));
        QCOMPARE(layer.cellAt({ 150, 60 }), std::optional<quint32>(1));
        QVERIFY(!layer.cellAt({ 100, 100 }));
        QCOMPARE(layer.cellsIn(QRectF(140, 50, 5, 5)), std::vector<quint32> { 1 });

        QSignalSpy changed(&layer, &CellLayer::cellsChanged);
        const QPolygonF left(QRectF(0, 0, 100, 100));
        layer.replaceCellsIn({ left }, { roundCell(30, 30, 5, 4) });
        QCOMPARE(changed.count(), 1);
        QCOMPARE(layer.size(), size_t(2)); // the 2 old cells inside were replaced by 1, the one outside kept
        QCOMPARE(layer.cellsWithCentroidIn(left).size(), size_t(1));
        QCOMPARE(layer.cells()[layer.cellsWithCentroidIn(left).front()].type, 4);
        QCOMPARE(*layer.analysedAreaPx(), 10000.0);
        layer.replaceCellsIn({ QPolygonF(QRectF(50, 0, 100, 100)) }, {});
        QCOMPARE(*layer.analysedAreaPx(), 15000.0); // union, not the sum
    }

    void countsClassesPerRegion()
    {
        CellLayer layer;
        std::vector<SlideCell> cells;
        for (int i = 0; i < 10; ++i)
            cells.push_back(roundCell(100 + 200.0 * i, 100, 8, i < 6 ? 1 : 2));
        layer.setCells(std::move(cells), { QPolygonF(QRectF(0, 0, 2000, 2000)) });
        // 2000 px at 0.5 µm/px: 1 mm² analysed.
        ClassCountTable all = countClasses(layer, QStringLiteral("All"), {}, layer.analysedAreaPx(), 0.5);
        QCOMPARE(all.total, size_t(10));
        QCOMPARE(*all.areaMm2, 1.0);
        QCOMPARE(all.rows.size(), size_t(5)); // the PanNuke classes, background left out
        QCOMPARE(all.rows[0].name, QStringLiteral("Neoplastic"));
        QCOMPARE(all.rows[0].count, size_t(6));
        QCOMPARE(all.rows[0].percent, 60.0);
        QCOMPARE(*all.rows[0].densityPerMm2, 6.0);
        QCOMPARE(all.rows[1].count, size_t(4));
        QCOMPARE(all.rows[2].count, size_t(0));

        const QPolygonF half(QRectF(0, 0, 1000, 1000)); // centroids x = 100..900: cells 0..4
        const ClassCountTable region = countClasses(layer, QStringLiteral("half"), half, 1e6, 0.5);
        QCOMPARE(region.total, size_t(5));
        QCOMPARE(*region.rows[0].densityPerMm2, 20.0); // 5 in 0.25 mm²
        QCOMPARE(classCountsCsv(region).split(QLatin1Char('\n'))[1],
            QStringLiteral("\"half\",\"Neoplastic\",5,100.00,20.000"));
        QVERIFY(classCountsCsv(region).contains(QStringLiteral("\"half\",\"Total\",5,100.00,20.000")));
        const ClassCountTable unknown = countClasses(layer, QStringLiteral("x"), {}, std::nullopt, 0.5);
        QVERIFY(!unknown.rows[0].densityPerMm2);
    }

    void measuresANucleus()
    {
        SlideCell square;
        square.contour = { { 10, 10 }, { 30, 10 }, { 30, 20 }, { 10, 20 } };
        square.centroid = { 20, 15 };
        const CellMeasurements px = measureCell(square, std::nullopt);
        QCOMPARE(px.areaPx, 200.0);
        QCOMPARE(px.perimeterPx, 60.0);
        QVERIFY(!px.areaUm2);
        const CellMeasurements um = measureCell(square, 0.25);
        QCOMPARE(*um.areaUm2, 12.5);
        QCOMPARE(*um.perimeterUm, 15.0);
        QCOMPARE(*um.centroidUm, QPointF(5, 3.75));
    }

    void detectionExportImportRoundTrip()
    {
        std::vector<SlideCell> cells { roundCell(50, 50, 10, 1, 0.75), roundCell(150, 60, 9, 5, 0.5) };
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("cells.geojson"));
        GeoJsonExportOptions options;
        options.micronsPerPixel = 0.5;
        QCOMPARE(writeCellsGeoJson(path.toStdString(), cells, options).written, size_t(2));
        const DetectionImport imported = importDetectionsGeoJson(path, CellTaxonomy::panNuke(), 0.5);
        QVERIFY(imported.problems.isEmpty());
        QCOMPARE(imported.cells.size(), size_t(2));
        for (size_t i = 0; i < 2; ++i) {
            QCOMPARE(imported.cells[i].type, cells[i].type);
            QCOMPARE(imported.cells[i].typeProb, cells[i].typeProb);
            QCOMPARE(imported.cells[i].contour, cells[i].contour);
            QVERIFY(std::abs(imported.cells[i].centroid.x - cells[i].centroid.x) < 1e-6);
        }
    }

    // Issue #18 (1): cells.geojson of the bundled 4-class model, imported while the PanNuke taxonomy is shown,
    // brings its own classes (not PanNuke's five plus the unknown ones) in the file's classification colours.
    void importedDetectionsUseTheFilesClasses()
    {
        const CellTaxonomy crc({ { 0, "Background" }, { 1, "Epithelial" }, { 2, "Inflammatory" }, { 3, "Fibroblast" },
                                   { 4, "Others" } },
            { { 3, Rgb { 12, 200, 180 } } });
        std::vector<SlideCell> cells { roundCell(50, 50, 10, 3, 0.9), roundCell(150, 60, 9, 2, 0.6),
            roundCell(250, 60, 9, 3, 0.7) };
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("cells.geojson"));
        GeoJsonExportOptions options;
        options.taxonomy = crc;
        QCOMPARE(writeCellsGeoJson(path.toStdString(), cells, options).written, size_t(3));

        const DetectionImport imported = importDetectionsGeoJson(path, CellTaxonomy::panNuke());
        QVERIFY(imported.problems.isEmpty());
        std::set<std::string> names;
        for (const auto& [id, name] : imported.taxonomy.typeNames())
            names.insert(name);
        QCOMPARE(names, (std::set<std::string> { "Fibroblast", "Inflammatory" }));
        const int fibroblast = imported.cells[0].type;
        QCOMPARE(imported.cells[2].type, fibroblast);
        QCOMPARE(imported.taxonomy.classOf(fibroblast).name, std::string("Fibroblast"));
        QCOMPARE(imported.taxonomy.classOf(fibroblast).color, (Rgb { 12, 200, 180 }));
        // "Inflammatory" is a PanNuke class too: it keeps PanNuke's id.
        QCOMPARE(imported.cells[1].type, 2);
        QCOMPARE(imported.taxonomy.classOf(2).color, crc.classOf(2).color);
    }

    // Issue #18 (8): on a real H&E tile at 20× (1 level-0 px per screen px), a nucleus outline of the bundled
    // model's commonest class must stand out from the haematoxylin under it and the eosin around it: across the
    // contour, in 90 % of the directions, some pixel differs in luminance by ≥ 60 grey levels from the tile and at
    // least 2 by ≥ 30 (a line of ≥ 2 px). (The earlier 1-px outline in the reference blue (35, 92, 236) differed by
    // ~10 on haematoxylin.)
    void outlinesStandOutOnARealTile()
    {
        CELLVIT_REQUIRE_PATH(test::sampleSlide());
        const auto slide = openSlide(test::sampleSlide());
        const cv::Mat rgb = slide->readRegion(0, 1000, 1000, 400, 300);
        QImage tile(rgb.data, rgb.cols, rgb.rows, int(rgb.step), QImage::Format_RGB888);
        tile = tile.convertToFormat(QImage::Format_ARGB32_Premultiplied);
        auto luminance = [](const QColor& c) { return 0.2126 * c.red() + 0.7152 * c.green() + 0.0722 * c.blue(); };
        // The darkest 9×9 neighbourhood away from the border: a haematoxylin-stained nucleus.
        QPoint nucleus;
        double darkest = 1e9;
        for (int y = 20; y < tile.height() - 20; y += 2)
            for (int x = 20; x < tile.width() - 20; x += 2) {
                double sum = 0;
                for (int dy = -4; dy <= 4; ++dy)
                    for (int dx = -4; dx <= 4; ++dx)
                        sum += luminance(tile.pixelColor(x + dx, y + dy));
                if (sum < darkest) {
                    darkest = sum;
                    nucleus = QPoint(x, y);
                }
            }
        QVERIFY2(darkest / 81 < 120, qPrintable(QString::number(darkest / 81))); // it is a stained nucleus

        CellLayer layer;
        layer.setTaxonomy(CellTaxonomy({ { 0, "Background" }, { 1, "Epithelial" }, { 2, "Inflammatory" },
            { 3, "Fibroblast" }, { 4, "Others" } }));
        const double radius = 7;
        layer.setCells({ roundCell(1000 + nucleus.x(), 1000 + nucleus.y(), radius, 3) });
        layer.setOpacity(0.8); // the default
        QImage shown = tile.copy();
        {
            QPainter p(&shown);
            ViewTransform transform(QSizeF(100000, 100000), QSizeF(400, 300));
            transform.setDownsample(1.0);
            transform.setCenter(QPointF(1200, 1150));
            CellOverlayPainter painter;
            painter.paint(p, layer, transform);
        }
        int legible = 0;
        const int angles = 32;
        for (int k = 0; k < angles; ++k) {
            const double a = k * 2 * M_PI / angles;
            double strongest = 0;
            int visible = 0;
            for (double r = radius - 4; r <= radius + 4; r += 1.0) {
                const QPoint at(int(std::lround(nucleus.x() + r * std::cos(a))),
                    int(std::lround(nucleus.y() + r * std::sin(a))));
                const double contrast = std::abs(luminance(shown.pixelColor(at)) - luminance(tile.pixelColor(at)));
                strongest = std::max(strongest, contrast);
                visible += contrast >= 30;
            }
            legible += strongest >= 60 && visible >= 2;
        }
        QVERIFY2(legible >= angles * 9 / 10, qPrintable(QStringLiteral("%1 of %2 directions").arg(legible).arg(angles)));
    }

    // Colours picked in the Overlay dock are remembered per taxonomy (and only for it).
    void classColoursAreRememberedPerTaxonomy()
    {
        const CellTaxonomy crc({ { 1, "Epithelial" }, { 3, "Fibroblast" } });
        {
            CellLayer layer;
            layer.setTaxonomy(crc);
            QCOMPARE(layer.classColor(3), defaultClassColor("Fibroblast", 3));
            QSignalSpy appearance(&layer, &CellLayer::appearanceChanged);
            layer.setClassColor(3, QColor(10, 20, 30));
            QCOMPARE(appearance.size(), 1);
            QCOMPARE(layer.classColor(3), QColor(10, 20, 30));
            QCOMPARE(layer.displayTaxonomy().classOf(3).color, (Rgb { 10, 20, 30 }));
        }
        CellLayer later;
        later.setTaxonomy(crc);
        QCOMPARE(later.classColor(3), QColor(10, 20, 30));
        QCOMPARE(later.classColor(1), defaultClassColor("Epithelial", 1));
        later.setTaxonomy(CellTaxonomy::panNuke()); // another taxonomy: its own defaults
        QCOMPARE(later.classColor(3), defaultClassColor("Connective", 3));
        // The defaults avoid the hues of haematoxylin and eosin (blue, purple, pink: 200°–330°), by name and by id.
        for (const char* name : { "Neoplastic", "Inflammatory", "Connective", "Dead", "Epithelial", "Others" })
            QVERIFY2(defaultClassColor(name, 0).hsvHue() < 200, name);
        for (int id = 1; id <= 12; ++id) {
            const QColor c = defaultClassColor("", id);
            QVERIFY2(c.hsvHue() < 200 || c.hsvHue() > 330, qPrintable(c.name()));
        }
        QVERIFY(QColor(35, 92, 236).hsvHue() >= 200); // the reference "Connective" blue the defaults replace
    }
};

QTEST_MAIN(TestCellOverlay)
#include "tst_cell_overlay.moc"
