#include "inference/postproc/connected_components.h"

#include <algorithm>
#include <numeric>
#include <stdexcept>
#include <utility>

namespace cellvit {

namespace {

int findRoot(std::vector<int>& parent, int x)
{
    while (parent[x] != x) {
        parent[x] = parent[parent[x]];
        x = parent[x];
    }
    return x;
}

// Keeps the smaller provisional label as root: provisional labels grow in raster order, so the root of a
// component is always its first pixel's label, which gives scipy's numbering after compaction.
void unite(std::vector<int>& parent, int a, int b)
{
    a = findRoot(parent, a);
    b = findRoot(parent, b);
    if (a < b)
        parent[b] = a;
    else if (b < a)
        parent[a] = b;
}

} // namespace

ComponentLabels labelComponents4(const cv::Mat& binary)
{
    ComponentLabels out;
    labelComponents4(binary, out);
    return out;
}

void labelComponents4(const cv::Mat& binary, ComponentLabels& out)
{
    if (binary.type() != CV_8UC1)
        throw std::invalid_argument("labelComponents4: expected a CV_8UC1 image");
    const int rows = binary.rows, cols = binary.cols;
    out.labels.create(rows, cols, CV_32S);
    out.count = 0;
    std::vector<int> parent { 0 };

    // Pass 1: provisional labels from the up and left neighbours.
    for (int r = 0; r < rows; ++r) {
        const uint8_t* in = binary.ptr<uint8_t>(r);
        int* lab = out.labels.ptr<int>(r);
        const int* up = r > 0 ? out.labels.ptr<int>(r - 1) : nullptr;
        for (int c = 0; c < cols; ++c) {
            if (!in[c]) {
                lab[c] = 0;
                continue;
            }
            const int left = c > 0 ? lab[c - 1] : 0;
            const int above = up ? up[c] : 0;
            if (left && above) {
                lab[c] = std::min(left, above);
                if (left != above)
                    unite(parent, left, above);
            } else if (left || above) {
                lab[c] = left ? left : above;
            } else {
                lab[c] = static_cast<int>(parent.size());
                parent.push_back(lab[c]);
            }
        }
    }

    // Pass 2: final labels numbered in order of first appearance of each root; sizes and last rows on the way.
    std::vector<int> finalLabel(parent.size(), 0);
    for (size_t i = 1; i < parent.size(); ++i) {
        const int root = findRoot(parent, static_cast<int>(i));
        if (root == static_cast<int>(i))
            finalLabel[i] = ++out.count;
        else
            finalLabel[i] = finalLabel[root];
    }
    out.sizes.assign(static_cast<size_t>(out.count) + 1, 0);
    out.lastRow.assign(static_cast<size_t>(out.count) + 1, 0);
    int* const sizes = out.sizes.data();
    int* const lastRow = out.lastRow.data();
    for (int r = 0; r < rows; ++r) {
        int* lab = out.labels.ptr<int>(r);
        for (int c = 0; c < cols; ++c) {
            const int l = finalLabel[lab[c]];
            lab[c] = l;
            ++sizes[l];
            lastRow[l] = r;
        }
    }
}

std::vector<int> componentSizes(const ComponentLabels& components)
{
    std::vector<int> sizes(components.count + 1, 0);
    const cv::Mat& labels = components.labels;
    for (int r = 0; r < labels.rows; ++r) {
        const int* lab = labels.ptr<int>(r);
        for (int c = 0; c < labels.cols; ++c)
            ++sizes[lab[c]];
    }
    return sizes;
}

void removeSmallComponents(ComponentLabels& components, int minSize)
{
    // Labels not from labelComponents4: count them, and visit every row.
    const bool rowsKnown = components.sizes.size() == static_cast<size_t>(components.count) + 1
        && components.lastRow.size() == components.sizes.size();
    if (!rowsKnown)
        components.sizes = componentSizes(components);
    // Only rows that hold a removed component: one of n pixels lies within the n rows ending at its last row.
    std::vector<int> keep(components.sizes.size());
    std::vector<std::pair<int, int>> rowRanges;
    for (size_t i = 0; i < keep.size(); ++i) {
        const bool small = i > 0 && components.sizes[i] < minSize;
        keep[i] = small ? 0 : static_cast<int>(i);
        if (small && components.sizes[i] > 0) {
            if (rowsKnown)
                rowRanges.emplace_back(
                    std::max(components.lastRow[i] - components.sizes[i] + 1, 0), components.lastRow[i]);
            else if (rowRanges.empty())
                rowRanges.emplace_back(0, components.labels.rows - 1);
            components.sizes[0] += components.sizes[i];
            components.sizes[i] = 0;
        }
    }
    std::sort(rowRanges.begin(), rowRanges.end());
    cv::Mat& labels = components.labels;
    int nextRow = 0; // rows below this one are done
    for (const auto& [first, last] : rowRanges) {
        for (int r = std::max(first, nextRow); r <= last; ++r) {
            int* lab = labels.ptr<int>(r);
            for (int c = 0; c < labels.cols; ++c)
                lab[c] = keep[lab[c]];
        }
        nextRow = std::max(nextRow, last + 1);
    }
}

} // namespace cellvit
