#include "inference/targets/instance_boxes.h"

#include <algorithm>
#include <climits>

namespace cellvit {

std::map<int, cv::Rect> tightInstanceBoxes(const cv::Mat& instances)
{
    CV_Assert(instances.type() == CV_32S);
    struct Extent {
        int rmin = INT_MAX, rmax = -1, cmin = INT_MAX, cmax = -1; // inclusive while collecting
    };
    std::map<int, Extent> extents; // one pass for all instances
    for (int r = 0; r < instances.rows; ++r) {
        const int* row = instances.ptr<int>(r);
        for (int c = 0; c < instances.cols; ++c) {
            if (row[c] <= 0)
                continue;
            Extent& e = extents[row[c]];
            e.rmin = std::min(e.rmin, r);
            e.rmax = std::max(e.rmax, r);
            e.cmin = std::min(e.cmin, c);
            e.cmax = std::max(e.cmax, c);
        }
    }
    std::map<int, cv::Rect> boxes;
    for (const auto& [id, e] : extents)
        boxes.emplace(id, cv::Rect(e.cmin, e.rmin, e.cmax + 1 - e.cmin, e.rmax + 1 - e.rmin));
    return boxes;
}

std::map<int, cv::Rect> widenedInstanceBoxes(const cv::Mat& instances)
{
    std::map<int, cv::Rect> boxes;
    for (const auto& [id, tight] : tightInstanceBoxes(instances)) {
        int r0 = tight.y, r1 = tight.y + tight.height, c0 = tight.x, c1 = tight.x + tight.width;
        if (r0 >= 2)
            r0 -= 2;
        if (c0 >= 2)
            c0 -= 2;
        // The max side only widens while it stays ≤ size − 1 (x2 + 2 <= shape − 1): one pixel short of the edge.
        if (r1 + 2 <= instances.rows - 1)
            r1 += 2;
        if (c1 + 2 <= instances.cols - 1)
            c1 += 2;
        boxes.emplace(id, cv::Rect(c0, r0, c1 - c0, r1 - r0));
    }
    return boxes;
}

} // namespace cellvit
