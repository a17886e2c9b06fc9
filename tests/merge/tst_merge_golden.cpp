// Parity with the reference v2 merge on the golden 3x3-patch mosaic (golden/merge/README.md): global coordinates,
// cell_status and edge information for every cell, and the exact set of cells OverlapCellCleaner keeps.

#include "inference/export/cells_json_entry.h"
#include "inference/merge/overlap_cell_cleaner.h"
#include "inference/merge/slide_cell_merger.h"
#include "inference/postproc/cells_json.h"
#include "test_json.h"
#include "test_support.h"

#include <fstream>
#include <nlohmann/json.hpp>

using namespace cellvit;

namespace {

using test::readJson;

// Structural equality where all numbers compare as doubles (the reference mixes 321.0 and 321).
bool sameJson(const nlohmann::json& a, const nlohmann::json& b, std::string& where)
{
    if (a.is_number() && b.is_number()) {
        if (a.get<double>() == b.get<double>())
            return true;
        where = a.dump() + " != " + b.dump();
        return false;
    }
    if (a.is_boolean() && b.is_number())
        return sameJson(nlohmann::json(a.get<bool>() ? 1 : 0), b, where);
    if (a.type() != b.type()) {
        where = "type " + std::string(a.type_name()) + " vs " + b.type_name();
        return false;
    }
    if (a.is_array()) {
        if (a.size() != b.size()) {
            where = "size " + std::to_string(a.size()) + " vs " + std::to_string(b.size());
            return false;
        }
        for (size_t i = 0; i < a.size(); ++i)
            if (!sameJson(a[i], b[i], where)) {
                where = "[" + std::to_string(i) + "]" + where;
                return false;
            }
        return true;
    }
    if (a.is_object()) {
        if (a.size() != b.size()) {
            where = "keys " + a.dump().substr(0, 0) + std::to_string(a.size()) + " vs " + std::to_string(b.size());
            return false;
        }
        for (auto it = a.begin(); it != a.end(); ++it) {
            if (!b.contains(it.key())) {
                where = "missing key " + it.key();
                return false;
            }
            if (!sameJson(it.value(), b.at(it.key()), where)) {
                where = "." + it.key() + where;
                return false;
            }
        }
        return true;
    }
    if (a == b)
        return true;
    where = a.dump() + " != " + b.dump();
    return false;
}

std::vector<SlideCell> goldenSlideCells(const nlohmann::json& patches)
{
    std::vector<SlideCell> cells;
    const PatchGrid grid;
    for (const auto& p : patches.at("patches")) {
        const PatchIndex index { p.at("row").get<int>(), p.at("col").get<int>() };
        for (const Cell& c : cellsFromJson(p.at("cells"))) {
            cells.push_back(toSlideCell(c, index, grid));
            cells.back().sequence = cells.size() - 1;
        }
    }
    return cells;
}

} // namespace

class TestMergeGolden : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void globalCellsMatchReference()
    {
        const auto dir = test::goldenDir() / "merge";
        CELLVIT_REQUIRE_PATH(dir / "patches.json");
        CELLVIT_REQUIRE_PATH(dir / "global_cells.json");
        const nlohmann::json patches = readJson(dir / "patches.json");
        const nlohmann::json expected = readJson(dir / "global_cells.json");
        const PatchGrid grid;
        for (const auto& p : patches.at("patches")) {
            const PatchIndex index { p.at("row").get<int>(), p.at("col").get<int>() };
            const cv::Point origin = grid.patchOriginInLevel(index);
            QCOMPARE(origin.y, p.at("patch_origin_global_row_col").at(0).get<int>());
            QCOMPARE(origin.x, p.at("patch_origin_global_row_col").at(1).get<int>());
        }
        const std::vector<SlideCell> cells = goldenSlideCells(patches);
        QCOMPARE(cells.size(), expected.size());
        std::array<int, 9> histogram {};
        int edgeCells = 0;
        for (size_t i = 0; i < cells.size(); ++i) {
            std::string where;
            if (!sameJson(cellsJsonEntry(cells[i]), expected[i], where))
                QFAIL(qPrintable(QStringLiteral("cell %1: %2").arg(i).arg(QString::fromStdString(where))));
            ++histogram[cells[i].cellStatus];
            edgeCells += cells[i].edgePosition();
        }
        const nlohmann::json summary = readJson(dir / "summary.json");
        QCOMPARE(edgeCells, summary.at("num_edge_cells").get<int>());
        for (int s = 0; s < 9; ++s)
            QCOMPARE(histogram[s], summary.at("cell_status_histogram").at(s).get<int>());
    }

    void keptCellsMatchReference()
    {
        const auto dir = test::goldenDir() / "merge";
        CELLVIT_REQUIRE_PATH(dir / "expected_keep_indices.json");
        const std::vector<SlideCell> cells = goldenSlideCells(readJson(dir / "patches.json"));
        const auto expected = readJson(dir / "expected_keep_indices.json").get<std::vector<size_t>>();
        OverlapCleaningStats stats;
        const std::vector<size_t> keep = referenceKeepIndices(cells, &stats);
        qInfo("kept %zu of %zu; %zu border cells dropped; %zu overlaps in round 1; %d rounds", keep.size(),
            cells.size(), stats.droppedAtBorder, stats.overlapsFirstRound, stats.rounds);
        QCOMPARE(keep.size(), expected.size());
        QCOMPARE(keep, expected);
    }

    void streamingMergerKeepsTheSameCells()
    {
        const auto dir = test::goldenDir() / "merge";
        CELLVIT_REQUIRE_PATH(dir / "expected_keep_indices.json");
        const nlohmann::json patches = readJson(dir / "patches.json");
        const auto expected = readJson(dir / "expected_keep_indices.json").get<std::vector<size_t>>();
        std::vector<size_t> emitted;
        size_t emittedBeforeFinish = 0;
        SlideCellMerger merger(
            PatchGrid {}, MergeMode::Reference, [&emitted](SlideCell&& c) { emitted.push_back(c.sequence); });
        for (const auto& p : patches.at("patches"))
            merger.addPatch({ p.at("row").get<int>(), p.at("col").get<int>() }, cellsFromJson(p.at("cells")));
        emittedBeforeFinish = emitted.size();
        merger.finish();
        // Mid cells leave at once; only margin cells wait for finish().
        QCOMPARE(emittedBeforeFinish, merger.stats().midCells);
        QCOMPARE(merger.stats().peakHeldCells, merger.stats().marginCells);
        std::sort(emitted.begin(), emitted.end());
        QCOMPARE(emitted, expected);
        QVERIFY_THROWS_EXCEPTION(std::logic_error, merger.addPatch({ 0, 0 }, {}));
    }
};

QTEST_GUILESS_MAIN(TestMergeGolden)
#include "tst_merge_golden.moc"
