#include "inference/postproc/connected_components.h"

#include <algorithm>
#include <cstdint>
#include <cstring>
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

namespace {

bool hasZeroByte(uint64_t v)
{
    return ((v - 0x0101010101010101ull) & ~v & 0x8080808080808080ull) != 0;
}

// Appends the runs of one row; whole words of background or foreground are skipped eight bytes at a time.
void appendRuns(const uint8_t* in, int row, int cols, std::vector<ComponentRun>& runs)
{
    int c = 0;
    while (c < cols) {
        uint64_t word = 0;
        while (c + 8 <= cols && (std::memcpy(&word, in + c, 8), word == 0))
            c += 8;
        while (c < cols && !in[c])
            ++c;
        if (c >= cols)
            break;
        const int begin = c;
        while (c + 8 <= cols && (std::memcpy(&word, in + c, 8), !hasZeroByte(word)))
            c += 8;
        while (c < cols && in[c])
            ++c;
        runs.push_back({ row, begin, c, 0 });
    }
}

} // namespace

// Run-based: a run touches the runs of the row above whose column ranges overlap it (4-connectivity). A run
// that touches none starts a provisional label; provisional labels grow in raster order, so every
// component's root is the run holding its first pixel, and final labels follow scipy's numbering.
void labelComponents4(const cv::Mat& binary, ComponentLabels& out)
{
    if (binary.type() != CV_8UC1)
        throw std::invalid_argument("labelComponents4: expected a CV_8UC1 image");
    const int rows = binary.rows, cols = binary.cols;
    std::vector<ComponentRun>& runs = out.runs; // provisional labels first, final ones at the end
    thread_local std::vector<int> rowStart;
    runs.clear();
    rowStart.assign(static_cast<size_t>(rows) + 1, 0);
    for (int r = 0; r < rows; ++r) {
        rowStart[r] = static_cast<int>(runs.size());
        appendRuns(binary.ptr<uint8_t>(r), r, cols, runs);
    }
    rowStart[rows] = static_cast<int>(runs.size());

    std::vector<int> parent { 0 };
    for (int r = 0; r < rows; ++r) {
        int above = r > 0 ? rowStart[r - 1] : 0;
        const int aboveEnd = r > 0 ? rowStart[r] : 0;
        for (int i = rowStart[r]; i < rowStart[r + 1]; ++i) {
            ComponentRun& run = runs[i];
            while (above < aboveEnd && runs[above].end <= run.begin)
                ++above;
            run.label = 0;
            // Runs above that overlap this one; the last may also overlap the next run, so `above` stays on it.
            for (int j = above; j < aboveEnd && runs[j].begin < run.end; ++j) {
                if (!run.label)
                    run.label = runs[j].label;
                else
                    unite(parent, run.label, runs[j].label);
            }
            if (!run.label) {
                run.label = static_cast<int>(parent.size());
                parent.push_back(run.label);
            }
        }
    }

    std::vector<int> finalLabel(parent.size(), 0);
    out.count = 0;
    for (size_t i = 1; i < parent.size(); ++i) {
        const int root = findRoot(parent, static_cast<int>(i));
        finalLabel[i] = root == static_cast<int>(i) ? ++out.count : finalLabel[root];
    }
    out.sizes.assign(static_cast<size_t>(out.count) + 1, 0);
    out.lastRow.assign(static_cast<size_t>(out.count) + 1, 0);
    out.labels.create(rows, cols, CV_32S);
    for (int r = 0; r < rows; ++r) {
        int* lab = out.labels.ptr<int>(r);
        int c = 0, foreground = 0;
        for (int i = rowStart[r]; i < rowStart[r + 1]; ++i) {
            ComponentRun& run = runs[i];
            foreground += run.end - run.begin;
            const int l = finalLabel[run.label];
            run.label = l;
            std::fill(lab + c, lab + run.begin, 0);
            std::fill(lab + run.begin, lab + run.end, l);
            out.sizes[l] += run.end - run.begin;
            out.lastRow[l] = r;
            c = run.end;
        }
        std::fill(lab + c, lab + cols, 0);
        if (foreground < cols)
            out.lastRow[0] = r;
    }
    out.sizes[0] = rows * cols;
    for (int l = 1; l <= out.count; ++l)
        out.sizes[0] -= out.sizes[l];
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
    if (rowsKnown) {
        for (ComponentRun& run : components.runs)
            run.label = keep[run.label];
    } else {
        components.runs.clear(); // not ours: unknown
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
