#pragma once
// GeoJSON nuclei: a QuPath FeatureCollection (one nucleus per Feature; a MultiPolygon Feature is one
// nucleus in several pieces) or CellViT's export, a bare list of Features with one MultiPolygon per
// class whose polygons are the individual nuclei. Polygon holes are honoured; Point and other
// geometries are skipped. properties.classification.name (or a plain string) gives the class.

#include "inference/metrics/nucleus_classes.h"
#include "inference/metrics/polygon_annotation.h"

#include <filesystem>

namespace cellvit::metrics {

// Class names are looked up in (and unknown ones added to) classes. Throws AnnotationError.
PolygonAnnotation readGeoJson(const std::filesystem::path& file, ClassTable& classes);

} // namespace cellvit::metrics
