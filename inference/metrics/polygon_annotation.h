#pragma once
// Nuclei given as polygons (ImageScope XML, GeoJSON, cells.json) and their rasterisation into an
// instance map: instance k (0-based, in file order) gets label k+1, later instances overwrite earlier ones.

#include <opencv2/core.hpp>
#include <optional>
#include <string>
#include <vector>

namespace cellvit::metrics {

using Ring = std::vector<cv::Point2d>; // x, y in pixels; closing point optional

struct PolygonPart {
    Ring outer;
    std::vector<Ring> holes;
};

struct PolygonInstance {
    std::vector<PolygonPart> parts;
    int type = 0; // class id, 0 = none
    std::optional<cv::Point2d> centroid; // when the source stores one (cells.json)
};

struct PolygonAnnotation {
    std::vector<PolygonInstance> instances;
    bool hasTypes = false;
};

enum class PolygonFill {
    // skimage.draw.polygon(rows=Y, cols=X): pixels whose centre lies inside or on the boundary.
    // The convention of the reference's MoNuSeg ground truth.
    PixelCentres,
    // cv::fillPoly: the interior plus the boundary pixels. Reproduces instances from the integer
    // contours that OpenCV traced (cells.json).
    WithBoundary,
};

cv::Mat rasterise(const PolygonAnnotation& annotation, cv::Size size, PolygonFill fill);

// Smallest image that holds every vertex (ceil of the largest coordinates, plus one).
cv::Size polygonExtent(const PolygonAnnotation& annotation);

} // namespace cellvit::metrics
