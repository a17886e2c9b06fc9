#include "inference/postproc/remap_labels.h"

#include <stdexcept>

namespace cellvit {

std::vector<int> remapLabels(cv::Mat& labels)
{
    if (labels.type() != CV_32SC1)
        throw std::invalid_argument("remapLabels: expected a CV_32S label image");
    // Which labels occur (grown on demand, so one pass finds both the labels and the largest one).
    std::vector<int> newId(1, 0);
    for (int r = 0; r < labels.rows; ++r) {
        const int* row = labels.ptr<int>(r);
        for (int c = 0; c < labels.cols; ++c) {
            const int label = row[c];
            if (label < 0)
                throw std::invalid_argument("remapLabels: negative label");
            if (static_cast<size_t>(label) >= newId.size())
                newId.resize(static_cast<size_t>(label) + 1, 0);
            newId[label] = 1;
        }
    }
    const int maxLabel = static_cast<int>(newId.size()) - 1;
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
