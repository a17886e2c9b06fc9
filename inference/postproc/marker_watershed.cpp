#include "inference/postproc/marker_watershed.h"

#include "inference/postproc/parallel_for.h"
#include "inference/postproc/watershed_flood.h"
#include "inference/postproc/watershed_inputs.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <climits>
#include <cmath>
#include <cstdint>
#include <stdexcept>
#include <vector>

namespace cellvit {

namespace {

using watershed_detail::Flood;
using watershed_detail::WatershedHeap;

// Landscape values read from the image. noNaN(run): no value of the run is NaN.
struct ImageValues {
    const cv::Mat& landscape;
    double at(int r, int c) const { return landscape.ptr<double>(r)[c]; }
    bool noNaN(const ComponentRun& run) const
    {
        const double* v = landscape.ptr<double>(run.row);
        bool ordered = true;
        for (int c = run.begin; c < run.end; ++c)
            ordered &= v[c] == v[c];
        return ordered;
    }
};

// Landscape values blurred from the distance map where they are needed (landscapeAt). A blurred value can only be
// NaN when a distance value within one pixel is NaN or infinite; `finite` says the caller knows none is.
struct BlurredValues {
    const cv::Mat& dist;
    bool finite = false;
    double at(int r, int c) const { return landscapeAt(dist, r, c); }
    bool noNaN(const ComponentRun& run) const
    {
        if (finite)
            return true;
        const int c0 = std::max(run.begin - 1, 0), c1 = std::min(run.end + 1, dist.cols);
        bool ordered = true;
        for (int r = std::max(run.row - 1, 0); r <= std::min(run.row + 1, dist.rows - 1); ++r) {
            const double* v = dist.ptr<double>(r);
            for (int c = c0; c < c1; ++c)
                ordered &= (v[c] - v[c]) == 0.0; // false for NaN and infinities
        }
        return ordered;
    }
};

// What the caller wants besides the labels (and what it already has).
struct WatershedOutput {
    bool compact = false; // labels 1..N (markerWatershedCompact) instead of the marker labels
    const ComponentLabels* maskComponents = nullptr; // the mask's 4-connected components, when already labelled
    std::vector<InstanceBox>* boxes = nullptr; // compact only: box and area per new id
    int threads = 1; // for the components' floods
};

void checkInputs(const cv::Mat& landscape, const cv::Mat& markers, const cv::Mat& mask)
{
    if (landscape.type() != CV_64FC1 || markers.type() != CV_32SC1 || mask.type() != CV_8UC1
        || landscape.size() != markers.size() || landscape.size() != mask.size())
        throw std::invalid_argument(
            "markerWatershed: expected CV_64F landscape, CV_32S markers, CV_8U mask, same size");
}

// outputOf for the plain result (marker labels as they are) and for the compact one (1..N in label order).
struct OutputLabels {
    std::vector<int32_t> newId; // empty: labels kept
    int32_t operator()(int32_t label) const { return newId.empty() ? label : newId[static_cast<size_t>(label)]; }
};

OutputLabels compactLabels(const std::vector<uint8_t>& present, std::vector<int>& rawOfNew)
{
    OutputLabels labels;
    labels.newId.assign(std::max<size_t>(present.size(), 1), 0);
    rawOfNew.clear();
    for (size_t raw = 1; raw < present.size(); ++raw) {
        if (present[raw]) {
            rawOfNew.push_back(static_cast<int>(raw));
            labels.newId[raw] = static_cast<int32_t>(rawOfNew.size());
        }
    }
    return labels;
}

// The output labels for the markers present in the mask, with the caller's boxes reset to one per output id.
OutputLabels outputLabelsFor(
    const WatershedOutput& want, const std::vector<uint8_t>& present, cv::Size size, std::vector<int>& rawOfNew)
{
    OutputLabels outputOf = want.compact ? compactLabels(present, rawOfNew) : OutputLabels {};
    if (want.boxes)
        want.boxes->assign(rawOfNew.size(), InstanceBox::none(size.height, size.width));
    return outputOf;
}

// Writes `id` on the runs runOrder[begin..end) of `components` (one component, whole), and adds them to its box.
void fillRuns(const ComponentLabels& components, const std::vector<int32_t>& runOrder, int32_t begin, int32_t end,
    int32_t id, cv::Mat& out, std::vector<InstanceBox>* boxes)
{
    for (int32_t i = begin; i < end; ++i) {
        const ComponentRun& run = components.runs[runOrder[i]];
        std::fill(out.ptr<int32_t>(run.row) + run.begin, out.ptr<int32_t>(run.row) + run.end, id);
        if (boxes)
            (*boxes)[id - 1].add(run.row, run.begin, run.end);
    }
}

// The fast strategy. Connected components of the mask never meet, and within one the pops keep their relative
// (value, age) order whatever happens in the others, so each component is flooded on its own, in a state array
// of its bounding box: the flood stays in cache instead of jumping across a 17 MB array, and pixels outside
// the mask are never touched. False when a component needs the full simulation (see Flood::floodFast).
template <typename Values>
bool floodByComponents(const Values& values, const cv::Mat& markers, const cv::Mat& mask, WatershedScratch& scratch,
    const WatershedOutput& want, cv::Mat& out, std::vector<int>& rawOfNew)
{
    if (!want.maskComponents)
        labelComponents4(mask, scratch.components);
    const ComponentLabels& components = want.maskComponents ? *want.maskComponents : scratch.components;
    const int count = components.count;
    // Runs of each component in raster order, and its bounding box.
    std::vector<int32_t> runStart(static_cast<size_t>(count) + 2, 0);
    for (const ComponentRun& run : components.runs)
        ++runStart[run.label + 1];
    for (int k = 1; k <= count + 1; ++k)
        runStart[k] += runStart[k - 1];
    std::vector<int32_t> runOrder(components.runs.size());
    {
        std::vector<int32_t> next(runStart.begin(), runStart.end() - 1);
        for (size_t i = 0; i < components.runs.size(); ++i)
            runOrder[next[components.runs[i].label]++] = static_cast<int32_t>(i);
    }
    std::vector<cv::Rect> boxes(static_cast<size_t>(count) + 1);
    double boxArea = 0;
    for (int k = 1; k <= count; ++k) {
        if (runStart[k] == runStart[k + 1])
            continue; // a label without runs: a component removed from the mask
        int r0 = INT32_MAX, r1 = -1, c0 = INT32_MAX, c1 = -1;
        for (int32_t i = runStart[k]; i < runStart[k + 1]; ++i) {
            const ComponentRun& run = components.runs[runOrder[i]];
            r0 = std::min(r0, run.row);
            r1 = std::max(r1, run.row);
            c0 = std::min(c0, run.begin);
            c1 = std::max(c1, run.end);
        }
        boxes[k] = cv::Rect(c0, r0, c1 - c0, r1 - r0 + 1);
        boxArea += boxes[k].area();
    }
    // Nested or interleaved components could make the boxes cover the image many times over.
    if (boxArea > 4.0 * static_cast<double>(mask.total()))
        return false;

    // The labels in the result: marker labels on mask pixels. And the marker label of each component: a
    // component whose markers all carry one label is flooded by it entirely (the component is connected and
    // nothing competes), the common case of an isolated nucleus; only components with several labels need the
    // priority flood. (kSeveral: more than one label; 0: no marker, the component stays unlabelled.)
    constexpr int32_t kSeveral = -1;
    std::vector<uint8_t> present;
    std::vector<int32_t> labelOf(static_cast<size_t>(count) + 1, 0);
    for (const ComponentRun& run : components.runs) {
        const int32_t* m = markers.ptr<int32_t>(run.row);
        int32_t& only = labelOf[run.label];
        for (int c = run.begin; c < run.end; ++c) {
            if (m[c] <= 0)
                continue;
            if (static_cast<size_t>(m[c]) >= present.size())
                present.resize(static_cast<size_t>(m[c]) + 1, 0);
            present[m[c]] = 1;
            only = (only == 0 || only == m[c]) ? m[c] : kSeveral;
        }
    }
    const OutputLabels outputOf = outputLabelsFor(want, present, mask.size(), rawOfNew);

    out = cv::Mat::zeros(mask.size(), CV_32S);
    std::vector<int32_t> marked; // the components with markers: the others stay 0
    for (int k = 1; k <= count; ++k) {
        if (!boxes[k].empty() && labelOf[k] != 0)
            marked.push_back(k);
    }
    // Components are independent, so threads share them out: each writes only its own pixels of `out`, and
    // boxes are kept per thread and merged.
    const int workers = parallelWorkers(static_cast<int>(marked.size()), want.threads);
    scratch.workers.resize(static_cast<size_t>(workers) - 1); // kept between calls, as the caller's own buffers
    std::vector<std::vector<InstanceBox>> workerBoxes(want.boxes ? workers - 1 : 0);
    for (std::vector<InstanceBox>& b : workerBoxes)
        b.assign(want.boxes->size(), InstanceBox::none(mask.rows, mask.cols));
    std::atomic<bool> needsFullSimulation { false };
    const cv::Mat& componentOf = components.labels;
    parallelForWorkers(static_cast<int>(marked.size()), want.threads, [&](int i, int worker) {
        const int k = marked[i];
        std::vector<InstanceBox>* boxesOut = worker > 0 && want.boxes ? &workerBoxes[worker - 1] : want.boxes;
        // skimage pushes every pixel of a component with markers on its one heap; a NaN anywhere upsets the
        // heap's order for all components, which only the full simulation reproduces.
        for (int32_t run = runStart[k]; run < runStart[k + 1]; ++run) {
            if (!values.noNaN(components.runs[runOrder[run]])) {
                needsFullSimulation = true;
                return;
            }
        }
        if (labelOf[k] != kSeveral) {
            fillRuns(components, runOrder, runStart[k], runStart[k + 1], outputOf(labelOf[k]), out, boxesOut);
            return;
        }
        if (needsFullSimulation)
            return;
        Flood<WatershedHeap> flood(
            values, markers, boxes[k], [&](int r, int c) { return componentOf.ptr<int>(r)[c] == k; },
            worker > 0 ? scratch.workers[worker - 1] : scratch);
        if (!flood.floodFast()) {
            needsFullSimulation = true;
            return;
        }
        flood.writeAllowed(out, outputOf, boxesOut);
    });
    if (needsFullSimulation)
        return false;
    for (const std::vector<InstanceBox>& b : workerBoxes) {
        for (size_t id = 0; id < b.size(); ++id)
            (*want.boxes)[id].merge(b[id]);
    }
    return true;
}

// The landscape as given, or the distance map it is blurred from (landscapeFromDistance).
struct LandscapeInput {
    const cv::Mat& image;
    bool blurred = false;
    bool knownFinite = false; // blurred only: the caller knows every distance value is finite
};

// The fast strategy, else the full simulation of the whole image.
cv::Mat watershed(const LandscapeInput& landscape, const cv::Mat& markers, const cv::Mat& mask,
    WatershedScratch& scratch, const WatershedOutput& want, std::vector<int>& rawOfNew)
{
    checkInputs(landscape.image, markers, mask);
    if (want.maskComponents && want.maskComponents->labels.size() != mask.size())
        throw std::invalid_argument("markerWatershed: the mask's components differ in size from the mask");
    cv::Mat out;
    const bool fast = landscape.blurred
        ? floodByComponents(
            BlurredValues { landscape.image, landscape.knownFinite }, markers, mask, scratch, want, out, rawOfNew)
        : floodByComponents(ImageValues { landscape.image }, markers, mask, scratch, want, out, rawOfNew);
    if (fast)
        return out;
    cv::Mat blurred;
    if (landscape.blurred)
        landscapeFromDistance(landscape.image, blurred);
    Flood<WatershedHeap> exact(
        ImageValues { landscape.blurred ? blurred : landscape.image }, markers, cv::Rect(0, 0, mask.cols, mask.rows),
        [&](int r, int c) { return mask.ptr<uint8_t>(r)[c] != 0; }, scratch);
    exact.floodExact();
    out = cv::Mat::zeros(mask.size(), CV_32S);
    const OutputLabels outputOf = outputLabelsFor(want, exact.presentLabels(), mask.size(), rawOfNew);
    exact.writeAllowed(out, outputOf, want.boxes);
    return out;
}

} // namespace

cv::Mat markerWatershed(const cv::Mat& landscape, const cv::Mat& markers, const cv::Mat& mask)
{
    WatershedScratch scratch;
    return markerWatershed(landscape, markers, mask, scratch);
}

cv::Mat markerWatershed(
    const cv::Mat& landscape, const cv::Mat& markers, const cv::Mat& mask, WatershedScratch& scratch)
{
    std::vector<int> unused;
    return watershed(LandscapeInput { landscape }, markers, mask, scratch, WatershedOutput { false }, unused);
}

cv::Mat markerWatershedCompact(const cv::Mat& landscape, const cv::Mat& markers, const cv::Mat& mask,
    WatershedScratch& scratch, std::vector<int>& rawOfNew, const ComponentLabels* maskComponents,
    std::vector<InstanceBox>* boxes, int threads)
{
    return watershed(LandscapeInput { landscape }, markers, mask, scratch,
        WatershedOutput { true, maskComponents, boxes, threads }, rawOfNew);
}

cv::Mat markerWatershedCompactFromDistance(const cv::Mat& dist, const cv::Mat& markers, const cv::Mat& mask,
    WatershedScratch& scratch, std::vector<int>& rawOfNew, const ComponentLabels* maskComponents,
    std::vector<InstanceBox>* boxes, int threads, bool distanceIsFinite)
{
    return watershed(LandscapeInput { dist, true, distanceIsFinite }, markers, mask, scratch,
        WatershedOutput { true, maskComponents, boxes, threads }, rawOfNew);
}

cv::Mat markerWatershedExact(const cv::Mat& landscape, const cv::Mat& markers, const cv::Mat& mask)
{
    checkInputs(landscape, markers, mask);
    WatershedScratch scratch;
    Flood<WatershedHeap> exact(
        ImageValues { landscape }, markers, cv::Rect(0, 0, mask.cols, mask.rows),
        [&](int r, int c) { return mask.ptr<uint8_t>(r)[c] != 0; }, scratch);
    exact.floodExact();
    cv::Mat out = cv::Mat::zeros(mask.size(), CV_32S);
    exact.writeAllowed(out, OutputLabels {});
    return out;
}

} // namespace cellvit
