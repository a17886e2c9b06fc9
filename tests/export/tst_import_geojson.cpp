#include "export_test_data.h"
#include "inference/export/export_error.h"
#include "inference/export/geojson_reader.h"
#include "inference/export/text_output.h"

#include <QTemporaryDir>
#include <cmath>
#include <fstream>

using namespace cellvit;

namespace {

std::filesystem::path pumaDir()
{
    return test::dataDir() / "puma_nuclei_geojson_samples";
}

std::filesystem::path writeText(const QTemporaryDir& dir, const char* name, const std::string& text)
{
    const std::filesystem::path file = dir.filePath(QString::fromLatin1(name)).toStdString();
    TextOutput out(file); // gzip when the name ends with .gz
    out.write(text);
    out.commit();
    return file;
}

std::string errorOf(const std::function<void()>& call)
{
    return test::thrownMessage<ExportError>(call);
}

// Feature i of the malformed set and what makes it bad (empty = valid).
struct Case {
    const char* json;
    const char* reasonPart;
};

const Case kMalformedSet[] = {
    { R"({"type":"Feature","id":"2f1c8a52-6a53-4b8e-9d43-0b6f3c1a2b3c","geometry":{"type":"Polygon","coordinates":[[[0,0],[10,0],[10,10],[0,0]]]},"properties":{"objectType":"detection","classification":{"name":"Tumor","color":[200,0,0]},"measurements":{"Area µm^2":12.5,"Circularity":"NaN"}}})",
        "" },
    { R"({"type":"Feature","geometry":{"type":"Polygon","coordinates":[[[0,0],[10,0],[10,10],[0,10]]]},"properties":{"objectType":"detection"}})",
        "is not closed" },
    { R"({"type":"Feature","geometry":{"type":"Polygon","coordinates":[[[5,5],[25,5],[25,25],[5,25],[5,5]],[[10,10],[12,10],[12,12],[10,10]]]},"properties":{"objectType":"annotation","classification":"Stroma"}})",
        "" },
    { R"({"type":"Feature","geometry":{"type":"Polygon","coordinates":[[[0,0],[10,0],[0,0]]]},"properties":{}})",
        "at least 4" },
    { R"({"type":"Feature","geometry":{"type":"Polygon","coordinates":[[[0,0],[10,0],[10,10],[0,0]]]},"properties":{"classification":{"name":"Tumor"}}})",
        "no color" },
    { R"({"type":"Feature","geometry":{"type":"Polygon","coordinates":[[[0,0],[10,0],[10,10],[0,0]]]},"properties":{"measurements":{"Area":"large"}}})",
        "not numeric" },
    { R"({"type":"Feature","geometry":{"type":"Polygon"},"properties":{"objectType":"detection"}})", "no coordinates" },
    { R"({"type":"Feature","id":"PathAnnotationObject","geometry":{"type":"Polygon","coordinates":[[[100,200],[300,200],[300,260],[100,260],[100,200]]]},"properties":{"classification":{"names":["Tumor","Positive"],"color":[10,20,30,255]},"measurements":[{"name":"Num","value":3},{"name":"Ratio","value":"-Infinity"}]}})",
        "" },
    { R"({"type":"Feature","properties":{"objectType":"detection"}})", "no geometry" },
    { R"({"type":"Feature","geometry":{"type":"MultiPolygon","coordinates":[[[[0,0],[4,0],[4,4],[0,4],[0,0]]],[[[10,10],[14,10],[14,14],[10,10]]]]},"properties":{"object_type":"cell","classification":{"name":"Immune cells","color":[0,0,255]}},"nucleusGeometry":{"type":"Polygon","coordinates":[[[1,1],[2,1],[2,2],[1,1]]]}})",
        "" },
    { R"({"type":"Feature","geometry":{"type":"Polygon","coordinates":[[[0,0],["x",0],[10,10],[0,0]]]},"properties":{}})",
        "not a position" },
};

} // namespace

class TestImportGeoJson : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void readsRealQuPathSamples()
    {
        CELLVIT_REQUIRE_PATH(pumaDir());
        size_t files = 0, total = 0;
        std::map<std::string, size_t> classTotals;
        for (const auto& entry : std::filesystem::directory_iterator(pumaDir())) {
            if (entry.path().extension() != ".geojson")
                continue;
            ++files;
            // Independent count straight from the JSON structure.
            const nlohmann::json raw = test::readJson(entry.path());
            std::vector<const nlohmann::json*> polygonFeatures;
            for (const auto& f : raw.at("features")) {
                const std::string type = f["geometry"]["type"].get<std::string>();
                if (type == "Polygon" || type == "MultiPolygon")
                    polygonFeatures.push_back(&f);
            }
            const GeoJsonImport imported = readGeoJsonFile(entry.path());
            QVERIFY2(imported.issues.empty(),
                qPrintable(
                    QString::fromStdString(imported.issues.empty() ? "" : describeIssue(imported.issues.front()))));
            QCOMPARE(imported.features.size(), polygonFeatures.size());
            for (size_t i = 0; i < polygonFeatures.size(); ++i) {
                const nlohmann::json& f = *polygonFeatures[i];
                const GeoJsonFeature& g = imported.features[i];
                QCOMPARE(g.index, i);
                QCOMPARE(g.id, f["id"].get<std::string>());
                QVERIFY(isUuidText(g.id));
                QCOMPARE(g.objectType, GeoJsonObjectType::Annotation);
                QCOMPARE(g.className, f["properties"]["classification"]["name"].get<std::string>());
                const auto& colour = f["properties"]["classification"]["color"];
                QCOMPARE(*g.classColor, (Rgb { colour[0].get<int>(), colour[1].get<int>(), colour[2].get<int>() }));
                const bool multi = f["geometry"]["type"] == "MultiPolygon";
                const auto& coords = f["geometry"]["coordinates"];
                QCOMPARE(g.geometry.polygons.size(), multi ? coords.size() : size_t(1));
                const auto& firstPolygon = multi ? coords[0] : coords;
                QCOMPARE(g.geometry.polygons[0].rings.size(), firstPolygon.size()); // holes kept
                const auto& lastPoint = firstPolygon[0].back();
                QCOMPARE(g.geometry.polygons[0].rings[0].back(),
                    cv::Point2d(lastPoint[0].get<double>(), lastPoint[1].get<double>()));
                ++classTotals[g.className];
            }
            total += imported.features.size();
        }
        QCOMPARE(files, size_t(5));
        // PROVENANCE.md §5: 633 + 302 + 284 + 314 + 382 features, these class counts.
        QCOMPARE(total, size_t(1915));
        const std::map<std::string, size_t> expected { { "nuclei_tumor", 912 }, { "nuclei_lymphocyte", 261 },
            { "nuclei_apoptosis", 232 }, { "nuclei_epithelium", 159 }, { "nuclei_histiocyte", 156 },
            { "nuclei_endothelium", 112 }, { "nuclei_stroma", 65 }, { "nuclei_melanophage", 18 } };
        QCOMPARE(classTotals, expected);
    }

    void keepsValidFeaturesAndReportsEachBadOne()
    {
        std::string text = R"({"type":"FeatureCollection","features":[)";
        for (size_t i = 0; i < std::size(kMalformedSet); ++i)
            text += (i ? ",\n" : "\n") + std::string(kMalformedSet[i].json);
        text += "]}";
        QTemporaryDir dir;
        const auto file = writeText(dir, "malformed.geojson", text);
        const GeoJsonImport imported = readGeoJsonFile(file);

        std::vector<size_t> validIndices;
        std::map<size_t, std::string> badReasons;
        for (size_t i = 0; i < std::size(kMalformedSet); ++i) {
            if (*kMalformedSet[i].reasonPart)
                badReasons[i] = kMalformedSet[i].reasonPart;
            else
                validIndices.push_back(i);
        }
        QCOMPARE(imported.features.size(), validIndices.size());
        for (size_t k = 0; k < validIndices.size(); ++k)
            QCOMPARE(imported.features[k].index, validIndices[k]);
        QCOMPARE(imported.issues.size(), badReasons.size());
        for (const GeoJsonIssue& issue : imported.issues) {
            QVERIFY(badReasons.count(issue.featureIndex));
            QVERIFY2(issue.reason.find(badReasons[issue.featureIndex]) != std::string::npos,
                qPrintable(QString::fromStdString(describeIssue(issue))));
            QVERIFY(describeIssue(issue).rfind("feature " + std::to_string(issue.featureIndex) + ": ", 0) == 0);
        }

        // The kept features carry what was in the file.
        const GeoJsonFeature& detection = imported.features[0];
        QCOMPARE(detection.objectType, GeoJsonObjectType::Detection);
        QCOMPARE(detection.id, std::string("2f1c8a52-6a53-4b8e-9d43-0b6f3c1a2b3c"));
        QCOMPARE(detection.measurements.at("Area µm^2"), 12.5);
        QVERIFY(std::isnan(detection.measurements.at("Circularity")));

        const GeoJsonFeature& withHole = imported.features[1];
        QCOMPARE(withHole.className, std::string("Stroma")); // classification as a plain string
        QVERIFY(!withHole.classColor);
        QCOMPARE(withHole.geometry.polygons.at(0).rings.size(), size_t(2));
        QCOMPARE(polygonArea(withHole.geometry.polygons[0]), 400.0 - 2.0);
        QVERIFY(!isAxisAlignedRectangle(withHole.geometry.polygons[0]));

        const GeoJsonFeature& rectangle = imported.features[2];
        QCOMPARE(rectangle.objectType, GeoJsonObjectType::Annotation); // legacy id "PathAnnotationObject"
        QVERIFY(isAxisAlignedRectangle(rectangle.geometry.polygons.at(0)));
        QCOMPARE(rectangle.className, std::string("Tumor: Positive"));
        QCOMPARE(*rectangle.classColor, (Rgb { 10, 20, 30 }));
        QCOMPARE(rectangle.measurements.at("Num"), 3.0);
        QCOMPARE(rectangle.measurements.at("Ratio"), -std::numeric_limits<double>::infinity());

        const GeoJsonFeature& cell = imported.features[3];
        QCOMPARE(cell.objectType, GeoJsonObjectType::Cell); // alias object_type
        QCOMPARE(cell.geometry.polygons.size(), size_t(2));
        QVERIFY(cell.nucleusGeometry.has_value());
        QCOMPARE(cell.nucleusGeometry->polygons.size(), size_t(1));
    }

    void acceptsQuPathContainers()
    {
        const std::string polygon = R"({"type":"Polygon","coordinates":[[[0,0],[8,0],[8,8],[0,0]]]})";
        const std::string feature = R"({"type":"Feature","geometry":)" + polygon
            + R"(,"properties":{"type":"detection","classification":{"name":"A","color":[1,2,3]}}})";
        QTemporaryDir dir;

        // A bare array with nested arrays and elements without a type (skipped as QuPath does).
        const auto array
            = writeText(dir, "array.json", "[" + feature + ",[" + feature + ",[" + feature + "]],{\"foo\":1},42]");
        const GeoJsonImport fromArray = readGeoJsonFile(array);
        QCOMPARE(fromArray.features.size(), size_t(3));
        QVERIFY(fromArray.issues.empty());
        QCOMPARE(fromArray.features[2].index, size_t(2));
        QCOMPARE(fromArray.features[1].objectType, GeoJsonObjectType::Detection); // alias "type"

        const GeoJsonImport single = readGeoJsonFile(writeText(dir, "single.geojson", feature));
        QCOMPARE(single.features.size(), size_t(1));
        QCOMPARE(single.features[0].className, std::string("A"));

        const GeoJsonImport bare = readGeoJsonFile(writeText(dir, "bare.geojson", polygon));
        QCOMPARE(bare.features.size(), size_t(1));
        QCOMPARE(bare.features[0].objectType, GeoJsonObjectType::Annotation);

        // gzip, and children following their parent.
        const std::string parent = R"({"type":"Feature","geometry":)" + polygon
            + R"(,"properties":{"objectType":"annotation"},"childObjects":[)" + feature + "," + feature + "]}";
        const auto gz
            = writeText(dir, "tree.geojson.gz", R"({"type":"FeatureCollection","features":[)" + parent + "]}");
        std::ifstream in(gz, std::ios::binary);
        QCOMPARE(in.get(), 0x1f);
        const GeoJsonImport tree = readGeoJsonFile(gz);
        QCOMPARE(tree.features.size(), size_t(3));
        QCOMPARE(tree.features[0].objectType, GeoJsonObjectType::Annotation);
        QCOMPARE(tree.features[2].objectType, GeoJsonObjectType::Detection);
    }

    void truncatedJsonNamesFileAndOffset()
    {
        const auto source = pumaDir() / "training_set_primary_roi_006_nuclei.geojson";
        CELLVIT_REQUIRE_PATH(source);
        std::ifstream in(source, std::ios::binary);
        const std::string full((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        const std::string truncated = full.substr(0, full.size() / 2);
        QTemporaryDir dir;
        const auto file = writeText(dir, "truncated.geojson", truncated);
        const std::string message = errorOf([&] { readGeoJsonFile(file); });
        QVERIFY2(message.find(file.string()) != std::string::npos, message.c_str());
        QVERIFY2(message.find("malformed JSON") != std::string::npos, message.c_str());
        QVERIFY2(message.find("byte " + std::to_string(truncated.size())) != std::string::npos, message.c_str());

        // A syntax error in the middle: the reported line is the line of the broken byte.
        std::string broken = full;
        const size_t at = full.find("\"properties\"", full.size() / 3);
        QVERIFY(at != std::string::npos);
        broken[at] = '#';
        const auto brokenFile = writeText(dir, "broken.geojson.gz", broken);
        const std::string brokenMessage = errorOf([&] { readGeoJsonFile(brokenFile); });
        const size_t line = 1 + std::count(broken.begin(), broken.begin() + at, '\n');
        QVERIFY2(brokenMessage.find("byte " + std::to_string(at) + " (line " + std::to_string(line) + ",")
                != std::string::npos,
            brokenMessage.c_str());
        const std::string fromText = errorOf([&] { parseGeoJsonText(broken, "pasted text"); });
        QVERIFY2(
            fromText.rfind(
                "pasted text: malformed JSON at byte " + std::to_string(at) + " (line " + std::to_string(line) + ",", 0)
                == 0,
            fromText.c_str());
    }

    void malformedOffsetBeyondTheFirstMegabyte()
    {
        // Larger than the reader's 1 MiB chunk: lines are counted across chunk boundaries.
        const auto source = pumaDir() / "training_set_metastatic_roi_001_nuclei.geojson";
        CELLVIT_REQUIRE_PATH(source);
        std::ifstream in(source, std::ios::binary);
        std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        QVERIFY(text.size() > (1u << 20) + 100000);
        const size_t at = text.find("\"geometry\"", (1u << 20) + 50000);
        QVERIFY(at != std::string::npos);
        text[at] = '}';
        QTemporaryDir dir;
        const auto file = writeText(dir, "late.geojson", text);
        const size_t line = 1 + std::count(text.begin(), text.begin() + at, '\n');
        const size_t column = at - text.rfind('\n', at - 1);
        const std::string message = errorOf([&] { readGeoJsonFile(file); });
        QVERIFY2(message.find("byte " + std::to_string(at) + " (line " + std::to_string(line) + ", column "
                     + std::to_string(column) + ")")
                != std::string::npos,
            message.c_str());
    }

    void rejectsNonGeoJsonAndMissingFiles()
    {
        QTemporaryDir dir;
        const auto other = writeText(dir, "other.json", R"({"cells":[]})");
        QVERIFY(errorOf([&] { readGeoJsonFile(other); }).find("not GeoJSON") != std::string::npos);
        const auto scalar = writeText(dir, "scalar.json", "3");
        QVERIFY(errorOf([&] { readGeoJsonFile(scalar); }).find("not GeoJSON") != std::string::npos);
        const auto empty = writeText(dir, "empty.geojson", "");
        QVERIFY(errorOf([&] { readGeoJsonFile(empty); }).find("malformed JSON") != std::string::npos);
        const std::filesystem::path missing = dir.filePath(QStringLiteral("missing.geojson")).toStdString();
        QVERIFY(errorOf([&] { readGeoJsonFile(missing); }).find(missing.string()) != std::string::npos);
        // A corrupt gzip stream.
        std::string gzBytes = "\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03garbage-garbage";
        const std::filesystem::path corrupt = dir.filePath(QStringLiteral("corrupt.geojson.gz")).toStdString();
        std::ofstream(corrupt, std::ios::binary) << gzBytes;
        QVERIFY(errorOf([&] { readGeoJsonFile(corrupt); }).find(corrupt.string()) != std::string::npos);
    }

    void deeplyNestedJsonIsAClearError()
    {
        // fuzz finding (docs/fuzzing.md): a Point whose coordinates nest 200 000 arrays deep overflowed the stack
        // in the recursive json::dump() of the feature's error message.
        const std::string deep = std::string(200000, '[') + std::string(200000, ']');
        const std::string text = R"({"type":"Feature","geometry":{"type":"Point","coordinates":)" + deep + "}}";
        std::string message = errorOf([&] { parseGeoJsonText(text, "deep.geojson"); });
        QVERIFY2(message.find("deep.geojson: JSON nested deeper than 512 levels") == 0, message.c_str());
        QTemporaryDir dir;
        const auto file = writeText(dir, "deep.geojson.gz", text); // the streamed file path, gzip included
        message = errorOf([&] { readGeoJsonFile(file); });
        QVERIFY2(message.find(file.string() + ": JSON nested deeper than 512 levels") == 0, message.c_str());
        // Below the limit nothing changes: a Feature inside 500 nested lists is still streamed to the walker,
        // one inside 511 (+ its own 3 levels) is refused.
        const std::string feature = R"({"type":"Feature","geometry":{"type":"Point","coordinates":[1,2]}})";
        const GeoJsonImport nested
            = parseGeoJsonText(std::string(500, '[') + feature + std::string(500, ']'), "nested.geojson");
        QCOMPARE(nested.features.size(), size_t(1));
        QCOMPARE(nested.features[0].geometry.points.at(0), cv::Point2d(1, 2));
        message = errorOf(
            [&] { parseGeoJsonText(std::string(511, '[') + feature + std::string(511, ']'), "limit.geojson"); });
        QVERIFY2(message.find("limit.geojson: JSON nested deeper than 512 levels") == 0, message.c_str());
    }
};

QTEST_GUILESS_MAIN(TestImportGeoJson)
#include "tst_import_geojson.moc"
