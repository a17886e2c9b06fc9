#include "inference/classic/classic_detector.h"

#include "inference/classic/morphological_reconstruction.h"
#include "inference/postproc/connected_components.h"
#include "inference/postproc/fill_holes.h"
#include "inference/postproc/marker_watershed.h"

#include <algorithm>
#include <cmath>
#include <opencv2/imgproc.hpp>
#include <stdexcept>

namespace cellvit::classic {
namespace {

// Background density: a grey opening with a disk of the given radius, computed at a coarser scale
// (it is smooth by construction) so large radii stay cheap.
cv::Mat backgroundEstimate(const cv::Mat& density, double radiusPx)
{
    const double shrink = std::max(1.0, radiusPx / 8.0);
    cv::Mat small;
    cv::resize(density, small, cv::Size(), 1.0 / shrink, 1.0 / shrink, cv::INTER_AREA);
    const int r = std::max(1, static_cast<int>(std::lround(radiusPx / shrink)));
    const cv::Mat disk = cv::getStructuringElement(cv::MORPH_ELLIPSE, cv::Size(2 * r + 1, 2 * r + 1));
    cv::morphologyEx(small, small, cv::MORPH_OPEN, disk, cv::Point(-1, -1), 1, cv::BORDER_REPLICATE);
    cv::Mat background;
    cv::resize(small, background, density.size(), 0, 0, cv::INTER_LINEAR);
    return background;
}

// Otsu over the pixels in `mask` only: glass and the white padding of patches at the slide's edge would
// otherwise fill the histogram's low end and drag the threshold down into pale stroma.
double otsuThreshold(const cv::Mat& density, const cv::Mat& mask, double floor)
{
    double maxValue = 0;
    cv::minMaxLoc(density, nullptr, &maxValue, nullptr, nullptr, mask);
    if (!(maxValue > floor))
        return floor;
    cv::Mat scaled;
    density.convertTo(scaled, CV_8U, 255.0 / maxValue);
    cv::Mat histogram;
    const int bins = 256;
    const float range[] = { 0, 256 };
    const float* ranges[] = { range };
    cv::calcHist(&scaled, 1, nullptr, mask, histogram, 1, &bins, ranges);
    double total = 0, sum = 0;
    for (int i = 0; i < bins; ++i) {
        total += histogram.at<float>(i);
        sum += i * static_cast<double>(histogram.at<float>(i));
    }
    // Maximise the between-class variance; the threshold is the last bin of the lower class, as in cv::threshold.
    double weightBelow = 0, sumBelow = 0, best = -1;
    int bestBin = 0;
    for (int i = 0; i < bins; ++i) {
        weightBelow += histogram.at<float>(i);
        sumBelow += i * static_cast<double>(histogram.at<float>(i));
        const double weightAbove = total - weightBelow;
        if (weightBelow <= 0 || weightAbove <= 0)
            continue;
        const double meanBelow = sumBelow / weightBelow;
        const double meanAbove = (sum - sumBelow) / weightAbove;
        const double between = weightBelow * weightAbove * (meanBelow - meanAbove) * (meanBelow - meanAbove);
        if (between > best) {
            best = between;
            bestBin = i;
        }
    }
    return std::max(floor, bestBin * maxValue / 255.0);
}

} // namespace

cv::Mat detectNuclei(const cv::Mat& rgb, double mpp, const ClassicParams& params)
{
    if (!(mpp > 0))
        throw std::invalid_argument("classic detector: µm per pixel must be positive");
    cv::Mat density = stainDensity(rgb, params.stains, 0);
    if (params.backgroundRadiusMicrons > 0)
        density -= backgroundEstimate(density, params.backgroundRadiusMicrons / mpp);
    if (params.sigmaMicrons > 0)
        cv::GaussianBlur(density, density, cv::Size(), params.sigmaMicrons / mpp, 0, cv::BORDER_REPLICATE);

    double threshold = params.fixedThreshold;
    if (params.threshold == ThresholdMethod::Otsu) {
        cv::Mat glass;
        cv::inRange(rgb, cv::Scalar::all(params.glassLevel), cv::Scalar::all(255), glass);
        threshold = otsuThreshold(density, glass == 0, params.minOtsuThreshold);
    }
    cv::Mat foreground = density > threshold;
    foreground /= 255;
    if (params.fillHoles)
        foreground = fillHoles(foreground);
    // A small opening drops one-pixel bridges and speckles before the shape split.
    const int open = std::max(1, static_cast<int>(std::lround(0.5 / mpp)));
    cv::morphologyEx(foreground, foreground, cv::MORPH_OPEN,
        cv::getStructuringElement(cv::MORPH_ELLIPSE, cv::Size(2 * open + 1, 2 * open + 1)));

    cv::Mat labels;
    if (params.splitByShape) {
        cv::Mat distance;
        cv::distanceTransform(foreground, distance, cv::DIST_L2, cv::DIST_MASK_PRECISE);
        cv::GaussianBlur(distance, distance, cv::Size(), 1.0, 0, cv::BORDER_REPLICATE);
        const cv::Mat markers = labelComponents4(
            hMaxima(distance, static_cast<float>(params.splitToleranceMicrons / mpp)).mul(foreground))
                                    .labels;
        cv::Mat landscape;
        distance.convertTo(landscape, CV_64F, -1.0);
        labels = markerWatershed(landscape, markers, foreground);
        // Components without a marker (none survived the mask) keep their own label.
        ComponentLabels unsplit = labelComponents4(foreground);
        int next = markers.empty() ? 0 : static_cast<int>(cv::norm(markers, cv::NORM_INF));
        std::vector<int> extra(static_cast<size_t>(unsplit.count) + 1, 0);
        for (int y = 0; y < labels.rows; ++y) {
            int* l = labels.ptr<int>(y);
            const int* u = unsplit.labels.ptr<int>(y);
            for (int x = 0; x < labels.cols; ++x) {
                if (l[x] == 0 && u[x] != 0) {
                    int& id = extra[static_cast<size_t>(u[x])];
                    if (id == 0)
                        id = ++next;
                    l[x] = id;
                }
            }
        }
    } else {
        labels = labelComponents4(foreground).labels;
    }

    // Area filter in µm², then ids renumbered 1..N in raster order.
    const double pixelArea = mpp * mpp;
    double maxValue = 0;
    cv::minMaxLoc(labels, nullptr, &maxValue);
    const int maxId = static_cast<int>(maxValue);
    std::vector<int> area(static_cast<size_t>(maxId) + 1, 0);
    for (int y = 0; y < labels.rows; ++y) {
        const int* l = labels.ptr<int>(y);
        for (int x = 0; x < labels.cols; ++x)
            ++area[static_cast<size_t>(l[x])];
    }
    std::vector<int> remap(area.size(), -1);
    remap[0] = 0;
    int next = 0;
    for (int y = 0; y < labels.rows; ++y) {
        int* l = labels.ptr<int>(y);
        for (int x = 0; x < labels.cols; ++x) {
            int& r = remap[static_cast<size_t>(l[x])];
            if (r < 0) {
                const double microns2 = area[static_cast<size_t>(l[x])] * pixelArea;
                r = (microns2 >= params.minAreaMicrons2 && microns2 <= params.maxAreaMicrons2) ? ++next : 0;
            }
            l[x] = r;
        }
    }
    return labels;
}

} // namespace cellvit::classic
