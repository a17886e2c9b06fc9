#pragma once
// The polygon that is written for a nucleus and the measurements derived from it.

#include <opencv2/core/types.hpp>
#include <optional>
#include <vector>

namespace cellvit {

// The contour snapped to QuPath's 0.01 px grid with repeated consecutive points removed (open ring), valid for
// GEOS/shapely/QuPath: a self-touching or self-crossing contour is repaired (GEOSMakeValid) and its largest part
// kept. Empty when fewer than 3 distinct points or no enclosed area remain.
std::vector<cv::Point2d> exportRing(const std::vector<cv::Point2d>& contour);

double ringArea(const std::vector<cv::Point2d>& ring); // shoelace, absolute, px^2
double ringPerimeter(const std::vector<cv::Point2d>& ring); // closed length, px

struct NucleusMeasurements {
    double areaUm2 = 0; // NaN without mpp
    double perimeterUm = 0; // NaN without mpp
    double circularity = 0; // 4 pi A / P^2, unit-free
    double typeProbability = 0;
    double centroidXUm = 0, centroidYUm = 0; // NaN without mpp
};

NucleusMeasurements measureNucleus(
    const std::vector<cv::Point2d>& ring, cv::Point2d centroid, double typeProb, std::optional<double> micronsPerPixel);

} // namespace cellvit
