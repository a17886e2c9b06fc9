#include "inference/postproc/remap_labels.h"

#include <stdexcept>

namespace cellvit {

std::vector<int> remapLabels(cv::Mat& labels)
{
    if (labels.type() != CV_32SC1)
        throw std::invalid_argument("remapLabels: expected a CV_32S label image");
    int maxLabel = 0;
    for (int r = 0; r < labels.rows; ++r) {
        const int* row = labels.ptr<int>(r);
        for (int c = 0; c < labels.cols; ++c) {
            if (row[c] < 0)
                throw std::invalid_argument("remapLabels: negative label");
            maxLabel = std::max(maxLabel, row[c]);
        }
    }
    std::vector<int> newId(static_cast<size_t>(maxLabel) + 1, 0);
    for (int r = 0; r < labels.rows; ++r) {
        const int* row = labels.ptr<int>(r);
        for (int c = 0; c < labels.cols; ++c)
            newId[row[c]] = 1;
    }
    newId[0] = 0; // background stays 0
    std::vector<int> rawOfNew;
    for (int raw = 1; raw <= maxLabel; ++raw) {
        if (newId[raw]) {
            rawOfNew.push_back(raw);
            newId[raw] = static_cast<int>(rawOfNew.size());
        }
    }
    for (int r = 0; r < labels.rows; ++r) {
        int* row = labels.ptr<int>(r);
        for (int c = 0; c < labels.cols; ++c)
            row[c] = newId[row[c]];
    }
    return rawOfNew;
}

} // namespace cellvit
