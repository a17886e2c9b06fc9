#include "viewer/view_transform.h"

#include <algorithm>
#include <cmath>

namespace cellvit {

namespace {
constexpr double kFitMargin = 1.02; // fit leaves ~1 % border around the slide
constexpr double kZoomOutBeyondFit = 2.0;
} // namespace

ViewTransform::ViewTransform(const QSizeF& slideSize, const QSizeF& viewportSize)
    : m_viewport(viewportSize.expandedTo({ 1, 1 }))
{
    setSlideSize(slideSize);
}

void ViewTransform::setSlideSize(const QSizeF& level0Size)
{
    m_slide = level0Size.expandedTo({ 1, 1 });
    fit();
}

void ViewTransform::setViewportSize(const QSizeF& widgetSize)
{
    m_viewport = widgetSize.expandedTo({ 1, 1 });
    setDownsample(m_downsample);
}

double ViewTransform::fitDownsample() const
{
    return kFitMargin * std::max(m_slide.width() / m_viewport.width(), m_slide.height() / m_viewport.height());
}

double ViewTransform::maxDownsample() const
{
    return std::max(1.0, fitDownsample() * kZoomOutBeyondFit);
}

void ViewTransform::setDownsample(double downsample)
{
    if (!std::isfinite(downsample) || downsample <= 0)
        return;
    m_downsample = std::clamp(downsample, minDownsample(), maxDownsample());
}

void ViewTransform::setCenter(const QPointF& level0)
{
    m_center = QPointF(std::clamp(level0.x(), 0.0, m_slide.width()), std::clamp(level0.y(), 0.0, m_slide.height()));
}

void ViewTransform::fit()
{
    m_downsample = std::clamp(fitDownsample(), minDownsample(), maxDownsample());
    m_center = QPointF(m_slide.width() / 2, m_slide.height() / 2);
}

void ViewTransform::zoomAt(const QPointF& widgetAnchor, double factor)
{
    if (!std::isfinite(factor) || factor <= 0)
        return;
    const QPointF anchored = toLevel0(widgetAnchor);
    setDownsample(m_downsample / factor);
    const QPointF fromCentre = widgetAnchor - QPointF(m_viewport.width() / 2, m_viewport.height() / 2);
    setCenter(anchored - fromCentre * m_downsample);
}

void ViewTransform::panBy(const QPointF& widgetDelta)
{
    setCenter(m_center - widgetDelta * m_downsample);
}

QPointF ViewTransform::toWidget(const QPointF& level0) const
{
    return (level0 - m_center) / m_downsample + QPointF(m_viewport.width() / 2, m_viewport.height() / 2);
}

QPointF ViewTransform::toLevel0(const QPointF& widget) const
{
    return (widget - QPointF(m_viewport.width() / 2, m_viewport.height() / 2)) * m_downsample + m_center;
}

QRectF ViewTransform::toWidget(const QRectF& level0) const
{
    return QRectF(toWidget(level0.topLeft()), toWidget(level0.bottomRight()));
}

QRectF ViewTransform::visibleLevel0Rect() const
{
    return QRectF(toLevel0({ 0, 0 }), toLevel0({ m_viewport.width(), m_viewport.height() }));
}

void ViewTransform::setMagnification(double magnification, double nativeMagnification)
{
    if (magnification > 0 && nativeMagnification > 0)
        setDownsample(nativeMagnification / magnification);
}

int ViewTransform::chooseLevel(double viewDownsample, const std::vector<double>& levelDownsamples)
{
    int chosen = 0;
    for (size_t i = 0; i < levelDownsamples.size(); ++i)
        if (levelDownsamples[i] <= viewDownsample * (1.0 + 1e-9))
            chosen = static_cast<int>(i);
    return chosen;
}

} // namespace cellvit
