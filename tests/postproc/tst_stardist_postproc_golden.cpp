// STARDIST / CPP-Net post-processing against the reference (golden/stardist/postproc): the NMS survivors in order,
// the instance map and the cells, identical (centroid and type_prob within 1e-9 relative).
#include "stardist_golden_cases.h"
#include "instance_map_compare.h"
#include "inference/postproc/cells_json.h"
#include "inference/postproc/polygon_overlap.h"
#include "inference/postproc/stardist_postprocess.h"
#include "test_json.h"

#include <nlohmann/json.hpp>

using namespace cellvit;

namespace {

using test::countDifferentPixels;

bool closeRelative(double a, double b)
{
    return std::abs(a - b) <= 1e-9 * std::max(1.0, std::abs(b));
}

} // namespace

class TestStarDistPostprocGolden : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void matchesReference_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<int>("threads");
        for (const auto& name : test::stardistPostprocCases()) {
            for (int threads : { 1, 2 })
                QTest::newRow((name + " threads " + std::to_string(threads)).c_str())
                    << QString::fromStdString(name) << threads;
        }
    }

    void matchesReference()
    {
        QFETCH(QString, name);
        QFETCH(int, threads);
        const auto dir = test::stardistGoldenDir() / "postproc" / name.toStdString();
        CELLVIT_REQUIRE_PATH(dir / "expected" / "cells.json");
        const test::StarDistCaseInputs in = test::loadStarDistCase(dir, test::stardistRaysFile(dir));
        const StarDistPostprocResult result
            = postprocessStarDist(in.prob, in.rays.data(), in.nrays, in.typeArgmax, {}, threads);

        // NMS survivors: points, order, probabilities and rays exactly.
        const NpyArray points = readNpy(dir / "expected" / "nms_points.npy");
        const NpyArray probs = readNpy(dir / "expected" / "nms_probs.npy");
        const NpyArray dists = readNpy(dir / "expected" / "nms_dists.npy");
        const auto& got = result.detections;
        qInfo("%s: %zu survivors (expected %lld)", qPrintable(name), got.points.size(),
              static_cast<long long>(points.shape.at(0)));
        const int32_t* rc = points.data<int32_t>();
        QCOMPARE(static_cast<int64_t>(got.points.size()), points.shape.at(0));
        for (size_t k = 0; k < got.points.size(); ++k) {
            QCOMPARE(got.points[k].y, rc[2 * k]);
            QCOMPARE(got.points[k].x, rc[2 * k + 1]);
            QCOMPARE(got.probs[k], probs.data<float>()[k]);
        }
        QVERIFY(got.dists == dists.toVector<float>());

        const NpyArray expectedMap = readNpy(dir / "expected" / "instance_map.npy");
        QCOMPARE(expectedMap.shape, (std::vector<int64_t> { result.instanceMap.rows, result.instanceMap.cols }));
        QCOMPARE(countDifferentPixels(result.instanceMap, expectedMap), 0);

        // polygon_to_instance: survivor k -> final id (0 when overpainted).
        const nlohmann::json info = test::readJson(dir / "case.json");
        std::vector<int> polygonToInstance(got.points.size(), 0);
        for (size_t id = 1; id <= result.rawLabels.size(); ++id)
            polygonToInstance[result.rawLabels[id - 1] - 1] = static_cast<int>(id);
        QVERIFY(polygonToInstance == info.at("polygon_to_instance").get<std::vector<int>>());

        const std::vector<Cell> expected = readCellsJson(dir / "expected" / "cells.json");
        QCOMPARE(result.cells.size(), expected.size());
        QCOMPARE(static_cast<int>(result.cells.size()), info.at("num_cells").get<int>());
        for (size_t i = 0; i < expected.size(); ++i) {
            const Cell& a = result.cells[i];
            const Cell& e = expected[i];
            QCOMPARE(a.id, e.id);
            QCOMPARE((std::vector<int> { a.rmin, a.cmin, a.rmax, a.cmax }),
                     (std::vector<int> { e.rmin, e.cmin, e.rmax, e.cmax }));
            QCOMPARE(a.contour, e.contour);
            QCOMPARE(a.type, e.type);
            QVERIFY(closeRelative(a.centroid.x, e.centroid.x) && closeRelative(a.centroid.y, e.centroid.y));
            QVERIFY(closeRelative(a.typeProb, e.typeProb));
        }
    }

    // CPP-Net cases: feeding the unrefined head output instead gives the different map the reference recorded.
    void cppNetNeedsTheRefinedRays()
    {
        const auto dir = test::stardistGoldenDir() / "postproc" / "cpp_cpm_image15";
        CELLVIT_REQUIRE_PATH(dir / "inputs" / "stardist_map_at_pixels.npy");
        const test::StarDistCaseInputs in = test::loadStarDistCase(dir, dir / "inputs" / "stardist_map_at_pixels.npy");
        const StarDistPostprocResult result = postprocessStarDist(in.prob, in.rays.data(), in.nrays, in.typeArgmax);
        const nlohmann::json info = test::readJson(dir / "case.json").at("if_fed_unrefined_stardist_map");
        const NpyArray expectedMap = readNpy(dir / "expected" / "instance_map.npy");
        QCOMPARE(static_cast<int>(result.rawLabels.size()), info.at("num_instances").get<int>());
        QCOMPARE(countDifferentPixels(result.instanceMap, expectedMap), info.at("pixels_differing_from_expected").get<int>());
    }

    // The overlap measure on hand-made grid polygons: exact where no rounding is involved, non-zero fill rule.
    void intersectionAreas()
    {
        const std::vector<GridPoint> square { { 0, 0 }, { 4, 0 }, { 4, 4 }, { 0, 4 } };
        const std::vector<GridPoint> shifted { { 2, 2 }, { 6, 2 }, { 6, 6 }, { 2, 6 } };
        QCOMPARE(intersectionArea(OverlapShape(square), OverlapShape(shifted)), 4.0f);
        // A bow-tie (self-intersecting) against the square: its two lobes, 8 px² inside the square.
        const std::vector<GridPoint> bowTie { { 0, 0 }, { 4, 4 }, { 4, 0 }, { 0, 4 } };
        QCOMPARE(intersectionArea(OverlapShape(bowTie), OverlapShape(square)), 8.0f);
        // Crossing points off the grid are rounded as Clipper does: the triangle (0,0),(3,0),(0,3) against the
        // square (1,1)-(4,4) meets it in the triangle (1,1),(2,1),(1,2) of area 0.5: on the grid exactly.
        const std::vector<GridPoint> triangle { { 0, 0 }, { 3, 0 }, { 0, 3 } };
        const std::vector<GridPoint> inner { { 1, 1 }, { 4, 1 }, { 4, 4 }, { 1, 4 } };
        QCOMPARE(intersectionArea(OverlapShape(triangle), OverlapShape(inner)), 0.5f);
    }
};

QTEST_GUILESS_MAIN(TestStarDistPostprocGolden)
#include "tst_stardist_postproc_golden.moc"
