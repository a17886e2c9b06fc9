#include "viewer/class_counts.h"

#include "viewer/cell_layer.h"

#include <QStringList>
#include <map>

namespace cellvit {

ClassCountTable countClasses(const CellLayer& layer, const QString& scope, const QPolygonF& outline,
    std::optional<double> areaPx, std::optional<double> mpp)
{
    ClassCountTable table;
    table.scope = scope;
    if (areaPx && mpp && *areaPx > 0)
        table.areaMm2 = *areaPx * *mpp * *mpp / 1e6;
    std::map<int, size_t> counts;
    for (quint32 id : layer.cellsWithCentroidIn(outline))
        ++counts[layer.cells()[id].type];
    for (const auto& [type, n] : counts)
        table.total += n;
    for (int type : layer.classIds()) {
        ClassCount row;
        row.typeId = type;
        row.name = layer.className(type);
        row.color = layer.classColor(type);
        const auto it = counts.find(type);
        row.count = it == counts.end() ? 0 : it->second;
        row.percent = table.total ? 100.0 * double(row.count) / double(table.total) : 0.0;
        if (table.areaMm2)
            row.densityPerMm2 = double(row.count) / *table.areaMm2;
        table.rows.push_back(row);
    }
    return table;
}

QString classCountsCsv(const ClassCountTable& table)
{
    auto quoted = [](QString text) {
        return QLatin1Char('"') + text.replace(QLatin1Char('"'), QLatin1String("\"\"")) + QLatin1Char('"');
    };
    auto density = [](std::optional<double> d) { return d ? QString::number(*d, 'f', 3) : QString(); };
    QStringList lines { QStringLiteral("scope,class,count,percent,density_per_mm2") };
    for (const ClassCount& row : table.rows)
        lines << QStringList { quoted(table.scope), quoted(row.name), QString::number(row.count),
            QString::number(row.percent, 'f', 2), density(row.densityPerMm2) }
                     .join(QLatin1Char(','));
    const std::optional<double> totalDensity
        = table.areaMm2 ? std::optional<double>(double(table.total) / *table.areaMm2) : std::nullopt;
    lines << QStringList { quoted(table.scope), quoted(QStringLiteral("Total")), QString::number(table.total),
        QString::number(table.total ? 100.0 : 0.0, 'f', 2), density(totalDensity) }
                 .join(QLatin1Char(','));
    return lines.join(QLatin1Char('\n')) + QLatin1Char('\n');
}

} // namespace cellvit
