#include "inference/postproc/cell_extraction.h"

#include "inference/postproc/parallel_for.h"

#include <array>
#include <opencv2/imgproc.hpp>
#include <optional>
#include <stdexcept>

namespace cellvit {

namespace {

// Majority vote of the reference: counts sorted descending with ties kept in ascending class order
// (stable sort after np.unique); background only wins when it is the sole class present.
void assignType(Cell& cell, const std::array<int, 256>& counts, int area)
{
    int best = -1, second = -1;
    for (int t = 0; t < 256; ++t) {
        if (!counts[t])
            continue;
        if (best < 0 || counts[t] > counts[best]) {
            second = best;
            best = t;
        } else if (second < 0 || counts[t] > counts[second]) {
            second = t;
        }
    }
    const int chosen = (best == 0 && second >= 0) ? second : best;
    cell.type = chosen;
    cell.typeProb = counts[chosen] / (area + 1.0e-6);
}

std::optional<Cell> cellOf(const cv::Mat& instanceMap, const cv::Mat& typeMap, int id, const InstanceBox& box)
{
    Cell cell;
    cell.id = id;
    cell.rmin = box.rmin;
    cell.cmin = box.cmin;
    cell.rmax = box.rmax;
    cell.cmax = box.cmax;

    cv::Mat crop(box.rmax - box.rmin, box.cmax - box.cmin, CV_8U);
    std::array<int, 256> typeCounts {};
    for (int r = 0; r < crop.rows; ++r) {
        const int* ids = instanceMap.ptr<int>(box.rmin + r) + box.cmin;
        const uint8_t* types = typeMap.ptr<uint8_t>(box.rmin + r) + box.cmin;
        uint8_t* out = crop.ptr<uint8_t>(r);
        for (int c = 0; c < crop.cols; ++c) {
            out[c] = ids[c] == id;
            if (out[c])
                ++typeCounts[types[c]];
        }
    }

    std::vector<std::vector<cv::Point>> contours;
    cv::findContours(crop, contours, cv::RETR_TREE, cv::CHAIN_APPROX_SIMPLE);
    if (contours.empty() || contours.front().size() < 3)
        return std::nullopt;
    cell.contour = std::move(contours.front());
    for (cv::Point& p : cell.contour)
        p += cv::Point(box.cmin, box.rmin);

    const cv::Moments m = cv::moments(crop);
    cell.centroid = { m.m10 / m.m00, m.m01 / m.m00 };
    cell.centroid.x += box.cmin;
    cell.centroid.y += box.rmin;
    assignType(cell, typeCounts, box.area);
    return cell;
}

} // namespace

std::vector<InstanceBox> instanceBoxes(const cv::Mat& instanceMap)
{
    if (instanceMap.type() != CV_32SC1)
        throw std::invalid_argument("instanceBoxes: expected a CV_32S instance map");
    const InstanceBox absent = InstanceBox::none(instanceMap.rows, instanceMap.cols);
    std::vector<InstanceBox> boxes;
    for (int r = 0; r < instanceMap.rows; ++r) {
        const int* row = instanceMap.ptr<int>(r);
        // A nucleus spans a run of equal ids in a row: one box update per run, not per pixel.
        for (int c = 0; c < instanceMap.cols;) {
            const int id = row[c];
            const int begin = c;
            while (++c < instanceMap.cols && row[c] == id) { }
            if (id == 0)
                continue;
            if (id < 0)
                throw std::invalid_argument("extractCells: negative instance id");
            if (static_cast<size_t>(id) > boxes.size())
                boxes.resize(static_cast<size_t>(id), absent);
            boxes[id - 1].add(r, begin, c);
        }
    }
    return boxes;
}

std::vector<Cell> extractCells(const cv::Mat& instanceMap, const cv::Mat& typeMap, int threads)
{
    if (instanceMap.type() != CV_32SC1)
        throw std::invalid_argument("extractCells: expected a CV_32S instance map");
    return extractCells(instanceMap, typeMap, instanceBoxes(instanceMap), threads);
}

std::vector<Cell> extractCells(
    const cv::Mat& instanceMap, const cv::Mat& typeMap, const std::vector<InstanceBox>& boxes, int threads)
{
    if (instanceMap.type() != CV_32SC1 || typeMap.type() != CV_8UC1 || instanceMap.size() != typeMap.size())
        throw std::invalid_argument("extractCells: expected a CV_32S instance map and a CV_8U type map of one size");
    std::vector<std::optional<Cell>> slots(boxes.size());
    parallelFor(static_cast<int>(boxes.size()), threads, [&](int i) {
        if (boxes[i].area > 0)
            slots[i] = cellOf(instanceMap, typeMap, i + 1, boxes[i]);
    });
    std::vector<Cell> cells;
    cells.reserve(slots.size());
    for (std::optional<Cell>& c : slots) {
        if (c)
            cells.push_back(std::move(*c));
    }
    return cells;
}

} // namespace cellvit
