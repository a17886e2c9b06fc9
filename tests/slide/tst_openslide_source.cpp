#include "inference/slide/openslide_source.h"
#include "test_support.h"

#include <QRegularExpression>
#include <QTemporaryDir>
#include <memory>
#include <opencv2/core.hpp>
#include <openslide.h>
#include <thread>

using namespace cellvit;

namespace {

std::filesystem::path tcgaSlide()
{
    return test::dataDir() / "wsi_openslide_samples" / "tcga-cr-7395-01a-01-ts1.svs";
}

bool identical(const cv::Mat& a, const cv::Mat& b)
{
    return a.size() == b.size() && a.type() == b.type() && cv::norm(a, b, cv::NORM_INF) == 0.0;
}

// Raw premultiplied ARGB straight from the C API, for an independent look at the same pixels.
std::vector<uint32_t> rawArgb(const std::filesystem::path& path, int level, int64_t x, int64_t y, int64_t w, int64_t h)
{
    std::unique_ptr<openslide_t, decltype(&openslide_close)> osr(openslide_open(path.c_str()), &openslide_close);
    std::vector<uint32_t> argb(static_cast<size_t>(w * h));
    if (osr)
        openslide_read_region(osr.get(), argb.data(), x, y, level, w, h);
    return argb;
}

} // namespace

class TestOpenSlideSource : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void sampleMetadata()
    {
        CELLVIT_REQUIRE_PATH(test::sampleSlide());
        const auto slide = openSlide(test::sampleSlide());
        QVERIFY(dynamic_cast<const OpenSlideSource*>(slide.get()));
        QCOMPARE(slide->vendor(), std::string("aperio"));
        QCOMPARE(slide->levels().size(), size_t(1));
        QCOMPARE(slide->levels()[0].width, int64_t(2220));
        QCOMPARE(slide->levels()[0].height, int64_t(2967));
        QCOMPARE(slide->levels()[0].downsample, 1.0);
        QVERIFY(slide->mppX() && slide->mppY());
        QCOMPARE(*slide->mppX(), 0.499);
        QCOMPARE(*slide->mppY(), 0.499);
        QCOMPARE(resolveMpp(*slide), 0.499); // from openslide.mpp-x
        QVERIFY(slide->objectivePower());
        QCOMPARE(*slide->objectivePower(), 20.0);
        QCOMPARE(slide->associatedImageNames(), (std::vector<std::string> { "label", "macro", "thumbnail" }));
        // Every property is exposed, not only the well-known ones.
        QCOMPARE(slide->properties().at("aperio.AppMag"), std::string("20"));
        QCOMPARE(slide->properties().at("openslide.quickhash-1").size(), size_t(64));
    }

    void overrideWinsOverMetadata()
    {
        const auto slide = openSlide(test::sampleSlide(), { 0.25 });
        QCOMPARE(*slide->mppX(), 0.25);
        QCOMPARE(*slide->mppY(), 0.25);
        QCOMPARE(resolveMpp(*slide, 0.25), 0.25);
    }

    void readsAssociatedImagesAsRgb()
    {
        const auto slide = openSlide(test::sampleSlide());
        const cv::Mat thumbnail = slide->readAssociatedImage("thumbnail");
        QCOMPARE(thumbnail.type(), CV_8UC3);
        // The thumbnail keeps the slide's aspect ratio (2220:2967).
        QVERIFY(thumbnail.rows > 0 && std::abs(double(thumbnail.cols) / thumbnail.rows - 2220.0 / 2967.0) < 0.01);
        cv::Scalar mean, stddev;
        cv::meanStdDev(thumbnail, mean, stddev);
        QVERIFY(stddev[0] > 5.0); // a picture, not a blank buffer
        QVERIFY_THROWS_EXCEPTION(SlideError, slide->readAssociatedImage("no-such-image"));
    }

    void regionIsTissueInRgbOrder()
    {
        const auto slide = openSlide(test::sampleSlide());
        const cv::Mat region = slide->readRegion(0, 1000, 1000, 256, 256);
        QCOMPARE(region.type(), CV_8UC3);
        QCOMPARE(region.size(), cv::Size(256, 256));
        cv::Scalar mean, stddev;
        cv::meanStdDev(region, mean, stddev);
        QVERIFY2(mean[0] < 235.0 && stddev[0] > 10.0, "expected tissue, got a blank region");
        QVERIFY(mean[0] > mean[1]); // H&E: red above green

        // Same pixels as OpenSlide's raw ARGB (opaque here), channel by channel.
        const auto argb = rawArgb(test::sampleSlide(), 0, 1000, 1000, 256, 256);
        int opaque = 0;
        for (int y = 0; y < 256; ++y)
            for (int x = 0; x < 256; ++x) {
                const uint32_t p = argb[size_t(y) * 256 + x];
                if (p >> 24 != 255)
                    continue;
                ++opaque;
                const cv::Vec3b expected(uchar(p >> 16), uchar(p >> 8), uchar(p));
                if (region.at<cv::Vec3b>(y, x) != expected)
                    QFAIL(qPrintable(QStringLiteral("pixel (%1,%2) differs from OpenSlide's").arg(x).arg(y)));
            }
        QCOMPARE(opaque, 256 * 256);
    }

    void subRegionEqualsCropOfLargerRead()
    {
        const auto slide = openSlide(test::sampleSlide());
        const cv::Mat big = slide->readRegion(0, 900, 900, 600, 600);
        const cv::Mat small = slide->readRegion(0, 1000, 1100, 256, 200);
        QVERIFY(identical(small, big(cv::Rect(100, 200, 256, 200))));
    }

    void outsideTheSlideIsWhite()
    {
        const auto slide = openSlide(test::sampleSlide());
        const int64_t w = 2220, h = 2967;
        const cv::Mat edge = slide->readRegion(0, w - 100, h - 50, 200, 100);
        const cv::Mat outsideRight = edge(cv::Rect(100, 0, 100, 100));
        const cv::Mat outsideBelow = edge(cv::Rect(0, 50, 200, 50));
        QCOMPARE(cv::countNonZero(outsideRight.reshape(1) != 255), 0);
        QCOMPARE(cv::countNonZero(outsideBelow.reshape(1) != 255), 0);
        QVERIFY(identical(edge(cv::Rect(0, 0, 100, 50)), slide->readRegion(0, w - 100, h - 50, 100, 50)));

        const cv::Mat corner = slide->readRegion(0, -64, -64, 128, 128);
        QCOMPARE(cv::countNonZero(corner(cv::Rect(0, 0, 64, 128)).reshape(1) != 255), 0);
        QVERIFY(identical(corner(cv::Rect(64, 64, 64, 64)), slide->readRegion(0, 0, 0, 64, 64)));
    }

    void rejectsBadRequests()
    {
        const auto slide = openSlide(test::sampleSlide());
        QVERIFY_THROWS_EXCEPTION(SlideError, slide->readRegion(1, 0, 0, 16, 16));
        QVERIFY_THROWS_EXCEPTION(SlideError, slide->readRegion(-1, 0, 0, 16, 16));
        QVERIFY_THROWS_EXCEPTION(SlideError, slide->readRegion(0, 0, 0, 0, 16));
        QVERIFY_THROWS_EXCEPTION(SlideError, slide->readRegion(0, 0, 0, -5, 16));
        try {
            slide->readRegion(0, 0, 0, int64_t(1) << 15, int64_t(1) << 14); // 2^29 pixels
            QFAIL("an absurd region was accepted");
        } catch (const SlideError& e) {
            QVERIFY(QString::fromUtf8(e.what()).contains(QStringLiteral("cmu-1-small-region.svs")));
        }
        // The handle is still usable after refused requests (they never reach OpenSlide).
        QCOMPARE(slide->readRegion(0, 0, 0, 8, 8).size(), cv::Size(8, 8));
    }

    void concurrentReadsMatchSerialReads()
    {
        const auto slide = openSlide(test::sampleSlide());
        constexpr int kThreads = 4;
        std::vector<cv::Mat> serial, parallel(kThreads);
        for (int i = 0; i < kThreads; ++i)
            serial.push_back(slide->readRegion(0, 300 * i, 400 * i, 512, 512));
        std::vector<std::thread> threads;
        for (int i = 0; i < kThreads; ++i)
            threads.emplace_back([&, i] { parallel[i] = slide->readRegion(0, 300 * i, 400 * i, 512, 512); });
        for (auto& t : threads)
            t.join();
        for (int i = 0; i < kThreads; ++i)
            QVERIFY(identical(serial[i], parallel[i]));
    }

    void tcgaPyramidWithoutResolution()
    {
        CELLVIT_REQUIRE_PATH(tcgaSlide());
        const auto slide = openSlide(tcgaSlide());
        QCOMPARE(slide->vendor(), std::string("aperio"));
        QCOMPARE(slide->levels().size(), size_t(2));
        QCOMPARE(slide->levels()[0].width, int64_t(4443));
        QCOMPARE(slide->levels()[0].height, int64_t(3567));
        QCOMPARE(slide->levels()[1].width, int64_t(2221));
        QCOMPARE(slide->levels()[1].height, int64_t(1783));
        QVERIFY(std::abs(slide->levels()[1].downsample - 2.0) < 0.01);
        QVERIFY(!slide->mppX() && !slide->mppY() && !slide->objectivePower());
        try {
            resolveMpp(*slide);
            QFAIL("a slide without resolution metadata got an mpp");
        } catch (const SlideError& e) {
            const QString message = QString::fromUtf8(e.what());
            QVERIFY2(message.contains(QStringLiteral("tcga-cr-7395-01a-01-ts1.svs")), qPrintable(message));
            QVERIFY2(message.contains(QStringLiteral("--mpp")), qPrintable(message));
        }
        QCOMPARE(resolveMpp(*slide, 0.25), 0.25);
        const auto overridden = openSlide(tcgaSlide(), { 0.25 });
        QCOMPARE(*overridden->mppX(), 0.25);
    }

    void tcgaLevelOneReadsLevelZeroCoordinates()
    {
        const auto slide = openSlide(tcgaSlide());
        // Level-1 pixels of a window at level-0 (2000, 1500) cover the same tissue as a 2x larger level-0 read.
        const cv::Mat coarse = slide->readRegion(1, 2000, 1500, 256, 256);
        const cv::Mat fine = slide->readRegion(0, 2000, 1500, 512, 512);
        QCOMPARE(coarse.size(), cv::Size(256, 256));
        cv::Scalar coarseMean, coarseStd;
        cv::meanStdDev(coarse, coarseMean, coarseStd);
        QVERIFY2(coarseMean[0] < 235.0 && coarseStd[0] > 5.0, "expected tissue at level 1");
        const cv::Scalar fineMean = cv::mean(fine);
        for (int c = 0; c < 3; ++c)
            QVERIFY2(std::abs(coarseMean[c] - fineMean[c]) < 6.0, "level 1 does not show the level-0 area");
    }

    void bestLevelFollowsOpenSlide()
    {
        const auto slide = openSlide(tcgaSlide());
        std::unique_ptr<openslide_t, decltype(&openslide_close)> osr(
            openslide_open(tcgaSlide().c_str()), &openslide_close);
        QVERIFY(osr);
        for (double downsample : { 0.5, 1.0, 1.5, 1.9999, 2.0, slide->levels()[1].downsample, 2.001, 4.0, 64.0 })
            QCOMPARE(slide->bestLevelForDownsample(downsample),
                openslide_get_best_level_for_downsample(osr.get(), downsample));
        QCOMPARE(slide->bestLevelForDownsample(4.0), 1);
        QCOMPARE(slide->bestLevelForDownsample(1.0), 0);
    }
};

QTEST_GUILESS_MAIN(TestOpenSlideSource)
#include "tst_openslide_source.moc"
