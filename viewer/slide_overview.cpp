#include "viewer/slide_overview.h"

#include "viewer/slide_view.h"
#include "viewer/view_transform.h"

#include <QMouseEvent>
#include <QPainter>

namespace cellvit {

SlideOverview::SlideOverview(QWidget* parent)
    : QWidget(parent)
{
    setMinimumSize(120, 120);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
}

void SlideOverview::setView(SlideView* view)
{
    if (m_view)
        disconnect(m_view, nullptr, this, nullptr);
    m_view = view;
    if (m_view) {
        connect(m_view, &SlideView::viewportChanged, this, qOverload<>(&QWidget::update));
        connect(m_view, &SlideView::tilesChanged, this, qOverload<>(&QWidget::update));
    }
    update();
}

ViewTransform SlideOverview::overviewTransform() const
{
    const QSizeF slide = m_view ? m_view->transform().slideSize() : QSizeF(1, 1);
    return ViewTransform(slide, size()); // fitted
}

QRectF SlideOverview::viewportRectangle() const
{
    if (!m_view || !m_view->hasSlide())
        return {};
    return overviewTransform().toWidget(m_view->transform().visibleLevel0Rect());
}

void SlideOverview::paintEvent(QPaintEvent*)
{
    QPainter painter(this);
    painter.fillRect(rect(), palette().window());
    if (!m_view || !m_view->hasSlide())
        return;
    m_view->paintThumbnail(painter, overviewTransform());
    painter.setPen(QPen(QColor(220, 30, 30), 2));
    painter.setBrush(Qt::NoBrush);
    painter.drawRect(viewportRectangle().intersected(QRectF(rect()).adjusted(1, 1, -1, -1)));
}

void SlideOverview::recentre(const QPointF& widgetPoint)
{
    if (m_view && m_view->hasSlide())
        m_view->centerOn(overviewTransform().toLevel0(widgetPoint));
}

void SlideOverview::mousePressEvent(QMouseEvent* event)
{
    if (event->button() == Qt::LeftButton)
        recentre(event->position());
}

void SlideOverview::mouseMoveEvent(QMouseEvent* event)
{
    if (event->buttons() & Qt::LeftButton)
        recentre(event->position());
}

} // namespace cellvit
