#include "inference/postproc/exact_sobel.h"

#include "inference/postproc/parallel_for.h"

#include <algorithm>
#include <cstring>
#include <limits>
#include <opencv2/imgproc.hpp>
#include <random>
#include <stdexcept>
#include <vector>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>
#define CELLVIT_SOBEL_AVX2 1
#endif

namespace cellvit {

namespace {

// A job of exactSobels64 on the vectorised path: its kernels, and whether the result came out exact (false when it
// holds a NaN, whose min/max then need cv::minMaxIdx's rules, or without the vectorised path).
struct VectorisedJob {
    explicit VectorisedJob(SobelJob* j)
        : job(j)
    {
    }
    SobelJob* job;
    cv::Mat kx, ky;
    bool exact = true;
};

#ifdef CELLVIT_SOBEL_AVX2
// Row pass: acc = k[0] * x[0]; acc = fma(k[j], x[j], acc) for j = 1..ksize-1 (OpenCV's RowFilter order).
// Eight independent accumulators (32 pixels) hide the FMA latency of the dependent chain.
__attribute__((target("avx2,fma"))) void filterRow(const double* ext, double* out, int cols, const double* k, int ksize)
{
    constexpr int lanes = 8;
    int c = 0;
    for (; c + 4 * lanes <= cols; c += 4 * lanes) {
        __m256d acc[lanes];
        const __m256d k0 = _mm256_set1_pd(k[0]);
        for (int v = 0; v < lanes; ++v)
            acc[v] = _mm256_mul_pd(k0, _mm256_loadu_pd(ext + c + 4 * v));
        for (int j = 1; j < ksize; ++j) {
            const __m256d kj = _mm256_set1_pd(k[j]);
            for (int v = 0; v < lanes; ++v)
                acc[v] = _mm256_fmadd_pd(kj, _mm256_loadu_pd(ext + c + j + 4 * v), acc[v]);
        }
        for (int v = 0; v < lanes; ++v)
            _mm256_storeu_pd(out + c + 4 * v, acc[v]);
    }
    for (; c < cols; ++c) {
        __m128d acc = _mm_mul_sd(_mm_set_sd(k[0]), _mm_set_sd(ext[c]));
        for (int j = 1; j < ksize; ++j)
            acc = _mm_fmadd_sd(_mm_set_sd(k[j]), _mm_set_sd(ext[c + j]), acc);
        out[c] = _mm_cvtsd_f64(acc);
    }
}

// Column pass around the centre tap kc = k + ksize/2 (OpenCV's SymmColumnFilter): symmetric kernels start
// from kc[0] * centre + 0 and add kc[j] * (below_j + above_j); antisymmetric ones start from 0 and add
// kc[j] * (below_j - above_j).
// `range` (min, max, NaN seen) is updated with every value written.
// (Set up by sobelStrip: AVX values may only be made in AVX-enabled functions.)
struct ColumnRange {
    __m256d low, high, unordered;
};

__attribute__((target("avx2,fma"))) inline void track(ColumnRange& range, __m256d v)
{
    range.low = _mm256_min_pd(range.low, v);
    range.high = _mm256_max_pd(range.high, v);
    range.unordered = _mm256_or_pd(range.unordered, _mm256_cmp_pd(v, v, _CMP_UNORD_Q));
}

__attribute__((target("avx2,fma"))) void filterColumn(const double* const* below, const double* const* above,
    const double* centre, double* out, int cols, const double* kc, int half, bool symmetric, ColumnRange& range)
{
    constexpr int lanes = 4;
    const __m256d zero = _mm256_setzero_pd();
    const __m256d k0 = _mm256_set1_pd(kc[0]);
    int c = 0;
    for (; c + 4 * lanes <= cols; c += 4 * lanes) {
        __m256d acc[lanes];
        for (int v = 0; v < lanes; ++v)
            acc[v] = symmetric ? _mm256_fmadd_pd(k0, _mm256_loadu_pd(centre + c + 4 * v), zero) : zero;
        for (int j = 1; j <= half; ++j) {
            const __m256d kj = _mm256_set1_pd(kc[j]);
            for (int v = 0; v < lanes; ++v) {
                const __m256d b = _mm256_loadu_pd(below[j] + c + 4 * v), a = _mm256_loadu_pd(above[j] + c + 4 * v);
                acc[v] = _mm256_fmadd_pd(kj, symmetric ? _mm256_add_pd(b, a) : _mm256_sub_pd(b, a), acc[v]);
            }
        }
        for (int v = 0; v < lanes; ++v) {
            _mm256_storeu_pd(out + c + 4 * v, acc[v]);
            track(range, acc[v]);
        }
    }
    for (; c < cols; ++c) {
        __m128d acc
            = symmetric ? _mm_fmadd_sd(_mm_set_sd(kc[0]), _mm_set_sd(centre[c]), _mm_setzero_pd()) : _mm_setzero_pd();
        for (int j = 1; j <= half; ++j) {
            const __m128d b = _mm_set_sd(below[j][c]), a = _mm_set_sd(above[j][c]);
            acc = _mm_fmadd_sd(_mm_set_sd(kc[j]), symmetric ? _mm_add_sd(b, a) : _mm_sub_sd(b, a), acc);
        }
        out[c] = _mm_cvtsd_f64(acc);
        track(range, _mm256_set1_pd(out[c]));
    }
}

// Columns [c0, c0 + width) of the Sobel into `out`, with their (min, max, NaN seen) in `range`.
// AVX2 for the float -> double copies too (only called once the CPU is known to have it).
__attribute__((target("avx2,fma"))) void sobelStrip(const cv::Mat& src, const cv::Mat& kx, const cv::Mat& ky, int c0,
    int width, cv::Mat& out, double& minValue, double& maxValue, bool& sawNaN)
{
    ColumnRange range { _mm256_set1_pd(std::numeric_limits<double>::infinity()),
        _mm256_set1_pd(-std::numeric_limits<double>::infinity()), _mm256_setzero_pd() };
    const int ksize = kx.rows * kx.cols;
    const int rows = src.rows, cols = src.cols, half = ksize / 2;
    const double* kc = ky.ptr<double>() + half;
    const bool symmetric = kc[1] == kc[-1];
    // Row-pass results of the ksize source rows around the current output row, in a ring indexed by source
    // row % ksize (the rows one output row needs, border reflections included, never collide).
    std::vector<double> ring(static_cast<size_t>(ksize) * width);
    std::vector<int> ringRow(ksize, -1);
    std::vector<double> ext(width + 2 * half);
    std::vector<const double*> below(half + 1), above(half + 1);
    const auto rowPass = [&](int r) -> const double* {
        double* slot = &ring[static_cast<size_t>(r % ksize) * width];
        if (ringRow[r % ksize] != r) {
            const float* s = src.ptr<float>(r) + c0 - half; // ext[i] is column c0 - half + i
            const int n = width + 2 * half;
            // Rows are visited one strip at a time, a pattern the hardware prefetcher misses.
            if (r + 2 < rows) {
                const char* next = reinterpret_cast<const char*>(src.ptr<float>(r + 2) + std::max(c0 - half, 0));
                for (int b = 0; b < n * int(sizeof(float)); b += 64)
                    __builtin_prefetch(next + b);
            }
            // Only the columns beyond the image edge are reflected (the first and last strips); the rest is
            // a straight float -> double copy.
            const int inFirst = std::max(0, half - c0), inEnd = std::min(n, cols - (c0 - half));
            for (int i = 0; i < inFirst; ++i)
                ext[i] = src.ptr<float>(r)[cv::borderInterpolate(c0 - half + i, cols, cv::BORDER_REFLECT_101)];
            for (int i = inFirst; i < inEnd; ++i)
                ext[i] = s[i];
            for (int i = std::max(inEnd, inFirst); i < n; ++i)
                ext[i] = src.ptr<float>(r)[cv::borderInterpolate(c0 - half + i, cols, cv::BORDER_REFLECT_101)];
            filterRow(ext.data(), slot, width, kx.ptr<double>(), ksize);
            ringRow[r % ksize] = r;
        }
        return slot;
    };
    for (int r = 0; r < rows; ++r) {
        for (int j = 1; j <= half; ++j) {
            below[j] = rowPass(cv::borderInterpolate(r + j, rows, cv::BORDER_REFLECT_101));
            above[j] = rowPass(cv::borderInterpolate(r - j, rows, cv::BORDER_REFLECT_101));
        }
        filterColumn(
            below.data(), above.data(), rowPass(r), out.ptr<double>(r) + c0, width, kc, half, symmetric, range);
    }
    alignas(32) double low[4], high[4];
    _mm256_store_pd(low, range.low);
    _mm256_store_pd(high, range.high);
    minValue = std::min(std::min(low[0], low[1]), std::min(low[2], low[3]));
    maxValue = std::max(std::max(high[0], high[1]), std::max(high[2], high[3]));
    sawNaN = _mm256_movemask_pd(range.unordered) != 0;
}

// Column strips narrow enough that the ksize row-pass rows one output row needs stay in L1 (across the full
// width they do not, and the column pass then waits on L2); strips are independent, so threads share them out,
// the strips of all jobs in one loop.
void vectorisedSobels(std::vector<VectorisedJob>& jobs, int ksize, int threads)
{
    constexpr int kStrip = 128;
    struct Strip {
        VectorisedJob* job;
        int c0;
        double low, high;
        bool nan;
    };
    std::vector<Strip> strips;
    for (VectorisedJob& v : jobs) {
        cv::getDerivKernels(v.kx, v.ky, v.job->dx, v.job->dy, ksize, false, CV_64F);
        v.job->out->create(v.job->src->rows, v.job->src->cols, CV_64F);
        for (int c0 = 0; c0 < v.job->src->cols; c0 += kStrip)
            strips.push_back({ &v, c0, 0.0, 0.0, false });
    }
    parallelFor(static_cast<int>(strips.size()), threads, [&](int i) {
        Strip& s = strips[i];
        const cv::Mat& src = *s.job->job->src;
        sobelStrip(
            src, s.job->kx, s.job->ky, s.c0, std::min(kStrip, src.cols - s.c0), *s.job->job->out, s.low, s.high, s.nan);
    });
    for (VectorisedJob& v : jobs) {
        v.job->minValue = std::numeric_limits<double>::infinity();
        v.job->maxValue = -std::numeric_limits<double>::infinity();
    }
    for (const Strip& s : strips) {
        SobelJob& job = *s.job->job;
        job.minValue = std::min(job.minValue, s.low);
        job.maxValue = std::max(job.maxValue, s.high);
        s.job->exact = s.job->exact && !s.nan;
    }
}

// One-time check that the vectorised path equals cv::Sobel bit for bit here (both kernel sizes, both
// directions, sizes that exercise the vector tails).
bool probeMatchesOpenCv()
{
    if (!__builtin_cpu_supports("avx2") || !__builtin_cpu_supports("fma"))
        return false;
    cv::Mat probe(67, 75, CV_32F);
    std::mt19937 rng(7);
    std::uniform_real_distribution<float> uniform(0.0f, 1.0f);
    for (int r = 0; r < probe.rows; ++r)
        for (int c = 0; c < probe.cols; ++c)
            probe.at<float>(r, c) = uniform(rng);
    for (int ksize : { 11, 21 }) {
        for (const auto& [dx, dy] : { std::pair { 1, 0 }, std::pair { 0, 1 } }) {
            cv::Mat reference;
            cv::Sobel(probe, reference, CV_64F, dx, dy, ksize);
            cv::Mat ours;
            SobelJob job { &probe, dx, dy, &ours };
            std::vector<VectorisedJob> jobs { VectorisedJob(&job) };
            vectorisedSobels(jobs, ksize, 1);
            if (std::memcmp(reference.data, ours.data, reference.total() * sizeof(double)) != 0)
                return false;
        }
    }
    return true;
}
#else
bool probeMatchesOpenCv()
{
    return false;
}
void vectorisedSobels(std::vector<VectorisedJob>& jobs, int, int)
{
    for (VectorisedJob& v : jobs)
        v.exact = false;
}
#endif

} // namespace

bool exactSobelIsAccelerated()
{
    static const bool accelerated = probeMatchesOpenCv();
    return accelerated;
}

cv::Mat exactSobel64(const cv::Mat& src, int dx, int dy, int ksize)
{
    cv::Mat out;
    exactSobel64(src, dx, dy, ksize, out);
    return out;
}

namespace {

bool vectorisable(const cv::Mat& src, int ksize, const cv::Mat& out)
{
    const bool kernelFits = src.rows > ksize && src.cols > ksize;
    return src.type() == CV_32FC1 && ksize >= 3 && kernelFits && exactSobelIsAccelerated() && out.data != src.data;
}

} // namespace

void exactSobel64(const cv::Mat& src, int dx, int dy, int ksize, cv::Mat& out)
{
    double low = 0, high = 0;
    exactSobel64(src, dx, dy, ksize, out, low, high);
}

void exactSobel64(
    const cv::Mat& src, int dx, int dy, int ksize, cv::Mat& out, double& minValue, double& maxValue, int threads)
{
    std::vector<SobelJob> jobs { { &src, dx, dy, &out } };
    exactSobels64(jobs, ksize, threads);
    minValue = jobs[0].minValue;
    maxValue = jobs[0].maxValue;
}

void exactSobels64(std::vector<SobelJob>& jobs, int ksize, int threads)
{
    // The jobs run at the same time: none may read what another writes.
    for (const SobelJob& job : jobs) {
        for (const SobelJob& other : jobs) {
            if (&job != &other && (job.out == other.out || (job.out->data && job.out->data == other.src->data)))
                throw std::invalid_argument("exactSobels64: one job's output is another job's input or output");
        }
    }
    std::vector<VectorisedJob> vectorised;
    for (SobelJob& job : jobs) {
        if (vectorisable(*job.src, ksize, *job.out))
            vectorised.emplace_back(&job);
    }
    vectorisedSobels(vectorised, ksize, threads);
    for (SobelJob& job : jobs) {
        const auto v = std::find_if(vectorised.begin(), vectorised.end(),
            [&](const VectorisedJob& candidate) { return candidate.job == &job; });
        if (v != vectorised.end() && v->exact)
            continue;
        if (v == vectorised.end())
            cv::Sobel(*job.src, *job.out, CV_64F, job.dx, job.dy, ksize);
        cv::minMaxIdx(*job.out, &job.minValue, &job.maxValue);
    }
}

} // namespace cellvit
