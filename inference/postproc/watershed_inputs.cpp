#include "inference/postproc/watershed_inputs.h"

#include "inference/postproc/fill_holes.h"

#include <cmath>
#include <cstring>
#include <opencv2/imgproc.hpp>

namespace cellvit {

cv::Mat watershedLandscape(const cv::Mat& edgeMap, const cv::Mat& foreground)
{
    cv::Mat landscape, dist;
    watershedLandscape(edgeMap, foreground, landscape, dist);
    return landscape;
}

void watershedLandscape(const cv::Mat& edgeMap, const cv::Mat& foreground, cv::Mat& landscape, cv::Mat& dist)
{
    // The reference computes -GaussianBlur((1 - e) * fg). Negation is exact and commutes with the blur's
    // products and sums (rounding is sign-symmetric), so blurring (e - 1) * fg gives the same values without a
    // final negation pass; only the sign of exact zeros may differ, which the watershed does not see.
    dist.create(edgeMap.size(), CV_64F);
    for (int r = 0; r < dist.rows; ++r) {
        const double* e = edgeMap.ptr<double>(r);
        const uint8_t* fg = foreground.ptr<uint8_t>(r);
        double* out = dist.ptr<double>(r);
        for (int c = 0; c < dist.cols; ++c)
            out[c] = (e[c] - 1.0) * fg[c];
    }
    landscapeFromDistance(dist, landscape);
}

void landscapeFromDistance(const cv::Mat& dist, cv::Mat& landscape)
{
    // The reference blurs in float64 (the product above is float64); OpenCV's default border (REFLECT_101).
    cv::GaussianBlur(dist, landscape, cv::Size(3, 3), 0);
}

namespace {

// OpenCV's default border, asked of OpenCV only outside the image (this runs per pixel).
int reflect101(int i, int n)
{
    return i >= 0 && i < n ? i : cv::borderInterpolate(i, n, cv::BORDER_REFLECT_101);
}

double rowPass(const double* row, int c, int cols)
{
    const double left = row[reflect101(c - 1, cols)], right = row[reflect101(c + 1, cols)];
    return (0.25 * left + 0.5 * row[c]) + 0.25 * right;
}

} // namespace

double landscapeAt(const cv::Mat& dist, int r, int c)
{
    const double centre = rowPass(dist.ptr<double>(r), c, dist.cols);
    const double below = rowPass(dist.ptr<double>(reflect101(r + 1, dist.rows)), c, dist.cols);
    const double above = rowPass(dist.ptr<double>(reflect101(r - 1, dist.rows)), c, dist.cols);
    return 0.5 * centre + 0.25 * (below + above);
}

bool landscapeAtMatchesOpenCv()
{
    static const bool matches = [] {
        cv::Mat dist(37, 41, CV_64F), exponents(dist.size(), CV_64F);
        cv::RNG rng(5);
        rng.fill(dist, cv::RNG::UNIFORM, -1.0, 0.0);
        rng.fill(exponents, cv::RNG::UNIFORM, -30.0, 30.0);
        for (int r = 0; r < dist.rows; ++r)
            for (int c = 0; c < dist.cols; ++c)
                dist.at<double>(r, c) *= std::exp2(std::floor(exponents.at<double>(r, c)));
        cv::Mat blurred;
        landscapeFromDistance(dist, blurred);
        for (int r = 0; r < dist.rows; ++r) {
            for (int c = 0; c < dist.cols; ++c) {
                const double ours = landscapeAt(dist, r, c);
                if (std::memcmp(&ours, blurred.ptr<double>(r) + c, sizeof ours) != 0)
                    return false;
            }
        }
        return true;
    }();
    return matches;
}

cv::Mat watershedMarkers(const cv::Mat& edgeMap, const cv::Mat& foreground, double threshold, int minMarkerSize)
{
    ComponentLabels markers;
    MarkerScratch scratch;
    watershedMarkers(edgeMap, foreground, threshold, minMarkerSize, markers, scratch);
    return markers.labels;
}

void watershedMarkers(const cv::Mat& edgeMap, const cv::Mat& foreground, double threshold, int minMarkerSize,
    ComponentLabels& markers, MarkerScratch& scratch)
{
    cv::Mat& seeds = scratch.seeds;
    seeds.create(edgeMap.size(), CV_8U);
    for (int r = 0; r < seeds.rows; ++r) {
        const double* e = edgeMap.ptr<double>(r);
        const uint8_t* fg = foreground.ptr<uint8_t>(r);
        uint8_t* out = seeds.ptr<uint8_t>(r);
        for (int c = 0; c < seeds.cols; ++c)
            out[c] = fg[c] && !(e[c] >= threshold);
    }
    markersFromSeeds(seeds, minMarkerSize, markers, scratch);
}

void markersFromSeeds(const cv::Mat& seeds, int minMarkerSize, ComponentLabels& markers, MarkerScratch& scratch)
{
    fillHoles(seeds, scratch.filled, scratch.framed);
    cv::morphologyEx(
        scratch.filled, scratch.opened, cv::MORPH_OPEN, cv::getStructuringElement(cv::MORPH_ELLIPSE, cv::Size(5, 5)));
    labelComponents4(scratch.opened, markers);
    removeSmallComponents(markers, minMarkerSize);
}

} // namespace cellvit
