#include "inference/slide/image_source.h"
#include "test_support.h"

#include <QTemporaryDir>
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

using namespace cellvit;

namespace {

std::filesystem::path monusegImage()
{
    return test::dataDir() / "monuseg_train_subset" / "Tissue_Images" / "TCGA-21-5786-01Z-00-DX1.tif";
}

bool identical(const cv::Mat& a, const cv::Mat& b)
{
    return a.size() == b.size() && a.type() == b.type() && cv::norm(a, b, cv::NORM_INF) == 0.0;
}

std::filesystem::path inDir(const QTemporaryDir& dir, const char* name)
{
    return dir.filePath(name).toStdString();
}

} // namespace

class TestImageSource : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void monusegTiffMatchesImread()
    {
        CELLVIT_REQUIRE_PATH(monusegImage());
        const auto slide = openSlide(monusegImage());
        QVERIFY(dynamic_cast<const ImageSource*>(slide.get())); // stripped TIFF: OpenSlide refuses, OpenCV reads
        QCOMPARE(slide->vendor(), std::string("image"));
        QCOMPARE(slide->levels().size(), size_t(1));
        QCOMPARE(slide->levels()[0].width, int64_t(1000));
        QCOMPARE(slide->levels()[0].height, int64_t(1000));
        QVERIFY(slide->associatedImageNames().empty());
        QVERIFY(!slide->objectivePower());

        const cv::Mat bgr = cv::imread(monusegImage().string(), cv::IMREAD_COLOR);
        QCOMPARE(bgr.size(), cv::Size(1000, 1000));
        const cv::Mat rgb = slide->readRegion(0, 0, 0, 1000, 1000);
        QCOMPARE(rgb.type(), CV_8UC3);
        std::vector<cv::Mat> bgrPlanes, rgbPlanes;
        cv::split(bgr, bgrPlanes);
        cv::split(rgb, rgbPlanes);
        QVERIFY(identical(rgbPlanes[0], bgrPlanes[2])); // R first
        QVERIFY(identical(rgbPlanes[1], bgrPlanes[1]));
        QVERIFY(identical(rgbPlanes[2], bgrPlanes[0]));
        QVERIFY(!identical(rgbPlanes[0], rgbPlanes[2])); // the swap above was observable
        QVERIFY(cv::mean(rgb)[0] > cv::mean(rgb)[1]); // H&E: red above green
    }

    void outsideTheImageIsWhite()
    {
        const auto slide = openSlide(monusegImage());
        const cv::Mat full = slide->readRegion(0, 0, 0, 1000, 1000);
        const cv::Mat region = slide->readRegion(0, 900, -20, 200, 50);
        QCOMPARE(region.size(), cv::Size(200, 50));
        QCOMPARE(cv::countNonZero(region(cv::Rect(0, 0, 200, 20)).reshape(1) != 255), 0); // above
        QCOMPARE(cv::countNonZero(region(cv::Rect(100, 0, 100, 50)).reshape(1) != 255), 0); // right
        QVERIFY(identical(region(cv::Rect(0, 20, 100, 30)), full(cv::Rect(900, 0, 100, 30))));
        const cv::Mat away = slide->readRegion(0, 5000, 5000, 16, 16);
        QCOMPARE(cv::countNonZero(away.reshape(1) != 255), 0);
    }

    void resolutionOnlyFromTheOverride()
    {
        const auto plain = openSlide(monusegImage());
        QVERIFY(!plain->mppX() && !plain->mppY());
        try {
            resolveMpp(*plain);
            QFAIL("a plain image got an mpp without an override");
        } catch (const SlideError& e) {
            QVERIFY(QString::fromUtf8(e.what()).contains(QStringLiteral("TCGA-21-5786-01Z-00-DX1.tif")));
        }
        const auto declared = openSlide(monusegImage(), { 0.2527 });
        QCOMPARE(*declared->mppX(), 0.2527);
        QCOMPARE(*declared->mppY(), 0.2527);
        QCOMPARE(resolveMpp(*declared, 0.2527), 0.2527);
    }

    void rejectsOtherLevelsAndAssociatedImages()
    {
        const auto slide = openSlide(monusegImage());
        QVERIFY_THROWS_EXCEPTION(SlideError, slide->readRegion(1, 0, 0, 8, 8));
        QVERIFY_THROWS_EXCEPTION(SlideError, slide->readRegion(0, 0, 0, 0, 8));
        QVERIFY_THROWS_EXCEPTION(SlideError, slide->readAssociatedImage("thumbnail"));
    }

    void greyAndSixteenBitBecomeEightBitRgb()
    {
        QTemporaryDir dir;
        cv::Mat grey(4, 5, CV_8UC1);
        cv::randu(grey, 0, 256);
        QVERIFY(cv::imwrite(inDir(dir, "grey.png").string(), grey));
        const cv::Mat greyRgb = openSlide(inDir(dir, "grey.png"))->readRegion(0, 0, 0, 5, 4);
        std::vector<cv::Mat> planes;
        cv::split(greyRgb, planes);
        for (const auto& plane : planes)
            QVERIFY(identical(plane, grey));

        cv::Mat deep(2, 2, CV_16UC3, cv::Scalar(65535, 257 * 100, 0)); // B, G, R
        QVERIFY(cv::imwrite(inDir(dir, "deep.png").string(), deep));
        const cv::Mat deepRgb = openSlide(inDir(dir, "deep.png"))->readRegion(0, 0, 0, 2, 2);
        QCOMPARE(deepRgb.type(), CV_8UC3);
        QCOMPARE(deepRgb.at<cv::Vec3b>(1, 1), cv::Vec3b(0, 100, 255));
    }

    void alphaIsCompositedOntoWhite()
    {
        QTemporaryDir dir;
        cv::Mat bgra(1, 3, CV_8UC4);
        bgra.at<cv::Vec4b>(0, 0) = { 10, 20, 30, 255 }; // opaque
        bgra.at<cv::Vec4b>(0, 1) = { 10, 20, 30, 0 }; // transparent → white
        bgra.at<cv::Vec4b>(0, 2) = { 0, 0, 0, 128 }; // half black over white
        QVERIFY(cv::imwrite(inDir(dir, "alpha.png").string(), bgra));
        const cv::Mat rgb = openSlide(inDir(dir, "alpha.png"))->readRegion(0, 0, 0, 3, 1);
        QCOMPARE(rgb.at<cv::Vec3b>(0, 0), cv::Vec3b(30, 20, 10));
        QCOMPARE(rgb.at<cv::Vec3b>(0, 1), cv::Vec3b(255, 255, 255));
        QCOMPARE(rgb.at<cv::Vec3b>(0, 2), cv::Vec3b(127, 127, 127));
    }

    void jpegAndBmpOpen()
    {
        QTemporaryDir dir;
        const cv::Mat tile = cv::imread(monusegImage().string(), cv::IMREAD_COLOR)(cv::Rect(100, 100, 64, 48)).clone();
        for (const char* name : { "tile.jpg", "tile.bmp" }) {
            QVERIFY(cv::imwrite(inDir(dir, name).string(), tile));
            cv::Mat expected;
            cv::cvtColor(cv::imread(inDir(dir, name).string(), cv::IMREAD_COLOR), expected, cv::COLOR_BGR2RGB);
            const auto slide = openSlide(inDir(dir, name));
            QCOMPARE(slide->vendor(), std::string("image"));
            QVERIFY(identical(slide->readRegion(0, 0, 0, 64, 48), expected));
        }
    }
};

QTEST_GUILESS_MAIN(TestImageSource)
#include "tst_image_source.moc"
