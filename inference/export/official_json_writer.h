#pragma once
// The reference CellViT v2 outputs cells.json and cell_detection.json (cellvit-facts §4.4), streamed cell by cell:
// {"wsi_metadata": {...}, "type_map": {"1": "Neoplastic", ...}, "cells": [...]}.
// bbox is [[row_min, col_min], [row_max, col_max]] (row/col!), centroid and contour points are [x, y].

#include "inference/export/cell_classes.h"
#include "inference/export/export_control.h"
#include "inference/merge/slide_cell.h"

#include <filesystem>
#include <limits>
#include <map>
#include <string>
#include <vector>

namespace cellvit {

struct WsiMetadata {
    int origNTilesCols = 0;
    int origNTilesRows = 0;
    double baseMagnification = 40;
    double downsampling = 1;
    std::map<std::string, int> labelMap { { "background", 0 } }; // tissue label map of the patch extraction
    int patchOverlap = 64;
    int patchSize = 1024;
    double baseMpp = std::numeric_limits<double>::quiet_NaN(); // NaN is written as null
    double targetPatchMpp = std::numeric_limits<double>::quiet_NaN();
    bool stainNormalization = false;
    double magnification = 40;
    int level = 0;
};

struct OfficialJsonOptions {
    WsiMetadata metadata;
    CellTaxonomy taxonomy = CellTaxonomy::panNuke(); // written as type_map (id -> name, string keys)
};

// Every cell with its patch fields (patch_coordinates, cell_status, offset_global, edge_*): see cells_json_entry.h.
ExportSummary writeOfficialCellsJson(const std::filesystem::path& path, const std::vector<SlideCell>& cells,
    const OfficialJsonOptions& options, const ExportControl& control = {});
// Only bbox, centroid and type per cell.
ExportSummary writeOfficialCellDetectionJson(const std::filesystem::path& path, const std::vector<SlideCell>& cells,
    const OfficialJsonOptions& options, const ExportControl& control = {});

} // namespace cellvit
