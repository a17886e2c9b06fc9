// The C++ post-processing against the reference outputs (golden/postproc): exact instance maps and cell records.
#include "golden_cases.h"
#include "instance_map_compare.h"
#include "inference/io/npy.h"
#include "inference/postproc/cell_extraction.h"
#include "inference/postproc/cells_json.h"
#include "inference/postproc/exact_sobel.h"
#include "inference/postproc/foreground_mask.h"
#include "inference/postproc/hv_edge_map.h"
#include "inference/postproc/marker_watershed.h"
#include "inference/postproc/postproc_inputs.h"
#include "inference/postproc/postprocess.h"
#include "inference/postproc/remap_labels.h"
#include "inference/postproc/watershed_inputs.h"

#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>
#include <opencv2/imgproc.hpp>

using namespace cellvit;

Q_DECLARE_METATYPE(cellvit::test::PostprocGoldenCase)

namespace {

using test::countDifferentPixels;

} // namespace

class TestPostprocGolden : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void matchesReference_data()
    {
        QTest::addColumn<test::PostprocGoldenCase>("goldenCase");
        QTest::addColumn<int>("threads");
        for (const auto& c : test::postprocGoldenCases()) {
            for (int threads : { 1, 3 }) {
                const std::string tag
                    = c.name + " x" + std::to_string(c.magnification) + " threads " + std::to_string(threads);
                QTest::newRow(tag.c_str()) << c << threads;
            }
        }
    }

    void matchesReference()
    {
        QFETCH(test::PostprocGoldenCase, goldenCase);
        QFETCH(int, threads);
        CELLVIT_REQUIRE_PATH(goldenCase.hvPath());
        CELLVIT_REQUIRE_PATH(goldenCase.expectedDir() / "instance_map.npy");
        CELLVIT_REQUIRE_PATH(goldenCase.expectedDir() / "cells.json");

        const PostprocInputs in = loadPostprocInputs(goldenCase.npPath(), goldenCase.hvPath(), goldenCase.ntPath());
        const PostprocResult result = postprocess(in.npArgmax, in.hx, in.hy, in.typeArgmax,
            PostprocParams::forMagnification(goldenCase.magnification), threads);

        const NpyArray expectedMap = readNpy(goldenCase.expectedDir() / "instance_map.npy");
        QCOMPARE(expectedMap.shape, (std::vector<int64_t> { result.instanceMap.rows, result.instanceMap.cols }));
        QCOMPARE(countDifferentPixels(result.instanceMap, expectedMap), 0);

        const std::vector<Cell> expected = readCellsJson(goldenCase.expectedDir() / "cells.json");
        QVERIFY(expected.size() > 10);
        QCOMPARE(result.cells.size(), expected.size());
        for (size_t i = 0; i < expected.size(); ++i) {
            const Cell& a = result.cells[i];
            const Cell& e = expected[i];
            QCOMPARE(a.id, e.id);
            QCOMPARE((std::vector<int> { a.rmin, a.cmin, a.rmax, a.cmax }),
                (std::vector<int> { e.rmin, e.cmin, e.rmax, e.cmax }));
            QCOMPARE(a.contour, e.contour);
            QCOMPARE(a.type, e.type);
            QVERIFY2(std::abs(a.centroid.x - e.centroid.x) <= 1e-9 && std::abs(a.centroid.y - e.centroid.y) <= 1e-9,
                qPrintable(QStringLiteral("centroid of cell %1").arg(e.id)));
            QVERIFY2(std::abs(a.typeProb - e.typeProb) <= 1e-12,
                qPrintable(QStringLiteral("type_prob of cell %1").arg(e.id)));
        }

        // The documented numbering: ids ascend with the reference's raw watershed label.
        std::ifstream rawFile(goldenCase.expectedDir() / "cells.json");
        const nlohmann::json raw = nlohmann::json::parse(rawFile);
        for (const auto& cell : raw)
            QCOMPARE(result.rawLabels.at(cell.at("id").get<int>() - 1), cell.at("raw_id").get<int>());
    }

    // The two speed-ups must not change a bit: the vectorised Sobel against cv::Sobel, the fast watershed
    // against the full simulation of skimage's heap, on the real maps of every case.
    void fastPathsEqualTheirReferences_data() { matchesReference_data(); }
    void fastPathsEqualTheirReferences()
    {
        QFETCH(test::PostprocGoldenCase, goldenCase);
        QFETCH(int, threads); // for the parts that share work out: the result must not change
        CELLVIT_REQUIRE_PATH(goldenCase.hvPath());
        const PostprocInputs in = loadPostprocInputs(goldenCase.npPath(), goldenCase.hvPath(), goldenCase.ntPath());
        const PostprocParams params = PostprocParams::forMagnification(goldenCase.magnification);

        cv::Mat unit;
        cv::normalize(in.hx, unit, 0.0, 1.0, cv::NORM_MINMAX, CV_32F);
        for (const auto& [dx, dy] : { std::pair { 1, 0 }, std::pair { 0, 1 } }) {
            cv::Mat expected;
            cv::Sobel(unit, expected, CV_64F, dx, dy, params.sobelKernel);
            cv::Mat ours;
            double low = 0, high = 0, expectedLow = 0, expectedHigh = 0;
            exactSobel64(unit, dx, dy, params.sobelKernel, ours, low, high, threads);
            QVERIFY(std::memcmp(expected.data, ours.data, expected.total() * sizeof(double)) == 0);
            cv::minMaxIdx(expected, &expectedLow, &expectedHigh);
            QCOMPARE(low, expectedLow);
            QCOMPARE(high, expectedHigh);
        }
        // Sobels run at once must not feed each other.
        cv::Mat chained;
        std::vector<SobelJob> chain { { &unit, 1, 0, &chained }, { &chained, 0, 1, &unit } };
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, exactSobels64(chain, params.sobelKernel, threads));

        const cv::Mat foreground = foregroundMask(in.npArgmax, params.minBlobSize);
        const cv::Mat edges = hvEdgeMap(in.hx, in.hy, foreground, params.sobelKernel);
        const cv::Mat markers = watershedMarkers(edges, foreground, params.markerThreshold, params.minMarkerSize);
        const cv::Mat landscape = watershedLandscape(edges, foreground);
        const cv::Mat fast = markerWatershed(landscape, markers, foreground);
        const cv::Mat exact = markerWatershedExact(landscape, markers, foreground);
        QCOMPARE(cv::countNonZero(fast != exact), 0);
        QVERIFY(cv::countNonZero(exact) > 1000);
        // Renumbered during the flood's output pass = renumbered afterwards.
        cv::Mat remapped = exact.clone();
        const std::vector<int> rawOfNew = remapLabels(remapped);
        WatershedScratch scratch;
        std::vector<int> compactRaw;
        const cv::Mat compact = markerWatershedCompact(landscape, markers, foreground, scratch, compactRaw);
        QCOMPARE(compactRaw, rawOfNew);
        QCOMPARE(cv::countNonZero(compact != remapped), 0);
        // With the foreground's own blobs as the mask's components (as segmentInstances runs it) and the boxes
        // taken from the output pass: the same labels, and the boxes of a separate pass over them.
        cv::Mat sameForeground;
        ComponentLabels blobs;
        foregroundMask(in.npArgmax, params.minBlobSize, sameForeground, blobs);
        std::vector<InstanceBox> boxes;
        std::vector<int> withBlobsRaw;
        const cv::Mat withBlobs
            = markerWatershedCompact(landscape, markers, foreground, scratch, withBlobsRaw, &blobs, &boxes, threads);
        QCOMPARE(withBlobsRaw, rawOfNew);
        QCOMPARE(cv::countNonZero(withBlobs != remapped), 0);
        QCOMPARE(boxes.size(), rawOfNew.size());
        QVERIFY(boxes == instanceBoxes(remapped));
        // The landscape blurred from the distance map only where the flood needs it (as segmentInstances runs it).
        cv::Mat blurredAgain, dist;
        watershedLandscape(edges, foreground, blurredAgain, dist);
        std::vector<InstanceBox> fromDistanceBoxes;
        std::vector<int> fromDistanceRaw;
        const cv::Mat fromDistance = markerWatershedCompactFromDistance(
            dist, markers, foreground, scratch, fromDistanceRaw, &blobs, &fromDistanceBoxes, threads);
        QCOMPARE(fromDistanceRaw, rawOfNew);
        QCOMPARE(cv::countNonZero(fromDistance != remapped), 0);
        QVERIFY(fromDistanceBoxes == boxes);
    }

    // The fused edge path (normalisation inline, edge map never stored, scratch buffers reused across sizes)
    // against the edge map built from plain OpenCV calls, bit for bit: on the real maps of every case and on
    // a random map whose width is no multiple of the Sobel's column strips.
    void fusedEdgePathEqualsOpenCv_data() { matchesReference_data(); }
    void fusedEdgePathEqualsOpenCv()
    {
        QFETCH(test::PostprocGoldenCase, goldenCase);
        QFETCH(int, threads);
        CELLVIT_REQUIRE_PATH(goldenCase.hvPath());
        const PostprocInputs in = loadPostprocInputs(goldenCase.npPath(), goldenCase.hvPath(), goldenCase.ntPath());
        const PostprocParams params = PostprocParams::forMagnification(goldenCase.magnification);
        HvEdgeScratch scratch; // shared by both calls: the second one has another size
        compareEdgePaths(in.hx, in.hy, foregroundMask(in.npArgmax, params.minBlobSize), params, scratch, threads);

        cv::Mat hx(301, 333, CV_32F), hy(301, 333, CV_32F), np(301, 333, CV_8U);
        cv::randn(hx, 0.0, 0.5);
        cv::randn(hy, 0.1, 0.4);
        cv::randu(np, 0, 2);
        compareEdgePaths(hx, hy, foregroundMask(np, params.minBlobSize), params, scratch, threads);
    }

private:
    static void compareEdgePaths(const cv::Mat& hx, const cv::Mat& hy, const cv::Mat& foreground,
        const PostprocParams& params, HvEdgeScratch& scratch, int threads)
    {
        const auto unitSobel = [&](const cv::Mat& dir, int dx, int dy) {
            cv::Mat unit, sobel, out;
            cv::normalize(dir, unit, 0.0, 1.0, cv::NORM_MINMAX, CV_32F);
            cv::Sobel(unit, sobel, CV_64F, dx, dy, params.sobelKernel);
            cv::normalize(sobel, out, 0.0, 1.0, cv::NORM_MINMAX, CV_32F);
            return out;
        };
        const cv::Mat h = unitSobel(hx, 1, 0), v = unitSobel(hy, 0, 1);
        cv::Mat expectedEdges(hx.size(), CV_64F), expectedSeeds(hx.size(), CV_8U), expectedDist(hx.size(), CV_64F);
        for (int r = 0; r < hx.rows; ++r) {
            for (int c = 0; c < hx.cols; ++c) {
                const uint8_t fg = foreground.at<uint8_t>(r, c);
                const double e
                    = std::max(0.0, double(std::max(1.0f - h.at<float>(r, c), 1.0f - v.at<float>(r, c))) - (1 - fg));
                expectedEdges.at<double>(r, c) = e;
                expectedSeeds.at<uint8_t>(r, c) = fg && !(e >= params.markerThreshold);
                expectedDist.at<double>(r, c) = (e - 1.0) * fg;
            }
        }
        const cv::Mat edges = hvEdgeMap(hx, hy, foreground, params.sobelKernel);
        QVERIFY(std::memcmp(edges.data, expectedEdges.data, edges.total() * sizeof(double)) == 0);
        cv::Mat seeds, dist;
        hvEdgeSeedsAndDistance(
            hx, hy, foreground, params.sobelKernel, params.markerThreshold, seeds, dist, scratch, threads);
        QCOMPARE(cv::countNonZero(seeds != expectedSeeds), 0);
        QVERIFY(std::memcmp(dist.data, expectedDist.data, dist.total() * sizeof(double)) == 0);
        QVERIFY(cv::countNonZero(seeds) > 100);
    }
};

QTEST_GUILESS_MAIN(TestPostprocGolden)
#include "tst_postproc_golden.moc"
