#pragma once
// 4-connected component labelling with scipy.ndimage.label numbering (components numbered 1..N in raster
// order of their first pixel), and remove_small_objects on a label image. The numbering matters: the
// reference's instance ids follow the marker labels.

#include <opencv2/core/mat.hpp>
#include <vector>

namespace cellvit {

// A horizontal run of component pixels [begin, end) in one row.
struct ComponentRun {
    int row, begin, end, label;
};

struct ComponentLabels {
    cv::Mat labels; // CV_32S, 0 = background
    int count = 0; // labels are 1..count
    // Filled by labelComponents4 in its final pass (no extra pass over the image), kept up to date by
    // removeSmallComponents: pixels per label (index 0 = background) and the last row each label occurs in.
    std::vector<int> sizes, lastRow;
    // Every run of foreground pixels in raster order, with its label (kept up to date by removeSmallComponents).
    std::vector<ComponentRun> runs;
};

// binary: CV_8U, nonzero = foreground.
ComponentLabels labelComponents4(const cv::Mat& binary);
// The same into `out`, reusing its label buffer when the size fits (no page faults for a fresh image).
void labelComponents4(const cv::Mat& binary, ComponentLabels& out);

// Pixel count per label (index 0 = background), like np.bincount(labels.ravel()), counted from the labels.
std::vector<int> componentSizes(const ComponentLabels& components);

// Sets components with fewer than minSize pixels to 0 (labels of the others are kept, leaving gaps). Needs the
// labels as labelComponents4 left them (it uses their sizes and rows: only rows of removed components are visited).
void removeSmallComponents(ComponentLabels& components, int minSize);

} // namespace cellvit
