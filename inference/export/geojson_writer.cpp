#include "inference/export/geojson_writer.h"

#include "inference/export/json_text.h"
#include "inference/export/nucleus_shape.h"

#include <utility>

namespace cellvit {

const char* const kMeasurementArea = "Area \xC2\xB5m^2";
const char* const kMeasurementPerimeter = "Perimeter \xC2\xB5m";
const char* const kMeasurementCircularity = "Circularity";
const char* const kMeasurementTypeProb = "Type probability";
const char* const kMeasurementCentroidX = "Centroid X \xC2\xB5m";
const char* const kMeasurementCentroidY = "Centroid Y \xC2\xB5m";

namespace {

void appendPoint(std::string& out, const cv::Point2d& p)
{
    out += '[';
    json_text::appendFixed2(out, p.x);
    out += ',';
    json_text::appendFixed2(out, p.y);
    out += ']';
}

void appendMeasurement(std::string& out, const char* name, double value, bool first = false)
{
    if (!first)
        out += ',';
    json_text::appendString(out, name);
    out += ':';
    json_text::appendNumber(out, value);
}

} // namespace

GeoJsonCellWriter::GeoJsonCellWriter(const std::filesystem::path& path, GeoJsonExportOptions options)
    : m_options(std::move(options))
    , m_output(path)
{
    m_output.write("{\"type\":\"FeatureCollection\",\"features\":[");
}

bool GeoJsonCellWriter::add(const SlideCell& cell)
{
    const std::vector<cv::Point2d> ring = exportRing(cell.contour);
    if (ring.empty()) {
        ++m_summary.skippedDegenerate;
        return false;
    }
    std::string& out = m_output.buffer();
    out += m_summary.written == 0 ? "\n" : ",\n";
    out += "{\"type\":\"Feature\",\"id\":\"";
    out += m_uuids.next();
    out += "\",\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[";
    for (const cv::Point2d& p : ring) {
        appendPoint(out, p);
        out += ',';
    }
    appendPoint(out, ring.front()); // GeoJSON / JTS rings are closed
    out += "]]},\"properties\":{\"objectType\":\"detection\",\"classification\":{\"name\":";
    const CellClass cls = m_options.taxonomy.classOf(cell.type);
    json_text::appendString(out, cls.name);
    out += ",\"color\":[";
    for (int i = 0; i < 3; ++i) {
        if (i)
            out += ',';
        json_text::appendInt(out, cls.color[i]);
    }
    out += "]}";
    if (m_options.includeMeasurements) {
        const NucleusMeasurements m = measureNucleus(ring, cell.centroid, cell.typeProb, m_options.micronsPerPixel);
        out += ",\"measurements\":{";
        appendMeasurement(out, kMeasurementArea, m.areaUm2, true);
        appendMeasurement(out, kMeasurementPerimeter, m.perimeterUm);
        appendMeasurement(out, kMeasurementCircularity, m.circularity);
        appendMeasurement(out, kMeasurementTypeProb, m.typeProbability);
        appendMeasurement(out, kMeasurementCentroidX, m.centroidXUm);
        appendMeasurement(out, kMeasurementCentroidY, m.centroidYUm);
        out += '}';
    }
    out += "}}";
    m_output.flushIfFull();
    ++m_summary.written;
    return true;
}

ExportSummary GeoJsonCellWriter::finish()
{
    m_output.write("\n]}\n");
    m_output.commit();
    return m_summary;
}

ExportSummary writeCellsGeoJson(const std::filesystem::path& path, const std::vector<SlideCell>& cells,
    const GeoJsonExportOptions& options, const ExportControl& control)
{
    GeoJsonCellWriter writer(path, options);
    const std::size_t every = control.reportEvery ? control.reportEvery : 1;
    for (std::size_t i = 0; i < cells.size(); ++i) {
        if (i % every == 0) {
            if (control.cancelRequested && control.cancelRequested()) {
                ExportSummary cancelled;
                cancelled.cancelled = true;
                return cancelled; // the writer's destructor removes the partial file
            }
            if (control.progress && i > 0)
                control.progress(i, cells.size());
        }
        writer.add(cells[i]);
    }
    ExportSummary summary = writer.finish();
    if (control.progress)
        control.progress(cells.size(), cells.size());
    return summary;
}

} // namespace cellvit
