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

// Cells made ready for CellLayer::setCells on a worker thread (a restore, an import): the spatial index and the
// embedding matrix are built where the cells were read, so the hand-over on the GUI thread is a few moves,
// however many cells there are.
struct PreparedCells {
    std::vector<SlideCell> cells; // their embeddings moved into the matrix
    CellIndex index;
    std::vector<float> embeddings; // cells.size() × embeddingDim
    std::vector<char> hasEmbedding;
    int embeddingDim = 0;
};

class CellLayer : public QObject {
    Q_OBJECT
public:
    explicit CellLayer(QObject* parent = nullptr);

    // --- content
    // Any thread.
    static PreparedCells prepare(std::vector<SlideCell> cells);
    // Replaces every cell; `analysed` are the level-0 outlines that were searched (for densities), empty
    // when unknown (imported detections).
    void setCells(std::vector<SlideCell> cells, std::vector<QPolygonF> analysed = {});
    void setCells(PreparedCells prepared, std::vector<QPolygonF> analysed = {});
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

    // --- embeddings (the model's per-cell token means), kept as one n × dim float32 matrix aligned with
    // cells(): the cells themselves drop theirs. Rows of cells that came without one (imported detections,
    // a run of another dimension) are zero and hasEmbedding() is false for them.
    int embeddingDim() const { return m_embeddingDim; }
    const std::vector<float>& embeddings() const { return m_embeddings; }
    bool hasEmbedding(quint32 id) const { return id < m_hasEmbedding.size() && m_hasEmbedding[id]; }
    // Embeddings for the current cells (e.g. embeddings.npy of a CLI run). Throws std::invalid_argument
    // when values.size() != size() × dim.
    void setEmbeddings(std::vector<float> values, int dim);
    // Changes with the cells themselves (not with their classes): what a layout of the embeddings depends on.
    quint64 contentRevision() const { return m_contentRevision; }

    // --- classes assigned after the run (the interactive classifier): new types and probabilities for every
    // cell, keeping geometry, ids, selection and embeddings. cellsChanged() follows (counts depend on types).
    // Throws std::invalid_argument when the sizes differ from size().
    void setCellTypes(const std::vector<int>& types, const std::vector<double>& probabilities);
    // Colours that replace the taxonomy's reference colours for some type ids (user-defined classes).
    void setClassColors(std::map<int, QColor> colors);
    // The user's colour for a class of the current taxonomy (Overlay dock), remembered for that taxonomy.
    void setClassColor(int typeId, const QColor& color);
    // The taxonomy with the colours shown (what an export writes as classification.color).
    CellTaxonomy displayTaxonomy() const;
    const std::map<int, QColor>& classColorOverrides() const { return m_classColors; }

    // --- a highlighted set of cells (linked views: a selection in the embedding plot), drawn as outlines.
    const std::vector<quint32>& highlightedCells() const { return m_highlighted; } // sorted, unique
    bool isHighlighted(quint32 id) const;
    void setHighlightedCells(std::vector<quint32> ids);

Q_SIGNALS:
    void cellsChanged();
    void appearanceChanged();
    void taxonomyChanged(); // the classes listed (docks rebuild their class lists)
    void hoveredCellChanged(std::optional<quint32> id);
    void selectedCellChanged(std::optional<quint32> id);
    void highlightedCellsChanged();
    void embeddingsChanged();

private:
    void contentChanged(); // rebuilds the index, then contentReplaced()
    void contentReplaced();
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
    quint64 m_contentRevision = 0;
    std::vector<float> m_embeddings; // size() × m_embeddingDim
    std::vector<char> m_hasEmbedding;
    int m_embeddingDim = 0;
    std::map<int, QColor> m_classColors;
    std::map<int, QColor> m_palette; // display colours of the taxonomy's classes (class_palette.h)
    std::vector<quint32> m_highlighted;
};

} // namespace cellvit
