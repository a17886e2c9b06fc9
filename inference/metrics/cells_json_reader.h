#pragma once
// cells.json of CellViT (v1, v2 or ours): an object with a "cells" list, a bare list of cells, or a
// dict of cells keyed by instance id (v1 inst_info_dict). Each cell needs "contour" [[x,y],...];
// "centroid" [x,y] and "type" are used when present; bbox/type_prob/... are ignored.

#include "inference/metrics/nucleus_classes.h"
#include "inference/metrics/polygon_annotation.h"

#include <filesystem>
#include <map>
#include <nlohmann/json_fwd.hpp>
#include <string>

namespace cellvit::metrics {

// Class names by type id that a cells.json declares: its "type_map" (ours and v1's: id -> name), else
// wsi_metadata.label_map (v2: name -> id) when it names more than the background; empty when neither (the
// ids are then PanNuke's, the reference's default).
std::map<int, std::string> cellsJsonTypeNames(const nlohmann::json& root);

// Instances keep the file's cell order; hasTypes is set when the cells carry "type". Types of a file that
// names its classes are ids of `classes` by name (classes.idOf: a model's own ids need not match the ground
// truth's); a file naming a single nucleus class (the classical engine's "Nucleus") is untyped. Unnamed ids
// are kept as they are. Throws AnnotationError naming the file and the offending cell.
PolygonAnnotation readCellsJson(const std::filesystem::path& file, ClassTable& classes);

} // namespace cellvit::metrics
