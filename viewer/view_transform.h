#pragma once
// The geometry of a view onto a slide: which level-0 point sits at the viewport centre and how many
// level-0 pixels one widget pixel spans. A plain value class, testable without any window.

#include <QPointF>
#include <QRectF>
#include <QSizeF>
#include <vector>

namespace cellvit {

class ViewTransform {
public:
    static constexpr double kMaxUpsampling = 16.0; // deepest zoom: one level-0 pixel = 16 widget pixels

    ViewTransform() = default;
    ViewTransform(const QSizeF& slideSize, const QSizeF& viewportSize); // starts fitted

    void setSlideSize(const QSizeF& level0Size); // refits
    void setViewportSize(const QSizeF& widgetSize); // keeps centre and zoom
    QSizeF slideSize() const { return m_slide; }
    QSizeF viewportSize() const { return m_viewport; }

    double downsample() const { return m_downsample; } // level-0 pixels per widget pixel
    double minDownsample() const { return 1.0 / kMaxUpsampling; }
    double maxDownsample() const; // a little beyond "fit" so the whole slide can be seen with margin
    double fitDownsample() const;
    QPointF center() const { return m_center; } // level-0 point at the viewport centre

    void setDownsample(double downsample); // keeps the centre, clamps to [min, max]
    void setCenter(const QPointF& level0); // clamped to the slide
    void fit(); // whole slide visible and centred
    // Multiplies the zoom by factor (> 1 magnifies); the level-0 point under `widgetAnchor` stays there.
    void zoomAt(const QPointF& widgetAnchor, double factor);
    void panBy(const QPointF& widgetDelta); // the content follows the pointer by widgetDelta

    QPointF toWidget(const QPointF& level0) const;
    QPointF toLevel0(const QPointF& widget) const;
    QRectF toWidget(const QRectF& level0) const;
    QRectF visibleLevel0Rect() const; // the viewport in level-0 coordinates (may exceed the slide)

    // Magnification relative to a native (objective) magnification, e.g. 20× at downsample 1.
    double magnification(double nativeMagnification) const { return nativeMagnification / m_downsample; }
    void setMagnification(double magnification, double nativeMagnification);

    // Index of the coarsest level not coarser than the view (largest downsample <= view downsample),
    // so tiles are only ever shrunk on screen; 0 when the view is finer than every level.
    static int chooseLevel(double viewDownsample, const std::vector<double>& levelDownsamples);
    int chooseLevel(const std::vector<double>& levelDownsamples) const
    {
        return chooseLevel(m_downsample, levelDownsamples);
    }

    friend bool operator==(const ViewTransform& a, const ViewTransform& b)
    {
        return a.m_slide == b.m_slide && a.m_viewport == b.m_viewport && a.m_center == b.m_center
            && a.m_downsample == b.m_downsample;
    }
    friend bool operator!=(const ViewTransform& a, const ViewTransform& b) { return !(a == b); }

private:
    QSizeF m_slide { 1, 1 };
    QSizeF m_viewport { 1, 1 };
    QPointF m_center { 0.5, 0.5 };
    double m_downsample = 1.0;
};

} // namespace cellvit
