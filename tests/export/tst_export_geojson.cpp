#include "export_test_data.h"
#include "inference/export/export_error.h"
#include "inference/export/geojson_reader.h"
#include "inference/export/geojson_writer.h"
#include "inference/export/stain_contrast_colors.h"
#include "inference/geometry/valid_polygons.h"
#include "inference/postproc/cells_json.h"

#include <QTemporaryDir>
#include <algorithm>
#include <cmath>
#include <set>

using namespace cellvit;

namespace {

// cellvit-facts §2.5 (PanNuke names and the v2 colour table).
const std::map<int, Rgb> kReferenceColors { { 1, { 255, 0, 0 } }, { 2, { 34, 221, 77 } }, { 3, { 35, 92, 236 } },
    { 4, { 254, 255, 0 } }, { 5, { 255, 159, 68 } }, { 6, { 80, 56, 112 } }, { 7, { 87, 112, 56 } } };

double shoelace(const std::vector<cv::Point2d>& ring)
{
    double s = 0;
    for (size_t i = 0; i < ring.size(); ++i)
        s += ring[i].x * ring[(i + 1) % ring.size()].y - ring[(i + 1) % ring.size()].x * ring[i].y;
    return std::abs(s) / 2;
}

bool isDegenerate(const std::vector<cv::Point2d>& contour)
{
    std::set<std::pair<double, double>> distinct;
    for (const auto& p : contour)
        distinct.emplace(std::round(p.x * 100), std::round(p.y * 100));
    return distinct.size() < 3 || shoelace(contour) == 0;
}

std::filesystem::path tempFile(const QTemporaryDir& dir, const char* name)
{
    return dir.filePath(QString::fromLatin1(name)).toStdString();
}

} // namespace

class TestExportGeoJson : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void roundTripsGoldenSlideCells()
    {
        CELLVIT_REQUIRE_PATH(test::goldenGlobalCellsPath());
        const auto slideCells = test::slideCellsFromReferenceCells(test::readJson(test::goldenGlobalCellsPath()));
        QCOMPARE(slideCells.size(), size_t(1765));
        QTemporaryDir dir;
        const auto file = tempFile(dir, "cells.geojson");
        GeoJsonExportOptions options;
        options.micronsPerPixel = 0.25;
        const ExportSummary summary = writeCellsGeoJson(file, slideCells, options);

        std::vector<const SlideCell*> expected;
        for (const auto& r : slideCells)
            if (!isDegenerate(r.contour))
                expected.push_back(&r);
        QCOMPARE(summary.written, expected.size());
        QCOMPARE(summary.skippedDegenerate, slideCells.size() - expected.size());

        const GeoJsonImport back = readGeoJsonFile(file);
        QVERIFY(back.issues.empty());
        QCOMPARE(back.features.size(), expected.size());
        const CellTaxonomy pannuke = CellTaxonomy::panNuke();
        size_t repaired = 0;
        for (size_t i = 0; i < expected.size(); ++i) {
            const SlideCell& r = *expected[i];
            const GeoJsonFeature& f = back.features[i];
            QCOMPARE(f.objectType, GeoJsonObjectType::Detection);
            QCOMPARE(f.geometry.type, std::string("Polygon"));
            QCOMPARE(f.geometry.polygons.size(), size_t(1));
            const auto& ring = f.geometry.polygons[0].rings.at(0);
            QVERIFY(cellvit::geos::isValidRing({ ring.begin(), ring.end() - 1 })); // valid for GEOS/shapely/QuPath
            if (!cellvit::geos::isValidRing(r.contour)) {
                ++repaired; // a self-touching contour: its largest valid part is written (issue #14)
                continue;
            }
            QCOMPARE(ring.size(), r.contour.size() + 1);
            for (size_t k = 0; k < r.contour.size(); ++k)
                QVERIFY(cv::norm(ring[k] - r.contour[k]) <= 0.005 * std::sqrt(2.0) + 1e-9);
            QCOMPARE(f.className, pannuke.typeNames().at(r.type));
            QVERIFY(f.classColor.has_value());
            QCOMPARE(*f.classColor, kReferenceColors.at(r.type));
            QCOMPARE(f.measurements.at(kMeasurementTypeProb), r.typeProb);
            QVERIFY(std::abs(f.measurements.at(kMeasurementCentroidX) - r.centroid.x * 0.25) < 1e-9);
            QVERIFY(std::abs(f.measurements.at(kMeasurementCentroidY) - r.centroid.y * 0.25) < 1e-9);
            const double areaUm2 = shoelace(r.contour) * 0.0625;
            QVERIFY(std::abs(f.measurements.at(kMeasurementArea) - areaUm2) < 1e-6 * std::max(1.0, areaUm2));
            const double circularity = f.measurements.at(kMeasurementCircularity);
            QVERIFY(circularity > 0 && circularity <= 1.0);
        }
        // The golden contours include self-touching ones (the merge README counts 62 of 1765): some were repaired.
        QVERIFY2(repaired > 0 && repaired < expected.size() / 10, qPrintable(QString::number(repaired)));
    }

    void fractionalCoordinatesKeepTwoDecimals()
    {
        const auto path = test::goldenDir() / "postproc" / "monuseg_CH5767_1024" / "x40" / "cells.json";
        CELLVIT_REQUIRE_PATH(path);
        const std::vector<Cell> cells = readCellsJson(path);
        QVERIFY(cells.size() > 100);
        PatchGrid grid;
        grid.scale = 1.2345; // a resampled slide: coordinates are no longer integers
        const PatchIndex patch { 2, 1 };
        std::vector<SlideCell> slideCells;
        for (const Cell& c : cells)
            slideCells.push_back(toSlideCell(c, patch, grid));
        QTemporaryDir dir;
        const auto file = tempFile(dir, "scaled.geojson");
        const ExportSummary summary = writeCellsGeoJson(file, slideCells, {});
        QCOMPARE(summary.written, cells.size());

        const GeoJsonImport back = readGeoJsonFile(file);
        QCOMPARE(back.features.size(), cells.size());
        double worst = 0;
        for (size_t i = 0; i < cells.size(); ++i) {
            const auto& ring = back.features[i].geometry.polygons.at(0).rings.at(0);
            QVERIFY(cellvit::geos::isValidRing({ ring.begin(), ring.end() - 1 }));
            if (ring.size() != cells[i].contour.size() + 1)
                continue; // repaired (self-touching contour): checked valid above
            QCOMPARE(ring.size(), cells[i].contour.size() + 1);
            for (size_t k = 0; k < cells[i].contour.size(); ++k) {
                const cv::Point2d exact = slideCells[i].contour[k];
                worst = std::max({ worst, std::abs(ring[k].x - exact.x), std::abs(ring[k].y - exact.y) });
            }
            QCOMPARE(back.features[i].className, CellTaxonomy::panNuke().typeNames().at(cells[i].type));
        }
        QVERIFY2(worst <= 0.005 + 1e-9, qPrintable(QString::number(worst)));
        QVERIFY(worst > 0.001); // the coordinates really were rounded
    }

    void everyFeatureObeysQuPathRules()
    {
        CELLVIT_REQUIRE_PATH(test::goldenGlobalCellsPath());
        const auto slideCells = test::slideCellsFromReferenceCells(test::readJson(test::goldenGlobalCellsPath()));
        QTemporaryDir dir;
        const auto file = tempFile(dir, "rules.geojson");
        GeoJsonExportOptions options;
        options.micronsPerPixel = 0.2465;
        writeCellsGeoJson(file, slideCells, options);

        const nlohmann::json doc = test::readJson(file);
        QCOMPARE(doc.at("type").get<std::string>(), std::string("FeatureCollection"));
        const auto& features = doc.at("features");
        QVERIFY(features.size() > 1000);
        std::set<std::string> ids;
        for (size_t i = 0; i < features.size(); ++i) {
            const std::string violation = test::quPathRuleViolation(features[i]);
            QVERIFY2(violation.empty(),
                qPrintable(QString::fromStdString("feature " + std::to_string(i) + ": " + violation)));
            QCOMPARE(features[i]["geometry"]["type"].get<std::string>(), std::string("Polygon"));
            QCOMPARE(features[i]["geometry"]["coordinates"].size(), size_t(1)); // one ring, no holes
            QCOMPARE(features[i]["properties"]["objectType"].get<std::string>(), std::string("detection"));
            QCOMPARE(features[i]["properties"]["measurements"].size(), size_t(6));
            ids.insert(features[i]["id"].get<std::string>());
        }
        QCOMPARE(ids.size(), features.size());
    }

    void unknownMppWritesNaNStrings()
    {
        CELLVIT_REQUIRE_PATH(test::goldenGlobalCellsPath());
        auto slideCells = test::slideCellsFromReferenceCells(test::readJson(test::goldenGlobalCellsPath()));
        slideCells.resize(20);
        QTemporaryDir dir;
        const auto file = tempFile(dir, "nompp.geojson");
        writeCellsGeoJson(file, slideCells, {}); // no mpp
        const nlohmann::json doc = test::readJson(file);
        for (const auto& f : doc["features"]) {
            const auto& m = f["properties"]["measurements"];
            QCOMPARE(m.at(kMeasurementArea), nlohmann::json("NaN"));
            QCOMPARE(m.at(kMeasurementPerimeter), nlohmann::json("NaN"));
            QCOMPARE(m.at(kMeasurementCentroidX), nlohmann::json("NaN"));
            QVERIFY(m.at(kMeasurementCircularity).is_number());
            QVERIFY(m.at(kMeasurementTypeProb).is_number());
            QVERIFY(test::quPathRuleViolation(f).empty());
        }
        const GeoJsonImport back = readGeoJsonFile(file);
        QCOMPARE(back.features.size(), size_t(20));
        QVERIFY(std::isnan(back.features[0].measurements.at(kMeasurementArea)));
    }

    void degenerateContoursAreSkippedAndCounted()
    {
        CELLVIT_REQUIRE_PATH(test::goldenGlobalCellsPath());
        auto slideCells = test::slideCellsFromReferenceCells(test::readJson(test::goldenGlobalCellsPath()));
        slideCells.resize(3);
        SlideCell twoPoints = slideCells[0];
        twoPoints.contour = { { 10, 10 }, { 20, 20 } };
        SlideCell collinear = slideCells[0];
        collinear.contour = { { 10, 10 }, { 20, 20 }, { 30, 30 }, { 40, 40 } };
        SlideCell collapses = slideCells[0]; // 3 points, two of them on the same 0.01 px grid point
        collapses.contour = { { 10, 10 }, { 10.001, 10.001 }, { 20, 10 } };
        SlideCell empty = slideCells[0];
        empty.contour.clear();
        slideCells.insert(slideCells.begin() + 1, { twoPoints, collinear, collapses, empty });

        QTemporaryDir dir;
        const auto file = tempFile(dir, "degenerate.geojson");
        const ExportSummary summary = writeCellsGeoJson(file, slideCells, {});
        QCOMPARE(summary.written, size_t(3));
        QCOMPARE(summary.skippedDegenerate, size_t(4));
        const GeoJsonImport back = readGeoJsonFile(file);
        QCOMPARE(back.features.size(), size_t(3));
        QVERIFY(back.issues.empty());
    }

    void gzipRoundTrip()
    {
        CELLVIT_REQUIRE_PATH(test::goldenGlobalCellsPath());
        const auto slideCells = test::slideCellsFromReferenceCells(test::readJson(test::goldenGlobalCellsPath()));
        QTemporaryDir dir;
        const auto plain = tempFile(dir, "cells.geojson");
        const auto gz = tempFile(dir, "cells.geojson.gz");
        GeoJsonExportOptions options;
        options.micronsPerPixel = 0.25;
        writeCellsGeoJson(plain, slideCells, options);
        const ExportSummary summary = writeCellsGeoJson(gz, slideCells, options);
        QVERIFY(summary.written > 1000);

        std::ifstream in(gz, std::ios::binary);
        unsigned char magic[2] = {};
        in.read(reinterpret_cast<char*>(magic), 2);
        QCOMPARE(int(magic[0]), 0x1f);
        QCOMPARE(int(magic[1]), 0x8b);
        QVERIFY(std::filesystem::file_size(gz) * 3 < std::filesystem::file_size(plain));

        const GeoJsonImport a = readGeoJsonFile(plain);
        const GeoJsonImport b = readGeoJsonFile(gz);
        QCOMPARE(b.features.size(), summary.written);
        QCOMPARE(a.features.size(), b.features.size());
        for (size_t i = 0; i < a.features.size(); ++i) {
            QCOMPARE(a.features[i].geometry.polygons[0].rings[0], b.features[i].geometry.polygons[0].rings[0]);
            QCOMPARE(a.features[i].className, b.features[i].className);
        }
        // Ids are fresh UUIDs per export.
        QVERIFY(a.features[0].id != b.features[0].id);
        QVERIFY(isUuidV4Text(b.features[0].id));
    }

    void reportsProgressAndCancels()
    {
        CELLVIT_REQUIRE_PATH(test::goldenGlobalCellsPath());
        const auto slideCells = test::slideCellsFromReferenceCells(test::readJson(test::goldenGlobalCellsPath()));
        QTemporaryDir dir;
        const auto file = tempFile(dir, "progress.geojson");
        std::vector<std::pair<size_t, size_t>> calls;
        ExportControl control;
        control.reportEvery = 500;
        control.progress = [&](size_t done, size_t total) { calls.emplace_back(done, total); };
        writeCellsGeoJson(file, slideCells, {}, control);
        QVERIFY(calls.size() >= 3);
        for (size_t i = 1; i < calls.size(); ++i)
            QVERIFY(calls[i].first > calls[i - 1].first);
        QCOMPARE(calls.back(), std::make_pair(slideCells.size(), slideCells.size()));

        const auto cancelled = tempFile(dir, "cancelled.geojson");
        int checks = 0;
        control.progress = nullptr;
        control.cancelRequested = [&] { return ++checks > 2; };
        const ExportSummary summary = writeCellsGeoJson(cancelled, slideCells, {}, control);
        QVERIFY(summary.cancelled);
        QCOMPARE(checks, 3);
        QVERIFY(!std::filesystem::exists(cancelled));
        QVERIFY(!std::filesystem::exists(cancelled.string() + ".part"));
    }

    void usesCallerTaxonomyNamesAndColours()
    {
        CELLVIT_REQUIRE_PATH(test::goldenGlobalCellsPath());
        auto slideCells = test::slideCellsFromReferenceCells(test::readJson(test::goldenGlobalCellsPath()));
        slideCells.resize(3);
        slideCells[0].type = 7;
        slideCells[1].type = 6;
        slideCells[2].type = 12; // not in the taxonomy
        GeoJsonExportOptions options;
        options.taxonomy = CellTaxonomy({ { 6, "Plasma cell" }, { 7, "Neutrophil" } });
        QTemporaryDir dir;
        const auto file = tempFile(dir, "taxonomy.geojson");
        writeCellsGeoJson(file, slideCells, options);
        const GeoJsonImport back = readGeoJsonFile(file);
        QCOMPARE(back.features.size(), size_t(3));
        QCOMPARE(back.features[0].className, std::string("Neutrophil"));
        QCOMPARE(*back.features[0].classColor, kReferenceColors.at(7));
        QCOMPARE(back.features[1].className, std::string("Plasma cell"));
        QCOMPARE(*back.features[1].classColor, kReferenceColors.at(6));
        QCOMPARE(back.features[2].className, std::string("Type 12"));
        const Rgb generated = *back.features[2].classColor;
        for (const auto& [id, colour] : kReferenceColors)
            QVERIFY(generated != colour);
    }

    // withExportColors: PanNuke's classes keep the reference colours (the official export); another taxonomy's
    // classes get colours that read on H&E by name, and a colour a class already has stays.
    void exportColoursReadOnHaematoxylinExceptPanNukes()
    {
        const CellTaxonomy panNuke = withExportColors(CellTaxonomy::panNuke());
        for (const auto& [id, colour] : kReferenceColors)
            if (id <= 5)
                QCOMPARE(panNuke.classOf(id).color, colour);

        const CellTaxonomy bundled = withExportColors(CellTaxonomy(
            { { 1, "Epithelial" }, { 2, "Inflammatory" }, { 3, "Connective" }, { 4, "Other" }, { 5, "Plasma cell" } },
            { { 5, { 10, 20, 30 } } }));
        QCOMPARE(bundled.classOf(1).color, (Rgb { 255, 140, 0 }));
        QCOMPARE(bundled.classOf(2).color, (Rgb { 0, 230, 80 }));
        QCOMPARE(bundled.classOf(3).color, (Rgb { 255, 215, 0 }));
        QCOMPARE(bundled.classOf(4).color, (Rgb { 255, 255, 255 }));
        QCOMPARE(bundled.classOf(5).color, (Rgb { 10, 20, 30 }));
        // No default has the hue of haematoxylin (blue-purple) or eosin (pink): below 200° or white.
        const auto hue = [](const Rgb& c) {
            const int high = std::max({ c[0], c[1], c[2] }), low = std::min({ c[0], c[1], c[2] });
            if (high == low)
                return 0.0;
            const double d = high - low;
            const double h = high == c[0] ? std::fmod((c[1] - c[2]) / d, 6.0) : high == c[1] ? (c[2] - c[0]) / d + 2
                                                                                         : (c[0] - c[1]) / d + 4;
            return std::fmod(60.0 * h + 360.0, 360.0);
        };
        for (int id = 0; id < 20; ++id)
            QVERIFY2(hue(stainContrastColor("", id)) < 200, qPrintable(QString::number(id)));

        auto cells = test::slideCellsFromReferenceCells(test::readJson(test::goldenGlobalCellsPath()));
        cells.resize(1);
        cells[0].type = 3;
        GeoJsonExportOptions options;
        options.taxonomy = bundled;
        QTemporaryDir dir;
        const auto file = tempFile(dir, "bundled.geojson");
        writeCellsGeoJson(file, cells, options);
        QCOMPARE(*readGeoJsonFile(file).features.at(0).classColor, (Rgb { 255, 215, 0 }));
    }

    void unwritableTargetNamesTheFile()
    {
        const std::filesystem::path file = "/nonexistent-folder/cells.geojson";
        try {
            writeCellsGeoJson(file, {}, {});
            QFAIL("expected ExportError");
        } catch (const ExportError& e) {
            QVERIFY(std::string(e.what()).find("/nonexistent-folder/cells.geojson") != std::string::npos);
        }
    }
};

QTEST_GUILESS_MAIN(TestExportGeoJson)
#include "tst_export_geojson.moc"
