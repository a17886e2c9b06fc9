// HV training targets equal the reference's gen_instance_hv_map on real ground truth.
#include "inference/io/npy.h"
#include "inference/metrics/cpm_mask_reader.h"
#include "inference/targets/hv_target.h"
#include "test_support.h"

using namespace cellvit;

class TestHvTarget : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void matchesReferenceOnCpmImage12()
    {
        const auto mask = test::dataDir() / "cpm15_miccai2015_training" / "image12_mask.txt";
        const auto expectedPath = test::goldenDir() / "postproc" / "cpm_image12_256" / "inputs" / "gt_hv_target_clean.npy";
        CELLVIT_REQUIRE_PATH(mask);
        CELLVIT_REQUIRE_PATH(expectedPath);
        // The golden case's crop: rows 120:376, cols 200:456 (case.json).
        const cv::Mat crop = metrics::readCpmMask(mask)(cv::Rect(200, 120, 256, 256)).clone();
        const HvTarget hv = instanceHvTarget(crop);
        const NpyArray expected = readNpy(expectedPath);
        QCOMPARE(expected.shape, (std::vector<int64_t> { 2, 256, 256 }));
        const float* e = expected.data<float>();
        double worst = 0;
        for (int ch = 0; ch < 2; ++ch) {
            const cv::Mat& ours = ch == 0 ? hv.x : hv.y;
            for (int r = 0; r < 256; ++r)
                for (int c = 0; c < 256; ++c)
                    worst = std::max<double>(worst, std::abs(ours.at<float>(r, c) - e[(ch * 256 + r) * 256 + c]));
        }
        QVERIFY2(worst <= 1e-6, qPrintable(QString::number(worst)));
        // Each nucleus spans the full [−1, 1] range on both axes.
        double mn, mx;
        cv::minMaxLoc(hv.x, &mn, &mx);
        QCOMPARE(mn, -1.0);
        QCOMPARE(mx, 1.0);
    }
};

QTEST_GUILESS_MAIN(TestHvTarget)
#include "tst_hv_target.moc"
