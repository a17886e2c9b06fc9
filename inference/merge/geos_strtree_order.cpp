#include "inference/merge/geos_strtree_order.h"

#include <algorithm>
#include <cmath>
#include <cstdint>

namespace cellvit {

namespace {

struct Node {
    double minX, maxX, minY, maxY;
    size_t item; // leaf: input index; branch: SIZE_MAX
    size_t childBegin, childEnd; // branch: range in the node list
};

size_t sliceCount(size_t numNodes, size_t capacity)
{
    const double minLeafCount = std::ceil(static_cast<double>(numNodes) / static_cast<double>(capacity));
    return static_cast<size_t>(std::ceil(std::sqrt(minLeafCount)));
}

size_t sliceCapacity(size_t numNodes, size_t numSlices)
{
    return static_cast<size_t>(std::ceil(static_cast<double>(numNodes) / static_cast<double>(numSlices)));
}

} // namespace

std::vector<size_t> geosStrTreeLeafRanks(
    const std::vector<GeoBox>& envelopes, const std::vector<bool>& present, size_t nodeCapacity)
{
    std::vector<size_t> rank(envelopes.size(), SIZE_MAX);
    std::vector<Node> nodes;
    for (size_t i = 0; i < envelopes.size(); ++i) {
        if (!present[i])
            continue;
        const GeoBox& b = envelopes[i];
        nodes.push_back({ b.min_corner().x(), b.max_corner().x(), b.min_corner().y(), b.max_corner().y(), i, 0, 0 });
    }
    if (nodes.empty())
        return rank;

    // Same comparators on the same sequence: libstdc++'s std::sort then permutes exactly as it does inside GEOS.
    const auto byX = [](const Node& a, const Node& b) { return a.minX + a.maxX < b.minX + b.maxX; };
    const auto byY = [](const Node& a, const Node& b) { return a.minY + a.maxY < b.minY + b.maxY; };

    size_t begin = 0;
    size_t number = nodes.size();
    while (number > 1) {
        const size_t numSlices = sliceCount(number, nodeCapacity);
        const size_t perSlice = sliceCapacity(number, numSlices);
        std::sort(nodes.begin() + static_cast<long>(begin), nodes.begin() + static_cast<long>(begin + number), byX);
        size_t sliceStart = begin;
        const size_t end = begin + number;
        for (size_t j = 0; j < numSlices; ++j) {
            const size_t inSlice = std::min(end - sliceStart, perSlice);
            const size_t sliceEnd = sliceStart + inSlice;
            std::sort(nodes.begin() + static_cast<long>(sliceStart), nodes.begin() + static_cast<long>(sliceEnd), byY);
            for (size_t first = sliceStart; first != sliceEnd;) {
                const size_t last = first + std::min(nodeCapacity, sliceEnd - first);
                Node parent { nodes[first].minX, nodes[first].maxX, nodes[first].minY, nodes[first].maxY, SIZE_MAX,
                    first, last };
                for (size_t k = first + 1; k < last; ++k) {
                    parent.minX = std::min(parent.minX, nodes[k].minX);
                    parent.maxX = std::max(parent.maxX, nodes[k].maxX);
                    parent.minY = std::min(parent.minY, nodes[k].minY);
                    parent.maxY = std::max(parent.maxY, nodes[k].maxY);
                }
                nodes.push_back(parent);
                first = last;
            }
            sliceStart = sliceEnd;
        }
        begin = end;
        number = nodes.size() - begin;
    }

    // Depth-first walk from the root (the last node), children in stored order.
    size_t next = 0;
    std::vector<size_t> stack { nodes.size() - 1 };
    while (!stack.empty()) {
        const Node& n = nodes[stack.back()];
        stack.pop_back();
        if (n.item != SIZE_MAX) {
            rank[n.item] = next++;
            continue;
        }
        for (size_t k = n.childEnd; k-- > n.childBegin;)
            stack.push_back(k);
    }
    return rank;
}

} // namespace cellvit
