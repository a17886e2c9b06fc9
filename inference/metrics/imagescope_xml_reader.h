#pragma once
// Aperio ImageScope XML annotations (MoNuSeg): <Annotations><Annotation><Regions><Region>
// <Vertices><Vertex X=".." Y=".."/>. Each Region is one nucleus polygon, in file order; no classes.

#include "inference/metrics/polygon_annotation.h"

#include <filesystem>
#include <optional>

namespace cellvit::metrics {

struct ImageScopeAnnotation {
    PolygonAnnotation polygons;
    std::optional<double> micronsPerPixel; // root attribute MicronsPerPixel, when present
};

// Throws AnnotationError (file and line) for unreadable or malformed XML.
ImageScopeAnnotation readImageScopeXml(const std::filesystem::path& file);

} // namespace cellvit::metrics
