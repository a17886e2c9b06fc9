#pragma once
// The regions of the open slide as a list model, independent of any widget: the region dock lists it, the
// slide view draws and edits it, inference and counts read it. Geometry is in level-0 pixels.

#include "viewer/region_shape.h"

#include <QAbstractListModel>
#include <optional>
#include <vector>

namespace cellvit {

class RegionStore : public QAbstractListModel {
    Q_OBJECT
public:
    enum Role {
        IdRole = Qt::UserRole + 1,
        AreaPxRole, // double, level-0 px²
        AreaMm2Role, // double, invalid QVariant when the resolution is unknown
        KindRole, // int(RegionKind)
    };

    explicit RegionStore(QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    bool setData(const QModelIndex& index, const QVariant& value, int role = Qt::EditRole) override; // renames
    Qt::ItemFlags flags(const QModelIndex& index) const override;
    bool removeRows(int row, int count, const QModelIndex& parent = {}) override;
    QHash<int, QByteArray> roleNames() const override;

    // Adds a copy of `region` (id assigned, an empty name becomes "Region N"); returns the id, 0 when the
    // polygon has fewer than 3 distinct points or no area.
    quint64 addRegion(Region region);
    bool removeRegion(quint64 id);
    bool renameRegion(quint64 id, const QString& name);
    bool setPolygon(quint64 id, const QPolygonF& polygon);
    bool translateRegion(quint64 id, const QPointF& level0Delta);
    void clear();

    const std::vector<Region>& regions() const { return m_regions; }
    const Region* find(quint64 id) const;
    int rowOf(quint64 id) const; // -1 when absent
    quint64 idAt(int row) const;
    // A region with the same outline (after the normalisation addRegion applies) and name (any name when
    // `region`'s is empty: addRegion names those), e.g. the same QuPath annotation imported again or restored from
    // the project; 0 when none.
    quint64 findSame(const Region& region) const;
    // The top-most (last added) region containing the level-0 point; 0 when none.
    quint64 regionAt(const QPointF& level0) const;

    void setMicrometresPerPixel(std::optional<double> mpp);
    std::optional<double> micrometresPerPixel() const { return m_mpp; }
    std::optional<double> areaSquareMillimetres(quint64 id) const;

Q_SIGNALS:
    void regionsChanged(); // any addition, removal or geometry change (not renames)

private:
    std::vector<Region> m_regions;
    quint64 m_nextId = 1;
    int m_nextNumber = 1;
    std::optional<double> m_mpp;
};

} // namespace cellvit
