#include "inference/postproc/marker_watershed.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <stdexcept>
#include <vector>

namespace cellvit {

namespace {

using HeapItem = WatershedQueueItem;

bool smaller(const HeapItem& a, const HeapItem& b)
{
    if (a.value != b.value)
        return a.value < b.value;
    return a.age < b.age;
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
            size_t child = l;
            if (r < n && smaller(m_items[r], m_items[l]))
                child = r;
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

// Priority queue for the fast strategy, where keys are unique: items are binned by value into many
// small binary heaps (binning is monotone in the value, so bins never reorder keys). Far fewer
// mispredicted compares than one big heap. Values are expected in [-1, 0]; others go to the end bins.
// Every pixel is pushed at most once with its own landscape value, so prepare() sizes each bin exactly
// from those values and all bins share one allocation. A bin is only heapified when it becomes the
// lowest one; until then pushes just append.
class BucketQueue {
public:
    explicit BucketQueue(WatershedScratch& scratch)
        : m_items(scratch.items)
        , m_start(scratch.binStart)
        , m_size(scratch.binSize)
        , m_isHeap(scratch.binIsHeap)
        , m_bits(scratch.binBits)
    {
        m_start.assign(kBuckets + 1, 0);
        m_size.assign(kBuckets, 0);
        m_isHeap.assign(kBuckets, 1);
        m_bits.assign(kBuckets / 64, 0);
    }
    bool empty() const { return m_count == 0; }

    // expect(value) for the value of every pixel that may ever be pushed, then prepare().
    void expect(double value) { ++m_start[bucketOf(value) + 1]; }
    void prepare()
    {
        for (int b = 0; b < kBuckets; ++b)
            m_start[b + 1] += m_start[b];
        m_items.resize(m_start[kBuckets]);
    }

    void push(const HeapItem& item)
    {
        const int b = bucketOf(item.value);
        HeapItem* first = &m_items[m_start[b]];
        first[m_size[b]++] = item;
        m_bits[b >> 6] |= uint64_t(1) << (b & 63);
        ++m_count;
        if (b < m_lowest) // nothing lives below m_lowest, so this bin held nothing: a heap of one
            m_lowest = b;
        if (b == m_lowest)
            std::push_heap(first, first + m_size[b], greater); // the lowest bin is always a heap
        else
            m_isHeap[b] = 0;
    }

    const HeapItem& top()
    {
        seekLowest();
        return m_items[m_start[m_lowest]];
    }

    HeapItem pop()
    {
        seekLowest();
        HeapItem* first = &m_items[m_start[m_lowest]];
        std::pop_heap(first, first + m_size[m_lowest], greater);
        const HeapItem item = first[--m_size[m_lowest]];
        if (m_size[m_lowest] == 0)
            m_bits[m_lowest >> 6] &= ~(uint64_t(1) << (m_lowest & 63));
        --m_count;
        return item;
    }

private:
    static constexpr int kBuckets = 1 << 16;
    static bool greater(const HeapItem& a, const HeapItem& b) { return smaller(b, a); }

    static int bucketOf(double value)
    {
        const double t = (value + 1.0) * kBuckets;
        if (!(t > 0.0))
            return 0;
        return t >= kBuckets ? kBuckets - 1 : static_cast<int>(t);
    }

    // Moves m_lowest to the first non-empty bucket (the queue must not be empty) and makes it a heap.
    void seekLowest()
    {
        int word = m_lowest >> 6;
        uint64_t bits = m_bits[word] & (~uint64_t(0) << (m_lowest & 63));
        while (!bits)
            bits = m_bits[++word];
        m_lowest = (word << 6) + __builtin_ctzll(bits);
        if (!m_isHeap[m_lowest]) {
            HeapItem* first = &m_items[m_start[m_lowest]];
            std::make_heap(first, first + m_size[m_lowest], greater);
            m_isHeap[m_lowest] = 1;
        }
    }

    std::vector<HeapItem>& m_items; // bin b owns [m_start[b], m_start[b + 1])
    std::vector<int32_t>&m_start, &m_size;
    std::vector<uint8_t>& m_isHeap;
    std::vector<uint64_t>& m_bits; // non-empty buckets
    int m_lowest = kBuckets; // no non-empty bucket below this one
    size_t m_count = 0;
};

// The flooding state shared by both strategies below. Labels and values live in a padded (rows+2) x (cols+2)
// array of WatershedPixel that also encodes the mask (label -1 = may not be flooded, as is the padding), so a
// neighbour test is one load without bounds checks, and the value read after it hits the same cache line.
template <typename Queue> class Flood {
public:
    Flood(const cv::Mat& landscape, const cv::Mat& markers, const cv::Mat& mask, WatershedScratch& scratch)
        : m_rows(landscape.rows)
        , m_cols(landscape.cols)
        , m_stride(landscape.cols + 2)
        , m_state(scratch.state)
        , m_queue(scratch)
    {
        // Only the padding is blocked up front: the loop below writes every interior pixel (a full fill of the
        // 17 MB array would be one more pass over memory).
        const WatershedPixel blocked { 0.0, kBlocked, 0 };
        m_state.resize(static_cast<size_t>(m_rows + 2) * m_stride);
        std::fill_n(m_state.begin(), m_stride + 1, blocked);
        std::fill_n(m_state.end() - (m_stride + 1), m_stride + 1, blocked);
        for (int r = 0; r < m_rows; ++r) {
            m_state[padded(r, m_cols)] = blocked; // right border, then the next row's left border
            m_state[padded(r, m_cols) + 1] = blocked;
        }
        for (int r = 0; r < m_rows; ++r) {
            const int32_t* m = markers.ptr<int32_t>(r);
            const uint8_t* allowed = mask.ptr<uint8_t>(r);
            const double* value = landscape.ptr<double>(r);
            WatershedPixel* state = &m_state[padded(r, 0)];
            for (int c = 0; c < m_cols; ++c) {
                state[c].value = value[c];
                state[c].label = allowed[c] ? m[c] : kBlocked;
                // Only pixels inside the mask are ever pushed, each at most once, with its own value.
                if (allowed[c])
                    m_queue.expect(value[c]);
            }
        }
        m_queue.prepare();
    }

    // skimage: every marker pixel, raster order, keyed by its own value and age 0.
    void pushMarkers()
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
                const double value = m_state[p].value;
                m_sawNaN = m_sawNaN || std::isnan(value);
                m_queue.push({ value, 0, p });
            }
        }
    }

    // skimage 0.19 without compactness / watershed line. Always exact.
    void floodExact()
    {
        pushMarkers();
        while (!m_queue.empty())
            grow(m_queue.pop().index);
    }

    // The same result faster, or false when it cannot prove that. Keys (value, age) are unique except among
    // markers with equal values; only there does skimage's heap layout decide the order. Markers that have
    // no floodable neighbour never do anything when popped, so only "boundary" markers are queued, and
    // each group of tied markers is checked to give the same flood in any order.
    // Connected components of the mask never meet, and within one the pops keep their relative (value, age)
    // order whatever happens elsewhere, so the components are flooded one after the other: the flood then
    // stays inside one small piece of the image, in cache, instead of jumping across all of it.
    bool floodFast(const cv::Mat& markers, const cv::Mat& mask, ComponentLabels& components)
    {
        labelComponents4(mask, components);
        const std::vector<int32_t> boundary = boundaryMarkersByComponent(markers, components);
        std::vector<int32_t> group;
        for (int k = 1; k <= components.count; ++k) {
            for (int32_t i = m_componentStart[k]; i < m_componentStart[k + 1]; ++i) {
                const int32_t p = boundary[i];
                const double value = m_state[p].value;
                m_sawNaN = m_sawNaN || std::isnan(value);
                m_queue.push({ value, 0, p });
            }
            while (!m_queue.empty()) {
                if (m_sawNaN) // NaN keys are not ordered: only the exact simulation reproduces skimage
                    return false;
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
        }
        return true;
    }

    // The result renumbered as remapLabels does, in the same single pass that writes it.
    cv::Mat outputCompact(std::vector<int>& rawOfNew) const
    {
        std::vector<int32_t> newId(m_present.size(), 0);
        rawOfNew.clear();
        for (size_t raw = 1; raw < m_present.size(); ++raw) {
            if (m_present[raw]) {
                rawOfNew.push_back(static_cast<int>(raw));
                newId[raw] = static_cast<int32_t>(rawOfNew.size());
            }
        }
        newId.push_back(0); // slot for every label <= 0 (blocked, unreached)
        const size_t none = newId.size() - 1;
        cv::Mat out(m_rows, m_cols, CV_32S);
        for (int r = 0; r < m_rows; ++r) {
            const WatershedPixel* state = &m_state[padded(r, 0)];
            int32_t* o = out.ptr<int32_t>(r);
            for (int c = 0; c < m_cols; ++c) {
                const int32_t label = state[c].label;
                o[c] = newId[label > 0 ? static_cast<size_t>(label) : none];
            }
        }
        return out;
    }

    cv::Mat output() const
    {
        cv::Mat out(m_rows, m_cols, CV_32S);
        for (int r = 0; r < m_rows; ++r) {
            const WatershedPixel* state = &m_state[padded(r, 0)];
            int32_t* o = out.ptr<int32_t>(r);
            for (int c = 0; c < m_cols; ++c)
                o[c] = std::max(state[c].label, 0);
        }
        return out;
    }

private:
    static constexpr int32_t kBlocked = -1;

    int32_t padded(int r, int c) const { return (r + 1) * m_stride + c + 1; }

    // skimage's order of the 4-neighbourhood: up, left, right, down.
    std::array<int32_t, 4> neighbourOffsets() const { return { -m_stride, -1, 1, m_stride }; }

    // Marker pixels inside the mask that can grow, grouped by mask component (m_componentStart[k] .. [k + 1]),
    // raster order within each; marks every marker label inside the mask as present.
    std::vector<int32_t> boundaryMarkersByComponent(const cv::Mat& markers, const ComponentLabels& components)
    {
        std::vector<std::pair<int32_t, int32_t>> found; // component, pixel
        for (int r = 0; r < m_rows; ++r) {
            const int32_t* m = markers.ptr<int32_t>(r);
            const int* component = components.labels.ptr<int>(r);
            for (int c = 0; c < m_cols; ++c) {
                if (m[c] <= 0 || component[c] == 0)
                    continue;
                const int32_t label = m[c];
                if (static_cast<size_t>(label) >= m_present.size())
                    m_present.resize(static_cast<size_t>(label) + 1, 0);
                m_present[label] = 1;
                const int32_t p = padded(r, c);
                if (canGrow(p))
                    found.emplace_back(component[c], p);
            }
        }
        m_componentStart.assign(static_cast<size_t>(components.count) + 2, 0);
        for (const auto& entry : found)
            ++m_componentStart[entry.first + 1];
        for (int k = 1; k <= components.count + 1; ++k)
            m_componentStart[k] += m_componentStart[k - 1];
        std::vector<int32_t> next(m_componentStart.begin(), m_componentStart.end() - 1);
        std::vector<int32_t> ordered(found.size());
        for (const auto& [component, p] : found)
            ordered[next[component]++] = p;
        return ordered;
    }

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
            const double value = m_state[n].value;
            m_sawNaN = m_sawNaN || std::isnan(value);
            m_queue.push({ value, ++m_age, n });
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

    int m_rows, m_cols, m_stride;
    std::vector<WatershedPixel>& m_state;
    std::vector<uint8_t> m_present; // marker labels inside the mask (set by pushMarkers)
    std::vector<int32_t> m_componentStart; // boundaryMarkersByComponent's groups
    Queue m_queue;
    int32_t m_age = 1;
    bool m_sawNaN = false;
};

} // namespace

cv::Mat markerWatershed(const cv::Mat& landscape, const cv::Mat& markers, const cv::Mat& mask)
{
    WatershedScratch scratch;
    return markerWatershed(landscape, markers, mask, scratch);
}

namespace {

void checkInputs(const cv::Mat& landscape, const cv::Mat& markers, const cv::Mat& mask)
{
    if (landscape.type() != CV_64FC1 || markers.type() != CV_32SC1 || mask.type() != CV_8UC1
        || landscape.size() != markers.size() || landscape.size() != mask.size())
        throw std::invalid_argument(
            "markerWatershed: expected CV_64F landscape, CV_32S markers, CV_8U mask, same size");
}

// The fast strategy, else the full simulation; `output` turns the finished flood into the result.
template <typename Output>
cv::Mat floodAndOutput(const cv::Mat& landscape, const cv::Mat& markers, const cv::Mat& mask, WatershedScratch& scratch,
    const Output& output)
{
    checkInputs(landscape, markers, mask);
    {
        Flood<BucketQueue> fast(landscape, markers, mask, scratch);
        if (fast.floodFast(markers, mask, scratch.components))
            return output(fast);
    }
    Flood<WatershedHeap> exact(landscape, markers, mask, scratch);
    exact.floodExact();
    return output(exact);
}

} // namespace

cv::Mat markerWatershed(
    const cv::Mat& landscape, const cv::Mat& markers, const cv::Mat& mask, WatershedScratch& scratch)
{
    return floodAndOutput(landscape, markers, mask, scratch, [](const auto& flood) { return flood.output(); });
}

cv::Mat markerWatershedCompact(const cv::Mat& landscape, const cv::Mat& markers, const cv::Mat& mask,
    WatershedScratch& scratch, std::vector<int>& rawOfNew)
{
    return floodAndOutput(
        landscape, markers, mask, scratch, [&](const auto& flood) { return flood.outputCompact(rawOfNew); });
}

cv::Mat markerWatershedExact(const cv::Mat& landscape, const cv::Mat& markers, const cv::Mat& mask)
{
    checkInputs(landscape, markers, mask);
    WatershedScratch scratch;
    Flood<WatershedHeap> exact(landscape, markers, mask, scratch);
    exact.floodExact();
    return exact.output();
}

} // namespace cellvit
