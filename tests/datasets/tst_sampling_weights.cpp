#include "inference/datasets/sampling_weights.h"
#include "test_support.h"

using namespace cellvit;

namespace {

// A 4×4 sample of one tissue whose type map holds the given classes; masked classes sit under typeMask 0.
TrainingSample toy(int tissue, std::vector<int> classes, std::vector<int> maskedClasses = {})
{
    TrainingSample s;
    s.source = "toy";
    s.rgb = cv::Mat::zeros(4, 4, CV_8UC3);
    s.instanceMap = cv::Mat::zeros(4, 4, CV_32SC1);
    s.typeMap = cv::Mat::zeros(4, 4, CV_32SC1);
    s.segmentationMask = cv::Mat(4, 4, CV_8UC1, cv::Scalar(255));
    s.typeMask = cv::Mat(4, 4, CV_8UC1, cv::Scalar(255));
    s.tissueClass = tissue;
    int pixel = 0;
    for (int c : classes) {
        s.typeMap.at<int>(pixel / 4, pixel % 4) = c;
        ++pixel;
    }
    for (int c : maskedClasses) {
        s.typeMap.at<int>(pixel / 4, pixel % 4) = c;
        s.typeMask.at<uchar>(pixel / 4, pixel % 4) = 0;
        ++pixel;
    }
    return s;
}

} // namespace

class TestSamplingWeights : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void matchesAHandComputation()
    {
        // A: tissue 0, class 1. B: tissue 0, classes 1+2. C: tissue 1, no class. D: tissue 0, class 2 unlabelled.
        const std::vector<TrainingSample> samples { toy(0, { 1, 1 }), toy(0, { 1, 2 }), toy(1, {}), toy(0, {}, { 2 }) };
        const auto w = cellTissueSamplingWeights(samples, 3, 2, 0.5);
        // gamma 0.5, K = 4, n_t = {3, 1}: tissue weights 4/(1.5+2) = 8/7 and 4/(0.5+2) = 1.6.
        // n_c = {2, 1}, K_c = 3: w_1 = 3/(1+1.5) = 1.2, w_2 = 3/(0.5+1.5) = 1.5.
        // cell: A 0.5+0.5*1.2 = 1.1, B 0.5+0.5*(1.2+1.5) = 1.85, C and D 0 -> the smallest non-zero, 1.1.
        const double tissue0 = (8.0 / 7.0) / 1.6, tissue1 = 1.0;
        const std::vector<double> expected { tissue0 + 1.1 / 1.85, tissue0 + 1.0, tissue1 + 1.1 / 1.85,
            tissue0 + 1.1 / 1.85 };
        QCOMPARE(w.size(), expected.size());
        for (size_t i = 0; i < w.size(); ++i)
            QVERIFY2(std::abs(w[i] - expected[i]) < 1e-12,
                qPrintable(QString("%1: %2 vs %3").arg(i).arg(w[i]).arg(expected[i])));
    }

    void paperGammaFavoursRareClassesAndTissues()
    {
        // gamma 0.85: 1 image of tissue 1 among 5; class 2 in one image, class 1 in four.
        std::vector<TrainingSample> samples { toy(0, { 1 }), toy(0, { 1 }), toy(0, { 1 }), toy(0, { 1 }),
            toy(1, { 2 }) };
        const auto w = cellTissueSamplingWeights(samples, 3, 2);
        const double k = 5, tw0 = k / (0.85 * 4 + 0.15 * k), tw1 = k / (0.85 * 1 + 0.15 * k);
        const double kc = 5, cw1 = 0.15 + 0.85 * kc / (0.85 * 4 + 0.15 * kc),
                     cw2 = 0.15 + 0.85 * kc / (0.85 * 1 + 0.15 * kc);
        QVERIFY(std::abs(w[0] - (tw0 / tw1 + cw1 / cw2)) < 1e-12);
        QVERIFY(std::abs(w[4] - 2.0) < 1e-12);
    }

    void noClassesAnywhereLeavesTissueOnly()
    {
        const auto w = cellTissueSamplingWeights({ toy(0, {}), toy(1, {}), toy(1, {}) }, 5, 2);
        QCOMPARE(w.size(), size_t(3));
        QCOMPARE(w[0], 1.0); // the rarer tissue gets the maximum
        QVERIFY(w[1] < 1.0 && w[1] == w[2]);
    }

    void rejectsTissueOutsideTheTaxonomy()
    {
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, cellTissueSamplingWeights({ toy(3, {}) }, 5, 2));
        QVERIFY(cellTissueSamplingWeights({}, 5, 2).empty());
    }

    void perSourceGivesEachFolderOneShareAndClassWeightsInside()
    {
        // Source 1: three samples, one with the rare class 2. Source 2: one unclassified sample.
        const std::vector<TrainingSample> first { toy(0, { 1 }), toy(0, { 1 }), toy(0, { 1, 2 }) };
        std::vector<TrainingSample> samples = first;
        samples.push_back(toy(0, {}));
        const auto weights = perSourceCellTissueWeights(samples, { 3, 1 }, 3, 1);
        QCOMPARE(weights.size(), size_t(4));
        QVERIFY(std::abs(weights[0] + weights[1] + weights[2] - 1.0) < 1e-12);
        QVERIFY(std::abs(weights[3] - 1.0) < 1e-12);
        const auto inner = cellTissueSamplingWeights(first, 3, 1);
        QVERIFY(std::abs(weights[2] / weights[0] - inner[2] / inner[0]) < 1e-12);
        QVERIFY(weights[2] > weights[0]);
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, perSourceCellTissueWeights(samples, { 3 }, 3, 1));
    }
};

QTEST_GUILESS_MAIN(TestSamplingWeights)
#include "tst_sampling_weights.moc"
