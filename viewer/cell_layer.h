#pragma once
// The nuclei shown over the slide: the cells of the inference runs (or imported detections), their spatial
// index, and how they are drawn (class colours, per-class visibility, opacity, fill, hover and selection).
// Lives on the GUI thread; results arrive here complete.

#include "inference/export/cell_classes.h"
#include "inference/merge/slide_cell.h"
#include "viewer/cell_index.h"

#include <QColor>
#include <QObject>
#include <QPolygonF>
#include <QString>
#include <map>
#include <optional>
#include <set>
#include <vector>

namespace cellvit {

class CellLayer : public QObject {
    Q_OBJECT
public:
    explicit CellLayer(QObject* parent = nullptr);

    // --- content
    // Replaces every cell; `analysed` are the level-0 outlines that were searched (for densities), empty
    // when unknown (imported detections).
    void setCells(std::vector<SlideCell> cells, std::vector<QPolygonF> analysed = {});
    // A run over `regions` replaces the earlier cells whose centroid lies inside them and keeps the others.
    void replaceCellsIn(const std::vector<QPolygonF>& regions, std::vector<SlideCell> cells);
    void clear();
    const std::vector<SlideCell>& cells() const { return m_cells; }
    size_t size() const { return m_cells.size(); }
    const std::vector<QPolygonF>& analysedOutlines() const { return m_analysed; }
    std::optional<double> analysedAreaPx() const; // area of the union of the analysed outlines
    const CellIndex& index() const { return m_index; }
    // Changes with the content, classes, colours or fill: what a cached raster of the overlay depends on
    // (not opacity or the global visibility, which are applied when drawing).
    quint64 revision() const { return m_revision; }

    // Ids of the cells whose bbox meets `level0`; `cellAt` the nucleus whose contour holds the point.
    std::vector<quint32> cellsIn(const QRectF& level0) const { return m_index.query(level0); }
    std::optional<quint32> cellAt(const QPointF& level0) const;
    // Ids of the cells whose centroid lies inside `outline` (all cells for an empty outline).
    std::vector<quint32> cellsWithCentroidIn(const QPolygonF& outline) const;

    // --- classes
    void setTaxonomy(const CellTaxonomy& taxonomy);
    const CellTaxonomy& taxonomy() const { return m_taxonomy; }
    QString className(int typeId) const;
    QColor classColor(int typeId) const;
    // Named classes of the taxonomy (background 0 left out) and any other type present in the cells.
    std::vector<int> classIds() const;

    // --- appearance
    bool isClassVisible(int typeId) const { return !m_hiddenClasses.count(typeId); }
    void setClassVisible(int typeId, bool visible);
    bool overlaysVisible() const { return m_visible; }
    void setOverlaysVisible(bool visible);
    double opacity() const { return m_opacity; }
    void setOpacity(double opacity); // clamped to [0, 1]
    bool filled() const { return m_filled; }
    void setFilled(bool filled);

    std::optional<quint32> hoveredCell() const { return m_hovered; }
    void setHoveredCell(std::optional<quint32> id);
    std::optional<quint32> selectedCell() const { return m_selected; }
    void setSelectedCell(std::optional<quint32> id);

Q_SIGNALS:
    void cellsChanged();
    void appearanceChanged();
    void hoveredCellChanged(std::optional<quint32> id);
    void selectedCellChanged(std::optional<quint32> id);

private:
    void contentChanged();
    void touchAppearance();

    std::vector<SlideCell> m_cells;
    std::vector<QPolygonF> m_analysed;
    CellIndex m_index;
    CellTaxonomy m_taxonomy = CellTaxonomy::panNuke();
    std::set<int> m_hiddenClasses;
    bool m_visible = true;
    double m_opacity = 0.8;
    bool m_filled = false;
    std::optional<quint32> m_hovered, m_selected;
    quint64 m_revision = 0;
};

} // namespace cellvit
