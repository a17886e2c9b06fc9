#include "inference/slide/slide_source.h"
#include "test_support.h"
#include "viewer/scale_bar.h"
#include "viewer/view_transform.h"

#include <cmath>

using namespace cellvit;

namespace {

bool samePoint(const QPointF& a, const QPointF& b, double tolerance = 1e-6)
{
    return std::abs(a.x() - b.x()) <= tolerance && std::abs(a.y() - b.y()) <= tolerance;
}

QString describe(const QPointF& p)
{
    return QStringLiteral("(%1, %2)").arg(p.x(), 0, 'g', 12).arg(p.y(), 0, 'g', 12);
}

} // namespace

class TestViewTransform : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void fitShowsTheWholeSlideCentred()
    {
        const ViewTransform t(QSizeF(2220, 2967), QSizeF(800, 600));
        QVERIFY(t.visibleLevel0Rect().contains(QRectF(0, 0, 2220, 2967)));
        QVERIFY(samePoint(t.center(), QPointF(1110, 1483.5)));
        // Height limits: 2967 px over 600 widget px, plus the fit margin, and not much more.
        QVERIFY(t.downsample() >= 2967.0 / 600.0 && t.downsample() < 1.05 * 2967.0 / 600.0);
    }

    void widgetAndLevel0RoundTrip()
    {
        ViewTransform t(QSizeF(100000, 80000), QSizeF(1280, 1024));
        t.setDownsample(3.7);
        t.setCenter(QPointF(41234.5, 20001.25));
        for (const QPointF w : { QPointF(0, 0), QPointF(640, 512), QPointF(1279.5, 3.25) }) {
            QVERIFY2(samePoint(t.toWidget(t.toLevel0(w)), w, 1e-9), qPrintable(describe(w)));
        }
        // The viewport centre shows the centre point; one widget pixel spans `downsample` level-0 pixels.
        QVERIFY(samePoint(t.toLevel0(QPointF(640, 512)), t.center()));
        QVERIFY(samePoint(t.toLevel0(QPointF(641, 512)) - t.toLevel0(QPointF(640, 512)), QPointF(3.7, 0)));
    }

    void zoomAtKeepsTheAnchorFixed_data()
    {
        QTest::addColumn<QPointF>("anchor");
        QTest::addColumn<double>("factor");
        QTest::newRow("in at the centre") << QPointF(400, 300) << 2.0;
        QTest::newRow("in near a corner") << QPointF(37, 561) << 1.25;
        QTest::newRow("in strongly") << QPointF(612.5, 101.75) << 8.0;
        QTest::newRow("out") << QPointF(300, 250) << 0.8;
        QTest::newRow("out by a wheel notch") << QPointF(455, 320) << 1.0 / 1.25;
    }

    void zoomAtKeepsTheAnchorFixed()
    {
        QFETCH(QPointF, anchor);
        QFETCH(double, factor);
        ViewTransform t(QSizeF(2220, 2967), QSizeF(800, 600));
        t.setDownsample(1.0);
        t.setCenter(QPointF(1000, 1500));
        const QPointF before = t.toLevel0(anchor);
        const double downsample = t.downsample();
        t.zoomAt(anchor, factor);
        QCOMPARE(t.downsample(), downsample / factor);
        QVERIFY2(samePoint(t.toLevel0(anchor), before, 1e-9), qPrintable(describe(t.toLevel0(anchor))));
    }

    void zoomIsClamped()
    {
        ViewTransform t(QSizeF(2220, 2967), QSizeF(800, 600));
        t.setDownsample(1e-6);
        QCOMPARE(t.downsample(), 1.0 / ViewTransform::kMaxUpsampling);
        t.setDownsample(1e6);
        QCOMPARE(t.downsample(), t.maxDownsample());
        QVERIFY(t.maxDownsample() >= t.fitDownsample());
        t.setDownsample(-1.0); // ignored, not applied
        QCOMPARE(t.downsample(), t.maxDownsample());
    }

    void panMovesContentWithThePointer()
    {
        ViewTransform t(QSizeF(2220, 2967), QSizeF(800, 600));
        t.setDownsample(2.0);
        t.setCenter(QPointF(1000, 1000));
        const QPointF underPointer = t.toLevel0(QPointF(100, 100));
        t.panBy(QPointF(30, -20));
        QVERIFY(samePoint(t.toWidget(underPointer), QPointF(130, 80)));
        // The centre never leaves the slide.
        t.panBy(QPointF(1e7, 1e7));
        QVERIFY(samePoint(t.center(), QPointF(0, 0)));
    }

    void magnificationFollowsTheObjective()
    {
        ViewTransform t(QSizeF(2220, 2967), QSizeF(800, 600));
        t.setMagnification(40.0, 20.0);
        QCOMPARE(t.downsample(), 0.5);
        QCOMPARE(t.magnification(20.0), 40.0);
        t.setMagnification(5.0, 20.0);
        QCOMPARE(t.downsample(), 4.0);
    }

    void chooseLevelNeverMagnifiesACoarserLevel()
    {
        const std::vector<double> levels { 1.0, 4.000345, 16.0012, 32.0 };
        QCOMPARE(ViewTransform::chooseLevel(0.25, levels), 0);
        QCOMPARE(ViewTransform::chooseLevel(1.0, levels), 0);
        QCOMPARE(ViewTransform::chooseLevel(3.99, levels), 0);
        QCOMPARE(ViewTransform::chooseLevel(4.000345, levels), 1);
        QCOMPARE(ViewTransform::chooseLevel(15.9, levels), 1);
        QCOMPARE(ViewTransform::chooseLevel(20.0, levels), 2);
        QCOMPARE(ViewTransform::chooseLevel(1000.0, levels), 3);
    }

    void scaleBarOfTheSampleSlide_data()
    {
        QTest::addColumn<double>("downsample");
        QTest::addColumn<double>("micrometres");
        QTest::addColumn<QString>("label");
        // mpp 0.499: 160 px span 79.8 µm at downsample 1 -> 50 µm; 319 µm at 4 -> 200 µm; 39.9 µm at
        // 0.5 -> 20 µm; 1277 µm at 16 -> 1 mm.
        QTest::newRow("1x downsample") << 1.0 << 50.0 << QStringLiteral("50 µm");
        QTest::newRow("downsample 4") << 4.0 << 200.0 << QStringLiteral("200 µm");
        QTest::newRow("zoomed in 2x") << 0.5 << 20.0 << QStringLiteral("20 µm");
        QTest::newRow("downsample 16") << 16.0 << 1000.0 << QStringLiteral("1 mm");
    }

    void scaleBarOfTheSampleSlide()
    {
        QFETCH(double, downsample);
        QFETCH(double, micrometres);
        QFETCH(QString, label);
        CELLVIT_REQUIRE_PATH(test::sampleSlide());
        const auto slide = openSlide(test::sampleSlide());
        QVERIFY(slide->mppX().has_value());
        QVERIFY(std::abs(*slide->mppX() - 0.499) < 1e-9);
        const ScaleBar bar = chooseScaleBar(*slide->mppX() * downsample, 160.0);
        QCOMPARE(bar.micrometres, micrometres);
        QCOMPARE(bar.label, label);
        QVERIFY(std::abs(bar.pixels - micrometres / (0.499 * downsample)) < 1e-9);
    }

    void scaleBarIsTheLongestNiceLengthThatFits()
    {
        for (double umPerPixel = 0.01; umPerPixel < 5000; umPerPixel *= 1.37) {
            const ScaleBar bar = chooseScaleBar(umPerPixel, 160.0);
            QVERIFY(bar.isValid());
            QVERIFY(bar.pixels <= 160.0 + 1e-9);
            QVERIFY2(bar.pixels > 160.0 / 2.5 - 1e-9, qPrintable(QString::number(umPerPixel)));
            const double mantissa = bar.micrometres / std::pow(10.0, std::floor(std::log10(bar.micrometres) + 1e-12));
            QVERIFY2(std::abs(mantissa - 1) < 1e-9 || std::abs(mantissa - 2) < 1e-9 || std::abs(mantissa - 5) < 1e-9,
                qPrintable(QString::number(bar.micrometres)));
        }
        QVERIFY(!chooseScaleBar(0.0).isValid());
        QVERIFY(!chooseScaleBar(std::nan("")).isValid());
    }
};

QTEST_GUILESS_MAIN(TestViewTransform)
#include "tst_view_transform.moc"
