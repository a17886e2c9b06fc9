#include "inference/postproc/connected_components.h"

#include <numeric>
#include <stdexcept>

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

    // Pass 2: final labels numbered in order of first appearance of each root.
    std::vector<int> finalLabel(parent.size(), 0);
    for (size_t i = 1; i < parent.size(); ++i) {
        const int root = findRoot(parent, static_cast<int>(i));
        if (root == static_cast<int>(i))
            finalLabel[i] = ++out.count;
        else
            finalLabel[i] = finalLabel[root];
    }
    for (int r = 0; r < rows; ++r) {
        int* lab = out.labels.ptr<int>(r);
        for (int c = 0; c < cols; ++c)
            lab[c] = finalLabel[lab[c]];
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
    const std::vector<int> sizes = componentSizes(components);
    std::vector<int> keep(sizes.size());
    for (size_t i = 0; i < sizes.size(); ++i)
        keep[i] = sizes[i] < minSize ? 0 : static_cast<int>(i);
    cv::Mat& labels = components.labels;
    for (int r = 0; r < labels.rows; ++r) {
        int* lab = labels.ptr<int>(r);
        for (int c = 0; c < labels.cols; ++c)
            lab[c] = keep[lab[c]];
    }
}

} // namespace cellvit
