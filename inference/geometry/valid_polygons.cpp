#include "inference/geometry/valid_polygons.h"

#include "inference/geometry/geos_context.h"

#include <geos_c.h>

#include <algorithm>
#include <stdexcept>
#include <utility>

namespace cellvit::geos {
namespace {

// A GEOS polygon from an open ring (closed here); nullptr when GEOS refuses it (fewer than 3 distinct points).
Geometry polygonOf(const Ring& ring)
{
    const Context ctx = threadContext();
    if (ring.size() < 3)
        return nullptr;
    GEOSCoordSequence* sequence = GEOSCoordSeq_create_r(ctx, static_cast<unsigned>(ring.size() + 1), 2);
    if (!sequence)
        return nullptr;
    for (size_t i = 0; i <= ring.size(); ++i) {
        const cv::Point2d& p = ring[i % ring.size()];
        GEOSCoordSeq_setXY_r(ctx, sequence, static_cast<unsigned>(i), p.x, p.y);
    }
    GEOSGeometry* shell = GEOSGeom_createLinearRing_r(ctx, sequence); // takes the sequence, even on failure
    if (!shell)
        return nullptr;
    return Geometry(GEOSGeom_createPolygon_r(ctx, shell, nullptr, 0)); // takes the shell
}

Ring ringOf(const GEOSGeometry* shell)
{
    const Context ctx = threadContext();
    Ring ring;
    const GEOSCoordSequence* sequence = shell ? GEOSGeom_getCoordSeq_r(ctx, shell) : nullptr;
    unsigned size = 0;
    if (!sequence || !GEOSCoordSeq_getSize_r(ctx, sequence, &size) || size < 4)
        return ring;
    ring.reserve(size - 1);
    for (unsigned i = 0; i + 1 < size; ++i) { // the last point closes the ring
        double x = 0, y = 0;
        GEOSCoordSeq_getXY_r(ctx, sequence, i, &x, &y);
        ring.emplace_back(x, y);
    }
    return ring;
}

Ring outerRingOf(const GEOSGeometry* polygon)
{
    return ringOf(GEOSGetExteriorRing_r(threadContext(), polygon));
}

// Every polygon in a (possibly nested) collection, with its area.
void collectPolygons(const GEOSGeometry* geometry, std::vector<std::pair<double, Ring>>& out)
{
    const Context ctx = threadContext();
    const int type = GEOSGeomTypeId_r(ctx, geometry);
    if (type == GEOS_POLYGON) {
        double area = 0;
        if (GEOSArea_r(ctx, geometry, &area) && area > 0) {
            Ring ring = outerRingOf(geometry);
            if (ring.size() >= 3)
                out.emplace_back(area, std::move(ring));
        }
        return;
    }
    if (type == GEOS_MULTIPOLYGON || type == GEOS_GEOMETRYCOLLECTION) {
        const int count = GEOSGetNumGeometries_r(ctx, geometry);
        for (int i = 0; i < count; ++i)
            collectPolygons(GEOSGetGeometryN_r(ctx, geometry, i), out);
    }
}

} // namespace

bool isValidRing(const Ring& ring)
{
    const Geometry polygon = polygonOf(ring);
    return polygon && GEOSisValid_r(threadContext(), polygon.get()) == 1;
}

std::vector<Ring> validPolygons(const Ring& ring, double gridSize)
{
    const Context ctx = threadContext();
    Geometry geometry = polygonOf(ring);
    if (!geometry)
        return {};
    const char valid = GEOSisValid_r(ctx, geometry.get());
    if (valid == 2)
        throw std::runtime_error("GEOS could not check a polygon: " + lastError());
    if (valid == 1 && gridSize <= 0) {
        std::vector<Ring> result;
        result.push_back(ring);
        return result;
    }
    if (valid == 0) {
        geometry.reset(GEOSMakeValid_r(ctx, geometry.get()));
        if (!geometry)
            throw std::runtime_error("GEOS could not repair a polygon: " + lastError());
    }
    if (gridSize > 0) {
        geometry.reset(GEOSGeom_setPrecision_r(ctx, geometry.get(), gridSize, 0));
        if (!geometry)
            throw std::runtime_error("GEOS could not snap a polygon to its grid: " + lastError());
    }
    std::vector<std::pair<double, Ring>> parts;
    collectPolygons(geometry.get(), parts);
    std::stable_sort(parts.begin(), parts.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
    std::vector<Ring> result;
    result.reserve(parts.size());
    for (auto& part : parts)
        result.push_back(std::move(part.second));
    return result;
}

std::optional<PolygonWithHoles> bufferRepairedLargestPart(const Ring& contour)
{
    const Context ctx = threadContext();
    Geometry geometry = polygonOf(contour);
    if (!geometry)
        return std::nullopt;
    const char valid = GEOSisValid_r(ctx, geometry.get());
    if (valid == 2)
        throw std::runtime_error("GEOS could not check a polygon: " + lastError());
    if (valid == 0) {
        geometry.reset(GEOSBuffer_r(ctx, geometry.get(), 0.0, 16)); // shapely's buffer(0): 16 segments a quadrant
        if (!geometry)
            throw std::runtime_error("GEOS could not buffer a polygon: " + lastError());
    }
    const GEOSGeometry* largest = nullptr;
    double largestArea = 0;
    const int type = GEOSGeomTypeId_r(ctx, geometry.get());
    const int count = type == GEOS_MULTIPOLYGON ? GEOSGetNumGeometries_r(ctx, geometry.get()) : 1;
    for (int i = 0; i < count; ++i) {
        const GEOSGeometry* part = type == GEOS_MULTIPOLYGON ? GEOSGetGeometryN_r(ctx, geometry.get(), i) : geometry.get();
        double area = 0;
        if (GEOSGeomTypeId_r(ctx, part) == GEOS_POLYGON && GEOSArea_r(ctx, part, &area) && area > largestArea) {
            largest = part;
            largestArea = area;
        }
    }
    if (!largest)
        return std::nullopt;
    PolygonWithHoles result;
    result.outer = outerRingOf(largest);
    const int holes = GEOSGetNumInteriorRings_r(ctx, largest);
    for (int i = 0; i < holes; ++i)
        result.holes.push_back(ringOf(GEOSGetInteriorRingN_r(ctx, largest, i)));
    return result;
}

} // namespace cellvit::geos
