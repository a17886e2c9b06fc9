#include "test_support.h"
#include "viewer/region_editor.h"
#include "viewer/region_geojson.h"
#include "viewer/region_store.h"

#include <QFile>
#include <QItemSelectionModel>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <cmath>

using namespace cellvit;

namespace {

QPolygonF square(double x, double y, double side)
{
    return QPolygonF({ { x, y }, { x + side, y }, { x + side, y + side }, { x, y + side } });
}

void click(RegionEditor& editor, const QPointF& p)
{
    editor.press(p, Qt::LeftButton);
    editor.release(p, Qt::LeftButton);
}

} // namespace

class TestRegions : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void storeAddsRenamesMovesAndRemoves()
    {
        RegionStore store;
        QSignalSpy changed(&store, &RegionStore::regionsChanged);
        QCOMPARE(store.addRegion({ 0, {}, RegionKind::Polygon, QPolygonF({ { 0, 0 }, { 10, 0 } }) }), quint64(0));
        const quint64 a = store.addRegion({ 0, {}, RegionKind::Rectangle, square(100, 100, 2000) });
        const quint64 b = store.addRegion({ 0, QStringLiteral("tumour"), RegionKind::Polygon, square(0, 0, 10) });
        QVERIFY(a != 0 && b != 0 && a != b);
        QCOMPARE(changed.count(), 2);
        QCOMPARE(store.rowCount(), 2);
        QCOMPARE(store.find(a)->name, QStringLiteral("Region 1"));
        QCOMPARE(store.data(store.index(0), RegionStore::AreaPxRole).toDouble(), 4e6);
        QVERIFY(!store.data(store.index(0), RegionStore::AreaMm2Role).isValid()); // resolution unknown
        store.setMicrometresPerPixel(0.5);
        // 2000 px at 0.5 µm/px = 1 mm per side.
        QCOMPARE(store.data(store.index(0), RegionStore::AreaMm2Role).toDouble(), 1.0);
        QVERIFY(store.data(store.index(0)).toString().contains(QStringLiteral("1 mm²")));

        QVERIFY(store.setData(store.index(1), QStringLiteral("stroma")));
        QCOMPARE(store.find(b)->name, QStringLiteral("stroma"));
        QVERIFY(!store.renameRegion(b, QStringLiteral("   ")));

        QCOMPARE(store.regionAt({ 5, 5 }), b);
        QCOMPARE(store.regionAt({ 500, 500 }), a);
        QCOMPARE(store.regionAt({ 50, 50 }), quint64(0));
        QVERIFY(store.translateRegion(b, { 40, 40 }));
        QCOMPARE(store.regionAt({ 45, 45 }), b);
        QCOMPARE(store.find(b)->polygon.boundingRect(), QRectF(40, 40, 10, 10));

        QVERIFY(store.removeRegion(a));
        QCOMPARE(store.rowCount(), 1);
        QVERIFY(!store.find(a));
        QVERIFY(!store.removeRegion(a));
    }

    void sameRegionIsFoundByOutlineAndName()
    {
        RegionStore store;
        Region tumour;
        tumour.name = QStringLiteral("Tumour");
        tumour.polygon = square(10.5, 20.25, 300);
        const quint64 id = store.addRegion(tumour);
        Region unnamed;
        unnamed.polygon = square(500, 500, 50);
        const quint64 second = store.addRegion(unnamed); // named "Region 2" by the store
        QVERIFY(id && second);

        QCOMPARE(store.findSame(tumour), id);
        Region closed = tumour; // a closed ring (as GeoJSON writes it) is the same outline
        closed.polygon << closed.polygon.first();
        QCOMPARE(store.findSame(closed), id);
        QCOMPARE(store.findSame(unnamed), second);
        Region renamed = tumour;
        renamed.name = QStringLiteral("Stroma");
        QCOMPARE(store.findSame(renamed), quint64(0));
        Region moved = tumour;
        moved.polygon.translate(0.5, 0);
        QCOMPARE(store.findSame(moved), quint64(0));
    }

    void editorDrawsRectanglePolygonAndFreehand()
    {
        RegionStore store;
        QItemSelectionModel selection(&store);
        RegionEditor editor(&store, &selection);
        QSignalSpy created(&editor, &RegionEditor::regionCreated);

        editor.setTool(RegionTool::Rectangle);
        QVERIFY(editor.press({ 1400, 1000 }, Qt::LeftButton));
        QVERIFY(editor.move({ 1200, 1300 }));
        QVERIFY(editor.isDrawing());
        QVERIFY(editor.release({ 1000, 1400 }, Qt::LeftButton));
        QCOMPARE(created.count(), 1);
        const Region* rect = store.find(created.last().at(0).toULongLong());
        QCOMPARE(rect->kind, RegionKind::Rectangle);
        QCOMPARE(rect->polygon.boundingRect(), QRectF(1000, 1000, 400, 400));
        QCOMPARE(polygonAreaPx(rect->polygon), 160000.0);
        QCOMPARE(editor.selectedIds(), std::vector<quint64> { rect->id });

        // A click without a drag makes no region.
        click(editor, { 10, 10 });
        QCOMPARE(created.count(), 1);

        // Polygon closed by a double-click (Qt sends press, release, press, double-click, release).
        editor.setTool(RegionTool::Polygon);
        click(editor, { 0, 0 });
        click(editor, { 100, 0 });
        editor.move({ 100, 80 });
        click(editor, { 100, 100 });
        editor.press({ 100, 100 }, Qt::LeftButton);
        QVERIFY(editor.doubleClick({ 100, 100 }, Qt::LeftButton));
        editor.release({ 100, 100 }, Qt::LeftButton);
        QCOMPARE(created.count(), 2);
        const Region* triangle = store.find(created.last().at(0).toULongLong());
        QCOMPARE(triangle->polygon, QPolygonF({ { 0, 0 }, { 100, 0 }, { 100, 100 } }));

        // Polygon closed by clicking next to its first vertex, and one closed by Enter.
        editor.setSnapDistance(5);
        for (const QPointF p : { QPointF(0, 0), QPointF(50, 0), QPointF(50, 50), QPointF(2, 1) })
            click(editor, p);
        QCOMPARE(created.count(), 3);
        QCOMPARE(store.find(created.last().at(0).toULongLong())->polygon.size(), 3);
        for (const QPointF p : { QPointF(0, 0), QPointF(50, 0), QPointF(0, 50) })
            click(editor, p);
        QVERIFY(editor.key(Qt::Key_Return));
        QCOMPARE(created.count(), 4);

        // Esc cancels an outline in progress.
        click(editor, { 0, 0 });
        click(editor, { 50, 0 });
        QVERIFY(editor.key(Qt::Key_Escape));
        QVERIFY(!editor.isDrawing());
        QVERIFY(editor.draft().isEmpty());
        QCOMPARE(created.count(), 4);

        editor.setTool(RegionTool::Freehand);
        editor.press({ 200, 0 }, Qt::LeftButton);
        for (int i = 1; i <= 20; ++i)
            editor.move({ 200 * std::cos(i * 0.3), 200 * std::sin(i * 0.3) });
        editor.release({ 0, 10 }, Qt::LeftButton);
        QCOMPARE(created.count(), 5);
        const Region* freehand = store.find(created.last().at(0).toULongLong());
        QCOMPARE(freehand->kind, RegionKind::Freehand);
        QVERIFY(freehand->polygon.size() > 10);
        QCOMPARE(store.rowCount(), 5);
    }

    void navigateToolMovesAndDeletesTheSelectedRegion()
    {
        RegionStore store;
        QItemSelectionModel selection(&store);
        RegionEditor editor(&store, &selection);
        const quint64 id = store.addRegion({ 0, {}, RegionKind::Rectangle, square(0, 0, 100) });
        QVERIFY(!editor.press({ 50, 50 }, Qt::LeftButton)); // not selected: the view pans
        editor.selectOnly(id);
        QVERIFY(editor.press({ 50, 50 }, Qt::LeftButton));
        QVERIFY(editor.move({ 60, 70 }));
        QVERIFY(editor.release({ 80, 90 }, Qt::LeftButton));
        QCOMPARE(store.find(id)->polygon.boundingRect(), QRectF(30, 40, 100, 100));
        QVERIFY(editor.key(Qt::Key_Delete));
        QCOMPARE(store.rowCount(), 0);
    }

    void exportImportRoundTrip()
    {
        RegionStore store;
        store.addRegion({ 0, QStringLiteral("tumour \"A\""), RegionKind::Rectangle, square(1000, 1000, 400) });
        store.addRegion(
            { 0, QStringLiteral("stroma"), RegionKind::Polygon, QPolygonF({ { 0, 0 }, { 30.25, 0 }, { 10, 20.5 } }) });
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("regions.geojson"));
        exportRegionsGeoJson(path, store.regions());
        const RegionImport imported = importRegionsGeoJson(path);
        QVERIFY2(imported.problems.isEmpty(), qPrintable(imported.problems.join(QLatin1Char('\n'))));
        QCOMPARE(imported.regions.size(), size_t(2));
        for (size_t i = 0; i < 2; ++i) {
            QCOMPARE(imported.regions[i].name, store.regions()[i].name);
            QCOMPARE(imported.regions[i].polygon, store.regions()[i].polygon);
            QCOMPARE(imported.regions[i].kind, RegionKind::Imported);
        }
        const std::string message = test::thrownMessage<std::exception>(
            [&] { exportRegionsGeoJson(dir.filePath(QStringLiteral("no/such/dir/x.geojson")), store.regions()); });
        QVERIFY2(message.find("no/such/dir") != std::string::npos, message.c_str());
    }

    void importKeepsValidFeaturesAndListsTheOthers()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("mixed.geojson"));
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(R"({"type":"FeatureCollection","features":[
 {"type":"Feature","geometry":{"type":"Polygon","coordinates":[[[0,0],[10,0],[10,10],[0,10],[0,0]]]},"properties":{"objectType":"annotation","name":"good"}},
 {"type":"Feature","geometry":{"type":"Polygon","coordinates":[[[0,0],[10,0],[10,10]]]},"properties":{"objectType":"annotation"}},
 {"type":"Feature","geometry":{"type":"Point","coordinates":[5,5]},"properties":{"objectType":"annotation"}},
 {"type":"Feature","geometry":{"type":"Polygon","coordinates":[[[0,0],[4,0],[4,4],[0,4],[0,0]]]},"properties":{"objectType":"detection"}},
 {"type":"Feature","geometry":{"type":"MultiPolygon","coordinates":[[[[20,20],[30,20],[30,30],[20,20]]],[[[40,40],[50,40],[50,50],[40,40]]]]},"properties":{"objectType":"annotation","classification":{"name":"Tumor","color":[200,0,0]}}}
]})");
        file.close();
        const RegionImport imported = importRegionsGeoJson(path);
        const QString all = imported.problems.join(QLatin1Char('\n'));
        QCOMPARE(imported.regions.size(), size_t(3));
        QCOMPARE(imported.regions[0].name, QStringLiteral("good"));
        QCOMPARE(imported.regions[1].name, QStringLiteral("Tumor (1)"));
        QCOMPARE(imported.regions[2].name, QStringLiteral("Tumor (2)"));
        QVERIFY2(imported.problems.size() == 3, qPrintable(all));
        QVERIFY2(all.contains(QStringLiteral("feature 1")), qPrintable(all));
        QVERIFY2(all.contains(QStringLiteral("feature 2")), qPrintable(all));
        QVERIFY2(
            all.contains(QStringLiteral("feature 3")) && all.contains(QStringLiteral("detection")), qPrintable(all));
        const std::string message = test::thrownMessage<std::exception>(
            [&] { importRegionsGeoJson(dir.filePath(QStringLiteral("missing.geojson"))); });
        QVERIFY2(message.find("missing.geojson") != std::string::npos, message.c_str());
    }

    void importsRealQuPathAnnotations()
    {
        const auto file
            = test::dataDir() / "puma_nuclei_geojson_samples" / "training_set_primary_roi_006_nuclei.geojson";
        CELLVIT_REQUIRE_PATH(file);
        const RegionImport imported = importRegionsGeoJson(QString::fromStdString(file.string()));
        // Every one of the 284 annotation polygons becomes a region unless it is reported.
        QCOMPARE(imported.regions.size() + size_t(imported.problems.size()), size_t(284));
        QVERIFY(imported.regions.size() > 250);
        RegionStore store;
        for (const Region& r : imported.regions)
            QVERIFY(store.addRegion(r) != 0);
        QCOMPARE(store.rowCount(), int(imported.regions.size()));
    }
};

QTEST_GUILESS_MAIN(TestRegions)
#include "tst_regions.moc"
