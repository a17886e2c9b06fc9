#include "forwarding_slide.h"
#include "test_support.h"
#include "viewer/tile_loader.h"

#include <QElapsedTimer>
#include <QSignalSpy>
#include <set>
#include <thread>

using namespace cellvit;

namespace {

std::set<std::tuple<int, int, int>> keysOf(const QSignalSpy& spy)
{
    std::set<std::tuple<int, int, int>> keys;
    for (const auto& args : spy) {
        const auto key = args.at(0).value<TileKey>();
        keys.insert({ key.level, key.col, key.row });
    }
    return keys;
}

} // namespace

class TestTileLoader : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { CELLVIT_REQUIRE_PATH(test::sampleSlide()); }

    void deliversTheRequestedTiles()
    {
        std::shared_ptr<const SlideSource> slide = openSlide(test::sampleSlide());
        const TilePyramid pyramid(*slide, 256);
        TileLoader loader(slide, pyramid, 2);
        QSignalSpy loaded(&loader, &TileLoader::tileLoaded);
        const auto keys = pyramid.tilesIntersecting(0, QRectF(0, 0, 2220, 2967));
        QElapsedTimer timer;
        timer.start();
        loader.request(keys);
        QTRY_COMPARE_WITH_TIMEOUT(loaded.count(), int(keys.size()), 60000);
        qInfo("loaded %d level-0 tiles of 256 px in %lld ms wall (2 threads); mean %.2f ms per tile on a worker",
            int(keys.size()), timer.elapsed(), loader.meanLoadMilliseconds());
        QCOMPARE(keysOf(loaded).size(), keys.size()); // each exactly once
        // The delivered pixels are the tile read directly.
        for (int i : { 0, int(keys.size()) / 2, int(keys.size()) - 1 }) {
            const auto key = loaded.at(i).at(0).value<TileKey>();
            const auto image = loaded.at(i).at(1).value<QImage>();
            QCOMPARE(image, readTile(*slide, pyramid, key));
        }
        QCOMPARE(loader.loadedCount(), keys.size());
        QVERIFY(loader.meanLoadMilliseconds() > 0.0);
    }

    void dropsStaleRequestsWhenTheViewMoves()
    {
        auto gated = std::make_shared<test::ForwardingSlide>(openSlide(test::sampleSlide()));
        const TilePyramid pyramid(*gated, 256);
        TileLoader loader(gated, pyramid, 1);
        QSignalSpy loaded(&loader, &TileLoader::tileLoaded);

        gated->hold();
        const auto oldView = pyramid.tilesIntersecting(0, QRectF(0, 0, 2220, 2967));
        loader.request(oldView);
        QVERIFY(gated->waitForReads(1)); // the single worker holds the first tile, the rest is pending
        QCOMPARE(loader.pendingCount(), oldView.size() - 1);

        const std::vector<TileKey> newView { { 2, 1, 1 }, { 2, 0, 0 }, { 2, 2, 2 } };
        loader.replaceRequests(newView);
        QCOMPARE(loader.generation(), quint64(1));
        QCOMPARE(loader.droppedCount(), oldView.size() - 1);
        gated->release();

        QTRY_COMPARE_WITH_TIMEOUT(loaded.count(), 1 + int(newView.size()), 20000);
        QTest::qWait(200); // nothing else may arrive
        QCOMPARE(loaded.count(), 1 + int(newView.size()));
        // First the tile that was already being read (old generation), then the new view in order.
        QCOMPARE(loaded.at(0).at(0).value<TileKey>(), oldView.front());
        QCOMPARE(loaded.at(0).at(2).value<quint64>(), quint64(0));
        for (size_t i = 0; i < newView.size(); ++i) {
            QCOMPARE(loaded.at(int(i) + 1).at(0).value<TileKey>(), newView[i]);
            QCOMPARE(loaded.at(int(i) + 1).at(2).value<quint64>(), quint64(1));
        }
    }

    void reportsReadFailuresWithTheFileName()
    {
        auto failing = std::make_shared<test::ForwardingSlide>(openSlide(test::sampleSlide()));
        failing->failReads(true);
        const TilePyramid pyramid(*failing, 256);
        TileLoader loader(failing, pyramid, 2);
        QSignalSpy failed(&loader, &TileLoader::tileFailed);
        QSignalSpy loaded(&loader, &TileLoader::tileLoaded);
        loader.request({ { 0, 0, 0 }, { 0, 1, 0 } });
        QTRY_COMPARE(failed.count(), 2);
        QCOMPARE(loaded.count(), 0);
        const QString message = failed.at(0).at(1).toString();
        QVERIFY2(message.contains(QStringLiteral("cmu-1-small-region.svs")), qPrintable(message));
    }

    void skipsInvalidAndDuplicateKeys()
    {
        std::shared_ptr<const SlideSource> slide = openSlide(test::sampleSlide());
        const TilePyramid pyramid(*slide, 256);
        TileLoader loader(slide, pyramid, 1);
        QSignalSpy loaded(&loader, &TileLoader::tileLoaded);
        loader.request({ { 0, 0, 0 }, { 0, 0, 0 }, { 9, 0, 0 }, { 0, -1, 0 }, { 0, 0, 99 } });
        QTRY_COMPARE(loaded.count(), 1);
        QTest::qWait(100);
        QCOMPARE(loaded.count(), 1);
    }

    void destructionWithPendingWorkDoesNotHang()
    {
        auto gated = std::make_shared<test::ForwardingSlide>(openSlide(test::sampleSlide()));
        const TilePyramid pyramid(*gated, 128);
        QElapsedTimer timer;
        timer.start();
        std::thread releaser;
        {
            TileLoader loader(gated, pyramid, 2);
            gated->hold();
            loader.request(pyramid.tilesIntersecting(0, QRectF(0, 0, 2220, 2967)));
            QVERIFY(gated->waitForReads(2)); // both workers are inside a read
            releaser = std::thread([gated] {
                std::this_thread::sleep_for(std::chrono::milliseconds(100));
                gated->release();
            });
        } // joins the workers: the two reads in flight finish, the ~400 pending ones are dropped
        releaser.join();
        QCOMPARE(gated->readsStarted(), 2);
        QVERIFY(timer.elapsed() < 5000);
    }
};

QTEST_GUILESS_MAIN(TestTileLoader)
#include "tst_tile_loader.moc"
