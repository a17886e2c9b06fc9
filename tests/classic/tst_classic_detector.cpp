// The classic (weight-free) nucleus detector on real MoNuSeg images, scored against the annotations, plus
// the building blocks (stain deconvolution, h-maxima) on inputs whose answer is known.
#include "inference/classic/classic_predictor.h"
#include "inference/classic/morphological_reconstruction.h"
#include "monuseg_scoring.h"

#include <opencv2/core.hpp>

using namespace cellvit;

class TestClassicDetector : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        for (const auto& name : test::monusegImageNames()) {
            CELLVIT_REQUIRE_PATH(test::monusegDir() / "Tissue_Images" / (name + ".tif"));
            CELLVIT_REQUIRE_PATH(test::monusegDir() / "Annotations" / (name + ".xml"));
        }
    }

    void deconvolutionSeparatesTheStains()
    {
        // White is no stain; a pixel of pure haematoxylin colour has density only in channel 0.
        cv::Mat rgb(1, 2, CV_8UC3);
        rgb.at<cv::Vec3b>(0, 0) = { 255, 255, 255 };
        const auto h = classic::StainVectors::haematoxylinEosin().stains[0];
        const double od = 0.8; // along the haematoxylin direction (normalised below)
        const double n = std::sqrt(h[0] * h[0] + h[1] * h[1] + h[2] * h[2]);
        cv::Vec3b stained;
        for (int c = 0; c < 3; ++c)
            stained[c] = cv::saturate_cast<uchar>(256.0 * std::pow(10.0, -od * h[static_cast<size_t>(c)] / n) - 1.0);
        rgb.at<cv::Vec3b>(0, 1) = stained;
        const cv::Mat haem = classic::stainDensity(rgb, classic::StainVectors::haematoxylinEosin(), 0);
        const cv::Mat eosin = classic::stainDensity(rgb, classic::StainVectors::haematoxylinEosin(), 1);
        QCOMPARE(haem.at<float>(0, 0), 0.0f);
        QVERIFY(std::abs(haem.at<float>(0, 1) - od) < 0.02);
        QVERIFY(std::abs(eosin.at<float>(0, 1)) < 0.02);
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
            classic::stainDensity(cv::Mat(2, 2, CV_8UC1), classic::StainVectors::haematoxylinEosin()));
    }

    void hMaximaKeepsOnlyDeepEnoughPeaks()
    {
        // Two peaks (heights 5 and 4.5) over a saddle at 3, and a bump of 0.2 on the flank.
        cv::Mat s(1, 9, CV_32F);
        const float values[] = { 0, 2, 5, 3, 4.5f, 2, 1.0f, 1.2f, 0 };
        for (int i = 0; i < 9; ++i)
            s.at<float>(0, i) = values[i];
        const cv::Mat tops = classic::hMaxima(s, 1.0f);
        std::vector<int> at;
        for (int i = 0; i < 9; ++i) {
            if (tops.at<uchar>(0, i))
                at.push_back(i);
        }
        QCOMPARE(at, (std::vector<int> { 2, 4 }));
        QCOMPARE(cv::countNonZero(classic::hMaxima(s, 2.0f)), 1);
    }

    void blankImageHasNoNuclei()
    {
        const cv::Mat white(256, 256, CV_8UC3, cv::Scalar(240, 240, 240));
        QCOMPARE(cv::countNonZero(classic::detectNuclei(white, 0.25)), 0);
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, classic::detectNuclei(white, 0.0));
    }

    // The real test: a sane detection score on every MoNuSeg image and overall (floors measured:
    // overall F1 0.697, mean bPQ 0.391 with the defaults).
    void detectsMonusegNuclei()
    {
        test::DetectionCounts all;
        double pqSum = 0;
        for (const auto& name : test::monusegImageNames()) {
            const cv::Mat rgb = test::readRgb(test::monusegDir() / "Tissue_Images" / (name + ".tif"));
            const cv::Mat truth = test::monusegTruth(name, rgb.size());
            const cv::Mat predicted = classic::detectNuclei(rgb, 0.25);
            const auto c = test::detectionCounts(truth, predicted, 12.0);
            const double pq = metrics::fastPq(truth, predicted).scores.pq;
            qInfo("%s: %zu annotated, %zu detected, %zu paired; F1 %.3f, bPQ %.3f", name.c_str(), c.truth, c.predicted,
                c.paired, c.f1(), pq);
            QVERIFY2(c.predicted * 2 >= c.truth && c.predicted <= c.truth * 2, "count off by more than a factor of 2");
            QVERIFY2(c.f1() >= 0.55, name.c_str());
            all.add(c);
            pqSum += pq;
        }
        const double meanPq = pqSum / static_cast<double>(test::monusegImageNames().size());
        qInfo("overall: precision %.3f, recall %.3f, F1 %.3f, mean bPQ %.3f", all.precision(), all.recall(), all.f1(),
            meanPq);
        QVERIFY(all.f1() >= 0.65);
        QVERIFY(meanPq >= 0.35);
    }

    // A small image runs as the corner of a white-padded patch (a 500² CRC image in a 1024² patch at 20×): the
    // padding must not change the detections. It once did: Otsu over the whole patch, three quarters blank, set
    // the threshold in pale stroma (CRC detection F1 0.36 instead of 0.60).
    void whitePaddingDoesNotChangeTheDetections()
    {
        const auto file = test::dataDir() / "crchistophenotypes_2016_04_28" / "img3" / "img3.bmp";
        CELLVIT_REQUIRE_PATH(file);
        const cv::Mat rgb = test::readRgb(file);
        cv::Mat padded(1024, 1024, CV_8UC3, cv::Scalar::all(255));
        rgb.copyTo(padded(cv::Rect(0, 0, rgb.cols, rgb.rows)));
        const cv::Mat alone = classic::detectNuclei(rgb, 0.5);
        const cv::Mat inPatch = classic::detectNuclei(padded, 0.5)(cv::Rect(0, 0, rgb.cols, rgb.rows)).clone();
        const auto c = test::detectionCounts(alone, inPatch, 2.0);
        qInfo("%zu nuclei alone, %zu in the padded patch, %zu at the same place", c.truth, c.predicted, c.paired);
        QVERIFY(c.truth > 100);
        QVERIFY(c.f1() >= 0.95);
    }

    // Through the PatchPredictor seam: maps a network would give (one class, HV from the instances, no tokens).
    void predictorGivesNetworkLikeMaps()
    {
        const cv::Mat rgb = test::readRgb(test::monusegDir() / "Tissue_Images" / "TCGA-B0-5710-01Z-00-DX1.tif")(
            cv::Rect(0, 0, 256, 256))
                                .clone();
        const classic::ClassicPredictor predictor(0.25);
        const auto out = predictor.predict({ rgb }, { PatchSpec {} });
        QCOMPARE(out.size(), size_t(1));
        const PatchPrediction& p = out.front();
        QCOMPARE(p.npArgmax.size(), rgb.size());
        QVERIFY(cv::countNonZero(p.npArgmax) > 1000);
        QCOMPARE(cv::countNonZero(p.typeArgmax != p.npArgmax), 0);
        double lo = 0, hi = 0;
        cv::minMaxLoc(p.hx, &lo, &hi);
        QVERIFY(lo >= -1.0 && hi <= 1.0 && lo < -0.9 && hi > 0.9);
        QVERIFY(p.tokens.empty());
    }
};

QTEST_GUILESS_MAIN(TestClassicDetector)
#include "tst_classic_detector.moc"
