#include "viewer/region_editor.h"

#include "viewer/region_store.h"

#include <QItemSelectionModel>
#include <QLineF>
#include <algorithm>

namespace cellvit {

RegionEditor::RegionEditor(RegionStore* store, QItemSelectionModel* selection, QObject* parent)
    : QObject(parent)
    , m_store(store)
    , m_selection(selection)
{
}

std::vector<quint64> RegionEditor::selectedIds() const
{
    std::vector<quint64> ids;
    if (!m_store || !m_selection)
        return ids;
    for (const QModelIndex& index : m_selection->selectedRows())
        ids.push_back(m_store->idAt(index.row()));
    std::sort(ids.begin(), ids.end());
    return ids;
}

void RegionEditor::selectOnly(quint64 id)
{
    if (!m_store || !m_selection)
        return;
    const int row = m_store->rowOf(id);
    if (row < 0)
        m_selection->clearSelection();
    else
        m_selection->select(m_store->index(row), QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
}

void RegionEditor::setTool(RegionTool tool)
{
    cancelDrawing();
    if (tool == m_tool)
        return;
    m_tool = tool;
    Q_EMIT toolChanged(tool);
}

void RegionEditor::cancelDrawing()
{
    m_drawing = false;
    m_moving.reset();
    setDraft({});
}

void RegionEditor::deleteSelected()
{
    if (!m_store)
        return;
    for (quint64 id : selectedIds())
        m_store->removeRegion(id);
}

void RegionEditor::setDraft(const QPolygonF& polygon)
{
    if (polygon == m_draft)
        return;
    m_draft = polygon;
    Q_EMIT draftChanged();
}

bool RegionEditor::press(const QPointF& p, Qt::MouseButton button)
{
    if (button != Qt::LeftButton || !m_store)
        return false;
    switch (m_tool) {
    case RegionTool::Navigate: {
        const quint64 hit = m_store->regionAt(p);
        const auto selected = selectedIds();
        if (hit == 0 || !std::binary_search(selected.begin(), selected.end(), hit))
            return false; // the view pans
        m_moving = hit;
        m_lastMove = p;
        return true;
    }
    case RegionTool::Rectangle:
        m_drawing = true;
        m_anchor = p;
        setDraft(QPolygonF(QRectF(p, p)));
        return true;
    case RegionTool::Freehand:
        m_drawing = true;
        setDraft(QPolygonF({ p }));
        return true;
    case RegionTool::Polygon:
        if (m_drawing && m_draft.size() >= 3 && QLineF(m_draft.front(), p).length() <= m_snapDistance) {
            commit(RegionKind::Polygon);
            return true;
        }
        if (!m_drawing) {
            m_drawing = true;
            setDraft(QPolygonF({ p, p })); // the last point follows the cursor
        } else {
            QPolygonF draft = m_draft;
            draft.back() = p; // fixes the rubber-band vertex where the user clicked
            draft.append(p);
            setDraft(draft);
        }
        return true;
    }
    return false;
}

bool RegionEditor::move(const QPointF& p)
{
    if (m_moving) {
        if (m_store)
            m_store->translateRegion(*m_moving, p - m_lastMove);
        m_lastMove = p;
        return true;
    }
    if (!m_drawing)
        return false;
    QPolygonF draft = m_draft;
    switch (m_tool) {
    case RegionTool::Rectangle:
        draft = QPolygonF(QRectF(m_anchor, p).normalized());
        draft.removeLast(); // QPolygonF(QRectF) closes the ring
        break;
    case RegionTool::Freehand:
        if (QLineF(draft.back(), p).length() >= m_snapDistance / 4)
            draft.append(p);
        break;
    case RegionTool::Polygon:
        draft.back() = p;
        break;
    case RegionTool::Navigate:
        return false;
    }
    setDraft(draft);
    return true;
}

bool RegionEditor::release(const QPointF& p, Qt::MouseButton button)
{
    if (button != Qt::LeftButton)
        return false;
    if (m_moving) {
        move(p);
        m_moving.reset();
        return true;
    }
    if (!m_drawing)
        return false;
    switch (m_tool) {
    case RegionTool::Rectangle:
        move(p);
        commit(RegionKind::Rectangle);
        return true;
    case RegionTool::Freehand:
        move(p);
        commit(RegionKind::Freehand);
        return true;
    case RegionTool::Polygon:
    case RegionTool::Navigate:
        return m_drawing;
    }
    return false;
}

bool RegionEditor::doubleClick(const QPointF&, Qt::MouseButton button)
{
    if (button != Qt::LeftButton || m_tool != RegionTool::Polygon || !m_drawing)
        return false;
    commit(RegionKind::Polygon);
    return true;
}

bool RegionEditor::key(int key)
{
    switch (key) {
    case Qt::Key_Escape:
        if (!m_drawing && !m_moving)
            return false;
        cancelDrawing();
        return true;
    case Qt::Key_Return:
    case Qt::Key_Enter:
        if (m_tool != RegionTool::Polygon || !m_drawing)
            return false;
        commit(RegionKind::Polygon);
        return true;
    case Qt::Key_Delete:
    case Qt::Key_Backspace:
        if (m_drawing || selectedIds().empty())
            return false;
        deleteSelected();
        return true;
    default:
        return false;
    }
}

void RegionEditor::commit(RegionKind kind)
{
    QPolygonF outline = m_draft;
    if (kind == RegionKind::Polygon && outline.size() > 1)
        outline.removeLast(); // the rubber-band vertex under the cursor
    m_drawing = false;
    setDraft({});
    if (!m_store)
        return;
    Region region;
    region.kind = kind;
    region.polygon = outline;
    const quint64 id = m_store->addRegion(region); // 0 for a degenerate outline (a click without drag)
    if (id == 0)
        return;
    selectOnly(id);
    Q_EMIT regionCreated(id);
}

} // namespace cellvit
