#include "inference/slide/slide_source.h"
#include "test_support.h"
#include "viewer/tile_pyramid.h"

#include <cmath>
#include <opencv2/imgproc.hpp>

using namespace cellvit;

namespace {

cv::Mat toRgbMat(const QImage& image)
{
    const QImage rgb = image.convertToFormat(QImage::Format_RGB888);
    return cv::Mat(rgb.height(), rgb.width(), CV_8UC3, const_cast<uchar*>(rgb.constBits()), rgb.bytesPerLine()).clone();
}

} // namespace

class TestTilePyramid : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { CELLVIT_REQUIRE_PATH(test::sampleSlide()); }

    void sampleGetsSyntheticOverviewLevels()
    {
        const auto slide = openSlide(test::sampleSlide());
        QCOMPARE(slide->levels().size(), size_t(1)); // the sample has a single level
        const TilePyramid pyramid(*slide, 512, 1024);
        // 2967 px high: halved until the long side fits 1024 -> downsamples 1, 2, 4.
        QCOMPARE(pyramid.downsamples(), (std::vector<double> { 1.0, 2.0, 4.0 }));
        QVERIFY(!pyramid.level(0).synthetic && pyramid.level(1).synthetic && pyramid.level(2).synthetic);
        QCOMPARE(pyramid.level(2).width, int64_t(555));
        QCOMPARE(pyramid.level(2).height, int64_t(742));
        QCOMPARE(pyramid.level(0).columns, 5); // ceil(2220 / 512)
        QCOMPARE(pyramid.level(0).rows, 6); // ceil(2967 / 512)
    }

    void tilesPartitionTheSlideAtEveryLevel()
    {
        const auto slide = openSlide(test::sampleSlide());
        const TilePyramid pyramid(*slide, 256);
        const QRectF whole(0, 0, 2220, 2967);
        for (int level = 0; level < pyramid.levelCount(); ++level) {
            double area = 0;
            const auto keys = pyramid.tilesIntersecting(level, whole);
            QCOMPARE(int(keys.size()), pyramid.level(level).columns * pyramid.level(level).rows);
            for (const TileKey& key : keys) {
                const QRectF r = pyramid.tileRectLevel0(key);
                QVERIFY(whole.contains(r));
                area += r.width() * r.height();
            }
            QVERIFY2(std::abs(area - whole.width() * whole.height()) < 1e-6, qPrintable(QString::number(level)));
        }
        QVERIFY(!pyramid.isValid({ 0, pyramid.level(0).columns, 0 }));
        QVERIFY(pyramid.tilesIntersecting(0, QRectF(-500, -500, 100, 100)).empty());
    }

    void levelZeroTilesAreTheSlidePixels()
    {
        const auto slide = openSlide(test::sampleSlide());
        const TilePyramid pyramid(*slide, 256);
        for (const TileKey key : { TileKey { 0, 3, 5 }, TileKey { 0, 8, 11 } }) { // an inner and the corner tile
            const QImage tile = readTile(*slide, pyramid, key);
            QCOMPARE(tile.format(), QImage::Format_RGB32);
            QCOMPARE(tile.size(), pyramid.tilePixelSize(key));
            const QRectF r = pyramid.tileRectLevel0(key);
            const cv::Mat expected
                = slide->readRegion(0, int64_t(r.left()), int64_t(r.top()), tile.width(), tile.height());
            QCOMPARE(cv::norm(toRgbMat(tile), expected, cv::NORM_INF), 0.0);
        }
        QCOMPARE(pyramid.tilePixelSize({ 0, 8, 11 }), QSize(2220 - 8 * 256, 2967 - 11 * 256));
    }

    void syntheticTilesAreAreaAveragedLevelZero()
    {
        const auto slide = openSlide(test::sampleSlide());
        const TilePyramid pyramid(*slide, 256);
        const TileKey key { 2, 1, 1 }; // downsample 4: level-0 area 1024..2048
        const QImage tile = readTile(*slide, pyramid, key);
        const cv::Mat source = slide->readRegion(0, 1024, 1024, 1024, 1024);
        cv::Mat expected;
        cv::resize(source, expected, cv::Size(256, 256), 0, 0, cv::INTER_AREA);
        QCOMPARE(cv::norm(toRgbMat(tile), expected, cv::NORM_INF), 0.0);
        // Tissue, not blank: the sample's centre region has stained nuclei.
        cv::Scalar mean, stddev;
        cv::meanStdDev(expected, mean, stddev);
        QVERIFY(stddev[0] > 10.0);
    }
};

QTEST_GUILESS_MAIN(TestTilePyramid)
#include "tst_tile_pyramid.moc"
