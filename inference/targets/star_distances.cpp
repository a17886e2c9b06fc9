#include "inference/targets/star_distances.h"

#include <algorithm>
#include <cmath>

namespace cellvit {

std::vector<cv::Mat> starDistances(const cv::Mat& instances, int nrays)
{
    CV_Assert(instances.type() == CV_32S && nrays > 0);
    std::vector<cv::Mat> rays(static_cast<size_t>(nrays));
    for (auto& ray : rays)
        ray = cv::Mat::zeros(instances.size(), CV_32F);
    // All in float32 as stardist's C code (st_rays, phi, the marching sums), so the boundary rounding matches.
    const float step = static_cast<float>((2 * M_PI) / nrays);
    std::vector<float> dRow(rays.size()), dCol(rays.size()), corr(rays.size());
    for (int k = 0; k < nrays; ++k) {
        const float phi = static_cast<float>(k) * step;
        dRow[k] = static_cast<float>(std::sin(phi));
        dCol[k] = static_cast<float>(std::cos(phi));
        corr[k] = 0.5f / std::max(std::fabs(dRow[k]), std::fabs(dCol[k])) - 1.0f;
    }
    // stardist reads the ids as uint16; ids here stay int (equal for the < 65536 ids of real maps).
    const int rows = instances.rows, cols = instances.cols;
    for (int i = 0; i < rows; ++i)
        for (int j = 0; j < cols; ++j) {
            const int value = instances.at<int>(i, j);
            if (value == 0)
                continue;
            for (int k = 0; k < nrays; ++k) {
                float x = 0, y = 0; // row and column offsets
                while (true) {
                    x += dRow[k];
                    y += dCol[k];
                    // lrint: round half to even, as stardist's round_to_int.
                    const int ii = static_cast<int>(std::lrint(static_cast<float>(i) + x));
                    const int jj = static_cast<int>(std::lrint(static_cast<float>(j) + y));
                    if (ii < 0 || ii >= rows || jj < 0 || jj >= cols || instances.at<int>(ii, jj) != value) {
                        x += corr[k] * dRow[k]; // step back: we overshot the boundary
                        y += corr[k] * dCol[k];
                        rays[k].at<float>(i, j) = std::sqrt(x * x + y * y);
                        break;
                    }
                }
            }
        }
    return rays;
}

} // namespace cellvit
