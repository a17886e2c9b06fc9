// Ground-truth / prediction readers on real files: MoNuSeg ImageScope XML, CPM-15 ASCII masks,
// cells.json, QuPath GeoJSON. Rasterisations are checked pixel for pixel against the golden GT maps,
// which the reference generator built from the same files.
#include "inference/metrics/annotation_error.h"
#include "inference/metrics/annotation_loader.h"
#include "inference/metrics/cells_json_reader.h"
#include "inference/metrics/cpm_mask_reader.h"
#include "inference/metrics/geojson_reader.h"
#include "inference/metrics/imagescope_xml_reader.h"
#include "inference/metrics/instance_map_reader.h"
#include "inference/metrics/panoptic_quality.h"
#include "test_json.h"
#include "test_support.h"

#include <QTemporaryDir>
#include <fstream>
#include <nlohmann/json.hpp>
#include <opencv2/imgcodecs.hpp>

using namespace cellvit;
using namespace cellvit::metrics;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

fs::path monusegXml(const std::string& id)
{
    return test::dataDir() / "monuseg_train_subset" / "Annotations" / (id + ".xml");
}
fs::path cpmMask(const std::string& image)
{
    return test::dataDir() / "cpm15_miccai2015_training" / (image + "_mask.txt");
}
fs::path goldenImage(const std::string& name)
{
    return test::goldenDir() / "metrics" / "images" / name;
}

using test::readJson;

int countDifferent(const cv::Mat& a, const cv::Mat& b)
{
    return cv::countNonZero(a != b);
}

// The golden GT = remap_label(crop of the full-image rasterisation).
cv::Mat goldenCrop(const cv::Mat& full, const json& expected)
{
    const int r0 = expected["crop_origin_row_col"][0].get<int>();
    const int c0 = expected["crop_origin_row_col"][1].get<int>();
    const int size = expected["size"].get<int>();
    return remapLabel(full(cv::Rect(c0, r0, size, size)).clone());
}

void writeText(const fs::path& p, const std::string& text)
{
    std::ofstream out(p, std::ios::binary);
    out << text;
}

} // namespace

class TestMetricsReaders : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void imageScopeRegionCounts_data()
    {
        QTest::addColumn<QString>("id");
        QTest::addColumn<int>("nuclei");
        QTest::addColumn<double>("mpp");
        // Counts and MPP from data/PROVENANCE.md; 0 = no MicronsPerPixel attribute.
        QTest::newRow("kidney") << "TCGA-B0-5710-01Z-00-DX1" << 359 << 0.2520;
        QTest::newRow("prostate") << "TCGA-CH-5767-01Z-00-DX1" << 294 << 0.2520;
        QTest::newRow("breast") << "TCGA-AR-A1AK-01Z-00-DX1" << 433 << 0.2468;
        QTest::newRow("colon") << "TCGA-NH-A8F7-01A-01-TS1" << 363 << 0.0;
        QTest::newRow("lung") << "TCGA-21-5786-01Z-00-DX1" << 440 << 0.2527;
    }

    void imageScopeRegionCounts()
    {
        QFETCH(QString, id);
        QFETCH(int, nuclei);
        QFETCH(double, mpp);
        const fs::path file = monusegXml(id.toStdString());
        CELLVIT_REQUIRE_PATH(file);
        const ImageScopeAnnotation a = readImageScopeXml(file);
        QCOMPARE(static_cast<int>(a.polygons.instances.size()), nuclei);
        QCOMPARE(a.micronsPerPixel.has_value(), mpp > 0.0);
        if (mpp > 0.0)
            QCOMPARE(*a.micronsPerPixel, mpp);
        for (const PolygonInstance& inst : a.polygons.instances)
            QVERIFY(inst.parts.front().outer.size() >= 3);
        QVERIFY(!a.polygons.hasTypes);
    }

    void imageScopeRasterisationMatchesGolden_data()
    {
        QTest::addColumn<QString>("golden");
        QTest::newRow("AR-A1AK") << "img02_monuseg_TCGA-AR-A1AK-01Z-00-DX1";
        QTest::newRow("21-5786") << "img03_monuseg_TCGA-21-5786-01Z-00-DX1";
    }

    void imageScopeRasterisationMatchesGolden()
    {
        QFETCH(QString, golden);
        const json e = readJson(goldenImage(golden.toStdString()) / "expected_image_metrics.json");
        const ImageScopeAnnotation a = readImageScopeXml(monusegXml(e["image"].get<std::string>()));
        const cv::Mat full = rasterise(a.polygons, { 1000, 1000 }, PolygonFill::PixelCentres);
        const cv::Mat expected = readInstanceMapNpy(goldenImage(golden.toStdString()) / "gt_instance_map.npy");
        QCOMPARE(countDifferent(goldenCrop(full, e), expected), 0);
    }

    void cpmMaskMatchesGolden_data()
    {
        QTest::addColumn<QString>("golden");
        QTest::newRow("image09") << "img00_cpm_image09";
        QTest::newRow("image14") << "img01_cpm_image14";
        QTest::newRow("image02") << "img04_cpm_image02";
        QTest::newRow("image06") << "img05_cpm_image06";
    }

    void cpmMaskMatchesGolden()
    {
        QFETCH(QString, golden);
        const json e = readJson(goldenImage(golden.toStdString()) / "expected_image_metrics.json");
        const fs::path file = cpmMask(e["image"].get<std::string>());
        CELLVIT_REQUIRE_PATH(file);
        const cv::Mat full = readCpmMask(file);
        const cv::Mat expected = readInstanceMapNpy(goldenImage(golden.toStdString()) / "gt_instance_map.npy");
        QCOMPARE(countDifferent(goldenCrop(full, e), expected), 0);
    }

    void cpmMasksHoldThePublishedNucleusCount()
    {
        // PROVENANCE.md: the 15 masks hold 2,905 nuclei; image04/05 declare each other's size.
        int nuclei = 0;
        for (int k = 1; k <= 15; ++k) {
            const std::string image = QStringLiteral("image%1").arg(k, 2, 10, QLatin1Char('0')).toStdString();
            const fs::path file = cpmMask(image);
            CELLVIT_REQUIRE_PATH(file);
            const cv::Mat m = readCpmMask(file);
            nuclei += static_cast<int>(instanceIds(m).size());
            if (k == 2)
                QCOMPARE(m.size(), cv::Size(488, 490));
            if (k == 4)
                QCOMPARE(m.size(), cv::Size(863, 597));
        }
        QCOMPARE(nuclei, 2905);
    }

    void cellsJsonReproducesThePredictedMap_data()
    {
        QTest::addColumn<QString>("golden");
        for (const auto& entry : fs::directory_iterator(test::goldenDir() / "metrics" / "images"))
            QTest::newRow(entry.path().filename().string().c_str())
                << QString::fromStdString(entry.path().filename().string());
    }

    void cellsJsonReproducesThePredictedMap()
    {
        QFETCH(QString, golden);
        const fs::path dir = goldenImage(golden.toStdString());
        const json e = readJson(dir / "expected_image_metrics.json");
        ClassTable classes;
        const PolygonAnnotation cells = readCellsJson(dir / "pred_cells.json", classes);
        QVERIFY(cells.hasTypes);
        QCOMPARE(cells.instances.size(), e["pred_instance_ids"].size());
        for (size_t k = 0; k < cells.instances.size(); ++k) {
            QCOMPARE(cells.instances[k].type, e["pred_types"][k].get<int>());
            QCOMPARE(cells.instances[k].centroid->x, e["pred_centroids_xy"][k][0].get<double>());
            QCOMPARE(cells.instances[k].centroid->y, e["pred_centroids_xy"][k][1].get<double>());
        }
        // Filled OpenCV contours give back the post-processor's instances (ids are 1..N in list order).
        const cv::Mat raster = rasterise(cells, { 256, 256 }, PolygonFill::WithBoundary);
        const cv::Mat expected = remapLabel(readInstanceMapNpy(dir / "pred_instance_map.npy"));
        const int differing = countDifferent(raster, expected);
        QVERIFY2(differing == 0, qPrintable(QStringLiteral("%1 pixels differ").arg(differing)));
    }

    void geoJsonQuPathFeatureCollections()
    {
        const fs::path dir = test::dataDir() / "puma_nuclei_geojson_samples";
        CELLVIT_REQUIRE_PATH(dir);
        // Feature counts and class totals from data/PROVENANCE.md.
        const std::vector<std::pair<std::string, int>> files { { "training_set_metastatic_roi_001_nuclei", 633 },
            { "training_set_metastatic_roi_102_nuclei", 302 }, { "training_set_primary_roi_006_nuclei", 284 },
            { "training_set_primary_roi_012_nuclei", 314 }, { "training_set_primary_roi_101_nuclei", 382 } };
        ClassTable classes;
        std::map<int, int> perClass;
        for (const auto& [name, features] : files) {
            const fs::path file = dir / (name + ".geojson");
            CELLVIT_REQUIRE_PATH(file);
            const PolygonAnnotation a = readGeoJson(file, classes);
            QCOMPARE(static_cast<int>(a.instances.size()), features);
            QVERIFY(a.hasTypes);
            for (const PolygonInstance& inst : a.instances)
                ++perClass[inst.type];
            const cv::Mat labels = rasterise(a, { 1024, 1024 }, PolygonFill::PixelCentres);
            // Nearly every nucleus keeps pixels (a few are overdrawn by later ones).
            QVERIFY(instanceIds(labels).size() >= static_cast<size_t>(features) * 95 / 100);
        }
        const std::map<std::string, int> expected { { "nuclei_tumor", 912 }, { "nuclei_lymphocyte", 261 },
            { "nuclei_apoptosis", 232 }, { "nuclei_epithelium", 159 }, { "nuclei_histiocyte", 156 },
            { "nuclei_endothelium", 112 }, { "nuclei_stroma", 65 }, { "nuclei_melanophage", 18 } };
        for (const auto& [name, count] : expected) {
            const int id = classes.idOf(name);
            QVERIFY2(id > 5, "PUMA names are new classes after PanNuke's");
            QCOMPARE(perClass[id], count);
        }
    }

    void geoJsonHolesAndMultiPolygons()
    {
        // roi_101 has 20 polygons with holes; roi_001 has 5 MultiPolygon nuclei (2-3 pieces each).
        ClassTable classes;
        const PolygonAnnotation a = readGeoJson(
            test::dataDir() / "puma_nuclei_geojson_samples" / "training_set_primary_roi_101_nuclei.geojson", classes);
        int withHoles = 0;
        for (const PolygonInstance& inst : a.instances)
            withHoles += !inst.parts.front().holes.empty();
        QCOMPARE(withHoles, 20);
        const PolygonAnnotation b = readGeoJson(
            test::dataDir() / "puma_nuclei_geojson_samples" / "training_set_metastatic_roi_001_nuclei.geojson",
            classes);
        int multi = 0;
        for (const PolygonInstance& inst : b.instances)
            multi += inst.parts.size() > 1;
        QCOMPARE(multi, 5);
    }

    void geoJsonCellVitListSplitsMultiPolygons()
    {
        // CellViT's export: a list with one MultiPolygon Feature per class. Built here from real cells.
        const fs::path dir = goldenImage("img05_cpm_image06");
        ClassTable pannuke;
        const PolygonAnnotation cells = readCellsJson(dir / "pred_cells.json", pannuke);
        const std::vector<NucleusClass> names = panNukeClasses();
        json features = json::array();
        std::map<int, int> countPerType;
        for (const NucleusClass& c : names) {
            json polygons = json::array();
            for (const PolygonInstance& inst : cells.instances) {
                if (inst.type != c.id)
                    continue;
                json ring = json::array();
                for (const cv::Point2d& p : inst.parts.front().outer)
                    ring.push_back({ p.x, p.y });
                ring.push_back(ring.front());
                polygons.push_back(json::array({ ring }));
                ++countPerType[c.id];
            }
            if (polygons.empty())
                continue;
            features.push_back({ { "type", "Feature" },
                { "geometry", { { "type", "MultiPolygon" }, { "coordinates", polygons } } },
                { "properties", { { "objectType", "annotation" }, { "classification", { { "name", c.name } } } } } });
        }
        QTemporaryDir tmp;
        const fs::path file = fs::path(tmp.path().toStdString()) / "cells.geojson";
        writeText(file, features.dump());
        ClassTable classes;
        const PolygonAnnotation a = readGeoJson(file, classes);
        QCOMPARE(a.instances.size(), cells.instances.size());
        std::map<int, int> read;
        for (const PolygonInstance& inst : a.instances)
            ++read[inst.type];
        QCOMPARE(read, countPerType);
        QCOMPARE(static_cast<int>(classes.classes().size()), 5); // PanNuke names map to their ids
        QCOMPARE(detectFormat(file), AnnotationFormat::GeoJson);
    }

    void malformedFilesThrowWithTheFileName()
    {
        QTemporaryDir tmp;
        const fs::path dir = tmp.path().toStdString();
        auto throwsNaming = [](const fs::path& file, auto&& read) {
            try {
                read(file);
            } catch (const std::exception& e) {
                return std::string(e.what()).find(file.filename().string()) != std::string::npos;
            }
            return false;
        };
        ClassTable classes;
        const auto load = [&](const fs::path& f) { loadAnnotation(f, classes); };

        // Truncated real XML.
        std::ifstream in(monusegXml("TCGA-21-5786-01Z-00-DX1"));
        std::string xml((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        writeText(dir / "cut.xml", xml.substr(0, xml.size() / 2));
        QVERIFY(throwsNaming(dir / "cut.xml", load));
        writeText(dir / "other.xml", "<root><Region/></root>");
        QVERIFY(throwsNaming(dir / "other.xml", load));
        writeText(dir / "badvertex.xml", "<Annotations><Region><Vertex X=\"a\" Y=\"1\"/></Region></Annotations>");
        QVERIFY(throwsNaming(dir / "badvertex.xml", load));

        writeText(dir / "short_mask.txt", "3 2\n0\n1\n1\n0\n");
        QVERIFY(throwsNaming(dir / "short_mask.txt", load));
        writeText(dir / "neg_mask.txt", "1 1\n-4\n");
        QVERIFY(throwsNaming(dir / "neg_mask.txt", load));
        writeText(dir / "ok_mask.txt", "2 2\n0\n7\n7\n0\n");
        const cv::Mat ok = readCpmMask(dir / "ok_mask.txt");
        QCOMPARE(ok.at<int>(0, 1), 7);
        QCOMPARE(ok.at<int>(1, 0), 7);

        writeText(dir / "bad.json", "{\"cells\": [{\"centroid\": [1, 2]}]}");
        QVERIFY(throwsNaming(dir / "bad.json", load));
        writeText(dir / "broken.json", "{\"cells\": [");
        QVERIFY(throwsNaming(dir / "broken.json", load));
        writeText(dir / "points.geojson",
            R"({"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"Point","coordinates":[1,2]}}]})");
        QVERIFY(throwsNaming(dir / "points.geojson", load));
        writeText(dir / "notes.csv", "a,b");
        QVERIFY(throwsNaming(dir / "notes.csv", load));
        QVERIFY(throwsNaming(dir / "missing.npy", load));
        cv::Mat rgb(4, 4, CV_8UC3, cv::Scalar(1, 2, 3));
        cv::imwrite((dir / "rgb.png").string(), rgb);
        QVERIFY(throwsNaming(dir / "rgb.png", load));
    }

    void geoJsonFuzzFindingsThrowWithTheFileName()
    {
        // fuzz/fuzz_metrics_geojson findings (docs/fuzzing.md): each was an escaping nlohmann type_error or a
        // stack overflow; now an AnnotationError naming the file (from the project's one GeoJSON reader).
        QTemporaryDir tmp;
        const fs::path dir = tmp.path().toStdString();
        ClassTable classes;
        const auto errorFor = [&](const char* name, const std::string& text) {
            writeText(dir / name, text);
            try {
                readGeoJson(dir / name, classes);
            } catch (const AnnotationError& e) {
                return std::string(e.what());
            }
            return std::string("no AnnotationError");
        };
        const std::string deep = std::string(200000, '[') + std::string(200000, ']');
        std::string message = errorFor("deep.geojson", R"({"type":"Feature","deep":)" + deep + "}");
        QVERIFY2(message.find("deep.geojson: JSON nested deeper than") != std::string::npos, message.c_str());
        message = errorFor("numbertype.geojson", R"({"type":5,"features":[]})");
        QVERIFY2(message.find("numbertype.geojson: not GeoJSON") != std::string::npos, message.c_str());
        message = errorFor("listgeometry.geojson", R"([{"type":"Feature","geometry":[1]}])");
        QVERIFY2(message.find("listgeometry.geojson: feature 0: geometry is not an object") != std::string::npos,
            message.c_str());
        message = errorFor("numbergeometrytype.geojson", R"([{"type":"Feature","geometry":{"type":[]}}])");
        QVERIFY2(message.find("numbergeometrytype.geojson: feature 0: geometry has no type") != std::string::npos,
            message.c_str());
    }

    void sixteenBitPngRoundTrip()
    {
        QTemporaryDir tmp;
        const fs::path file = fs::path(tmp.path().toStdString()) / "labels.png";
        const cv::Mat full = readCpmMask(cpmMask("image06"));
        cv::Mat as16;
        full.convertTo(as16, CV_16U);
        QVERIFY(cv::imwrite(file.string(), as16));
        ClassTable classes;
        const LoadedAnnotation a = loadAnnotation(file, classes);
        QCOMPARE(countDifferent(a.labels, full), 0);
    }

    void folderPairingByStem()
    {
        QTemporaryDir tmp;
        const fs::path pred = fs::path(tmp.path().toStdString()) / "pred";
        const fs::path gt = fs::path(tmp.path().toStdString()) / "gt";
        fs::create_directories(pred / "image02");
        fs::create_directories(gt);
        writeText(pred / "image02" / "cells.json", "[]");
        writeText(pred / "image09_pred.npy", "");
        writeText(pred / "lonely.npy", "");
        writeText(pred / "readme.md", "");
        writeText(gt / "image02_mask.txt", "1 1\n0\n");
        writeText(gt / "image09_mask.txt", "1 1\n0\n");
        writeText(gt / "image14_mask.txt", "1 1\n0\n");
        writeText(gt / "image09.png", ""); // the tissue image next to its mask is skipped
        writeText(gt / "README_training.txt", "text"); // not a mask
        const FolderPairing p = pairFolders(pred, gt);
        QCOMPARE(p.pairs.size(), size_t(2));
        QCOMPARE(p.pairs[0].key, std::string("image02"));
        QCOMPARE(p.pairs[0].pred, pred / "image02" / "cells.json");
        QCOMPARE(p.pairs[1].gt, gt / "image09_mask.txt");
        QCOMPARE(p.unmatchedPred, (std::vector<fs::path> { pred / "lonely.npy" }));
        QCOMPARE(p.unmatchedGt, (std::vector<fs::path> { gt / "image14_mask.txt" }));
        writeText(gt / "image02.npy", "");
        QVERIFY_THROWS_EXCEPTION(AnnotationError, pairFolders(pred, gt));
    }
};

QTEST_GUILESS_MAIN(TestMetricsReaders)
#include "tst_metrics_readers.moc"
