#include "viewer/detection_import.h"

#include "inference/export/geojson_reader.h"
#include "inference/export/geojson_writer.h"

#include <QCoreApplication>
#include <QFile>
#include <algorithm>
#include <cmath>
#include <limits>

namespace cellvit {

namespace {

QString tr(const char* text)
{
    return QCoreApplication::translate("cellvit", text);
}

// The id of `className`: the id the known taxonomy gives that name (so a file the loaded model wrote keeps its
// ids), else the next free one; the file's classes alone end up in `names`.
int typeIdFor(const std::string& className, const std::map<int, std::string>& known, std::map<int, std::string>& names)
{
    if (className.empty())
        return 0;
    const QString wanted = QString::fromStdString(className);
    auto same = [&](const std::string& name) { return QString::fromStdString(name).compare(wanted, Qt::CaseInsensitive) == 0; };
    for (const auto& [id, name] : names)
        if (same(name))
            return id;
    for (const auto& [id, name] : known)
        if (id > 0 && same(name) && !names.count(id)) {
            names[id] = className;
            return id;
        }
    int id = 1;
    while (names.count(id) || known.count(id))
        ++id;
    names[id] = className;
    return id;
}

SlideCell cellFromRing(const std::vector<cv::Point2d>& closedRing)
{
    SlideCell cell;
    cell.contour.assign(closedRing.begin(), closedRing.end());
    if (cell.contour.size() > 1 && cell.contour.front() == cell.contour.back())
        cell.contour.pop_back();
    double x0 = std::numeric_limits<double>::max(), y0 = x0, x1 = -x0, y1 = -x0, sx = 0, sy = 0;
    for (const cv::Point2d& p : cell.contour) {
        x0 = std::min(x0, p.x);
        y0 = std::min(y0, p.y);
        x1 = std::max(x1, p.x);
        y1 = std::max(y1, p.y);
        sx += p.x;
        sy += p.y;
    }
    // Vertex mean: QuPath does not store the centroid, and for nucleus outlines this is close enough.
    cell.centroid = { sx / double(cell.contour.size()), sy / double(cell.contour.size()) };
    cell.cmin = x0;
    cell.rmin = y0;
    cell.cmax = x1;
    cell.rmax = y1;
    return cell;
}

} // namespace

DetectionImport importDetectionsGeoJson(
    const QString& path, const CellTaxonomy& taxonomy, std::optional<double> micronsPerPixel)
{
    const GeoJsonImport parsed = readGeoJsonFile(std::filesystem::path(QFile::encodeName(path).toStdString()));
    DetectionImport result;
    const auto& known = taxonomy.typeNames();
    std::map<int, std::string> names;
    std::map<int, Rgb> colors; // the file's classification.color, per class
    for (const GeoJsonIssue& issue : parsed.issues)
        result.problems << QString::fromStdString(describeIssue(issue));
    for (const GeoJsonFeature& feature : parsed.features) {
        const bool detection
            = feature.objectType == GeoJsonObjectType::Detection || feature.objectType == GeoJsonObjectType::Cell;
        if (!detection) {
            ++result.annotationsSkipped;
            continue;
        }
        // A QuPath cell carries the nucleus separately from the cell boundary; the nucleus is what we show.
        const GeoJsonGeometry& geometry = feature.nucleusGeometry ? *feature.nucleusGeometry : feature.geometry;
        if (geometry.polygons.empty() || geometry.polygons.front().rings.empty()
            || geometry.polygons.front().rings.front().size() < 4) {
            result.problems << tr("feature %1: no polygon outline (skipped)").arg(feature.index);
            continue;
        }
        SlideCell cell = cellFromRing(geometry.polygons.front().rings.front());
        cell.type = typeIdFor(feature.className, known, names);
        if (cell.type > 0 && feature.classColor && !colors.count(cell.type))
            colors[cell.type] = *feature.classColor;
        const auto prob = feature.measurements.find(kMeasurementTypeProb);
        cell.typeProb = prob != feature.measurements.end() && std::isfinite(prob->second) ? prob->second : 0.0;
        const auto cx = feature.measurements.find(kMeasurementCentroidX);
        const auto cy = feature.measurements.find(kMeasurementCentroidY);
        if (micronsPerPixel && *micronsPerPixel > 0 && cx != feature.measurements.end()
            && cy != feature.measurements.end() && std::isfinite(cx->second) && std::isfinite(cy->second))
            cell.centroid = { cx->second / *micronsPerPixel, cy->second / *micronsPerPixel };
        cell.sequence = result.cells.size();
        result.cells.push_back(std::move(cell));
    }
    result.taxonomy = CellTaxonomy(names, colors);
    return result;
}

} // namespace cellvit
