#pragma once
// Regions as QuPath annotations: import from GeoJSON (every valid polygon kept, every problem listed per
// feature) and export as a FeatureCollection of annotation Polygons in level-0 pixels.

#include "viewer/region_shape.h"

#include <QString>
#include <QStringList>
#include <vector>

namespace cellvit {

struct RegionImport {
    std::vector<Region> regions; // kind Imported; one per polygon of a (Multi)Polygon annotation
    QStringList problems; // "feature 3: ..." for features that were skipped or changed
};

// Throws std::runtime_error (message names the file) when the file cannot be read or is not GeoJSON.
RegionImport importRegionsGeoJson(const QString& path);
// Throws std::runtime_error naming the file when it cannot be written.
void exportRegionsGeoJson(const QString& path, const std::vector<Region>& regions);

} // namespace cellvit
