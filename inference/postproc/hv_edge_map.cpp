#include "inference/postproc/hv_edge_map.h"

#include "inference/postproc/exact_sobel.h"
#include "inference/postproc/parallel_for.h"

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <cstring>
#include <opencv2/imgproc.hpp>
#include <random>
#include <stdexcept>

namespace cellvit {

namespace {

// cv::normalize(src, dst, 0, 1, NORM_MINMAX, CV_32F) of a CV_64F image, one pixel at a time: OpenCV 4.6 rounds
// scale and shift to float and converts with a fused multiply-add. Only used after the probe below has
// matched cv::normalize bit for bit, so that the Sobel responses need no float copies.
struct UnitScale {
    double scale = 0, shift = 0;

    explicit UnitScale(const cv::Mat& src)
    {
        double smin = 0, smax = 0;
        cv::minMaxIdx(src, &smin, &smax);
        set(smin, smax);
    }
    UnitScale(double smin, double smax) { set(smin, smax); }
    void set(double smin, double smax)
    {
        scale = static_cast<float>(smax - smin > DBL_EPSILON ? 1.0 / (smax - smin) : 0.0);
        shift = 0.0f - static_cast<float>(smin * scale);
    }
    float operator()(double x) const { return static_cast<float>(std::fma(x, scale, shift)); }
};

bool unitScaleMatchesOpenCv()
{
    cv::Mat probe(37, 101, CV_64F);
    std::mt19937 rng(11);
    std::normal_distribution<double> normal(0.3, 250.0);
    for (size_t i = 0; i < probe.total(); ++i)
        probe.ptr<double>()[i] = normal(rng);
    cv::Mat reference;
    cv::normalize(probe, reference, 0.0, 1.0, cv::NORM_MINMAX, CV_32F);
    const UnitScale unit(probe);
    for (size_t i = 0; i < probe.total(); ++i) {
        const float ours = unit(probe.ptr<double>()[i]);
        if (std::memcmp(&ours, reference.ptr<float>() + i, sizeof ours) != 0)
            return false;
    }
    return true;
}

// Edge strength of one row: the inverted normalised responses in float32 (1 - x), float32 max, then
// "- (1 - blb)" promotes to float64 (int32 mask), negatives clipped.
double edgeValue(float h, float v, uint8_t fg)
{
    const double value = static_cast<double>(std::max(1.0f - h, 1.0f - v)) - (1 - fg);
    return value < 0.0 ? 0.0 : value;
}

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
// std::fma is a library call without -mfma; this row loop gets the instruction where the CPU has it.
__attribute__((target("avx2,fma"))) void fusedEdgeRow(const double* h, const double* v, const uint8_t* fg, double* out,
    int cols, const UnitScale& unitH, const UnitScale& unitV)
{
    for (int c = 0; c < cols; ++c) {
        const float nh = static_cast<float>(__builtin_fma(h[c], unitH.scale, unitH.shift));
        const float nv = static_cast<float>(__builtin_fma(v[c], unitV.scale, unitV.shift));
        out[c] = edgeValue(nh, nv, fg[c]);
    }
}

bool fusedEdgeRowAvailable()
{
    return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") && unitScaleMatchesOpenCv();
}
#else
void fusedEdgeRow(const double*, const double*, const uint8_t*, double*, int, const UnitScale&, const UnitScale&) { }
bool fusedEdgeRowAvailable()
{
    return false;
}
#endif

// Calls rowDone(r, edgeRow) for every row of the edge map, edgeRow holding its CV_64F values; with threads > 1
// from several threads at once (bands of rows).
template <typename RowDone>
void forEachEdgeRow(const cv::Mat& hx, const cv::Mat& hy, const cv::Mat& foreground, int sobelKernel,
    HvEdgeScratch& scratch, int threads, RowDone rowDone)
{
    if (hx.type() != CV_32FC1 || hy.type() != CV_32FC1 || foreground.type() != CV_8UC1 || hx.size() != hy.size()
        || hx.size() != foreground.size())
        throw std::invalid_argument("hvEdgeMap: expected two CV_32F maps and a CV_8U mask of the same size");
    // normalise(Sobel(normalise(dir))), in the reference's dtypes: float32 maps, float64 Sobel.
    parallelFor(2, threads, [&](int direction) {
        cv::normalize(direction == 0 ? hx : hy, direction == 0 ? scratch.unitX : scratch.unitY, 0.0, 1.0,
            cv::NORM_MINMAX, CV_32F);
    });
    std::vector<SobelJob> sobels { { &scratch.unitX, 1, 0, &scratch.sobelH },
        { &scratch.unitY, 0, 1, &scratch.sobelV } };
    exactSobels64(sobels, sobelKernel, threads);
    const double minH = sobels[0].minValue, maxH = sobels[0].maxValue;
    const double minV = sobels[1].minValue, maxV = sobels[1].maxValue;

    static const bool fused = fusedEdgeRowAvailable();
    if (fused) {
        const UnitScale unitH(minH, maxH), unitV(minV, maxV);
        constexpr int kBand = 64;
        parallelFor((hx.rows + kBand - 1) / kBand, threads, [&](int band) {
            std::vector<double> edgeRow(hx.cols);
            for (int r = band * kBand; r < std::min(hx.rows, (band + 1) * kBand); ++r) {
                fusedEdgeRow(scratch.sobelH.ptr<double>(r), scratch.sobelV.ptr<double>(r), foreground.ptr<uint8_t>(r),
                    edgeRow.data(), hx.cols, unitH, unitV);
                rowDone(r, edgeRow.data());
            }
        });
        return;
    }
    std::vector<double> edgeRow(hx.cols);
    cv::normalize(scratch.sobelH, scratch.unitH, 0.0, 1.0, cv::NORM_MINMAX, CV_32F);
    cv::normalize(scratch.sobelV, scratch.unitV, 0.0, 1.0, cv::NORM_MINMAX, CV_32F);
    for (int r = 0; r < hx.rows; ++r) {
        const float* h = scratch.unitH.ptr<float>(r);
        const float* v = scratch.unitV.ptr<float>(r);
        const uint8_t* fg = foreground.ptr<uint8_t>(r);
        for (int c = 0; c < hx.cols; ++c)
            edgeRow[c] = edgeValue(h[c], v[c], fg[c]);
        rowDone(r, edgeRow.data());
    }
}

} // namespace

cv::Mat hvEdgeMap(const cv::Mat& hx, const cv::Mat& hy, const cv::Mat& foreground, int sobelKernel)
{
    cv::Mat edges;
    HvEdgeScratch scratch;
    hvEdgeMap(hx, hy, foreground, sobelKernel, edges, scratch);
    return edges;
}

void hvEdgeMap(const cv::Mat& hx, const cv::Mat& hy, const cv::Mat& foreground, int sobelKernel, cv::Mat& edges,
    HvEdgeScratch& scratch)
{
    edges.create(hx.size(), CV_64F);
    forEachEdgeRow(hx, hy, foreground, sobelKernel, scratch, 1,
        [&](int r, const double* row) { std::copy(row, row + edges.cols, edges.ptr<double>(r)); });
}

bool hvEdgeSeedsAndDistance(const cv::Mat& hx, const cv::Mat& hy, const cv::Mat& foreground, int sobelKernel,
    double threshold, cv::Mat& seeds, cv::Mat& distance, HvEdgeScratch& scratch, int threads)
{
    seeds.create(hx.size(), CV_8U);
    distance.create(hx.size(), CV_64F);
    std::vector<uint8_t> finiteRows(static_cast<size_t>(hx.rows), 1);
    forEachEdgeRow(hx, hy, foreground, sobelKernel, scratch, threads, [&](int r, const double* e) {
        const uint8_t* fg = foreground.ptr<uint8_t>(r);
        uint8_t* seed = seeds.ptr<uint8_t>(r);
        double* dist = distance.ptr<double>(r);
        bool finite = true;
        for (int c = 0; c < seeds.cols; ++c) {
            // As watershedMarkers and watershedLandscape compute them from the stored edge map.
            seed[c] = fg[c] && !(e[c] >= threshold);
            dist[c] = (e[c] - 1.0) * fg[c];
            finite &= (dist[c] - dist[c]) == 0.0; // false for NaN and infinities
        }
        finiteRows[r] = finite;
    });
    return std::all_of(finiteRows.begin(), finiteRows.end(), [](uint8_t f) { return f != 0; });
}

} // namespace cellvit
