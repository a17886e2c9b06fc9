#include "inference/postproc/cell_rescale.h"

#include <cmath>
#include <stdexcept>

namespace cellvit {

std::vector<Cell> downscaledCells(std::vector<Cell> cells, int factor)
{
    if (factor < 1)
        throw std::invalid_argument("cell rescale: the factor must be at least 1");
    if (factor == 1)
        return cells;
    const double f = factor;
    const auto centre = [f](double v) { return (v + 0.5) / f - 0.5; };
    std::vector<Cell> out;
    out.reserve(cells.size());
    for (Cell& c : cells) {
        std::vector<cv::Point> contour;
        contour.reserve(c.contour.size());
        for (const cv::Point& p : c.contour) {
            const cv::Point q(static_cast<int>(std::lround(centre(p.x))), static_cast<int>(std::lround(centre(p.y))));
            if (contour.empty() || contour.back() != q)
                contour.push_back(q);
        }
        while (contour.size() > 1 && contour.back() == contour.front())
            contour.pop_back();
        if (contour.size() < 3)
            continue;
        c.contour = std::move(contour);
        c.centroid = { centre(c.centroid.x), centre(c.centroid.y) };
        c.rmin = static_cast<int>(std::floor(c.rmin / f));
        c.cmin = static_cast<int>(std::floor(c.cmin / f));
        c.rmax = static_cast<int>(std::ceil(c.rmax / f));
        c.cmax = static_cast<int>(std::ceil(c.cmax / f));
        out.push_back(std::move(c));
    }
    return out;
}

} // namespace cellvit
