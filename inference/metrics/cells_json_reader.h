#pragma once
// cells.json of CellViT (v1, v2 or ours): an object with a "cells" list, a bare list of cells, or a
// dict of cells keyed by instance id (v1 inst_info_dict). Each cell needs "contour" [[x,y],...];
// "centroid" [x,y] and "type" are used when present; bbox/type_prob/... are ignored.

#include "inference/metrics/polygon_annotation.h"

#include <filesystem>

namespace cellvit::metrics {

// Instances keep the file's cell order; hasTypes is set when the cells carry "type".
// Throws AnnotationError naming the file and the offending cell.
PolygonAnnotation readCellsJson(const std::filesystem::path& file);

} // namespace cellvit::metrics
