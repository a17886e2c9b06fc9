#include "export_test_data.h"
#include "inference/export/geojson_reader.h"
#include "inference/export/official_json_writer.h"

#include <QTemporaryDir>

#include <set>

using namespace cellvit;

namespace {

nlohmann::json readMaybeGz(const std::filesystem::path& file) { return nlohmann::json::parse(readMaybeGzippedFile(file)); }

std::set<std::string> keysOf(const nlohmann::json& object)
{
    std::set<std::string> keys;
    for (const auto& [key, value] : object.items())
        keys.insert(key);
    return keys;
}

OfficialJsonOptions mosaicOptions()
{
    OfficialJsonOptions options;
    options.metadata.origNTilesCols = 3;
    options.metadata.origNTilesRows = 3;
    options.metadata.baseMpp = 0.25;
    options.metadata.targetPatchMpp = 0.25;
    return options;
}

} // namespace

class TestOfficialJson : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void cellsJsonReproducesReferenceCells()
    {
        CELLVIT_REQUIRE_PATH(test::goldenGlobalCellsPath());
        const nlohmann::json golden = test::readJson(test::goldenGlobalCellsPath());
        const auto records = test::recordsFromReferenceCells(golden);
        QTemporaryDir dir;
        const std::filesystem::path file = dir.filePath(QStringLiteral("cells.json")).toStdString();
        const ExportSummary summary = writeOfficialCellsJson(file, records, mosaicOptions());
        QCOMPARE(summary.written, golden.size());

        const nlohmann::json doc = test::readJson(file);
        QCOMPARE(keysOf(doc), (std::set<std::string> { "wsi_metadata", "type_map", "cells" }));
        QCOMPARE(keysOf(doc["wsi_metadata"]),
                 (std::set<std::string> { "orig_n_tiles_cols", "orig_n_tiles_rows", "base_magnification",
                                          "downsampling", "label_map", "patch_overlap", "patch_size", "base_mpp",
                                          "target_patch_mpp", "stain_normalization", "magnification", "level" }));
        QCOMPARE(doc["wsi_metadata"]["patch_size"].get<int>(), 1024);
        QCOMPARE(doc["wsi_metadata"]["patch_overlap"].get<int>(), 64);
        QCOMPARE(doc["wsi_metadata"]["base_mpp"].get<double>(), 0.25);
        // type_map: id -> name with string keys (v2 direction).
        QCOMPARE(doc["type_map"]["1"].get<std::string>(), std::string("Neoplastic"));
        QCOMPARE(doc["type_map"]["5"].get<std::string>(), std::string("Epithelial"));

        const auto& cells = doc["cells"];
        QCOMPARE(cells.size(), golden.size());
        size_t edgeCells = 0;
        for (size_t i = 0; i < golden.size(); ++i) {
            // Same keys, same values (numbers compared by value) as the reference's own output.
            QCOMPARE(keysOf(cells[i]), keysOf(golden[i]));
            QVERIFY2(cells[i] == golden[i], qPrintable(QString::fromStdString("cell " + std::to_string(i))));
            edgeCells += cells[i]["edge_position"].get<bool>();
        }
        QVERIFY(edgeCells > 0);
    }

    void cellDetectionJsonHasBboxCentroidType()
    {
        CELLVIT_REQUIRE_PATH(test::goldenGlobalCellsPath());
        const nlohmann::json golden = test::readJson(test::goldenGlobalCellsPath());
        const auto records = test::recordsFromReferenceCells(golden);
        QTemporaryDir dir;
        const std::filesystem::path file = dir.filePath(QStringLiteral("cell_detection.json.gz")).toStdString();
        writeOfficialCellDetectionJson(file, records, mosaicOptions());
        const nlohmann::json doc = readMaybeGz(file);
        QCOMPARE(keysOf(doc), (std::set<std::string> { "wsi_metadata", "type_map", "cells" }));
        QCOMPARE(doc["cells"].size(), golden.size());
        for (size_t i = 0; i < golden.size(); ++i) {
            const auto& c = doc["cells"][i];
            QCOMPARE(keysOf(c), (std::set<std::string> { "bbox", "centroid", "type" }));
            QVERIFY(c["bbox"] == golden[i]["bbox"]);
            QVERIFY(c["centroid"] == golden[i]["centroid"]);
            QVERIFY(c["type"] == golden[i]["type"]);
        }
    }

    void bboxIsRowColAndCentroidIsXY()
    {
        SlideCellRecord r; // a cell far from the diagonal, so swapped axes cannot pass
        r.contour = { { 200, 10 }, { 210, 10 }, { 210, 20 }, { 200, 20 } };
        r.centroid = { 205, 15 };
        r.rmin = 10, r.cmin = 200, r.rmax = 21, r.cmax = 211;
        r.type = 2;
        r.typeProb = 0.75;
        QTemporaryDir dir;
        const std::filesystem::path file = dir.filePath(QStringLiteral("one.json")).toStdString();
        OfficialJsonOptions options; // base_mpp unknown -> null
        writeOfficialCellsJson(file, { r }, options);
        const nlohmann::json doc = test::readJson(file);
        const auto& c = doc["cells"][0];
        QVERIFY(c["bbox"] == nlohmann::json::parse("[[10,200],[21,211]]"));
        QVERIFY(c["centroid"] == nlohmann::json::parse("[205,15]"));
        QVERIFY(c["contour"] == nlohmann::json::parse("[[200,10],[210,10],[210,20],[200,20]]")); // not closed
        QCOMPARE(c["type_prob"].get<double>(), 0.75);
        // Without a patch origin the patch fields are left out rather than invented.
        QCOMPARE(keysOf(c), (std::set<std::string> { "bbox", "centroid", "contour", "type_prob", "type" }));
        QVERIFY(doc["wsi_metadata"]["base_mpp"].is_null());
    }
};

QTEST_GUILESS_MAIN(TestOfficialJson)
#include "tst_official_json.moc"
