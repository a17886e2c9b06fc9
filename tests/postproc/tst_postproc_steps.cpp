// The building blocks whose exact semantics the reference depends on (scipy label numbering, binary_fill_holes,
// np.argmax ties, skimage watershed ties, remap_label), on small hand-made maps with known answers.
#include "inference/postproc/cell_extraction.h"
#include "inference/postproc/connected_components.h"
#include "inference/postproc/fill_holes.h"
#include "inference/postproc/foreground_mask.h"
#include "inference/postproc/marker_watershed.h"
#include "inference/postproc/postprocess.h"
#include "inference/postproc/remap_labels.h"
#include "inference/postproc/watershed_inputs.h"
#include "test_support.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <map>
#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

using namespace cellvit;

namespace {

cv::Mat u8(int rows, int cols, std::initializer_list<int> values)
{
    cv::Mat m(rows, cols, CV_8U);
    auto it = values.begin();
    for (int i = 0; i < rows * cols; ++i)
        m.at<uint8_t>(i / cols, i % cols) = static_cast<uint8_t>(*it++);
    return m;
}

std::vector<int> flat(const cv::Mat& labels)
{
    std::vector<int> v;
    for (int r = 0; r < labels.rows; ++r)
        for (int c = 0; c < labels.cols; ++c)
            v.push_back(labels.at<int>(r, c));
    return v;
}

} // namespace

class TestPostprocSteps : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void labelsInRasterOrderWithFourConnectivity()
    {
        // A U shape whose arms meet late (one component numbered by its first pixel), a diagonal neighbour
        // (separate under 4-connectivity) and a lone pixel.
        const cv::Mat binary = u8(4, 6, { 1, 0, 1, 0, 0, 1, 1, 0, 1, 0, 1, 0, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 1 });
        const ComponentLabels c = labelComponents4(binary);
        QCOMPARE(c.count, 4);
        QCOMPARE(flat(c.labels),
            (std::vector<int> { 1, 0, 1, 0, 0, 2, 1, 0, 1, 0, 3, 0, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 4 }));
        ComponentLabels small = c;
        removeSmallComponents(small, 2);
        QCOMPARE(componentSizes(small), (std::vector<int> { 24 - 7, 7, 0, 0, 0 }));
    }

    void labelsLikeOpenCvOnBlobsOfAllRunLengths()
    {
        // Blurred noise thresholded at three levels: long runs (the eight-byte skips), short runs, U shapes
        // that merge rows apart; 301 columns so no row is a whole number of words.
        cv::Mat noise(257, 301, CV_32F);
        cv::randu(noise, 0.0f, 1.0f);
        cv::GaussianBlur(noise, noise, cv::Size(0, 0), 2.5);
        for (float level : { 0.49f, 0.5f, 0.52f }) {
            cv::Mat binary = noise > level;
            binary.row(0).setTo(255); // a run across a whole row
            const ComponentLabels ours = labelComponents4(binary);
            cv::Mat theirs;
            const int n = cv::connectedComponents(binary, theirs, 4, CV_32S);
            QCOMPARE(ours.count, n - 1);
            // Same partition; our labels first appear in raster order 1, 2, 3, ...
            std::map<int, int> ourOfTheirs;
            int nextNew = 1;
            std::vector<int> lastRow(ours.count + 1, -1);
            for (int r = 0; r < binary.rows; ++r) {
                for (int c = 0; c < binary.cols; ++c) {
                    const int o = ours.labels.at<int>(r, c), t = theirs.at<int>(r, c);
                    QCOMPARE(o == 0, t == 0);
                    lastRow[o] = r;
                    if (t == 0)
                        continue;
                    const auto [it, inserted] = ourOfTheirs.emplace(t, o);
                    if (inserted)
                        QCOMPARE(o, nextNew++);
                    QCOMPARE(it->second, o);
                }
            }
            QCOMPARE(ours.sizes, componentSizes(ours));
            QCOMPARE(ours.lastRow, lastRow);
        }
    }

    void fillsOnlyHolesClosedUnderFourConnectivity()
    {
        // Left: a closed ring (hole filled). Right: a ring open diagonally, still closed for the cross
        // structure (filled). Bottom-right background touches the border (kept).
        const cv::Mat binary = u8(5, 8,
            { 1, 1, 1, 0, 0, 1, 0, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 1, 1, 0, 1, 0, 1, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0,
                0, 0, 0, 0, 0 });
        const cv::Mat filled = fillHoles(binary);
        QCOMPARE(int(filled.at<uint8_t>(1, 1)), 1);
        QCOMPARE(int(filled.at<uint8_t>(1, 5)), 1);
        QCOMPARE(int(filled.at<uint8_t>(2, 5)), 1);
        QCOMPARE(cv::countNonZero(filled), cv::countNonZero(binary) + 3);
    }

    void argmaxPrefersTheFirstChannelOnTies()
    {
        const std::vector<float> probs { 0.5f, 0.2f, 0.3f, /* channel 1 */ 0.5f, 0.8f, 0.3f };
        const cv::Mat a = argmaxOverChannels(probs.data(), 2, 1, 3);
        QCOMPARE(int(a.at<uint8_t>(0, 0)), 0);
        QCOMPARE(int(a.at<uint8_t>(0, 1)), 1);
        QCOMPARE(int(a.at<uint8_t>(0, 2)), 0);
    }

    void watershedBreaksTiesByInsertionOrder()
    {
        // Flat landscape, two seeds on one row: each pixel goes to the seed whose flood reaches it first;
        // on a flat plateau the earlier-pushed (older) pixel expands first, so the middle pixel of an odd gap
        // goes to the left seed (pushed from the seed popped first).
        const cv::Mat landscape = cv::Mat::zeros(1, 5, CV_64F);
        cv::Mat markers = cv::Mat::zeros(1, 5, CV_32S);
        markers.at<int>(0, 0) = 7;
        markers.at<int>(0, 4) = 3;
        const cv::Mat mask = cv::Mat::ones(1, 5, CV_8U);
        QCOMPARE(flat(markerWatershed(landscape, markers, mask)), (std::vector<int> { 7, 7, 7, 3, 3 }));

        // Lower values flood first regardless of distance; the mask stops the flood.
        cv::Mat valley = (cv::Mat_<double>(1, 6) << 0, 5, -1, -1, -1, 0);
        cv::Mat masked = cv::Mat::ones(1, 6, CV_8U);
        masked.at<uint8_t>(0, 5) = 0;
        cv::Mat seeds = cv::Mat::zeros(1, 6, CV_32S);
        seeds.at<int>(0, 0) = 1;
        seeds.at<int>(0, 3) = 2;
        QCOMPARE(flat(markerWatershed(valley, seeds, masked)), (std::vector<int> { 1, 2, 2, 2, 2, 0 }));
    }

    // The flood per mask component (and its fall-back to one flood of the whole image when the components'
    // boxes overlap too much) against the full simulation, with the renumbering done afterwards.
    void componentFloodEqualsTheFullSimulation()
    {
        cv::Mat noise(240, 250, CV_32F);
        cv::randu(noise, 0.0f, 1.0f);
        cv::GaussianBlur(noise, noise, cv::Size(0, 0), 3.0);
        const cv::Mat blobs = noise > 0.5f; // many components
        cv::Mat rings(240, 250, CV_8U, cv::Scalar(0)); // nested squares: their boxes cover the image many times
        for (int i = 0; i < 28; ++i)
            cv::rectangle(rings, cv::Rect(4 * i, 4 * i, 250 - 8 * i, 240 - 8 * i), cv::Scalar(255), 2);
        for (const cv::Mat& mask : { blobs, rings }) {
            cv::Mat seeds;
            cv::erode(mask, seeds, cv::getStructuringElement(cv::MORPH_ELLIPSE, cv::Size(7, 7)));
            for (int i = 0; i < 28; ++i) // one seed per ring
                seeds.at<uint8_t>(4 * i, 4 * i + 10) = 255;
            seeds &= mask;
            const cv::Mat markers = labelComponents4(seeds).labels;
            cv::Mat landscape(mask.size(), CV_64F);
            cv::randu(landscape, -1.0, 0.0);
            const cv::Mat exact = markerWatershedExact(landscape, markers, mask);
            QVERIFY(cv::countNonZero(exact) > cv::countNonZero(seeds)); // it flooded
            QCOMPARE(cv::countNonZero(markerWatershed(landscape, markers, mask) != exact), 0);
            cv::Mat remapped = exact.clone();
            const std::vector<int> rawOfNew = remapLabels(remapped);
            WatershedScratch scratch;
            std::vector<int> compactRaw;
            std::vector<InstanceBox> boxes;
            const cv::Mat compact
                = markerWatershedCompact(landscape, markers, mask, scratch, compactRaw, nullptr, &boxes);
            QCOMPARE(compactRaw, rawOfNew);
            QCOMPARE(cv::countNonZero(compact != remapped), 0);
            QVERIFY(boxes == instanceBoxes(remapped)); // from the output pass of either strategy

            // Components given by the caller, some removed from the mask (their runs dropped, their pixels'
            // labels left in the label image): the result of labelling the smaller mask afresh.
            cv::Mat smaller;
            ComponentLabels blobs;
            std::vector<int> sizes = labelComponents4(mask).sizes; // the smaller half of the components goes
            std::nth_element(sizes.begin() + 1, sizes.begin() + sizes.size() / 2, sizes.end());
            foregroundMask(mask / 255, sizes[sizes.size() / 2], smaller, blobs);
            QVERIFY(cv::countNonZero(smaller) < cv::countNonZero(mask));
            std::vector<int> freshRaw, givenRaw;
            std::vector<InstanceBox> givenBoxes;
            const cv::Mat fresh = markerWatershedCompact(landscape, markers, smaller, scratch, freshRaw);
            const cv::Mat given
                = markerWatershedCompact(landscape, markers, smaller, scratch, givenRaw, &blobs, &givenBoxes);
            QCOMPARE(givenRaw, freshRaw);
            QCOMPARE(cv::countNonZero(given != fresh), 0);
            QVERIFY(givenBoxes == instanceBoxes(fresh));
            // The landscape blurred only where the flood needs it (from the distance map): the same labels and
            // boxes, also for the nested rings, which take the full simulation.
            std::vector<int> fromDistanceRaw;
            std::vector<InstanceBox> fromDistanceBoxes;
            cv::Mat blurred;
            landscapeFromDistance(landscape, blurred);
            const cv::Mat onBlurred = markerWatershedCompact(blurred, markers, mask, scratch, compactRaw);
            const cv::Mat fromDistance = markerWatershedCompactFromDistance(
                landscape, markers, mask, scratch, fromDistanceRaw, nullptr, &fromDistanceBoxes, 2);
            QCOMPARE(fromDistanceRaw, compactRaw);
            QCOMPARE(cv::countNonZero(fromDistance != onBlurred), 0);
            QVERIFY(fromDistanceBoxes == instanceBoxes(onBlurred));
            // Components flooded on three threads: the same labels and boxes.
            std::vector<int> threadedRaw;
            std::vector<InstanceBox> threadedBoxes;
            const cv::Mat threaded
                = markerWatershedCompact(landscape, markers, smaller, scratch, threadedRaw, &blobs, &threadedBoxes, 3);
            QCOMPARE(threadedRaw, freshRaw);
            QCOMPARE(cv::countNonZero(threaded != fresh), 0);
            QVERIFY(threadedBoxes == instanceBoxes(fresh));
        }
    }

    // A component whose markers share one label (here in two pieces, over NaN values) is that label whole, one
    // without markers stays 0, and one with two labels is flooded: all as the full simulation has them.
    void singleLabelComponentsAreFilledWhole()
    {
        cv::Mat mask = cv::Mat::zeros(9, 20, CV_8U);
        mask(cv::Rect(0, 0, 6, 9)) = 1; // A
        mask(cv::Rect(7, 0, 5, 9)) = 1; // B
        mask(cv::Rect(13, 0, 7, 9)) = 1; // C
        cv::Mat markers = cv::Mat::zeros(mask.size(), CV_32S);
        markers.at<int>(1, 1) = 5;
        markers.at<int>(7, 4) = 5;
        markers.at<int>(2, 14) = 1;
        markers.at<int>(6, 19) = 2;
        cv::Mat landscape(mask.size(), CV_64F);
        cv::randu(landscape, -1.0, 0.0);
        landscape.at<double>(4, 2) = std::numeric_limits<double>::quiet_NaN();
        const cv::Mat exact = markerWatershedExact(landscape, markers, mask);
        const cv::Mat fast = markerWatershed(landscape, markers, mask);
        QCOMPARE(cv::countNonZero(fast != exact), 0);
        QCOMPARE(cv::countNonZero(fast(cv::Rect(0, 0, 6, 9)) == 5), 54);
        QCOMPARE(cv::countNonZero(fast(cv::Rect(7, 0, 5, 9))), 0);
        const cv::Mat c = fast(cv::Rect(13, 0, 7, 9));
        QCOMPARE(cv::countNonZero(c == 1) + cv::countNonZero(c == 2), 63);
        QVERIFY(cv::countNonZero(c == 1) > 0 && cv::countNonZero(c == 2) > 0);
    }

    // NaN in a component with one marker label: skimage pushes its pixels on the one heap it floods every
    // component from, and their NaN keys change the pop order elsewhere. The fast strategy must notice and run the
    // full simulation, with the landscape given or blurred from the distance map. 300 fixed random cases, of which
    // the shortcut without the check gets a few percent wrong.
    void nanInASingleLabelComponentAffectsTheOthers()
    {
        const double nan = std::numeric_limits<double>::quiet_NaN();
        cv::Mat mask = cv::Mat::zeros(6, 11, CV_8U);
        mask(cv::Rect(0, 0, 5, 6)) = 1; // one label
        mask(cv::Rect(6, 0, 5, 6)) = 1; // two labels
        cv::Mat markers = cv::Mat::zeros(mask.size(), CV_32S);
        int differing = 0, differingFromDistance = 0;
        for (int seed = 0; seed < 300; ++seed) {
            cv::RNG rng(static_cast<uint64_t>(seed) + 1);
            markers.setTo(0);
            markers.at<int>(rng.uniform(0, 6), rng.uniform(0, 5)) = 1;
            markers.at<int>(rng.uniform(0, 3), rng.uniform(6, 11)) = 2;
            markers.at<int>(rng.uniform(3, 6), rng.uniform(6, 11)) = 3;
            cv::Mat landscape(mask.size(), CV_64F);
            rng.fill(landscape, cv::RNG::UNIFORM, -1.0, 0.0);
            for (int k = 0; k < 3; ++k)
                landscape.at<double>(rng.uniform(0, 6), rng.uniform(0, 5)) = nan;
            differing += cv::countNonZero(
                markerWatershed(landscape, markers, mask) != markerWatershedExact(landscape, markers, mask));
            // And a NaN inside the component with two labels, which the priority flood would meet.
            cv::Mat inFlooded = landscape.clone();
            inFlooded.at<double>(rng.uniform(0, 6), rng.uniform(6, 11)) = nan;
            differing += cv::countNonZero(
                markerWatershed(inFlooded, markers, mask) != markerWatershedExact(inFlooded, markers, mask));
            // The same NaNs as distance values (they spread to the blurred neighbours).
            cv::Mat blurred;
            landscapeFromDistance(landscape, blurred);
            WatershedScratch scratch;
            std::vector<int> raw, rawExact;
            const cv::Mat fromDistance = markerWatershedCompactFromDistance(landscape, markers, mask, scratch, raw);
            cv::Mat exact = markerWatershedExact(blurred, markers, mask);
            rawExact = remapLabels(exact);
            differingFromDistance += cv::countNonZero(fromDistance != exact) + (raw != rawExact);
        }
        QCOMPARE(differing, 0);
        QCOMPARE(differingFromDistance, 0);
    }

    // A landscape value computed alone equals the blur of the whole map, on values whose exponents spread over 60
    // binades (any other order of the sums differs there), at the borders, and on one-row / one-column maps.
    void landscapeAtEqualsTheBlur()
    {
        QVERIFY(landscapeAtMatchesOpenCv());
        for (const cv::Size size : { cv::Size(53, 47), cv::Size(9, 1), cv::Size(1, 7) }) {
            cv::Mat dist(size, CV_64F), exponents(size, CV_64F);
            cv::randu(dist, -1.0, 0.0);
            cv::randu(exponents, -30.0, 30.0);
            for (int r = 0; r < dist.rows; ++r)
                for (int c = 0; c < dist.cols; ++c)
                    dist.at<double>(r, c) *= std::exp2(std::floor(exponents.at<double>(r, c)));
            cv::Mat blurred;
            cv::GaussianBlur(dist, blurred, cv::Size(3, 3), 0);
            int differing = 0;
            for (int r = 0; r < dist.rows; ++r) {
                for (int c = 0; c < dist.cols; ++c) {
                    const double value = landscapeAt(dist, r, c);
                    differing += std::memcmp(&value, blurred.ptr<double>(r) + c, sizeof value) != 0;
                }
            }
            QCOMPARE(differing, 0);
        }
    }

    void remapKeepsLabelOrder()
    {
        cv::Mat labels = (cv::Mat_<int>(1, 5) << 9, 0, 4, 9, 12);
        QCOMPARE(remapLabels(labels), (std::vector<int> { 4, 9, 12 }));
        QCOMPARE(flat(labels), (std::vector<int> { 2, 0, 1, 2, 3 }));
    }
};

QTEST_GUILESS_MAIN(TestPostprocSteps)
#include "tst_postproc_steps.moc"
