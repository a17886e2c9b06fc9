// Post-processing a x20 network's maps at x40 (PostprocParams::forModel(20, 40) + downscaledCells), on real nuclei:
// the CoNSeP holdout image train_3's annotated instances taken to x20 (as a x20 network sees them), turned into
// perfect NP and HV maps. The x20 constants (Sobel 11, markers >= 3 px after a 5x5 opening) erase the markers of
// most of these small, crowded nuclei; the same maps upsampled 2x and post-processed with the x40 constants keep them.
#include "inference/metrics/coordinate_pairing.h"
#include "inference/metrics/instance_centroids.h"
#include "inference/metrics/instance_map_reader.h"
#include "inference/postproc/cell_rescale.h"
#include "inference/postproc/postproc_params.h"
#include "inference/postproc/postprocess.h"
#include "inference/targets/hv_target.h"
#include "test_support.h"

#include <opencv2/imgproc.hpp>

using namespace cellvit;

namespace {

struct Detection {
    int truth = 0, found = 0, paired = 0;
    double f1() const { return 2.0 * paired / std::max(1, truth + found); }
};

// Perfect x20 maps of `truthAt20` (nearest-neighbour downsampled annotation), post-processed with `params`; the
// cells (in x20 pixels) paired with the annotation's centroids at x20 (6 px, the reference's x20 radius).
Detection detect(const cv::Mat& truthAt20, const PostprocParams& params)
{
    const HvTarget hv = instanceHvTarget(truthAt20);
    cv::Mat np = truthAt20 > 0; // 255 / 0
    cv::Mat probability;
    np.convertTo(probability, CV_32F, 1.0 / 255.0);
    cv::Mat hx = hv.x, hy = hv.y;
    if (params.mapScale == 2) { // what segmentationForward(…, 2) does to the network's probabilities and HV maps
        const cv::Size up(truthAt20.cols * 2, truthAt20.rows * 2);
        cv::resize(probability, probability, up, 0, 0, cv::INTER_LINEAR);
        cv::resize(hv.x, hx, up, 0, 0, cv::INTER_LINEAR);
        cv::resize(hv.y, hy, up, 0, 0, cv::INTER_LINEAR);
    }
    cv::Mat npArgmax = probability > 0.5f;
    npArgmax /= 255;
    cv::Mat types = npArgmax.clone(); // one class
    std::vector<Cell> cells = downscaledCells(postprocess(npArgmax, hx, hy, types, params).cells, params.mapScale);
    std::vector<cv::Point2d> truth, found;
    for (const auto& c : metrics::instanceCentroids(truthAt20))
        truth.push_back(c.centroid);
    for (const Cell& c : cells)
        found.push_back(c.centroid);
    const auto pairing = metrics::pairCoordinates(truth, found, metrics::pairingRadiusForMagnification(20));
    return { int(truth.size()), int(found.size()), int(pairing.paired.size()) };
}

} // namespace

class TestPostprocUpsampled : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void paramsForModel()
    {
        const PostprocParams native = PostprocParams::forModel(20, 20);
        QCOMPARE(native.mapScale, 1);
        QCOMPARE(native.sobelKernel, 11);
        const PostprocParams upsampled = PostprocParams::forModel(20, 40);
        QCOMPARE(upsampled.mapScale, 2);
        QCOMPARE(upsampled.sobelKernel, 21);
        QCOMPARE(upsampled.minMarkerSize, 10);
        QCOMPARE(PostprocParams::forModel(40, 40).mapScale, 1);
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, PostprocParams::forModel(40, 20));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, PostprocParams::forModel(20, 80));
    }

    // Pixel centres: x2 pixel 0 and 1 cover x1 pixel 0 (centres -0.25 and 0.25); bbox edges widen to whole pixels.
    void downscaledCellsMapPixelCentresAndEdges()
    {
        Cell c;
        c.id = 7;
        c.rmin = 3, c.cmin = 4, c.rmax = 9, c.cmax = 12;
        c.centroid = { 7.5, 5.5 };
        c.contour = { { 4, 3 }, { 5, 3 }, { 11, 3 }, { 11, 8 }, { 4, 8 } };
        c.type = 2;
        c.typeProb = 0.75;
        const auto cells = downscaledCells({ c }, 2);
        QCOMPARE(cells.size(), size_t(1));
        const Cell& d = cells.front();
        QCOMPARE(d.id, 7);
        QCOMPARE(d.type, 2);
        QCOMPARE(d.typeProb, 0.75);
        QCOMPARE(d.centroid, cv::Point2d(3.5, 2.5));
        QCOMPARE(d.rmin, 1);
        QCOMPARE(d.cmin, 2);
        QCOMPARE(d.rmax, 5);
        QCOMPARE(d.cmax, 6);
        // (4,3)->(2,1); (5,3)->(2,1) repeated, dropped; (11,3)->(5,1); (11,8)->(5,4); (4,8)->(2,4)
        const std::vector<cv::Point> expected { { 2, 1 }, { 5, 1 }, { 5, 4 }, { 2, 4 } };
        QCOMPARE(d.contour, expected);
        // A 2x2 blob at x2 collapses to one x1 pixel: no polygon left, so no cell (as post-processing drops it).
        Cell tiny = c;
        tiny.contour = { { 4, 4 }, { 5, 4 }, { 5, 5 }, { 4, 5 } };
        QVERIFY(downscaledCells({ tiny }, 2).empty());
        QCOMPARE(downscaledCells({ c }, 1).front().contour, c.contour);
    }

    void upsampledMapsKeepSmallCrowdedNuclei()
    {
        const auto dir = test::dataDir() / "consep_train_patches" / "inst";
        CELLVIT_REQUIRE_PATH(dir);
        Detection native, upsampled;
        for (int patch = 0; patch < 16; ++patch) {
            char name[32];
            std::snprintf(name, sizeof name, "train_3_%03d.npy", patch);
            const cv::Mat truth = metrics::readInstanceMapNpy(dir / name);
            cv::Mat truthAt20;
            cv::resize(truth, truthAt20, cv::Size(truth.cols / 2, truth.rows / 2), 0, 0, cv::INTER_NEAREST);
            const Detection a = detect(truthAt20, PostprocParams::forModel(20, 20));
            const Detection b = detect(truthAt20, PostprocParams::forModel(20, 40));
            native.truth += a.truth, native.found += a.found, native.paired += a.paired;
            upsampled.truth += b.truth, upsampled.found += b.found, upsampled.paired += b.paired;
        }
        qInfo("train_3 at x20, perfect maps: x20 post-processing finds %d of %d nuclei (F1 %.3f), x40 after 2x "
              "upsampling %d (F1 %.3f)",
            native.paired, native.truth, native.f1(), upsampled.paired, upsampled.f1());
        QVERIFY(native.truth > 500);
        // Measured 2026-12-07: F1 0.61 vs 0.96 (0.52 vs 0.90 over the three holdout images). What the x40 path
        // misses are nuclei only a few pixels thin at x20.
        QVERIFY2(upsampled.f1() >= 0.85, qPrintable(QString::number(upsampled.f1())));
        QVERIFY2(upsampled.f1() >= native.f1() + 0.2, qPrintable(QString::number(native.f1())));
    }
};

QTEST_GUILESS_MAIN(TestPostprocUpsampled)
#include "tst_postproc_upsampled.moc"
