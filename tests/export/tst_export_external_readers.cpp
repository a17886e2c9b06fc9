// Our GeoJSON must be readable by the standard tools, not only by our own reader: GDAL/OGR (ogrinfo) and shapely.
// Both are installed by scripts/install-deps.sh; their absence is a failure.

#include "export_test_data.h"
#include "inference/export/geojson_reader.h"
#include "inference/export/geojson_writer.h"

#include <QRegularExpression>
#include <QStandardPaths>
#include <QTemporaryDir>

using namespace cellvit;

namespace {

struct Written {
    std::filesystem::path plain, gz;
    size_t count = 0;
    double totalArea = 0; // px^2, from our own reader
};

Written writeGoldenCells(const QTemporaryDir& dir)
{
    const auto slideCells = test::slideCellsFromReferenceCells(test::readJson(test::goldenGlobalCellsPath()));
    Written w;
    w.plain = dir.filePath(QStringLiteral("cells.geojson")).toStdString();
    w.gz = dir.filePath(QStringLiteral("cells.geojson.gz")).toStdString();
    GeoJsonExportOptions options;
    options.micronsPerPixel = 0.25;
    w.count = writeCellsGeoJson(w.plain, slideCells, options).written;
    writeCellsGeoJson(w.gz, slideCells, options);
    for (const auto& f : readGeoJsonFile(w.plain).features)
        w.totalArea += polygonArea(f.geometry.polygons.at(0));
    return w;
}

} // namespace

class TestExportExternalReaders : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void ogrinfoReadsOurGeoJson()
    {
        CELLVIT_REQUIRE_PATH(test::goldenGlobalCellsPath());
        const QString ogrinfo = QStandardPaths::findExecutable(QStringLiteral("ogrinfo"));
        if (ogrinfo.isEmpty())
            QFAIL("ogrinfo not found: install gdal-bin (scripts/install-deps.sh)");
        QTemporaryDir dir;
        const Written w = writeGoldenCells(dir);
        QVERIFY(w.count > 1000);
        for (const QString& source : { QString::fromStdString(w.plain.string()),
                 QStringLiteral("/vsigzip/") + QString::fromStdString(w.gz.string()) }) {
            const test::ProcessRun r = test::runProgram(
                ogrinfo, { QStringLiteral("-ro"), QStringLiteral("-so"), QStringLiteral("-al"), source });
            const QString out = r.out + r.err;
            QVERIFY2(r.exitCode == 0, qPrintable(out));
            const auto count = QRegularExpression(QStringLiteral("Feature Count: (\\d+)")).match(out);
            QVERIFY2(count.hasMatch(), qPrintable(out));
            QCOMPARE(count.captured(1).toULongLong(), qulonglong(w.count));
            QVERIFY2(out.contains(QStringLiteral("Geometry: Polygon")), qPrintable(out));
            QVERIFY2(out.contains(QStringLiteral("objectType")), qPrintable(out));
        }
    }

    void shapelyReadsOurGeoJson()
    {
        CELLVIT_REQUIRE_PATH(test::goldenGlobalCellsPath());
        const QString python = QStringLiteral(CELLVIT_PYTHON);
        const test::ProcessRun probe
            = test::runProgram(python, { QStringLiteral("-c"), QStringLiteral("import shapely") });
        if (probe.exitCode != 0)
            QFAIL(qPrintable(
                QStringLiteral("python3-shapely missing (scripts/install-deps.sh): ") + probe.out + probe.err));
        QTemporaryDir dir;
        const Written w = writeGoldenCells(dir);
        const QString script
            = QStringLiteral("import gzip, json, sys\n"
                             "from shapely.geometry import shape\n"
                             "for path in sys.argv[1:]:\n"
                             "    opener = gzip.open if path.endswith('.gz') else open\n"
                             "    with opener(path, 'rt', encoding='utf-8') as f:\n"
                             "        doc = json.load(f)\n"
                             "    polys = [shape(feat['geometry']) for feat in doc['features']]\n"
                             "    assert all(p.geom_type == 'Polygon' and len(p.interiors) == 0 for p in polys)\n"
                             // Valid for GEOS: self-touching reference contours are repaired (issue #14).
                             "    bad = [p for p in polys if not p.is_valid]\n"
                             "    assert not bad, f'{len(bad)} invalid polygons, e.g. {bad[0].wkt[:200]}'\n"
                             "    print(len(polys), repr(sum(p.area for p in polys)))\n");
        const test::ProcessRun r = test::runProgram(python,
            { QStringLiteral("-c"), script, QString::fromStdString(w.plain.string()),
                QString::fromStdString(w.gz.string()) });
        const QString out = r.out + r.err;
        QVERIFY2(r.exitCode == 0, qPrintable(out));
        const QStringList lines = out.trimmed().split(QLatin1Char('\n'));
        QCOMPARE(lines.size(), 2);
        for (const QString& line : lines) {
            const QStringList parts = line.split(QLatin1Char(' '));
            QCOMPARE(parts.size(), 2);
            QCOMPARE(parts[0].toULongLong(), qulonglong(w.count));
            QVERIFY2(std::abs(parts[1].toDouble() - w.totalArea) < 1e-6 * w.totalArea, qPrintable(line));
        }
    }
};

QTEST_GUILESS_MAIN(TestExportExternalReaders)
#include "tst_export_external_readers.moc"
