#include "forwarding_slide.h"
#include "inference/slide/slide_source.h"
#include "test_support.h"
#include "viewer/magnification.h"
#include "viewer/scale_bar.h"
#include "viewer/slide_overview.h"
#include "viewer/slide_view.h"
#include "viewer/tile_loader.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QSignalSpy>
#include <QWheelEvent>
#include <opencv2/imgproc.hpp>

using namespace cellvit;

namespace {

constexpr int kWidth = 800;
constexpr int kHeight = 600;

// The scale bar sits in the bottom-left corner; pixel comparisons leave that box out.
bool insideScaleBarCorner(int x, int y)
{
    return x < 220 && y > kHeight - 80;
}

cv::Mat grabRgb(QWidget& widget)
{
    const QImage image = widget.grab().toImage().convertToFormat(QImage::Format_RGB888);
    return cv::Mat(image.height(), image.width(), CV_8UC3, const_cast<uchar*>(image.constBits()), image.bytesPerLine())
        .clone();
}

bool isTissue(const cv::Vec3b& rgb)
{
    return rgb[0] < 200 && rgb[1] < 180;
} // stained, not glass

// Longest run of near-black pixels on one row of the bottom-left corner: the drawn scale bar.
int longestBlackRun(const cv::Mat& rgb)
{
    int longest = 0;
    for (int y = kHeight - 80; y < kHeight; ++y) {
        int run = 0;
        for (int x = 0; x < 260; ++x) {
            const auto p = rgb.at<cv::Vec3b>(y, x);
            run = (p[0] < 20 && p[1] < 20 && p[2] < 20) ? run + 1 : 0;
            longest = std::max(longest, run);
        }
    }
    return longest;
}

} // namespace

class TestSlideView : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        CELLVIT_REQUIRE_PATH(test::sampleSlide());
        m_slide = openSlide(test::sampleSlide());
        m_level0 = m_slide->readRegion(0, 0, 0, m_slide->levels()[0].width, m_slide->levels()[0].height);
    }

    void fittedViewShowsTheSlide()
    {
        SlideView view;
        view.resize(kWidth, kHeight);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        view.setSlide(m_slide);
        QCOMPARE(view.nativeMagnification(), 20.0); // the sample's objective power
        QTRY_VERIFY_WITH_TIMEOUT(view.isFullyLoaded(), 20000);
        const cv::Mat shot = grabRgb(view);

        // Compare with level 0 area-averaged onto the slide's widget rectangle (tile corners are rounded
        // to whole widget pixels the same way): same picture, no black holes.
        const QRectF slideRect = view.transform().toWidget(QRectF(0, 0, 2220, 2967));
        const cv::Rect placed(int(std::lround(slideRect.left())), int(std::lround(slideRect.top())),
            int(std::lround(slideRect.right()) - std::lround(slideRect.left())),
            int(std::lround(slideRect.bottom()) - std::lround(slideRect.top())));
        cv::Mat expected;
        cv::resize(m_level0, expected, placed.size(), 0, 0, cv::INTER_AREA);
        const cv::Rect inner(placed.x + 2, placed.y + 2, placed.width - 4, placed.height - 4);
        int tissue = 0, black = 0, compared = 0;
        double diff = 0;
        for (int y = 0; y < inner.height; ++y) {
            for (int x = 0; x < inner.width; ++x) {
                if (insideScaleBarCorner(inner.x + x, inner.y + y))
                    continue;
                const auto got = shot.at<cv::Vec3b>(inner.y + y, inner.x + x);
                const auto want = expected.at<cv::Vec3b>(y + 2, x + 2);
                black += got == cv::Vec3b(0, 0, 0);
                tissue += isTissue(want);
                diff += std::abs(got[0] - want[0]) + std::abs(got[1] - want[1]) + std::abs(got[2] - want[2]);
                ++compared;
            }
        }
        QCOMPARE(black, 0);
        QVERIFY2(tissue > compared / 5, qPrintable(QString::number(tissue)));
        const double meanDiff = diff / (3.0 * compared);
        qInfo("fitted view: mean |grab - area-averaged level 0| = %.2f grey levels; paint %.2f ms", meanDiff,
            view.lastPaintMilliseconds());
        QVERIFY2(meanDiff < 5.0, qPrintable(QString::number(meanDiff)));
    }

    void zoomedAndPannedViewIsPixelExact()
    {
        SlideView view;
        view.resize(kWidth, kHeight);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        view.setSlide(m_slide);
        view.setMagnification(20.0); // downsample 1 on a 20x slide
        QCOMPARE(view.transform().downsample(), 1.0);
        QCOMPARE(view.currentLevel(), 0);
        view.centerOn(QPointF(1000, 1400));
        view.panBy(QPointF(-150, 90)); // look right and up
        QCOMPARE(view.transform().center(), QPointF(1150, 1310));
        QTRY_VERIFY_WITH_TIMEOUT(view.isFullyLoaded(), 20000);
        const cv::Mat shot = grabRgb(view);

        // One widget pixel is one level-0 pixel: the view must be the slide itself.
        const QPointF origin = view.transform().toLevel0(QPointF(0, 0));
        int mismatched = 0, tissue = 0;
        for (int y = 0; y < kHeight; ++y) {
            for (int x = 0; x < kWidth; ++x) {
                if (insideScaleBarCorner(x, y))
                    continue;
                const auto want = m_level0.at<cv::Vec3b>(int(origin.y()) + y, int(origin.x()) + x);
                mismatched += shot.at<cv::Vec3b>(y, x) != want;
                tissue += isTissue(want);
            }
        }
        QCOMPARE(mismatched, 0);
        QVERIFY(tissue > kWidth * kHeight / 5);

        // The scale bar shows what the transform predicts, and is drawn that long.
        const ScaleBar predicted = chooseScaleBar(0.499 * view.transform().downsample(), SlideView::kScaleBarMaxPixels);
        QCOMPARE(view.scaleBar().label, predicted.label);
        QCOMPARE(view.scaleBar().label, QStringLiteral("50 µm"));
        QVERIFY2(std::abs(longestBlackRun(shot) - predicted.pixels) <= 2.0,
            qPrintable(QString::number(longestBlackRun(shot))));
    }

    void coarserTilesFillInWhileFinerLoad()
    {
        SlideView view;
        view.resize(kWidth, kHeight);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        view.setSlide(m_slide);
        QTRY_VERIFY_WITH_TIMEOUT(view.isFullyLoaded(), 20000); // overview level cached
        view.setMagnification(40.0); // level 0 tiles not cached yet
        QVERIFY(!view.isFullyLoaded());
        const cv::Mat shot = grabRgb(view); // painted at once, from the overview level
        int unpainted = 0, samples = 0;
        for (int y = 0; y < kHeight; y += 4) {
            for (int x = 0; x < kWidth; x += 4) {
                unpainted += shot.at<cv::Vec3b>(y, x) == cv::Vec3b(235, 235, 235); // the "not loaded" fill
                ++samples;
            }
        }
        QVERIFY2(unpainted < samples / 100, qPrintable(QString::number(unpainted)));
        QTRY_VERIFY_WITH_TIMEOUT(view.isFullyLoaded(), 20000);
    }

    void wheelKeysAndDragMoveTheView()
    {
        SlideView view;
        view.resize(kWidth, kHeight);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        view.setSlide(m_slide);
        view.setMagnification(10.0);
        QSignalSpy viewport(&view, &SlideView::viewportChanged);

        const QPointF anchor(250, 180);
        const QPointF under = view.transform().toLevel0(anchor);
        const double before = view.transform().downsample();
        QWheelEvent wheel(anchor, view.mapToGlobal(anchor), QPoint(), QPoint(0, 240), Qt::NoButton, Qt::NoModifier,
            Qt::NoScrollPhase, false);
        QApplication::sendEvent(&view, &wheel);
        QVERIFY(std::abs(view.transform().downsample() - before / 1.5625) < 1e-9); // two notches of 1.25
        QVERIFY(std::abs(view.transform().toLevel0(anchor).x() - under.x()) < 1e-6);
        QVERIFY(std::abs(view.transform().toLevel0(anchor).y() - under.y()) < 1e-6);

        const double zoomed = view.transform().downsample();
        QTest::keyClick(&view, Qt::Key_Minus);
        QVERIFY(std::abs(view.transform().downsample() - zoomed * SlideView::kKeyZoomFactor) < 1e-9);
        const QPointF centre = view.transform().center();
        QTest::keyClick(&view, Qt::Key_Right);
        QVERIFY(view.transform().center().x() > centre.x());

        const QPointF grabbed(400, 300);
        const QPointF level0 = view.transform().toLevel0(grabbed);
        QMouseEvent press(QEvent::MouseButtonPress, grabbed, view.mapToGlobal(grabbed), Qt::LeftButton, Qt::LeftButton,
            Qt::NoModifier);
        QApplication::sendEvent(&view, &press);
        QMouseEvent move(QEvent::MouseMove, QPointF(460, 270), view.mapToGlobal(QPointF(460, 270)), Qt::NoButton,
            Qt::LeftButton, Qt::NoModifier);
        QSignalSpy cursor(&view, &SlideView::cursorMoved);
        QApplication::sendEvent(&view, &move);
        QMouseEvent release(QEvent::MouseButtonRelease, QPointF(460, 270), view.mapToGlobal(QPointF(460, 270)),
            Qt::LeftButton, Qt::NoButton, Qt::NoModifier);
        QApplication::sendEvent(&view, &release);
        // The grabbed slide point followed the pointer.
        QVERIFY(std::abs(view.transform().toWidget(level0).x() - 460) < 1e-6);
        QVERIFY(std::abs(view.transform().toWidget(level0).y() - 270) < 1e-6);
        QCOMPARE(cursor.count(), 1);
        const QPointF px = cursor.at(0).at(0).toPointF();
        const QPointF um = cursor.at(0).at(1).toPointF();
        QVERIFY(cursor.at(0).at(2).toBool());
        QVERIFY(std::abs(px.x() - level0.x()) < 1e-6 && std::abs(um.x() - 0.499 * px.x()) < 1e-6
            && std::abs(um.y() - 0.499 * px.y()) < 1e-6);
        QVERIFY(viewport.count() >= 4);
    }

    void overviewShowsTheViewport()
    {
        SlideView view;
        view.resize(kWidth, kHeight);
        SlideOverview overview;
        overview.resize(250, 250);
        overview.setView(&view);
        view.show();
        overview.show();
        QVERIFY(QTest::qWaitForWindowExposed(&overview));
        view.setSlide(m_slide);
        view.setMagnification(20.0);
        view.centerOn(QPointF(555, 742)); // the top-left quarter of the slide
        const QRectF r = overview.viewportRectangle();
        const QSizeF viewed = view.transform().visibleLevel0Rect().size();
        const double scale = ViewTransform(QSizeF(2220, 2967), overview.size()).downsample();
        QVERIFY(std::abs(r.width() - viewed.width() / scale) < 1e-6);
        QVERIFY(std::abs(r.center().x() - (125 + (555 - 1110) / scale)) < 1e-6);

        QTRY_VERIFY_WITH_TIMEOUT(view.isFullyLoaded(), 20000);
        const cv::Mat shot = grabRgb(overview);
        bool frame = false; // the red viewport frame crosses the rectangle's top edge
        for (int dy = -2; dy <= 2; ++dy)
            frame = frame || shot.at<cv::Vec3b>(int(r.top()) + dy, int(r.center().x())) == cv::Vec3b(220, 30, 30);
        QVERIFY(frame);
        // A click re-centres the main view.
        QTest::mouseClick(&overview, Qt::LeftButton, Qt::NoModifier, QPoint(125, 125));
        QVERIFY(std::abs(view.transform().center().x() - 1110) < scale
            && std::abs(view.transform().center().y() - 1483.5) < scale);
    }

    // Issue #18 (7): a slide whose reads fail (OpenSlide's sticky error) says so, once, over the view and to
    // whoever shows messages, instead of staying blank.
    void tileReadErrorsAreShown()
    {
        SlideView view;
        view.resize(kWidth, kHeight);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        auto failing = std::make_shared<test::ForwardingSlide>(m_slide);
        failing->failReads(true);
        QSignalSpy failed(&view, &SlideView::tileReadFailed);
        view.setSlide(failing);
        QVERIFY(failed.wait(10000));
        const QString message = failed.first().first().toString();
        QVERIFY2(message.contains(QStringLiteral("cmu-1-small-region.svs"))
                && message.contains(QStringLiteral("read refused by the test")),
            qPrintable(message));
        QCOMPARE(view.tileError(), message);
        QTest::qWait(300); // more tiles fail with the same text: no second report
        QCOMPARE(failed.size(), 1);
        // The message is drawn over the view: white text on a red box near the top.
        const cv::Mat shot = grabRgb(view);
        int red = 0;
        for (int y = 0; y < 60; ++y)
            for (int x = 0; x < shot.cols; ++x) {
                const auto p = shot.at<cv::Vec3b>(y, x);
                red += p[0] > 150 && p[1] < 90 && p[2] < 80; // RGB
            }
        QVERIFY2(red > 500, qPrintable(QString::number(red)));
    }

    void paintTimeIsMeasured()
    {
        SlideView view;
        view.resize(1280, 1024);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        view.setSlide(m_slide);
        view.setMagnification(20.0);
        QTRY_VERIFY_WITH_TIMEOUT(view.isFullyLoaded(), 20000);
        const int repeats = 20;
        auto meanPaintMs = [&] {
            double total = 0;
            for (int i = 0; i < repeats; ++i) {
                view.repaint();
                total += view.lastPaintMilliseconds();
            }
            return total / repeats;
        };
        const double unscaled = meanPaintMs();
        view.setMagnification(7.0); // downsample 2.86: level 1 (downsample 2) drawn shrunk, smoothly
        QTRY_VERIFY_WITH_TIMEOUT(view.isFullyLoaded(), 20000);
        const double scaled = meanPaintMs();
        qInfo("paint of a 1280x1024 view, mean of %d: %.2f ms at 20x (unscaled), %.2f ms at 7x (scaled); "
              "tile read %.2f ms mean (512 px)",
            repeats, unscaled, scaled, view.tileLoader()->meanLoadMilliseconds());
        const double total = unscaled + scaled;
        QVERIFY(total > 0);
    }

private:
    std::shared_ptr<const SlideSource> m_slide;
    cv::Mat m_level0;
};

QTEST_MAIN(TestSlideView)
#include "tst_slide_view.moc"
