#pragma once
// Rectangular linear sum assignment (minimum total cost), with the semantics of
// scipy.optimize.linear_sum_assignment: every row of a wide matrix (every column of a tall one) is
// assigned, and the result is sorted by row index.
//
// Hand-written: no Debian 12 package offers a general float-cost rectangular solver that fits
// (dlib's max_cost_assignment needs square integer matrices; Boost has none).

#include "model_zoo/cellvit_error.h"
#include <stdexcept>
#include <vector>

namespace cellvit::metrics {

class AssignmentError : public Error {
public:
    using Error::Error;
};

struct Assignment {
    std::vector<int> rows; // ascending
    std::vector<int> cols; // cols[k] is the column assigned to rows[k]
};

// cost is row-major rows×cols. Throws AssignmentError for NaN/-inf entries or when no finite
// assignment exists (+inf marks a forbidden pair).
Assignment solveLinearSumAssignment(const std::vector<double>& cost, int rows, int cols);

} // namespace cellvit::metrics
