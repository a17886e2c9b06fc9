#include "inference/metrics/numpy_reductions.h"

#include <cmath>
#include <cstddef>
#include <limits>

namespace cellvit::metrics {
namespace {

constexpr std::ptrdiff_t kPairwiseBlock = 128; // NumPy's PW_BLOCKSIZE

// Mirrors NumPy's pairwise_sum for doubles (numpy/core/src/umath/loops_utils.h.src).
double pairwiseSum(const double* a, std::ptrdiff_t n)
{
    if (n < 8) {
        double res = 0.0;
        for (std::ptrdiff_t i = 0; i < n; ++i)
            res += a[i];
        return res;
    }
    if (n <= kPairwiseBlock) {
        double r[8];
        for (int k = 0; k < 8; ++k)
            r[k] = a[k];
        std::ptrdiff_t i = 8;
        for (; i < n - (n % 8); i += 8) {
            for (int k = 0; k < 8; ++k)
                r[k] += a[i + k];
        }
        double res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
        for (; i < n; ++i)
            res += a[i];
        return res;
    }
    std::ptrdiff_t n2 = n / 2;
    n2 -= n2 % 8;
    return pairwiseSum(a, n2) + pairwiseSum(a + n2, n - n2);
}

} // namespace

double numpySum(const std::vector<double>& values)
{
    return pairwiseSum(values.data(), static_cast<std::ptrdiff_t>(values.size()));
}

double nanMean(const std::vector<double>& values)
{
    std::vector<double> finite(values);
    size_t count = 0;
    for (double& v : finite) {
        if (std::isnan(v))
            v = 0.0;
        else
            ++count;
    }
    if (count == 0)
        return std::numeric_limits<double>::quiet_NaN();
    return numpySum(finite) / static_cast<double>(count);
}

} // namespace cellvit::metrics
