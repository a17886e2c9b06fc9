#include "test_support.h"
#include "viewer/tile_cache.h"

using namespace cellvit;

namespace {

QImage tile(int side, int shade)
{
    QImage image(side, side, QImage::Format_RGB32);
    image.fill(QColor(shade, shade, shade));
    return image;
}

constexpr int kSide = 64;
constexpr std::size_t kTileBytes = kSide * kSide * 4;

} // namespace

class TestTileCache : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void evictsLeastRecentlyUsedBeyondTheBudget()
    {
        TileCache cache(3 * kTileBytes);
        for (int i = 0; i < 3; ++i)
            cache.insert({ 0, i, 0 }, tile(kSide, i));
        QCOMPARE(cache.bytes(), 3 * kTileBytes);
        QVERIFY(!cache.find({ 0, 0, 0 }).isNull()); // tile 0 becomes the most recent
        cache.insert({ 0, 3, 0 }, tile(kSide, 3)); // over budget: tile 1 is the least recent
        QCOMPARE(cache.size(), std::size_t(3));
        QVERIFY(cache.contains({ 0, 0, 0 }));
        QVERIFY(!cache.contains({ 0, 1, 0 }));
        QVERIFY(cache.contains({ 0, 2, 0 }) && cache.contains({ 0, 3, 0 }));
        QCOMPARE(cache.evictions(), std::size_t(1));
        QCOMPARE(cache.peek({ 0, 3, 0 }).pixelColor(5, 5), QColor(3, 3, 3));
    }

    void peekDoesNotChangeTheOrder()
    {
        TileCache cache(2 * kTileBytes);
        cache.insert({ 1, 0, 0 }, tile(kSide, 0));
        cache.insert({ 1, 1, 0 }, tile(kSide, 1));
        QVERIFY(!cache.peek({ 1, 0, 0 }).isNull());
        cache.insert({ 1, 2, 0 }, tile(kSide, 2));
        QVERIFY(!cache.contains({ 1, 0, 0 })); // peeked, still the oldest
    }

    void keepsThePinnedCoarsestLevel()
    {
        TileCache cache(2 * kTileBytes);
        cache.setPinnedLevel(4);
        for (int i = 0; i < 3; ++i)
            cache.insert({ 4, i, 0 }, tile(kSide, 100 + i));
        for (int i = 0; i < 10; ++i)
            cache.insert({ 0, i, i }, tile(kSide, i));
        for (int i = 0; i < 3; ++i)
            QVERIFY(cache.contains({ 4, i, 0 }));
        QCOMPARE(cache.evictableBytes(), 2 * kTileBytes);
        QCOMPARE(cache.bytes(), 5 * kTileBytes); // pinned tiles are counted, not limited
        QVERIFY(cache.contains({ 0, 9, 9 }) && cache.contains({ 0, 8, 8 }) && !cache.contains({ 0, 7, 7 }));

        cache.setByteBudget(0); // even an empty budget keeps the backdrop
        QCOMPARE(cache.size(), std::size_t(3));
        QCOMPARE(cache.bytes(), 3 * kTileBytes);
    }

    void byteBudgetCountsRealSizes()
    {
        TileCache cache(kTileBytes + 4 * 16 * 16);
        cache.insert({ 0, 0, 0 }, tile(16, 1)); // a small edge tile
        cache.insert({ 0, 1, 0 }, tile(kSide, 2));
        QCOMPARE(cache.size(), std::size_t(2)); // both fit: 1024 + 16384 bytes
        cache.insert({ 0, 2, 0 }, tile(16, 3));
        QVERIFY(!cache.contains({ 0, 0, 0 }));
        QCOMPARE(cache.bytes(), kTileBytes + 4 * 16 * 16);
    }

    void replacingATileKeepsTheCountRight()
    {
        TileCache cache(10 * kTileBytes);
        cache.insert({ 0, 0, 0 }, tile(kSide, 1));
        cache.insert({ 0, 0, 0 }, tile(kSide, 2));
        QCOMPARE(cache.size(), std::size_t(1));
        QCOMPARE(cache.bytes(), kTileBytes);
        QCOMPARE(cache.find({ 0, 0, 0 }).pixelColor(0, 0), QColor(2, 2, 2));
        cache.setPinnedLevel(0); // re-filed as pinned, nothing lost
        QCOMPARE(cache.evictableBytes(), std::size_t(0));
        QCOMPARE(cache.bytes(), kTileBytes);
        cache.clear();
        QCOMPARE(cache.bytes(), std::size_t(0));
        QVERIFY(cache.find({ 0, 0, 0 }).isNull());
    }
};

QTEST_GUILESS_MAIN(TestTileCache)
#include "tst_tile_cache.moc"
