#include "viewer/region_painter.h"

#include "viewer/region_store.h"
#include "viewer/view_transform.h"

#include <QPainter>
#include <algorithm>

namespace cellvit {

namespace {
const QColor kRegionColour(255, 160, 0);
const QColor kSelectedColour(0, 200, 255);
const QColor kDraftColour(255, 255, 255);

QPolygonF toWidget(const QPolygonF& level0, const ViewTransform& transform)
{
    QPolygonF widget;
    widget.reserve(level0.size());
    for (const QPointF& p : level0)
        widget.append(transform.toWidget(p));
    return widget;
}
} // namespace

void paintRegions(QPainter& painter, const RegionStore& store, const std::vector<quint64>& selectedIds,
    const QPolygonF& draft, const ViewTransform& transform)
{
    painter.save();
    painter.setRenderHint(QPainter::Antialiasing, true);
    const QRectF visible = transform.visibleLevel0Rect();
    for (const Region& region : store.regions()) {
        if (!region.polygon.boundingRect().intersects(visible))
            continue;
        const bool selected = std::find(selectedIds.begin(), selectedIds.end(), region.id) != selectedIds.end();
        const QPolygonF outline = toWidget(region.polygon, transform);
        QPen pen(selected ? kSelectedColour : kRegionColour, selected ? 3.0 : 2.0);
        painter.setPen(pen);
        painter.setBrush(selected ? QColor(0, 200, 255, 28) : QColor(Qt::transparent));
        painter.drawPolygon(outline);
        const QPointF labelAt = outline.boundingRect().topLeft() + QPointF(2, -4);
        painter.setPen(selected ? kSelectedColour : kRegionColour);
        painter.drawText(labelAt, region.name);
    }
    if (!draft.isEmpty()) {
        QPen pen(kDraftColour, 2.0, Qt::DashLine);
        painter.setPen(pen);
        painter.setBrush(Qt::NoBrush);
        const QPolygonF outline = toWidget(draft, transform);
        if (outline.size() > 2)
            painter.drawPolygon(outline);
        else
            painter.drawPolyline(outline);
    }
    painter.restore();
}

} // namespace cellvit
