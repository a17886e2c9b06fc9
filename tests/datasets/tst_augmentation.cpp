#include "dataset_test_helpers.h"
#include "inference/datasets/augmentation.h"
#include "inference/datasets/geometric_augmentations.h"
#include "inference/datasets/photometric_augmentations.h"
#include "inference/datasets/superpixel_augmentation.h"
#include "inference/datasets/random_crop.h"
#include "inference/targets/hv_target.h"
#include "test_support.h"

#include <functional>
#include <map>

using namespace cellvit;

namespace {

constexpr int kSide = 256;

// Light background with dark disks (nuclei) of known ids (10, 20, ...) and classes (1..4); fully labelled.
TrainingSample syntheticSample(cv::Size size = { kSide, kSide })
{
    TrainingSample s;
    s.source = "synthetic";
    s.rgb = cv::Mat(size, CV_8UC3, cv::Scalar(225, 200, 215));
    s.instanceMap = cv::Mat::zeros(size, CV_32SC1);
    s.typeMap = cv::Mat::zeros(size, CV_32SC1);
    s.segmentationMask = cv::Mat(size, CV_8UC1, cv::Scalar(255));
    s.typeMask = cv::Mat(size, CV_8UC1, cv::Scalar(255));
    s.mpp = 0.5;
    int id = 10;
    for (int y = 20; y + 20 < size.height; y += 42) {
        for (int x = 20 + (y / 42 % 2) * 10; x + 20 < size.width; x += 45) {
            const int radius = 6 + (id / 10) % 7;
            cv::circle(s.rgb, { x, y }, radius, cv::Scalar(70, 40, 110), cv::FILLED);
            cv::circle(s.instanceMap, { x, y }, radius, cv::Scalar(id), cv::FILLED);
            cv::circle(s.typeMap, { x, y }, radius, cv::Scalar(1 + (id / 10) % 4), cv::FILLED);
            id += 10;
        }
    }
    return s;
}

int classOf(int id)
{
    return 1 + (id / 10) % 4;
}

// Image and labels agree: dark pixels are nuclei and nuclei are dark (within the labelled area), ids come
// from the original, each id keeps its class, labels are 0 where unlabelled, and HV targets can be built.
// `agreement`: blur-like photometric ops smear nucleus edges, so they are held to a lower share.
void verifyAligned(const TrainingSample& s, const TrainingSample& original, const char* what, double agreement = 0.93)
{
    QVERIFY2(s.rgb.size() == s.instanceMap.size() && s.rgb.size() == s.typeMap.size()
            && s.rgb.size() == s.segmentationMask.size() && s.rgb.size() == s.typeMask.size(),
        what);
    QCOMPARE(s.instanceMap.type(), CV_32SC1);
    QCOMPARE(s.rgb.type(), CV_8UC3);
    cv::Mat grey;
    cv::cvtColor(s.rgb, grey, cv::COLOR_RGB2GRAY);
    const cv::Mat labelled = s.segmentationMask == 255;
    const cv::Mat dark = (grey < 130) & labelled;
    const cv::Mat nucleus = (s.instanceMap != 0) & labelled;
    const int darkCount = cv::countNonZero(dark), nucleusCount = cv::countNonZero(nucleus);
    QVERIFY2(nucleusCount > 0, what);
    const double covered = cv::countNonZero(dark & nucleus) / static_cast<double>(darkCount);
    const double darkInside = cv::countNonZero(dark & nucleus) / static_cast<double>(nucleusCount);
    QVERIFY2(covered > agreement && darkInside > agreement,
        qPrintable(QString("%1: dark covered %2, nucleus dark %3").arg(what).arg(covered).arg(darkInside)));

    const auto originalIds = test::instanceIds(original.instanceMap);
    for (int y = 0; y < s.instanceMap.rows; ++y) {
        for (int x = 0; x < s.instanceMap.cols; ++x) {
            const int id = s.instanceMap.at<int>(y, x);
            if (id != 0 && (originalIds.count(id) == 0 || s.typeMap.at<int>(y, x) != classOf(id)))
                QFAIL(qPrintable(QString("%1: id %2 / class %3 at %4,%5")
                                     .arg(what)
                                     .arg(id)
                                     .arg(s.typeMap.at<int>(y, x))
                                     .arg(x)
                                     .arg(y)));
            if (s.segmentationMask.at<uchar>(y, x) == 0 && (id != 0 || s.typeMask.at<uchar>(y, x) != 0))
                QFAIL(qPrintable(QString("%1: label in unlabelled pixel %2,%3").arg(what).arg(x).arg(y)));
        }
    }
    const HvTarget hv = instanceHvTarget(s.instanceMap);
    double minX, maxX;
    cv::minMaxLoc(hv.x, &minX, &maxX);
    QVERIFY2(minX >= -1.0 && maxX <= 1.0 && maxX > 0.5, what);
    QCOMPARE(cv::countNonZero((hv.y != 0) & (s.instanceMap == 0)), 0);
}

bool labelsEqual(const TrainingSample& a, const TrainingSample& b)
{
    auto same
        = [](const cv::Mat& x, const cv::Mat& y) { return x.size() == y.size() && cv::countNonZero(x != y) == 0; };
    return same(a.instanceMap, b.instanceMap) && same(a.typeMap, b.typeMap)
        && same(a.segmentationMask, b.segmentationMask) && same(a.typeMask, b.typeMask);
}

AugmentationOptions always(double geometric, double photometric)
{
    AugmentationOptions o;
    o.rotate90 = o.horizontalFlip = o.verticalFlip = o.randomSizedCrop = o.elastic = geometric;
    o.downscale = o.blur = o.gaussNoise = o.colorJitter = o.zoomBlur = o.hedStain = o.superpixels = photometric;
    return o;
}

} // namespace

class TestAugmentation : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void geometricAugmentationsKeepImageAndLabelsAligned()
    {
        const TrainingSample s = syntheticSample();
        std::mt19937_64 rng(19);
        verifyAligned(s, s, "original");
        for (int k = 1; k <= 3; ++k)
            verifyAligned(rotated90(s, k), s, "rot90");
        verifyAligned(flippedHorizontally(s), s, "hflip");
        verifyAligned(flippedVertically(s), s, "vflip");
        for (int trial = 0; trial < 5; ++trial) {
            verifyAligned(randomSizedCrop(s, rng), s, "random sized crop");
            verifyAligned(elasticTransformed(s, rng), s, "elastic");
        }
        // A quarter turn counter-clockwise moves the top-right corner to the top-left.
        const TrainingSample turned = rotated90(s, 1);
        QCOMPARE(turned.instanceMap.at<int>(0, 20), s.instanceMap.at<int>(20, kSide - 1));
        QCOMPARE(turned.instanceMap.at<int>(kSide - 1 - 20, 20), s.instanceMap.at<int>(20, 20));
    }

    void elasticWarpReallyMovesPixelsAndUnlabelsTheOutside()
    {
        const TrainingSample s = syntheticSample();
        std::mt19937_64 rng(3);
        const TrainingSample warped = elasticTransformed(s, rng);
        QVERIFY(!labelsEqual(warped, s));
        // Pixels brought in from outside carry no labels (masks 0) rather than mirrored nuclei.
        QVERIFY(cv::countNonZero(warped.segmentationMask == 0) > 0);
    }

    void photometricAugmentationsLeaveLabelsUnchanged()
    {
        const TrainingSample s = syntheticSample();
        std::mt19937_64 rng(5);
        const std::vector<std::pair<const char*, std::function<cv::Mat(const cv::Mat&)>>> ops {
            { "downscale", [](const cv::Mat& m) { return downscaledAndBack(m); } },
            { "blur", [&](const cv::Mat& m) { return randomBoxBlur(m, rng); } },
            { "noise", [&](const cv::Mat& m) { return withGaussianNoise(m, rng); } },
            { "jitter",
                [&](const cv::Mat& m) {
                    return colorJittered(m, rng, { 0.25, 0.25, 0.1, 0.05 });
                } },
            { "zoom blur", [&](const cv::Mat& m) { return zoomBlurred(m, rng); } },
            { "hed stain", [&](const cv::Mat& m) { return hedStainJittered(m, rng, 0.1); } },
            { "superpixels", [&](const cv::Mat& m) { return superpixelsReplaced(m, rng, 0.1); } },
        };
        for (const auto& [name, op] : ops) {
            const cv::Mat out = op(s.rgb);
            QCOMPARE(out.size(), s.rgb.size());
            QCOMPARE(out.type(), CV_8UC3);
            TrainingSample changed = s;
            changed.rgb = out;
            verifyAligned(changed, s, name, 0.85); // nuclei stay dark where they were
        }
        // Noise changes nearly every pixel by a few grey levels (variance 10..50).
        cv::Mat diff;
        cv::absdiff(withGaussianNoise(s.rgb, rng), s.rgb, diff);
        const double meanDiff = cv::mean(diff)[0];
        QVERIFY2(meanDiff > 1.5 && meanDiff < 7.0, qPrintable(QString::number(meanDiff)));
        // The whole photometric chain inside augmentedCrop touches only rgb.
        std::mt19937_64 a(11);
        const TrainingSample out = augmentedCrop(s, kSide, a, always(0.0, 1.0));
        QVERIFY(labelsEqual(out, s));
        QVERIFY(cv::norm(out.rgb, s.rgb, cv::NORM_L1) > 0);
    }

    void hedStainJitterIsAnOpticalDensityRoundTrip()
    {
        const TrainingSample s = syntheticSample();
        // Strength 0: deconvolution and recombination only, so the image comes back within rounding.
        std::mt19937_64 rng(9);
        cv::Mat diff;
        cv::absdiff(hedStainJittered(s.rgb, rng, 0.0), s.rgb, diff);
        double largest = 0;
        cv::minMaxLoc(diff.reshape(1), nullptr, &largest);
        QVERIFY2(largest <= 1.0, qPrintable(QString::number(largest)));
        // Strength 0.2 changes the colours for every seed.
        int changed = 0;
        for (uint64_t seed = 1; seed <= 10; ++seed) {
            std::mt19937_64 r(seed);
            cv::absdiff(hedStainJittered(s.rgb, r, 0.2), s.rgb, diff);
            changed += cv::norm(diff, cv::NORM_L1) > 0 ? 1 : 0;
        }
        QCOMPARE(changed, 10);
    }

    void superpixelsFlattenRegionsToTheirMeanColour()
    {
        // Two flat halves: SLIC keeps regions inside each half, so replacing every region changes nothing but
        // rounding; noise inside the halves is what replacement removes.
        cv::Mat halves(96, 96, CV_8UC3, cv::Scalar(200, 120, 180));
        halves(cv::Rect(0, 0, 48, 96)).setTo(cv::Scalar(60, 40, 140));
        const cv::Mat labels = slicSegments(halves, 16);
        QCOMPARE(labels.size(), halves.size());
        for (int y = 0; y < 96; ++y)
            QVERIFY(labels.at<int>(y, 10) != labels.at<int>(y, 80));
        std::mt19937_64 rng(1);
        cv::Mat noisy = withGaussianNoise(halves, rng, 100, 100);
        const cv::Mat flat = superpixelsReplaced(noisy, rng, 1.0, 16);
        cv::Mat diff;
        cv::absdiff(flat, halves, diff);
        QVERIFY2(cv::mean(diff)[0] < 1.0, qPrintable(QString::number(cv::mean(diff)[0])));
        // Probability 0 at a size within maxSize leaves the image untouched; about a tenth is replaced by default.
        QCOMPARE(cv::norm(superpixelsReplaced(noisy, rng, 0.0, 16), noisy, cv::NORM_L1), 0.0);
        const TrainingSample s = syntheticSample();
        cv::Mat labelsOfSample = slicSegments(s.rgb, 100);
        double largest = 0;
        cv::minMaxLoc(labelsOfSample, nullptr, &largest);
        QVERIFY2(largest + 1 >= 64 && largest + 1 <= 144, qPrintable(QString::number(largest + 1)));
    }

    void fullAugmentationKeepsAlignmentAndIsReproducible()
    {
        const TrainingSample s = syntheticSample({ 400, 300 });
        for (uint64_t seed = 1; seed <= 20; ++seed) {
            std::mt19937_64 rng(seed);
            const TrainingSample out = augmentedCrop(s, kSide, rng, always(1.0, 0.0));
            QCOMPARE(out.rgb.size(), cv::Size(kSide, kSide));
            verifyAligned(out, s, "geometric chain");
        }
        std::mt19937_64 a(42), b(42);
        const TrainingSample x = augmentedCrop(s, kSide, a), y = augmentedCrop(s, kSide, b);
        QVERIFY(labelsEqual(x, y));
        QCOMPARE(cv::norm(x.rgb, y.rgb, cv::NORM_L1), 0.0);
    }

    void cropPadsSmallImagesWithUnlabelledPixels()
    {
        const TrainingSample s = syntheticSample({ 150, 100 });
        std::mt19937_64 rng(7);
        AugmentationOptions off;
        off.enabled = false;
        const TrainingSample out = augmentedCrop(s, kSide, rng, off);
        QCOMPARE(out.rgb.size(), cv::Size(kSide, kSide));
        QCOMPARE(cv::countNonZero(out.segmentationMask), 150 * 100);
        QCOMPARE(cv::countNonZero(out.typeMask), 150 * 100);
        QCOMPARE(test::instanceIds(out.instanceMap), test::instanceIds(s.instanceMap));
        verifyAligned(out, s, "padded crop");
        // The padding is black and unlabelled; the image appears unchanged as one block.
        cv::Rect inside;
        cv::Mat points;
        cv::findNonZero(out.segmentationMask, points);
        inside = cv::boundingRect(points);
        QCOMPARE(inside.size(), cv::Size(150, 100));
        QCOMPARE(cv::norm(out.rgb(inside), s.rgb, cv::NORM_L1), 0.0);
        // A larger image is cut, not padded.
        const TrainingSample big = syntheticSample({ 300, 300 });
        const TrainingSample cut = augmentedCrop(big, kSide, rng, off);
        QVERIFY(test::allEqual(cut.segmentationMask, 255));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, paddedCropAt(big, 0, { 0, 0 }));
    }
};

QTEST_GUILESS_MAIN(TestAugmentation)
#include "tst_augmentation.moc"
