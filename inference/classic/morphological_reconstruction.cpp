#include "inference/classic/morphological_reconstruction.h"

#include <algorithm>
#include <deque>
#include <opencv2/core.hpp>
#include <stdexcept>

namespace cellvit::classic {

cv::Mat reconstructByDilation(const cv::Mat& marker, const cv::Mat& mask)
{
    if (marker.type() != CV_32F || mask.type() != CV_32F || marker.size() != mask.size())
        throw std::invalid_argument("reconstruction: marker and mask must be float images of one size");
    cv::Mat j = cv::min(marker, mask);
    const int rows = j.rows, cols = j.cols;
    auto at = [&](int y, int x) -> float& { return j.ptr<float>(y)[x]; };
    auto limit = [&](int y, int x) { return mask.ptr<float>(y)[x]; };

    // Forward scan: neighbours above and to the left.
    for (int y = 0; y < rows; ++y) {
        for (int x = 0; x < cols; ++x) {
            float v = at(y, x);
            if (x > 0)
                v = std::max(v, at(y, x - 1));
            if (y > 0) {
                for (int dx = -1; dx <= 1; ++dx) {
                    if (x + dx >= 0 && x + dx < cols)
                        v = std::max(v, at(y - 1, x + dx));
                }
            }
            at(y, x) = std::min(v, limit(y, x));
        }
    }
    // Backward scan: neighbours below and to the right; pixels that can still raise a neighbour are queued.
    std::deque<cv::Point> fifo;
    for (int y = rows - 1; y >= 0; --y) {
        for (int x = cols - 1; x >= 0; --x) {
            float v = at(y, x);
            if (x + 1 < cols)
                v = std::max(v, at(y, x + 1));
            if (y + 1 < rows) {
                for (int dx = -1; dx <= 1; ++dx) {
                    if (x + dx >= 0 && x + dx < cols)
                        v = std::max(v, at(y + 1, x + dx));
                }
            }
            v = std::min(v, limit(y, x));
            at(y, x) = v;
            bool raises = false;
            if (x + 1 < cols && at(y, x + 1) < v && at(y, x + 1) < limit(y, x + 1))
                raises = true;
            if (y + 1 < rows) {
                for (int dx = -1; dx <= 1 && !raises; ++dx) {
                    const int nx = x + dx;
                    if (nx >= 0 && nx < cols && at(y + 1, nx) < v && at(y + 1, nx) < limit(y + 1, nx))
                        raises = true;
                }
            }
            if (raises)
                fifo.emplace_back(x, y);
        }
    }
    while (!fifo.empty()) {
        const cv::Point p = fifo.front();
        fifo.pop_front();
        const float v = at(p.y, p.x);
        for (int dy = -1; dy <= 1; ++dy) {
            for (int dx = -1; dx <= 1; ++dx) {
                const int ny = p.y + dy, nx = p.x + dx;
                if ((dx == 0 && dy == 0) || ny < 0 || ny >= rows || nx < 0 || nx >= cols)
                    continue;
                float& q = at(ny, nx);
                const float m = limit(ny, nx);
                if (q < v && q != m) {
                    q = std::min(v, m);
                    fifo.emplace_back(nx, ny);
                }
            }
        }
    }
    return j;
}

cv::Mat hMaxima(const cv::Mat& surface, float h)
{
    if (!(h > 0))
        throw std::invalid_argument("h-maxima: h must be positive");
    const cv::Mat lowered = surface - h;
    const cv::Mat reconstructed = reconstructByDilation(lowered, surface);
    // On a maximum of dynamic >= h the reconstruction sits exactly h below the top; elsewhere less.
    cv::Mat tops = (surface - reconstructed) >= h * 0.999f;
    tops /= 255;
    return tops;
}

} // namespace cellvit::classic
