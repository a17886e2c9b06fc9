#include "viewer/region_geojson.h"

#include "inference/export/geojson_reader.h"

#include <QCoreApplication>
#include <QFile>
#include <QSaveFile>
#include <QUuid>
#include <nlohmann/json.hpp>
#include <stdexcept>

namespace cellvit {

namespace {

QString tr(const char* text)
{
    return QCoreApplication::translate("cellvit", text);
}

std::filesystem::path toPath(const QString& path)
{
    return std::filesystem::path(QFile::encodeName(path).toStdString());
}

} // namespace

RegionImport importRegionsGeoJson(const QString& path)
{
    const GeoJsonImport parsed = readGeoJsonFile(toPath(path)); // ExportError is a std::runtime_error
    RegionImport result;
    for (const GeoJsonIssue& issue : parsed.issues)
        result.problems << QString::fromStdString(describeIssue(issue));
    for (const GeoJsonFeature& feature : parsed.features) {
        const QString where = tr("feature %1").arg(feature.index);
        if (feature.objectType != GeoJsonObjectType::Annotation) {
            result.problems << tr("%1: a %2, not an annotation (skipped)")
                                   .arg(where, QString::fromLatin1(objectTypeName(feature.objectType)));
            continue;
        }
        if (feature.geometry.polygons.empty()) {
            result.problems << tr("%1: %2 geometry has no area (skipped)")
                                   .arg(where, QString::fromStdString(feature.geometry.type));
            continue;
        }
        const QString baseName = QString::fromStdString(!feature.name.empty() ? feature.name : feature.className);
        int part = 0;
        for (const GeoJsonPolygon& polygon : feature.geometry.polygons) {
            ++part;
            if (polygon.rings.empty())
                continue;
            if (polygon.rings.size() > 1)
                result.problems << tr("%1: holes are not used for regions (outer outline kept)").arg(where);
            Region region;
            region.kind = RegionKind::Imported;
            for (const cv::Point2d& p : polygon.rings.front())
                region.polygon.append(QPointF(p.x, p.y));
            region.polygon = normalisedRing(region.polygon);
            if (!isValidRegionPolygon(region.polygon)) {
                result.problems << tr("%1: polygon %2 has no area (skipped)").arg(where).arg(part);
                continue;
            }
            region.name = baseName;
            if (!region.name.isEmpty() && feature.geometry.polygons.size() > 1)
                region.name += QStringLiteral(" (%1)").arg(part);
            result.regions.push_back(std::move(region));
        }
    }
    return result;
}

void exportRegionsGeoJson(const QString& path, const std::vector<Region>& regions)
{
    nlohmann::json features = nlohmann::json::array();
    for (const Region& region : regions) {
        nlohmann::json ring = nlohmann::json::array();
        for (const QPointF& p : region.polygon)
            ring.push_back({ p.x(), p.y() });
        if (!region.polygon.isEmpty())
            ring.push_back({ region.polygon.front().x(), region.polygon.front().y() }); // GeoJSON rings are closed
        features.push_back(
            { { "type", "Feature" }, { "id", QUuid::createUuid().toString(QUuid::WithoutBraces).toStdString() },
                { "geometry", { { "type", "Polygon" }, { "coordinates", nlohmann::json::array({ ring }) } } },
                { "properties", { { "objectType", "annotation" }, { "name", region.name.toStdString() } } } });
    }
    const nlohmann::json collection = { { "type", "FeatureCollection" }, { "features", features } };
    const std::string text = collection.dump(1);
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(text.data(), qint64(text.size())) != qint64(text.size())
        || !file.commit())
        throw std::runtime_error(QStringLiteral("%1: cannot write (%2)").arg(path, file.errorString()).toStdString());
}

} // namespace cellvit
