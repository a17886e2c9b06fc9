#pragma once
// Nuclei per class inside a region (or over all results): count, share of the total and density per mm².

#include <QColor>
#include <QPolygonF>
#include <QString>
#include <optional>
#include <vector>

namespace cellvit {

class CellLayer;

struct ClassCount {
    int typeId = 0;
    QString name;
    QColor color;
    size_t count = 0;
    double percent = 0; // of the scope's total, 0 when it has no cells
    std::optional<double> densityPerMm2;
};

struct ClassCountTable {
    QString scope; // "All results" or the region's name
    size_t total = 0;
    std::optional<double> areaMm2; // known with a resolution and an area
    std::vector<ClassCount> rows; // one per class of the layer, in class id order
};

// `outline` empty = every cell, with `areaPx` the analysed area (nullopt: densities unknown); otherwise the
// cells whose centroid lies inside the outline, and its area.
ClassCountTable countClasses(const CellLayer& layer, const QString& scope, const QPolygonF& outline,
    std::optional<double> areaPx, std::optional<double> micrometresPerPixel);

// "class,count,percent,density_per_mm2" rows plus a total row; '.' decimals whatever the locale.
QString classCountsCsv(const ClassCountTable& table);

} // namespace cellvit
