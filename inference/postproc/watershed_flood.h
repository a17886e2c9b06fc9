#pragma once
// The priority flood of markerWatershed (marker_watershed.cpp): skimage's heap, and the flooding state of one
// rectangle of the image with its exact and fast strategies. Internal to the watershed.

#include "inference/postproc/marker_watershed.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <opencv2/core/mat.hpp>
#include <utility>
#include <vector>

namespace cellvit::watershed_detail {

using HeapItem = WatershedQueueItem;

// Without branches: the heap's compares are data-dependent and mispredict half the time. (NaN compares false
// either way, as the branching form did.)
inline bool smaller(const HeapItem& a, const HeapItem& b)
{
    return (a.value < b.value) | ((a.value == b.value) & (a.age < b.age));
}

// Binary min-heap with the layout transitions of skimage's heap_general.pxi (sift-up and sift-down with
// strict compares, left child preferred): items with equal keys pop in the same order as in skimage.
// Sifts move a hole instead of swapping, which ends in the same layout.
class WatershedHeap {
public:
    explicit WatershedHeap(WatershedScratch& scratch)
        : m_items(scratch.items)
    {
        m_items.clear();
    }
    bool empty() const { return m_items.empty(); }
    const HeapItem& top() const { return m_items.front(); }
    void expect(double) { ++m_expected; }
    void prepare() { m_items.reserve(m_expected); }

    void push(const HeapItem& item)
    {
        size_t child = m_items.size();
        m_items.push_back(item);
        while (child > 0) {
            const size_t parent = (child + 1) / 2 - 1;
            if (!smaller(item, m_items[parent]))
                break;
            m_items[child] = m_items[parent];
            child = parent;
        }
        m_items[child] = item;
    }

    HeapItem pop()
    {
        const HeapItem top = m_items.front();
        const HeapItem last = m_items.back();
        m_items.pop_back();
        const size_t n = m_items.size();
        if (n == 0)
            return top;
        size_t i = 0;
        while (true) {
            const size_t l = 2 * i + 1, r = l + 1;
            if (l >= n)
                break;
            // Left child unless the right one exists and is smaller, as a select rather than a branch. The item
            // just past the end is still in the buffer (the old last one), so reading it is safe.
            const HeapItem* items = m_items.data();
            const size_t child = l + static_cast<size_t>((r < n) & smaller(items[r], items[l]));
            if (!smaller(m_items[child], last))
                break;
            m_items[i] = m_items[child];
            i = child;
        }
        m_items[i] = last;
        return top;
    }

private:
    std::vector<HeapItem>& m_items;
    size_t m_expected = 0;
};

// The flooding state of one rectangle of the image. Labels and values live in a padded (h+2) x (w+2) array of
// WatershedPixel that also encodes where flooding is allowed (label -1 = blocked, as is the padding), so a
// neighbour test is one load without bounds checks, and the value read after it hits the same cache line.
template <typename Queue> class Flood {
public:
    // allowed(r, c): may image pixel (r, c) of `region` be flooded. values.at(r, c): its landscape value (only
    // asked for allowed pixels).
    template <typename Values, typename Allowed>
    Flood(const Values& values, const cv::Mat& markers, const cv::Rect& region, const Allowed& allowed,
        WatershedScratch& scratch)
        : m_region(region)
        , m_rows(region.height)
        , m_cols(region.width)
        , m_stride(region.width + 2)
        , m_state(scratch.state)
        , m_queue(scratch)
    {
        // Only the padding is blocked up front: the loop below writes every interior pixel.
        const WatershedPixel blocked { 0.0, kBlocked, 0 };
        m_state.resize(static_cast<size_t>(m_rows + 2) * m_stride);
        std::fill_n(m_state.begin(), m_stride + 1, blocked);
        std::fill_n(m_state.end() - (m_stride + 1), m_stride + 1, blocked);
        for (int r = 0; r < m_rows; ++r) {
            m_state[padded(r, m_cols)] = blocked; // right border, then the next row's left border
            m_state[padded(r, m_cols) + 1] = blocked;
        }
        for (int r = 0; r < m_rows; ++r) {
            const int y = region.y + r;
            const int32_t* m = markers.ptr<int32_t>(y) + region.x;
            WatershedPixel* state = &m_state[padded(r, 0)];
            for (int c = 0; c < m_cols; ++c) {
                const bool inside = allowed(y, region.x + c);
                // Only allowed pixels are ever pushed (each at most once, with its own value) or read.
                state[c].value = inside ? values.at(y, region.x + c) : 0.0;
                state[c].label = inside ? m[c] : kBlocked;
                if (inside)
                    m_queue.expect(state[c].value);
            }
        }
        m_queue.prepare();
    }

    // skimage: every marker pixel, raster order, keyed by its own value and age 0.
    void floodExact()
    {
        pushMarkers(false);
        while (!m_queue.empty())
            grow(m_queue.pop().index);
    }

    // The same result faster, or false when it cannot prove that. Keys (value, age) are unique except among
    // markers with equal values; only there does skimage's heap layout decide the order. Markers that have
    // no floodable neighbour never do anything when popped, so only "boundary" markers are queued, and
    // each group of tied markers is checked to give the same flood in any order. Only for values without NaN
    // (the caller checks): NaN keys are not ordered, and only the exact simulation reproduces skimage then.
    bool floodFast()
    {
        pushMarkers(true);
        std::vector<int32_t> group;
        while (!m_queue.empty()) {
            const HeapItem item = m_queue.pop();
            if (item.age != 0) {
                grow(item.index);
                continue;
            }
            group.assign(1, item.index);
            while (!m_queue.empty() && m_queue.top().age == 0 && m_queue.top().value == item.value)
                group.push_back(m_queue.pop().index);
            if (group.size() > 1 && !orderIndependent(group, item.value))
                return false;
            for (int32_t p : group)
                grow(p);
        }
        return true;
    }

    // Writes outputOf(label) at every allowed pixel of the region (labels <= 0: unreached, stay 0), and adds
    // the runs of each output id to boxes[id - 1] when boxes is given (saves the caller a pass over `out`).
    template <typename OutputOf>
    void writeAllowed(cv::Mat& out, const OutputOf& outputOf, std::vector<InstanceBox>* boxes = nullptr) const
    {
        for (int r = 0; r < m_rows; ++r) {
            const WatershedPixel* state = &m_state[padded(r, 0)];
            const int y = m_region.y + r, x = m_region.x;
            int32_t* o = out.ptr<int32_t>(y) + x;
            int32_t runId = 0;
            int runBegin = 0;
            for (int c = 0; c < m_cols; ++c) {
                const int32_t label = state[c].label;
                int32_t id = 0;
                if (label != kBlocked) {
                    id = label > 0 ? outputOf(label) : 0;
                    o[c] = id;
                }
                if (boxes && id != runId) {
                    if (runId > 0)
                        (*boxes)[runId - 1].add(y, x + runBegin, x + c);
                    runId = id;
                    runBegin = c;
                }
            }
            if (boxes && runId > 0)
                (*boxes)[runId - 1].add(y, x + runBegin, x + m_cols);
        }
    }

    // Marker labels inside the allowed pixels (set by floodExact / floodFast).
    const std::vector<uint8_t>& presentLabels() const { return m_present; }

private:
    static constexpr int32_t kBlocked = -1;

    int32_t padded(int r, int c) const { return (r + 1) * m_stride + c + 1; }

    void pushMarkers(bool boundaryOnly)
    {
        for (int r = 0; r < m_rows; ++r) {
            for (int c = 0; c < m_cols; ++c) {
                const int32_t p = padded(r, c);
                const int32_t label = m_state[p].label;
                if (label <= 0)
                    continue;
                if (static_cast<size_t>(label) >= m_present.size())
                    m_present.resize(static_cast<size_t>(label) + 1, 0);
                m_present[label] = 1; // a marker pixel in the mask keeps its label: the label is in the result
                if (boundaryOnly && !canGrow(p))
                    continue;
                m_queue.push({ m_state[p].value, 0, p });
            }
        }
    }

    // skimage's order of the 4-neighbourhood: up, left, right, down.
    std::array<int32_t, 4> neighbourOffsets() const { return { -m_stride, -1, 1, m_stride }; }

    bool canGrow(int32_t p) const
    {
        for (int32_t offset : neighbourOffsets()) {
            if (m_state[p + offset].label == 0)
                return true;
        }
        return false;
    }

    // Labels at push time, as skimage does without compactness / watershed line.
    void grow(int32_t p)
    {
        const int32_t label = m_state[p].label;
        for (int32_t offset : neighbourOffsets()) {
            const int32_t n = p + offset;
            if (m_state[n].label != 0)
                continue;
            m_state[n].label = label;
            m_queue.push({ m_state[n].value, ++m_age, n });
        }
    }

    // Tied markers pop back to back (their pushes have age > 0 and, required here, values >= the tie value),
    // so any order gives the same flood when the pixels they would push have pairwise distinct values (pop
    // order then depends on values only) and a pixel next to two of them is claimed by a single label.
    bool orderIndependent(const std::vector<int32_t>& group, double tieValue) const
    {
        std::vector<std::pair<int32_t, int32_t>> pushed; // pixel, label it would get
        std::vector<double> values;
        for (int32_t m : group) {
            for (int32_t offset : neighbourOffsets()) {
                const int32_t n = m + offset;
                if (m_state[n].label != 0)
                    continue;
                pushed.emplace_back(n, m_state[m].label);
                values.push_back(m_state[n].value);
            }
        }
        // Same pixel from two markers: fine only with one label; then count its value once.
        std::vector<size_t> order(pushed.size());
        for (size_t k = 0; k < order.size(); ++k)
            order[k] = k;
        std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return pushed[a] < pushed[b]; });
        std::vector<double> distinct;
        for (size_t k = 0; k < order.size(); ++k) {
            const auto& cur = pushed[order[k]];
            if (k > 0 && cur.first == pushed[order[k - 1]].first) {
                if (cur.second != pushed[order[k - 1]].second)
                    return false;
                continue;
            }
            if (values[order[k]] < tieValue)
                return false;
            distinct.push_back(values[order[k]]);
        }
        std::sort(distinct.begin(), distinct.end());
        return std::adjacent_find(distinct.begin(), distinct.end()) == distinct.end();
    }

    cv::Rect m_region;
    int m_rows, m_cols, m_stride;
    std::vector<WatershedPixel>& m_state;
    std::vector<uint8_t> m_present;
    Queue m_queue;
    int32_t m_age = 1;
};

} // namespace cellvit::watershed_detail
