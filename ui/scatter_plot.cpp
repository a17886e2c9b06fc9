#include "ui/scatter_plot.h"

#include <QMouseEvent>
#include <QPainter>
#include <QPainterPath>
#include <QWheelEvent>
#include <algorithm>
#include <cmath>

namespace cellvit {

namespace {

constexpr QRgb kDefaultColor = 0xff9e9e9e;
constexpr QRgb kBackground = 0xffffffff;
constexpr double kMargin = 0.06; // of the widget, around the fitted points
constexpr double kClickSlop = 4.0; // px a click may move before it counts as a drag

QRgb dimmed(QRgb c)
{
    // Blend 75 % toward the background so the highlighted points stand out.
    auto mix = [](int a, int b) { return (a + 3 * b) / 4; };
    return qRgb(
        mix(qRed(c), qRed(kBackground)), mix(qGreen(c), qGreen(kBackground)), mix(qBlue(c), qBlue(kBackground)));
}

void fillSquare(QImage& image, const QPointF& centre, int size, QRgb colour)
{
    // The pixel holding the centre is always painted (tests read the colour there).
    const int x0 = int(std::floor(centre.x())) - (size - 1) / 2;
    const int y0 = int(std::floor(centre.y())) - (size - 1) / 2;
    const int w = image.width(), h = image.height();
    for (int y = std::max(0, y0); y < std::min(h, y0 + size); ++y) {
        auto* line = reinterpret_cast<QRgb*>(image.scanLine(y));
        for (int x = std::max(0, x0); x < std::min(w, x0 + size); ++x)
            line[x] = colour;
    }
}

} // namespace

ScatterPlot::ScatterPlot(QWidget* parent)
    : QWidget(parent)
{
    setMouseTracking(false);
    setFocusPolicy(Qt::ClickFocus);
    setMinimumSize(160, 120);
}

void ScatterPlot::setPoints(std::vector<QPointF> points)
{
    m_points = std::move(points);
    m_highlighted.clear();
    m_isHighlighted.assign(m_points.size(), 0);
    m_marked.reset();
    fitView();
}

void ScatterPlot::setColors(std::vector<QRgb> colors)
{
    m_colors = std::move(colors);
    invalidate();
}

void ScatterPlot::setLegend(std::vector<LegendEntry> legend)
{
    m_legend = std::move(legend);
    update();
}

void ScatterPlot::setHighlighted(std::vector<int> indices)
{
    std::sort(indices.begin(), indices.end());
    indices.erase(std::unique(indices.begin(), indices.end()), indices.end());
    m_isHighlighted.assign(m_points.size(), 0);
    std::vector<int> valid;
    valid.reserve(indices.size());
    for (int i : indices)
        if (i >= 0 && size_t(i) < m_points.size()) {
            m_isHighlighted[size_t(i)] = 1;
            valid.push_back(i);
        }
    m_highlighted = std::move(valid);
    invalidate();
}

void ScatterPlot::setMarkedPoint(std::optional<int> index)
{
    if (index && (*index < 0 || size_t(*index) >= m_points.size()))
        index.reset();
    m_marked = index;
    update(); // drawn over the cached raster
}

void ScatterPlot::setPointSize(int pixels)
{
    m_pointSize = std::clamp(pixels, 1, 15);
    invalidate();
}

void ScatterPlot::setTool(Tool tool)
{
    m_tool = tool;
    setCursor(tool == Tool::Pan ? Qt::OpenHandCursor : Qt::CrossCursor);
}

void ScatterPlot::fitView()
{
    m_bounds = {};
    if (!m_points.empty()) {
        double x0 = m_points[0].x(), x1 = x0, y0 = m_points[0].y(), y1 = y0;
        for (const QPointF& p : m_points) {
            x0 = std::min(x0, p.x());
            x1 = std::max(x1, p.x());
            y0 = std::min(y0, p.y());
            y1 = std::max(y1, p.y());
        }
        m_bounds = QRectF(QPointF(x0, y0), QPointF(x1, y1));
    }
    m_centre = m_bounds.center();
    m_zoom = 1;
    invalidate();
    Q_EMIT viewChanged();
}

ScatterPlot::Mapping ScatterPlot::mappingFor(const QSize& size) const
{
    Mapping m;
    m.size = QSizeF(size);
    m.centre = m_centre;
    const double usableW = size.width() * (1 - 2 * kMargin), usableH = size.height() * (1 - 2 * kMargin);
    const double bw = std::max(m_bounds.width(), 1e-9), bh = std::max(m_bounds.height(), 1e-9);
    m.scale = m_zoom * std::max(1e-9, std::min(usableW / bw, usableH / bh));
    return m;
}

QPointF ScatterPlot::toWidget(const QPointF& data) const
{
    return mappingFor(size()).toWidget(data);
}

QPointF ScatterPlot::toData(const QPointF& widget) const
{
    const Mapping m = mappingFor(size());
    return { m.centre.x() + (widget.x() - width() / 2.0) / m.scale,
        m.centre.y() - (widget.y() - height() / 2.0) / m.scale };
}

void ScatterPlot::zoomBy(double factor, const QPointF& anchor)
{
    // Keep the data point under `anchor` in place.
    const QPointF before = toData(anchor);
    m_zoom = std::clamp(m_zoom * factor, 0.2, 5000.0);
    const QPointF after = toData(anchor);
    m_centre += before - after;
    invalidate();
    Q_EMIT viewChanged();
}

std::vector<int> ScatterPlot::pointsIn(const QPolygonF& widgetPolygon) const
{
    std::vector<int> inside;
    if (widgetPolygon.size() < 3)
        return inside;
    const Mapping m = mappingFor(size());
    const QRectF box = widgetPolygon.boundingRect();
    for (size_t i = 0; i < m_points.size(); ++i) {
        const QPointF p = m.toWidget(m_points[i]);
        if (box.contains(p) && widgetPolygon.containsPoint(p, Qt::OddEvenFill))
            inside.push_back(int(i));
    }
    return inside;
}

std::optional<int> ScatterPlot::pointAt(const QPointF& widget, double radius) const
{
    const Mapping m = mappingFor(size());
    std::optional<int> best;
    double bestDistance = radius * radius;
    for (size_t i = 0; i < m_points.size(); ++i) {
        const QPointF d = m.toWidget(m_points[i]) - widget;
        const double d2 = d.x() * d.x() + d.y() * d.y();
        if (d2 <= bestDistance) {
            bestDistance = d2;
            best = int(i);
        }
    }
    return best;
}

void ScatterPlot::rasterise(QImage& image, const Mapping& mapping) const
{
    image.fill(kBackground);
    const bool anyHighlight = !m_highlighted.empty();
    auto colourOf = [&](size_t i) { return i < m_colors.size() ? m_colors[i] : kDefaultColor; };
    for (size_t i = 0; i < m_points.size(); ++i) {
        if (anyHighlight && m_isHighlighted[i])
            continue; // drawn on top below
        const QRgb c = colourOf(i);
        fillSquare(image, mapping.toWidget(m_points[i]), m_pointSize, anyHighlight ? dimmed(c) : c);
    }
    for (int i : m_highlighted) {
        const QPointF p = mapping.toWidget(m_points[size_t(i)]);
        fillSquare(image, p, m_pointSize + 2, qRgb(20, 20, 20));
        fillSquare(image, p, m_pointSize, colourOf(size_t(i)));
    }
}

void ScatterPlot::paintDecorations(QPainter& painter, const QSize& size) const
{
    painter.setPen(QColor(120, 120, 120));
    painter.setBrush(Qt::NoBrush);
    painter.drawRect(QRectF(0.5, 0.5, size.width() - 1.0, size.height() - 1.0));
    QFont font = painter.font();
    font.setPointSizeF(8);
    painter.setFont(font);
    painter.drawText(QRectF(0, size.height() - 16, size.width(), 14), Qt::AlignHCenter, tr("UMAP 1"));
    painter.save();
    painter.translate(4, size.height() / 2.0);
    painter.rotate(-90);
    painter.drawText(QRectF(-60, 0, 120, 14), Qt::AlignHCenter, tr("UMAP 2"));
    painter.restore();
    // Legend, top right.
    const int row = 14;
    int width = 0;
    for (const auto& [name, colour] : m_legend)
        width = std::max(width, painter.fontMetrics().horizontalAdvance(name));
    const QRectF box(size.width() - width - 30, 6, width + 24, row * double(m_legend.size()) + 6);
    if (!m_legend.empty()) {
        painter.setPen(QColor(200, 200, 200));
        painter.setBrush(QColor(255, 255, 255, 220));
        painter.drawRect(box);
    }
    for (size_t i = 0; i < m_legend.size(); ++i) {
        const QRectF swatch(box.left() + 5, box.top() + 5 + row * double(i), 9, 9);
        painter.fillRect(swatch, m_legend[i].second);
        painter.setPen(Qt::black);
        painter.drawText(QPointF(swatch.right() + 5, swatch.bottom()), m_legend[i].first);
    }
}

QImage ScatterPlot::renderImage(const QSize& size) const
{
    QImage image(size, QImage::Format_ARGB32_Premultiplied);
    rasterise(image, mappingFor(size));
    QPainter painter(&image);
    paintDecorations(painter, size);
    return image;
}

void ScatterPlot::paintVector(QPainter& painter, const QSize& size) const
{
    const Mapping m = mappingFor(size);
    painter.fillRect(QRectF(QPointF(0, 0), QSizeF(size)), QColor(kBackground));
    painter.setPen(Qt::NoPen);
    const bool anyHighlight = !m_highlighted.empty();
    const double s = m_pointSize;
    for (size_t i = 0; i < m_points.size(); ++i) {
        if (anyHighlight && m_isHighlighted[i])
            continue;
        const QRgb c = i < m_colors.size() ? m_colors[i] : kDefaultColor;
        const QPointF p = m.toWidget(m_points[i]);
        if (p.x() < -s || p.y() < -s || p.x() > size.width() + s || p.y() > size.height() + s)
            continue;
        painter.fillRect(QRectF(p.x() - s / 2, p.y() - s / 2, s, s), QColor(anyHighlight ? dimmed(c) : c));
    }
    for (int i : m_highlighted) {
        const QRgb c = size_t(i) < m_colors.size() ? m_colors[size_t(i)] : kDefaultColor;
        const QPointF p = m.toWidget(m_points[size_t(i)]);
        painter.fillRect(QRectF(p.x() - s / 2 - 1, p.y() - s / 2 - 1, s + 2, s + 2), QColor(20, 20, 20));
        painter.fillRect(QRectF(p.x() - s / 2, p.y() - s / 2, s, s), QColor(c));
    }
    paintDecorations(painter, size);
}

void ScatterPlot::invalidate()
{
    m_cacheValid = false;
    update();
}

void ScatterPlot::paintEvent(QPaintEvent*)
{
    if (!m_cacheValid || m_cache.size() != size()) {
        m_cache = QImage(size(), QImage::Format_ARGB32_Premultiplied);
        rasterise(m_cache, mappingFor(size()));
        m_cacheValid = true;
    }
    QPainter painter(this);
    painter.drawImage(QPointF(0, 0), m_cache);
    paintDecorations(painter, size());
    if (m_marked) {
        const QPointF p = toWidget(m_points[size_t(*m_marked)]);
        painter.setRenderHint(QPainter::Antialiasing, true);
        painter.setPen(QPen(QColor(255, 170, 0), 2.0));
        painter.setBrush(Qt::NoBrush);
        painter.drawEllipse(p, 7.0, 7.0);
    }
    if (m_drag == Drag::Select && m_lasso.size() >= 2) {
        painter.setRenderHint(QPainter::Antialiasing, true);
        painter.setPen(QPen(QColor(0, 120, 215), 1.0, Qt::DashLine));
        painter.setBrush(QColor(0, 120, 215, 40));
        painter.drawPolygon(m_lasso);
    }
}

void ScatterPlot::resizeEvent(QResizeEvent*)
{
    m_cacheValid = false;
}

void ScatterPlot::wheelEvent(QWheelEvent* event)
{
    const double steps = event->angleDelta().y() / 120.0;
    if (steps != 0)
        zoomBy(std::pow(1.25, steps), event->position());
    event->accept();
}

void ScatterPlot::mousePressEvent(QMouseEvent* event)
{
    m_pressPos = m_lastPos = event->position();
    const bool pan = event->button() == Qt::MiddleButton || event->button() == Qt::RightButton
        || (event->button() == Qt::LeftButton && m_tool == Tool::Pan);
    if (pan) {
        m_drag = Drag::Pan;
        setCursor(Qt::ClosedHandCursor);
    } else if (event->button() == Qt::LeftButton) {
        m_drag = Drag::Select;
        m_lasso = QPolygonF({ m_pressPos });
    }
    event->accept();
}

void ScatterPlot::mouseMoveEvent(QMouseEvent* event)
{
    const QPointF pos = event->position();
    if (m_drag == Drag::Pan) {
        const double scale = mappingFor(size()).scale;
        const QPointF delta = pos - m_lastPos;
        m_centre += QPointF(-delta.x() / scale, delta.y() / scale);
        invalidate();
        Q_EMIT viewChanged();
    } else if (m_drag == Drag::Select) {
        if (m_tool == Tool::Lasso)
            m_lasso << pos;
        else
            m_lasso = QPolygonF(QRectF(m_pressPos, pos).normalized());
        update();
    }
    m_lastPos = pos;
}

void ScatterPlot::mouseReleaseEvent(QMouseEvent* event)
{
    const Drag drag = m_drag;
    m_drag = Drag::None;
    setCursor(m_tool == Tool::Pan ? Qt::OpenHandCursor : Qt::CrossCursor);
    const QPointF moved = event->position() - m_pressPos;
    const bool click = std::abs(moved.x()) <= kClickSlop && std::abs(moved.y()) <= kClickSlop;
    if (click && event->button() == Qt::LeftButton) {
        m_lasso.clear();
        update();
        if (const auto index = pointAt(event->position()))
            Q_EMIT pointClicked(*index);
        return;
    }
    if (drag == Drag::Select) {
        if (m_tool == Tool::Rectangle)
            m_lasso = QPolygonF(QRectF(m_pressPos, event->position()).normalized());
        const QPolygonF outline = m_lasso;
        m_lasso.clear();
        update();
        Q_EMIT selectionMade(pointsIn(outline));
    }
}

} // namespace cellvit
