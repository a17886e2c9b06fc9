#pragma once
// Sums and means with NumPy's exact arithmetic (pairwise summation, 8-way unrolled), so that
// aggregated scores agree with the reference bit for bit rather than to a few ulps.

#include <vector>

namespace cellvit::metrics {

// np.sum of a 1-D float64 array.
double numpySum(const std::vector<double>& values);

// np.nanmean: mean of the non-NaN values; NaN when there are none.
double nanMean(const std::vector<double>& values);

} // namespace cellvit::metrics
