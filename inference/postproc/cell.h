#pragma once
// One detected nucleus, as produced by the post-processing and consumed by the slide merge, GeoJSON export
// and the viewer. Coordinates are patch pixels; conventions follow the reference cells.json (cellvit-facts §3).

#include <opencv2/core/types.hpp>
#include <vector>

namespace cellvit {

struct Cell {
    int id = 0; // value of the nucleus in the instance map (1..N)
    int rmin = 0, cmin = 0, rmax = 0, cmax = 0; // bounding box, row/col, max exclusive
    cv::Point2d centroid; // x, y (pixel-centre convention)
    std::vector<cv::Point> contour; // x, y, not closed
    int type = 0; // majority class id
    double typeProb = 0.0; // pixels of that class / (area + 1e-6)
};

} // namespace cellvit
