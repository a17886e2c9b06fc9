// Patch grid geometry, the level-0 scale (no CellViT#55 shift) and the edge classification rules.

#include "inference/merge/slide_cell.h"
#include "test_support.h"

using namespace cellvit;

namespace {
Cell boxCell(int rmin, int cmin, int rmax, int cmax)
{
    Cell c;
    c.rmin = rmin, c.cmin = cmin, c.rmax = rmax, c.cmax = cmax;
    c.centroid = { (cmin + cmax) / 2.0, (rmin + rmax) / 2.0 };
    c.contour = { { cmin, rmin }, { cmax - 1, rmin }, { cmax - 1, rmax - 1 }, { cmin, rmax - 1 } };
    c.type = 1;
    return c;
}
} // namespace

class TestPatchGrid : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void originsFollowTheReferenceGrid()
    {
        const PatchGrid grid;
        QCOMPARE(grid.stride(), 960);
        QCOMPARE(grid.patchOriginInLevel({ 0, 0 }), cv::Point(-32, -32));
        QCOMPARE(grid.patchOriginInLevel({ 2, 3 }), cv::Point(3 * 960 - 32, 2 * 960 - 32));
        // Owned tiles split the 64-px bands in the middle and tile the plane.
        const cv::Point2d inBand(960.0 - 0.5, 100.0);
        QVERIFY(grid.ownedRectLevel0({ 0, 0 }).contains(inBand));
        QVERIFY(!grid.ownedRectLevel0({ 0, 1 }).contains(inBand));
        QVERIFY(grid.ownedRectLevel0({ 0, 1 }).contains(cv::Point2d(960.0, 100.0)));
    }

    void scaleHasNoOverlapShift()
    {
        // A 20x model on a 40x slide: patch pixels are 2 level-0 pixels. The same nucleus seen from two
        // neighbouring patches must land on the same level-0 position. v1 scaled col*1024 but not the overlap,
        // which moves patch (0, 1) by 96 level-0 pixels (CellViT#55).
        PatchGrid grid;
        grid.scale = 2.0;
        const double levelX = 950.0; // model-level x, inside the band shared by columns 0 and 1
        const cv::Point2d fromLeft = grid.toLevel0({ 0, 0 }, { levelX + 32, 10.0 });
        const cv::Point2d fromRight = grid.toLevel0({ 0, 1 }, { levelX - 928, 10.0 });
        QCOMPARE(fromLeft, fromRight);
        // Model pixel centre x lies at level-0 2x + ½ (it covers level-0 pixels 2x and 2x + 1).
        QCOMPARE(fromLeft.x, 2.0 * levelX + 0.5);
        const double v1Origin = 1 * 1024 * 2.0 - (1 + 0.5) * 64;
        QCOMPARE(grid.patchOriginLevel0({ 0, 1 }).x, 2.0 * 928);
        QVERIFY(grid.patchOriginLevel0({ 0, 1 }).x != v1Origin);

        const SlideCell s = toSlideCell(boxCell(100, 200, 120, 230), { 1, 1 }, grid);
        QCOMPARE(s.rmin, 2.0 * (928 + 100));
        QCOMPARE(s.cmax, 2.0 * (928 + 230));
        QCOMPARE(s.contour.front(), cv::Point2d(2.0 * (928 + 200) + 0.5, 2.0 * (928 + 100) + 0.5));
        // The centroid is rounded like the reference's np.rint (half to even).
        QCOMPARE(s.centroid, cv::Point2d(std::nearbyint(2.0 * (928 + 215) + 0.5), std::nearbyint(2.0 * (928 + 110) + 0.5)));
        QCOMPARE(s.cellStatus, 0); // status always from the patch-local bbox
    }

    void rejectsInvalidGrids()
    {
        PatchGrid g;
        g.overlap = 63;
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, g.validate());
        g = {};
        g.scale = 0.0;
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, g.validate());
    }

    void cellStatusClockwise_data()
    {
        QTest::addColumn<int>("rmin");
        QTest::addColumn<int>("cmin");
        QTest::addColumn<int>("rmax");
        QTest::addColumn<int>("cmax");
        QTest::addColumn<int>("status");
        QTest::newRow("mid, on the margin lines") << 64 << 64 << 960 << 960 << 0;
        QTest::newRow("top left") << 10 << 10 << 40 << 40 << 1;
        QTest::newRow("top") << 63 << 500 << 90 << 530 << 2;
        QTest::newRow("top right") << 10 << 990 << 40 << 1024 << 3;
        QTest::newRow("right") << 500 << 950 << 530 << 961 << 4;
        QTest::newRow("bottom right") << 990 << 990 << 1024 << 1024 << 5;
        QTest::newRow("bottom") << 990 << 500 << 1024 << 530 << 6;
        QTest::newRow("bottom left") << 990 << 0 << 1024 << 30 << 7;
        QTest::newRow("left") << 500 << 0 << 530 << 30 << 8;
        QTest::newRow("top wins over right and bottom") << 0 << 500 << 1024 << 1024 << 3;
    }

    void cellStatusClockwise()
    {
        QFETCH(int, rmin);
        QFETCH(int, cmin);
        QFETCH(int, rmax);
        QFETCH(int, cmax);
        QFETCH(int, status);
        QCOMPARE(cellStatus(boxCell(rmin, cmin, rmax, cmax)), status);
    }

    void edgePatchesPerPattern()
    {
        const PatchIndex p { 5, 7 };
        const auto top = edgePatches(borderTouch(boxCell(0, 500, 20, 520)), p);
        QVERIFY(top.has_value());
        QCOMPARE(top->size(), size_t(1));
        QCOMPARE(top->front(), (PatchIndex { 4, 7 }));
        const auto bottomLeft = edgePatches(borderTouch(boxCell(1000, 0, 1024, 20)), p);
        QVERIFY(bottomLeft.has_value());
        QCOMPARE(*bottomLeft, (std::vector<PatchIndex> { { 6, 7 }, { 6, 6 }, { 5, 6 } }));
        // Touching top and bottom is none of the 8 patterns: the reference's None.
        QVERIFY(!edgePatches(borderTouch(boxCell(0, 500, 1024, 520)), p).has_value());
        QVERIFY(!touchesBorder(borderTouch(boxCell(1, 1, 1023, 1023))));
    }
};

QTEST_GUILESS_MAIN(TestPatchGrid)
#include "tst_patch_grid.moc"
