#include "app/cli/region_options.h"

#include "inference/export/geojson_reader.h"

#include <QTextStream>

#include <stdexcept>

namespace cellvit::cli {

void addRegionOptions(QCommandLineParser& parser)
{
    parser.addOption({ QStringLiteral("region"), QStringLiteral("Rectangle in level-0 pixels: x,y,width,height."),
                       QStringLiteral("x,y,w,h") });
    parser.addOption({ QStringLiteral("roi"),
                       QStringLiteral("Region(s) from a GeoJSON file (QuPath annotations: Polygon/MultiPolygon)."),
                       QStringLiteral("ROI.geojson") });
}

RegionOfInterest regionFromOptions(const QCommandLineParser& parser)
{
    const bool rect = parser.isSet(QStringLiteral("region")), roi = parser.isSet(QStringLiteral("roi"));
    if (rect && roi)
        throw std::invalid_argument("give either --region or --roi, not both");
    if (rect) {
        const QStringList parts = parser.value(QStringLiteral("region")).split(QLatin1Char(','));
        double v[4] = {};
        bool allOk = parts.size() == 4;
        for (int i = 0; allOk && i < 4; ++i)
            v[i] = parts[i].trimmed().toDouble(&allOk);
        if (!allOk)
            throw std::invalid_argument("--region must be x,y,width,height in level-0 pixels");
        if (v[2] <= 0 || v[3] <= 0)
            throw std::invalid_argument("--region has zero width or height: the region is empty");
        return RegionOfInterest::rectangle(v[0], v[1], v[2], v[3]);
    }
    if (!roi)
        return {};
    const std::string path = parser.value(QStringLiteral("roi")).toStdString();
    const GeoJsonImport imported = readGeoJsonFile(path);
    for (const auto& issue : imported.issues)
        QTextStream(stderr) << "cellvit-cli: warning: " << QString::fromStdString(path) << ": "
                            << QString::fromStdString(describeIssue(issue)) << Qt::endl;
    RegionOfInterest region;
    for (const auto& feature : imported.features)
        for (const auto& polygon : feature.geometry.polygons)
            if (!polygon.rings.empty() && polygon.rings.front().size() >= 3)
                region.polygons.push_back(polygon.rings.front());
    if (region.empty())
        throw std::invalid_argument(path + ": no polygon in the GeoJSON to use as a region");
    return region;
}

nlohmann::json regionKey(const RegionOfInterest& region)
{
    nlohmann::json rings = nlohmann::json::array();
    for (const auto& ring : region.polygons) {
        nlohmann::json points = nlohmann::json::array();
        for (const auto& p : ring)
            points.push_back({ p.x, p.y });
        rings.push_back(points);
    }
    return rings;
}

} // namespace cellvit::cli
