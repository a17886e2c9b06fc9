#include "export_test_data.h"
#include "inference/export/cells_json_entry.h"
#include "inference/export/geojson_reader.h"
#include "inference/export/official_json_writer.h"

#include <QTemporaryDir>
#include <set>

using namespace cellvit;

namespace {

nlohmann::json readMaybeGz(const std::filesystem::path& file)
{
    return nlohmann::json::parse(readMaybeGzippedFile(file));
}

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
        const auto slideCells = test::slideCellsFromReferenceCells(golden);
        QTemporaryDir dir;
        const std::filesystem::path file = dir.filePath(QStringLiteral("cells.json")).toStdString();
        const ExportSummary summary = writeOfficialCellsJson(file, slideCells, mosaicOptions());
        QCOMPARE(summary.written, golden.size());

        const nlohmann::json doc = test::readJson(file);
        QCOMPARE(keysOf(doc), (std::set<std::string> { "wsi_metadata", "type_map", "cells" }));
        QCOMPARE(keysOf(doc["wsi_metadata"]),
            (std::set<std::string> { "orig_n_tiles_cols", "orig_n_tiles_rows", "base_magnification", "downsampling",
                "label_map", "patch_overlap", "patch_size", "base_mpp", "target_patch_mpp", "stain_normalization",
                "magnification", "level" }));
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
        const auto slideCells = test::slideCellsFromReferenceCells(golden);
        QTemporaryDir dir;
        const std::filesystem::path file = dir.filePath(QStringLiteral("cell_detection.json.gz")).toStdString();
        writeOfficialCellDetectionJson(file, slideCells, mosaicOptions());
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
        // A cell far from the diagonal, in a patch with row != col, so swapped axes cannot pass.
        SlideCell c;
        c.contour = { { 200, 10 }, { 210, 10 }, { 210, 20 }, { 200, 20 } };
        c.centroid = { 205, 15 };
        c.rmin = 10, c.cmin = 200, c.rmax = 21, c.cmax = 211;
        c.type = 2;
        c.typeProb = 0.75;
        c.patch = { 1, 2 };
        c.patchOrigin = { 1888, 928 }; // x = 2 * 960 - 32, y = 1 * 960 - 32
        c.cellStatus = 4;
        c.border = { false, true, false, false }; // right
        c.edgePatches = std::vector<PatchIndex> { { 1, 3 } };
        SlideCell unknownPattern = c; // top and down at once: no neighbour pattern, edge_patches is null
        unknownPattern.border = { true, false, true, false };
        unknownPattern.edgePatches.reset();
        SlideCell mid = c;
        mid.cellStatus = 0;
        mid.border = {};
        mid.edgePatches.reset();
        QTemporaryDir dir;
        const std::filesystem::path file = dir.filePath(QStringLiteral("one.json")).toStdString();
        OfficialJsonOptions options; // base_mpp unknown -> null
        writeOfficialCellsJson(file, { c, unknownPattern, mid }, options);
        const nlohmann::json doc = test::readJson(file);
        const auto& j = doc["cells"][0];
        QVERIFY(j["bbox"] == nlohmann::json::parse("[[10,200],[21,211]]"));
        QVERIFY(j["centroid"] == nlohmann::json::parse("[205,15]"));
        QVERIFY(j["contour"] == nlohmann::json::parse("[[200,10],[210,10],[210,20],[200,20]]")); // not closed
        QCOMPARE(j["type_prob"].get<double>(), 0.75);
        QVERIFY(j["patch_coordinates"] == nlohmann::json::parse("[1,2]"));
        QVERIFY(j["offset_global"] == nlohmann::json::parse("[928,1888]")); // [row_off, col_off]
        QCOMPARE(j["cell_status"].get<int>(), 4);
        QCOMPARE(j["edge_position"].get<bool>(), true);
        QVERIFY(j["edge_information"] == nlohmann::json::parse(R"({"position":[0,1,0,0],"edge_patches":[[1,3]]})"));
        QVERIFY(doc["cells"][1]["edge_information"]
            == nlohmann::json::parse(R"({"position":[1,0,1,0],"edge_patches":null})"));
        QCOMPARE(doc["cells"][2]["edge_position"].get<bool>(), false);
        QCOMPARE(keysOf(doc["cells"][2]),
            (std::set<std::string> { "bbox", "centroid", "contour", "type_prob", "type", "patch_coordinates",
                "cell_status", "offset_global", "edge_position" }));
        QVERIFY(doc["wsi_metadata"]["base_mpp"].is_null());
    }

    void entryMatchesWriterAndKeepsReferenceKeyOrder()
    {
        CELLVIT_REQUIRE_PATH(test::goldenGlobalCellsPath());
        const nlohmann::json golden = test::readJson(test::goldenGlobalCellsPath());
        const auto slideCells = test::slideCellsFromReferenceCells(golden);
        for (size_t i = 0; i < slideCells.size(); ++i)
            QVERIFY2(cellsJsonEntry(slideCells[i]) == golden[i], qPrintable(QString::number(i)));
        // The streamed text keeps the reference's key order (json.dumps of its dict), not alphabetical order.
        std::string text;
        appendCellsJsonEntry(text, slideCells.at(0));
        const std::vector<std::string> order { "bbox", "centroid", "contour", "type_prob", "type", "patch_coordinates",
            "cell_status", "offset_global", "edge_position" };
        size_t last = 0;
        for (const std::string& key : order) {
            const size_t at = text.find("\"" + key + "\":");
            QVERIFY2(at != std::string::npos && at >= last, key.c_str());
            last = at;
        }
    }
};

QTEST_GUILESS_MAIN(TestOfficialJson)
#include "tst_official_json.moc"
