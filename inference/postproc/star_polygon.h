#pragma once
// Star-convex polygons of STARDIST / CPP-Net: a centre pixel and nrays radial distances, ray k at angle 2πk/nrays
// (k = 0 points right along +column, k = nrays/4 down along +row).

#include <cstdint>
#include <vector>

namespace cellvit {

// A vertex on the integer grid (x = column, y = row), as the polygons of stardist's NMS (Clipper IntPoint).
struct GridPoint {
    int64_t x = 0, y = 0;
    bool operator==(const GridPoint& o) const { return x == o.x && y == o.y; }
};

// The polygon stardist's C++ NMS builds: vertex k = (col + d_k·cos φ_k, row + d_k·sin φ_k) in float32 with
// φ_k = float32(2π/nrays)·k and sinf/cosf, truncated towards zero to the integer grid. The float vertices' bounding
// box (before truncation) is what the NMS compares.
struct NmsPolygon {
    std::vector<GridPoint> vertices;
    float xMin = 0, xMax = 0, yMin = 0, yMax = 0; // float vertices' bounding box
    float radius = 0; // largest ray length
    float area = 0; // shoelace area of the grid vertices (float, as the reference)
};
NmsPolygon nmsPolygon(int row, int col, const float* dists, int nrays);

// 0.5·|Σ x_i·y_{i+1} − y_i·x_{i+1}| accumulated in float, as stardist's area_from_path.
float shoelaceArea(const std::vector<GridPoint>& ring);

// The polygon polygons_to_label rasterises (stardist dist_to_coord): row_k = float32(p_r + float32(d_k·sin φ_k)),
// col_k likewise with cos, the products in double with φ_k = k·(2π/nrays) as np.linspace computes it.
struct LabelPolygon {
    std::vector<double> rows, cols;
};
LabelPolygon labelPolygon(int row, int col, const float* dists, int nrays);

} // namespace cellvit
