#pragma once
// A 2-D scatter plot for many points (a UMAP of 100 k+ cells): the points are rasterised into an offscreen
// image, one small square each, and the image is kept until the points, colours, highlight, size or view
// change, so hovering and repainting cost a blit. Wheel zooms about the cursor, the middle/right button (or
// the pan tool) drags the view, the left button draws a rectangle or lasso selection; a click without a
// drag picks the nearest point.

#include <QColor>
#include <QImage>
#include <QPointF>
#include <QPolygonF>
#include <QWidget>
#include <optional>
#include <utility>
#include <vector>

namespace cellvit {

class ScatterPlot : public QWidget {
    Q_OBJECT
public:
    enum class Tool { Rectangle, Lasso, Pan };
    using LegendEntry = std::pair<QString, QColor>;

    explicit ScatterPlot(QWidget* parent = nullptr);

    // Points in data coordinates; the view is fitted to them.
    void setPoints(std::vector<QPointF> points);
    const std::vector<QPointF>& points() const { return m_points; }
    void setColors(std::vector<QRgb> colors); // one per point; missing ones are grey
    void setLegend(std::vector<LegendEntry> legend);
    // Points drawn on top and larger, the others dimmed (a linked selection); sorted or not.
    void setHighlighted(std::vector<int> indices);
    const std::vector<int>& highlighted() const { return m_highlighted; }
    void setMarkedPoint(std::optional<int> index); // a ring around one point (the cell selected on the slide)
    void setPointSize(int pixels); // side of the square drawn per point
    int pointSize() const { return m_pointSize; }
    void setTool(Tool tool);
    Tool tool() const { return m_tool; }

    // --- view: data -> widget is a uniform scale about the centre
    void fitView();
    void zoomBy(double factor, const QPointF& anchor);
    QPointF toWidget(const QPointF& data) const;
    QPointF toData(const QPointF& widget) const;

    // Indices of the points whose widget position lies inside `widgetPolygon` (odd-even rule).
    std::vector<int> pointsIn(const QPolygonF& widgetPolygon) const;
    // The point nearest to `widget` within `radius` pixels.
    std::optional<int> pointAt(const QPointF& widget, double radius = 6.0) const;

    // The plot at `size` with the current view scaled to it (PNG export, tests).
    QImage renderImage(const QSize& size) const;
    // Vector drawing of the plot into any painter (SVG export): one rectangle per point.
    void paintVector(QPainter& painter, const QSize& size) const;

    QSize sizeHint() const override { return { 420, 360 }; }

Q_SIGNALS:
    void selectionMade(const std::vector<int>& indices); // rectangle or lasso finished
    void pointClicked(int index);
    void viewChanged();

protected:
    void paintEvent(QPaintEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;
    void wheelEvent(QWheelEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;

private:
    struct Mapping {
        QPointF centre;
        double scale = 1; // widget px per data unit
        QSizeF size;
        QPointF toWidget(const QPointF& p) const
        {
            return { size.width() / 2 + (p.x() - centre.x()) * scale,
                size.height() / 2 - (p.y() - centre.y()) * scale };
        }
    };
    Mapping mappingFor(const QSize& size) const;
    void rasterise(QImage& image, const Mapping& mapping) const;
    void paintDecorations(QPainter& painter, const QSize& size) const;
    void invalidate();

    std::vector<QPointF> m_points;
    std::vector<QRgb> m_colors;
    std::vector<LegendEntry> m_legend;
    std::vector<int> m_highlighted;
    std::vector<char> m_isHighlighted;
    std::optional<int> m_marked;
    int m_pointSize = 3;
    Tool m_tool = Tool::Rectangle;
    QPointF m_centre; // data coordinates at the widget centre
    double m_zoom = 1; // relative to the fitted scale
    double m_fitScale = 1;
    QRectF m_bounds;

    mutable QImage m_cache;
    mutable bool m_cacheValid = false;

    enum class Drag { None, Pan, Select };
    Drag m_drag = Drag::None;
    QPointF m_pressPos, m_lastPos;
    QPolygonF m_lasso; // widget coordinates of the selection being drawn
};

} // namespace cellvit
