#pragma once
// The region drawing and editing state machine, fed with level-0 points by the slide view (so it can be
// tested without a window): rectangle (drag), polygon (click vertices; double-click, Enter or a click on
// the first vertex closes), freehand (drag); Esc cancels the outline being drawn. With the navigation tool
// a drag that starts inside a selected region moves it and Delete removes the selected regions.

#include "viewer/region_shape.h"

#include <QItemSelectionModel>
#include <QObject>
#include <QPointer>
#include <QPolygonF>
#include <optional>
#include <vector>

namespace cellvit {

class RegionStore;

enum class RegionTool { Navigate, Rectangle, Polygon, Freehand };

class RegionEditor : public QObject {
    Q_OBJECT
public:
    // `selection` must be a selection model over `store`; neither is owned.
    RegionEditor(RegionStore* store, QItemSelectionModel* selection, QObject* parent = nullptr);

    RegionStore* store() const { return m_store; }
    QItemSelectionModel* selectionModel() const { return m_selection; }
    RegionTool tool() const { return m_tool; }
    bool isDrawing() const { return m_drawing; }
    // The outline being drawn (level-0), for the view to paint; empty when idle.
    const QPolygonF& draft() const { return m_draft; }
    // How close (level-0 px) a click must be to the first polygon vertex to close it; the view sets this
    // from its zoom so the target is a constant number of screen pixels.
    void setSnapDistance(double level0) { m_snapDistance = level0; }

    std::vector<quint64> selectedIds() const;
    void selectOnly(quint64 id); // 0 clears the selection

    // Mouse input in level-0 coordinates; true when the event was consumed (the view must not pan).
    bool press(const QPointF& level0, Qt::MouseButton button);
    bool move(const QPointF& level0);
    bool release(const QPointF& level0, Qt::MouseButton button);
    bool doubleClick(const QPointF& level0, Qt::MouseButton button);
    bool key(int key);

public Q_SLOTS:
    void setTool(cellvit::RegionTool tool); // cancels an unfinished outline
    void cancelDrawing();
    void deleteSelected();

Q_SIGNALS:
    void toolChanged(cellvit::RegionTool tool);
    void draftChanged();
    void regionCreated(quint64 id);

private:
    void commit(RegionKind kind);
    void setDraft(const QPolygonF& polygon);

    QPointer<RegionStore> m_store;
    QPointer<QItemSelectionModel> m_selection;
    RegionTool m_tool = RegionTool::Navigate;
    bool m_drawing = false;
    QPolygonF m_draft;
    QPointF m_anchor;
    double m_snapDistance = 8.0;
    std::optional<quint64> m_moving; // region dragged with the navigation tool
    QPointF m_lastMove;
};

} // namespace cellvit
