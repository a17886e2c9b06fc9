// Per-cell token embeddings against the reference (golden/embedding/README.md): exact token index ranges and
// mean tokens within 1e-6, for a 256 patch (16x16 tokens) and a 1024 patch (64x64 tokens).

#include "inference/io/npy.h"
#include "inference/merge/cell_embedding.h"
#include "inference/merge/slide_cell_merger.h"
#include "test_support.h"

#include <fstream>
#include <nlohmann/json.hpp>

using namespace cellvit;

class TestCellEmbedding : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void matchesReference_data()
    {
        QTest::addColumn<QString>("caseName");
        QTest::addColumn<int>("grid");
        QTest::newRow("patch256") << "patch256" << 16;
        QTest::newRow("patch1024") << "patch1024" << 64;
    }

    void matchesReference()
    {
        QFETCH(QString, caseName);
        QFETCH(int, grid);
        const auto dir = test::goldenDir() / "embedding" / caseName.toStdString();
        for (const char* f : { "tokens.npy", "cells.json", "token_index_ranges.json", "expected_embeddings.npy" })
            CELLVIT_REQUIRE_PATH(dir / f);
        const NpyArray tokens = readNpy(dir / "tokens.npy");
        QCOMPARE(tokens.shape.size(), size_t(3));
        QCOMPARE(tokens.shape[1], int64_t(grid));
        const TokenGridView view { tokens.data<float>(), int(tokens.shape[0]), int(tokens.shape[1]),
            int(tokens.shape[2]) };
        std::ifstream cellsIn(dir / "cells.json"), rangesIn(dir / "token_index_ranges.json");
        const auto cells = nlohmann::json::parse(cellsIn);
        const auto ranges = nlohmann::json::parse(rangesIn);
        const NpyArray expected = readNpy(dir / "expected_embeddings.npy");
        QCOMPARE(expected.shape, (std::vector<int64_t> { int64_t(cells.size()), tokens.shape[0] }));
        QVERIFY(cells.size() > 5);

        double worst = 0.0;
        int touchingLastToken = 0;
        for (size_t i = 0; i < cells.size(); ++i) {
            Cell c;
            const auto& b = cells[i].at("bbox");
            c.rmin = b[0][0], c.cmin = b[0][1], c.rmax = b[1][0], c.cmax = b[1][1];
            const TokenRange r = tokenRange(c, view.height, view.width);
            const TokenRange want { ranges[i][0], ranges[i][1], ranges[i][2], ranges[i][3] };
            if (!(r == want))
                QFAIL(qPrintable(QStringLiteral("cell %1: token range differs").arg(i)));
            touchingLastToken += r.r1 == grid || r.c1 == grid;
            const std::vector<float> e = cellEmbedding(c, view);
            const float* ref = expected.data<float>() + i * view.dim;
            for (int d = 0; d < view.dim; ++d)
                worst = std::max(worst, double(std::abs(e[size_t(d)] - ref[d])));
        }
        qInfo("%zu cells, D=%d, max |diff| %.3g, %d reach the last token row/col", cells.size(), view.dim, worst,
            touchingLastToken);
        QVERIFY(worst <= 1e-6);
        QVERIFY(touchingLastToken > 0); // the ceil at the patch border is exercised
    }

    void mergerAttachesEmbeddings()
    {
        const auto dir = test::goldenDir() / "embedding" / "patch1024";
        CELLVIT_REQUIRE_PATH(dir / "tokens.npy");
        const NpyArray tokens = readNpy(dir / "tokens.npy");
        const TokenGridView view { tokens.data<float>(), int(tokens.shape[0]), int(tokens.shape[1]),
            int(tokens.shape[2]) };
        std::ifstream cellsIn(dir / "cells.json");
        const auto json = nlohmann::json::parse(cellsIn);
        std::vector<Cell> cells;
        for (const auto& j : json) {
            Cell c;
            const auto& b = j.at("bbox");
            c.rmin = b[0][0], c.cmin = b[0][1], c.rmax = b[1][0], c.cmax = b[1][1];
            c.contour
                = { { c.cmin, c.rmin }, { c.cmax - 1, c.rmin }, { c.cmax - 1, c.rmax - 1 }, { c.cmin, c.rmax - 1 } };
            c.type = j.at("type");
            c.id = int(cells.size()) + 1;
            cells.push_back(c);
        }
        const NpyArray expected = readNpy(dir / "expected_embeddings.npy");
        size_t checked = 0;
        SlideCellMerger merger(PatchGrid {}, MergeMode::Complete, [&](SlideCell&& s) {
            const float* ref = expected.data<float>() + (s.patchCellId - 1) * view.dim;
            QCOMPARE(s.embedding.size(), size_t(view.dim));
            for (int d = 0; d < view.dim; ++d)
                QVERIFY(std::abs(s.embedding[size_t(d)] - ref[d]) <= 1e-6f);
            ++checked;
        });
        merger.addPatch({ 0, 0 }, cells, &view);
        merger.finish();
        QCOMPARE(checked, cells.size()); // a lone patch keeps every cell
    }

    void rejectsBadInput()
    {
        const std::vector<float> data(2 * 4 * 4, 1.0f);
        const TokenGridView view { data.data(), 2, 4, 4 };
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, meanToken(view, TokenRange { 0, 5, 0, 1 }));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, meanToken(TokenGridView {}, TokenRange { 0, 1, 0, 1 }));
        // A bbox beyond the grid is clamped (the reference's uint8 indices never exceed 64 for 1024 patches).
        Cell c;
        c.rmin = 60, c.cmin = 0, c.rmax = 80, c.cmax = 16;
        const TokenRange r = tokenRange(c, 4, 4);
        QCOMPARE(r.r0, 3);
        QCOMPARE(r.r1, 4);
        QCOMPARE(r.c1, 1);
        QCOMPARE(meanToken(view, r), (std::vector<float> { 1.0f, 1.0f }));
    }
};

QTEST_GUILESS_MAIN(TestCellEmbedding)
#include "tst_cell_embedding.moc"
