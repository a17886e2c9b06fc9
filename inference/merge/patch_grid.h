#pragma once
// Geometry of the reference patch grid (cellvit-facts §4.1-4.2): 1024-px patches with a 64-px overlap, stride
// 960. Patch (row, col) pixel (0, 0) lies at level coordinate (col*960 - 32, row*960 - 32), because DeepZoom
// pads the first row/column at the top/left and all others at the bottom/right.
//
// `scale` maps patch pixels to level-0 pixels (2.0 when a 20x model runs on a 40x slide). The origin is computed
// in level-0 units as scale * (col*stride - overlap/2) and patch coordinates are scaled relative to it; the
// reference v1 scaled only col*patchSize and not the overlap, which shifts x20 results (CellViT#55).

#include <functional>
#include <opencv2/core/types.hpp>

namespace cellvit {

struct PatchIndex {
    int row = 0;
    int col = 0;
    friend bool operator==(const PatchIndex& a, const PatchIndex& b) { return a.row == b.row && a.col == b.col; }
    friend bool operator!=(const PatchIndex& a, const PatchIndex& b) { return !(a == b); }
    friend bool operator<(const PatchIndex& a, const PatchIndex& b)
    {
        return a.row != b.row ? a.row < b.row : a.col < b.col;
    }
};

struct PatchGrid {
    int patchSize = 1024;
    int overlap = 64;
    double scale = 1.0; // patch pixels -> level-0 pixels
    cv::Point2d levelOrigin; // level-0 position of the grid's level coordinate (0, 0), e.g. the slide bounds

    int stride() const { return patchSize - overlap; }
    // Patch pixel (0, 0) in the patch's own level (x, y), e.g. (col*960 - 32, row*960 - 32).
    cv::Point patchOriginInLevel(PatchIndex patch) const;
    // Patch pixel (0, 0)'s corner in level-0 units, rounded to whole pixels (where the patch is read).
    cv::Point2d patchOriginLevel0(PatchIndex patch) const;
    // A patch-pixel position (x, y) in level-0 units: origin + (p + ½)·scale − ½ (pixel centres).
    cv::Point2d toLevel0(PatchIndex patch, cv::Point2d patchPixel) const;
    // Level-0 rectangle [x0, x1) x [y0, y1) that the patch "owns": its share of the overlap bands, split in
    // the middle. The owned rectangles of a grid tile the plane without gaps or overlaps.
    cv::Rect2d ownedRectLevel0(PatchIndex patch) const;
    // Throws std::invalid_argument naming the bad field (patch <= overlap, odd overlap, scale <= 0).
    void validate() const;
};

} // namespace cellvit

template <> struct std::hash<cellvit::PatchIndex> {
    size_t operator()(const cellvit::PatchIndex& p) const noexcept
    {
        return std::hash<long long>()((static_cast<long long>(p.row) << 32) ^ static_cast<unsigned>(p.col));
    }
};
