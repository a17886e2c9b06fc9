#include "inference/metrics/geojson_reader.h"

#include "inference/export/export_error.h"
#include "inference/export/geojson_reader.h"
#include "inference/metrics/annotation_error.h"

namespace cellvit::metrics {
namespace {

PolygonPart partOf(const GeoJsonPolygon& polygon)
{
    PolygonPart part;
    part.outer = polygon.rings.front();
    part.holes.assign(polygon.rings.begin() + 1, polygon.rings.end());
    return part;
}

} // namespace

// The project's one GeoJSON reader (inference/export/geojson_reader.h) does the parsing; this keeps the nuclei.
// Unlike an import into the viewer, scoring is strict: one malformed feature fails the file, since silently
// dropping a nucleus would change the scores.
PolygonAnnotation readGeoJson(const std::filesystem::path& file, ClassTable& classes)
{
    GeoJsonImport import;
    try {
        import = readGeoJsonFile(file, kAnnotationRules);
    } catch (const ExportError& e) {
        throw AnnotationError(e.what());
    }
    if (!import.issues.empty())
        throw AnnotationError(file, describeIssue(import.issues.front()));

    PolygonAnnotation out;
    bool named = false;
    for (const GeoJsonFeature& feature : import.features) {
        if (feature.geometry.polygons.empty())
            continue; // points (cell_detection.geojson), lines, ...: nothing to segment
        int cls = 0;
        if (!feature.className.empty()) {
            cls = classes.idOf(feature.className);
            named = true;
        }
        if (import.bareFeatureList) {
            for (const GeoJsonPolygon& polygon : feature.geometry.polygons)
                out.instances.push_back({ { partOf(polygon) }, cls, std::nullopt });
            continue;
        }
        PolygonInstance instance { {}, cls, std::nullopt };
        for (const GeoJsonPolygon& polygon : feature.geometry.polygons)
            instance.parts.push_back(partOf(polygon));
        out.instances.push_back(std::move(instance));
    }
    if (out.instances.empty())
        throw AnnotationError(file, "no Polygon or MultiPolygon features");
    out.hasTypes = named;
    return out;
}

} // namespace cellvit::metrics
