#include "viewer/region_store.h"

#include <algorithm>

namespace cellvit {

RegionStore::RegionStore(QObject* parent)
    : QAbstractListModel(parent)
{
}

int RegionStore::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_regions.size());
}

QVariant RegionStore::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || index.row() >= rowCount())
        return {};
    const Region& region = m_regions[size_t(index.row())];
    const double areaPx = polygonAreaPx(region.polygon);
    switch (role) {
    case Qt::DisplayRole:
        if (m_mpp)
            return tr("%1 — %2 mm²").arg(region.name).arg(cellvit::areaSquareMillimetres(areaPx, *m_mpp), 0, 'g', 4);
        return tr("%1 — %2 px²").arg(region.name).arg(areaPx, 0, 'f', 0);
    case Qt::EditRole:
        return region.name;
    case Qt::ToolTipRole:
        return tr("%1 vertices, %2 px²").arg(region.polygon.size()).arg(areaPx, 0, 'f', 0);
    case IdRole:
        return region.id;
    case AreaPxRole:
        return areaPx;
    case AreaMm2Role:
        return m_mpp ? QVariant(cellvit::areaSquareMillimetres(areaPx, *m_mpp)) : QVariant();
    case KindRole:
        return int(region.kind);
    default:
        return {};
    }
}

bool RegionStore::setData(const QModelIndex& index, const QVariant& value, int role)
{
    if (role != Qt::EditRole || !index.isValid() || index.row() >= rowCount())
        return false;
    return renameRegion(m_regions[size_t(index.row())].id, value.toString());
}

Qt::ItemFlags RegionStore::flags(const QModelIndex& index) const
{
    return QAbstractListModel::flags(index) | (index.isValid() ? Qt::ItemIsEditable : Qt::NoItemFlags);
}

bool RegionStore::removeRows(int row, int count, const QModelIndex& parent)
{
    if (parent.isValid() || row < 0 || count <= 0 || row + count > rowCount())
        return false;
    beginRemoveRows({}, row, row + count - 1);
    m_regions.erase(m_regions.begin() + row, m_regions.begin() + row + count);
    endRemoveRows();
    Q_EMIT regionsChanged();
    return true;
}

QHash<int, QByteArray> RegionStore::roleNames() const
{
    auto names = QAbstractListModel::roleNames();
    names[IdRole] = "regionId";
    names[AreaPxRole] = "areaPx";
    names[AreaMm2Role] = "areaMm2";
    names[KindRole] = "kind";
    return names;
}

quint64 RegionStore::addRegion(Region region)
{
    region.polygon = normalisedRing(region.polygon);
    if (!isValidRegionPolygon(region.polygon))
        return 0;
    region.id = m_nextId++;
    if (region.name.trimmed().isEmpty())
        region.name = tr("Region %1").arg(m_nextNumber);
    ++m_nextNumber;
    const int row = rowCount();
    beginInsertRows({}, row, row);
    m_regions.push_back(std::move(region));
    endInsertRows();
    Q_EMIT regionsChanged();
    return m_regions.back().id;
}

quint64 RegionStore::findSame(const Region& region) const
{
    const QPolygonF ring = normalisedRing(region.polygon);
    for (const Region& r : m_regions)
        if (r.polygon == ring && (region.name.trimmed().isEmpty() || r.name == region.name))
            return r.id;
    return 0;
}

bool RegionStore::removeRegion(quint64 id)
{
    const int row = rowOf(id);
    return row >= 0 && removeRows(row, 1);
}

bool RegionStore::renameRegion(quint64 id, const QString& name)
{
    const int row = rowOf(id);
    const QString trimmed = name.trimmed();
    if (row < 0 || trimmed.isEmpty())
        return false;
    m_regions[size_t(row)].name = trimmed;
    Q_EMIT dataChanged(index(row), index(row));
    return true;
}

bool RegionStore::setPolygon(quint64 id, const QPolygonF& polygon)
{
    const int row = rowOf(id);
    const QPolygonF ring = normalisedRing(polygon);
    if (row < 0 || !isValidRegionPolygon(ring))
        return false;
    m_regions[size_t(row)].polygon = ring;
    Q_EMIT dataChanged(index(row), index(row));
    Q_EMIT regionsChanged();
    return true;
}

bool RegionStore::translateRegion(quint64 id, const QPointF& level0Delta)
{
    const Region* region = find(id);
    return region && setPolygon(id, region->polygon.translated(level0Delta));
}

void RegionStore::clear()
{
    beginResetModel();
    m_regions.clear();
    m_nextNumber = 1;
    endResetModel();
    Q_EMIT regionsChanged();
}

const Region* RegionStore::find(quint64 id) const
{
    const int row = rowOf(id);
    return row < 0 ? nullptr : &m_regions[size_t(row)];
}

int RegionStore::rowOf(quint64 id) const
{
    const auto it = std::find_if(m_regions.begin(), m_regions.end(), [id](const Region& r) { return r.id == id; });
    return it == m_regions.end() ? -1 : int(it - m_regions.begin());
}

quint64 RegionStore::idAt(int row) const
{
    return row >= 0 && row < rowCount() ? m_regions[size_t(row)].id : 0;
}

quint64 RegionStore::regionAt(const QPointF& level0) const
{
    for (auto it = m_regions.rbegin(); it != m_regions.rend(); ++it)
        if (regionContains(*it, level0))
            return it->id;
    return 0;
}

void RegionStore::setMicrometresPerPixel(std::optional<double> mpp)
{
    m_mpp = mpp;
    if (!m_regions.empty())
        Q_EMIT dataChanged(index(0), index(rowCount() - 1));
}

std::optional<double> RegionStore::areaSquareMillimetres(quint64 id) const
{
    const Region* region = find(id);
    if (!region || !m_mpp)
        return std::nullopt;
    return cellvit::areaSquareMillimetres(polygonAreaPx(region->polygon), *m_mpp);
}

} // namespace cellvit
