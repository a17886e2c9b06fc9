#pragma once
// QuPath-compatible GeoJSON of nuclei: a FeatureCollection with one Polygon Feature per nucleus
// (objectType "detection", UUID id, classification with name and colour, numeric measurements), level-0 pixel
// coordinates with 2 decimals. Written feature by feature; gzip-compressed when the file name ends with ".gz".

#include "inference/export/cell_classes.h"
#include "inference/export/export_control.h"
#include "inference/export/text_output.h"
#include "inference/export/uuid_v4.h"
#include "inference/merge/slide_cell.h"

#include <filesystem>
#include <optional>
#include <vector>

namespace cellvit {

struct GeoJsonExportOptions {
    CellTaxonomy taxonomy = CellTaxonomy::panNuke();
    std::optional<double> micronsPerPixel; // without it the µm measurements are "NaN"
    bool includeMeasurements = true;
};

// Incremental form for callers that produce cells in chunks. Nothing replaces the target before finish().
class GeoJsonCellWriter {
public:
    GeoJsonCellWriter(const std::filesystem::path& path, GeoJsonExportOptions options); // throws ExportError
    // False when the contour is degenerate (fewer than 3 distinct points on the 0.01 px grid, or no area).
    bool add(const SlideCell& cell);
    ExportSummary finish(); // closes the collection and commits the file

private:
    GeoJsonExportOptions m_options;
    TextOutput m_output;
    UuidV4Generator m_uuids;
    ExportSummary m_summary;
};

// Whole list with progress and cancellation; a cancelled export leaves no file and returns cancelled = true.
ExportSummary writeCellsGeoJson(const std::filesystem::path& path, const std::vector<SlideCell>& cells,
    const GeoJsonExportOptions& options, const ExportControl& control = {});

// Measurement names, in the order they are written.
extern const char* const kMeasurementArea; // "Area µm^2"
extern const char* const kMeasurementPerimeter; // "Perimeter µm"
extern const char* const kMeasurementCircularity; // "Circularity"
extern const char* const kMeasurementTypeProb; // "Type probability"
extern const char* const kMeasurementCentroidX; // "Centroid X µm"
extern const char* const kMeasurementCentroidY; // "Centroid Y µm"

} // namespace cellvit
