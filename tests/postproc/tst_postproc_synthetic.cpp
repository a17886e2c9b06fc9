// cellvit-facts §3 "[verified] Sanity run": two touching discs with ideal HV ramps are split into two nuclei
// with the documented centroids, boxes, types and probabilities.
#include "inference/postproc/postprocess.h"
#include "test_support.h"

#include <cmath>
#include <opencv2/core.hpp>

using namespace cellvit;

namespace {

struct Disc {
    int cx, cy, radius, type;
};

struct SyntheticMaps {
    cv::Mat np, hx, hy, types;
};

// Each disc writes NP = 1, its type and HV ramps (x - cx) / r, (y - cy) / r. The second disc is painted first
// and the first one over it: this painting order reproduces all the documented figures (including which of
// the two nuclei has type_prob 1.000).
SyntheticMaps twoTouchingDiscs()
{
    SyntheticMaps m { cv::Mat::zeros(256, 256, CV_8U), cv::Mat::zeros(256, 256, CV_32F),
        cv::Mat::zeros(256, 256, CV_32F), cv::Mat::zeros(256, 256, CV_8U) };
    for (const Disc& d : { Disc { 125, 100, 12, 2 }, Disc { 100, 100, 14, 1 } }) {
        for (int y = 0; y < 256; ++y) {
            for (int x = 0; x < 256; ++x) {
                if ((x - d.cx) * (x - d.cx) + (y - d.cy) * (y - d.cy) > d.radius * d.radius)
                    continue;
                m.np.at<uint8_t>(y, x) = 1;
                m.types.at<uint8_t>(y, x) = static_cast<uint8_t>(d.type);
                m.hx.at<float>(y, x) = static_cast<float>(double(x - d.cx) / d.radius);
                m.hy.at<float>(y, x) = static_cast<float>(double(y - d.cy) / d.radius);
            }
        }
    }
    return m;
}

} // namespace

class TestPostprocSynthetic : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void splitsTwoTouchingDiscs()
    {
        const SyntheticMaps m = twoTouchingDiscs();
        const PostprocResult r = postprocess(m.np, m.hx, m.hy, m.types, PostprocParams::forMagnification(40));
        QCOMPARE(r.cells.size(), size_t(2));
        double maxId = 0;
        cv::minMaxLoc(r.instanceMap, nullptr, &maxId);
        QCOMPARE(int(maxId), 2);

        const Cell& a = r.cells[0];
        QCOMPARE(a.id, 1);
        QVERIFY(std::abs(a.centroid.x - 99.98) < 0.005 && std::abs(a.centroid.y - 100.00) < 0.005);
        QCOMPARE((std::vector<int> { a.rmin, a.cmin, a.rmax, a.cmax }), (std::vector<int> { 86, 86, 115, 114 }));
        QCOMPARE(a.type, 1);
        QVERIFY(std::abs(a.typeProb - 1.000) < 0.0005);
        QCOMPARE(a.contour.size(), size_t(33));

        const Cell& b = r.cells[1];
        QCOMPARE(b.id, 2);
        QVERIFY(std::abs(b.centroid.x - 125.03) < 0.005 && std::abs(b.centroid.y - 100.00) < 0.005);
        QCOMPARE((std::vector<int> { b.rmin, b.cmin, b.rmax, b.cmax }), (std::vector<int> { 88, 114, 113, 138 }));
        QCOMPARE(b.type, 2);
        QVERIFY(std::abs(b.typeProb - 0.998) < 0.0005);
        QCOMPARE(b.contour.size(), size_t(33));
    }

    void emptyForegroundGivesNoCells()
    {
        const cv::Mat zeros8 = cv::Mat::zeros(64, 64, CV_8U), zeros32 = cv::Mat::zeros(64, 64, CV_32F);
        const PostprocResult r = postprocess(zeros8, zeros32, zeros32, zeros8, PostprocParams::forMagnification(20));
        QVERIFY(r.cells.empty());
        QCOMPARE(cv::countNonZero(r.instanceMap), 0);
    }

    void rejectsMismatchedMaps()
    {
        const cv::Mat np = cv::Mat::zeros(64, 64, CV_8U), hv = cv::Mat::zeros(64, 32, CV_32F);
        QVERIFY_THROWS_EXCEPTION(
            std::invalid_argument, postprocess(np, hv, hv, np, PostprocParams::forMagnification(40)));
        const cv::Mat hvDouble = cv::Mat::zeros(64, 64, CV_64F);
        QVERIFY_THROWS_EXCEPTION(
            std::invalid_argument, postprocess(np, hvDouble, hvDouble, np, PostprocParams::forMagnification(40)));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, PostprocParams::forMagnification(10));
    }
};

QTEST_GUILESS_MAIN(TestPostprocSynthetic)
#include "tst_postproc_synthetic.moc"
