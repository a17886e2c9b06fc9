#pragma once
// A region of interest in level-0 pixel coordinates: a rectangle or any set of polygons (from GeoJSON).

#include <opencv2/core/types.hpp>

#include <vector>

namespace cellvit {

struct RegionOfInterest {
    // Outer rings only (holes are not used to select tiles); level-0 pixels, x right, y down.
    std::vector<std::vector<cv::Point2d>> polygons;

    static RegionOfInterest rectangle(double x, double y, double width, double height);
    bool empty() const { return polygons.empty(); }
    cv::Rect2d boundingBox() const;
    bool contains(const cv::Point2d& point) const;
    bool intersects(const cv::Rect2d& rect) const;
    double area() const; // level-0 px², sum of polygon areas
    // Each ring replaced by its valid parts (GEOSMakeValid): a self-crossing bow-tie becomes its two triangles, a
    // collapsed ring disappears; valid rings are kept as they are.
    RegionOfInterest repaired() const;
};

} // namespace cellvit
