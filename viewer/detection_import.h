#pragma once
// QuPath detections (or cells) from GeoJSON as nuclei for display: the outer ring of each polygon becomes the
// contour; the classes are the file's own (names and `classification.color`). A class the given taxonomy names
// too keeps that taxonomy's id, so a file written from the loaded model's results maps back onto its ids.

#include "inference/export/cell_classes.h"
#include "inference/merge/slide_cell.h"

#include <QString>
#include <QStringList>
#include <optional>
#include <vector>

namespace cellvit {

struct DetectionImport {
    std::vector<SlideCell> cells;
    CellTaxonomy taxonomy; // the file's classes (and colours) only
    QStringList problems;
    size_t annotationsSkipped = 0;
};

// Throws std::runtime_error (message names the file) when the file cannot be read or is not GeoJSON.
// With the slide's resolution, the "Centroid X/Y µm" measurements (when present) give the centroids back.
DetectionImport importDetectionsGeoJson(
    const QString& path, const CellTaxonomy& taxonomy, std::optional<double> micronsPerPixel = std::nullopt);

} // namespace cellvit
