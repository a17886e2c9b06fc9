// Shortest augmenting path (Jonker-Volgenant style, as described by Crouse, "On implementing 2D
// rectangular assignment algorithms", IEEE TAES 2016), O(n²m). The tie-breaking choices follow
// scipy's implementation of the same paper so that equal-cost alternatives resolve alike.
#include "inference/metrics/linear_assignment.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

namespace cellvit::metrics {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

// Dual-variable state of the solver for a matrix with rows <= cols.
class ShortestPathSolver {
public:
    ShortestPathSolver(const std::vector<double>& cost, int rows, int cols)
        : m_cost(cost)
        , m_rows(rows)
        , m_cols(cols)
        , m_u(rows, 0.0)
        , m_v(cols, 0.0)
        , m_pathCost(cols)
        , m_path(cols, -1)
        , m_colForRow(rows, -1)
        , m_rowForCol(cols, -1)
        , m_rowVisited(rows)
        , m_colVisited(cols)
        , m_remaining(cols)
    {
    }

    std::vector<int> solve()
    {
        for (int row = 0; row < m_rows; ++row) {
            double minVal = 0.0;
            const int sink = findAugmentingPath(row, minVal);
            if (sink < 0)
                throw AssignmentError("linear assignment: the cost matrix has no finite assignment");
            updateDuals(row, minVal);
            augment(row, sink);
        }
        return m_colForRow;
    }

private:
    double cost(int i, int j) const { return m_cost[static_cast<size_t>(i) * m_cols + j]; }

    // Dijkstra-like search from a free row to the nearest free column in reduced costs.
    int findAugmentingPath(int row, double& minVal)
    {
        int remainingCount = m_cols;
        // Reverse order makes a constant matrix resolve to the identity (as scipy does).
        for (int k = 0; k < m_cols; ++k)
            m_remaining[k] = m_cols - k - 1;
        std::fill(m_rowVisited.begin(), m_rowVisited.end(), false);
        std::fill(m_colVisited.begin(), m_colVisited.end(), false);
        std::fill(m_pathCost.begin(), m_pathCost.end(), kInf);

        int i = row;
        minVal = 0.0;
        while (true) {
            int bestIndex = -1;
            double lowest = kInf;
            m_rowVisited[i] = true;
            for (int k = 0; k < remainingCount; ++k) {
                const int j = m_remaining[k];
                const double reduced = minVal + cost(i, j) - m_u[i] - m_v[j];
                if (reduced < m_pathCost[j]) {
                    m_path[j] = i;
                    m_pathCost[j] = reduced;
                }
                // Among equal candidates prefer a free column: it ends the search early.
                if (m_pathCost[j] < lowest || (m_pathCost[j] == lowest && m_rowForCol[j] == -1)) {
                    lowest = m_pathCost[j];
                    bestIndex = k;
                }
            }
            minVal = lowest;
            if (minVal == kInf)
                return -1;
            const int j = m_remaining[bestIndex];
            m_colVisited[j] = true;
            m_remaining[bestIndex] = m_remaining[--remainingCount];
            if (m_rowForCol[j] == -1)
                return j;
            i = m_rowForCol[j];
        }
    }

    void updateDuals(int row, double minVal)
    {
        m_u[row] += minVal;
        for (int i = 0; i < m_rows; ++i) {
            if (m_rowVisited[i] && i != row)
                m_u[i] += minVal - m_pathCost[m_colForRow[i]];
        }
        for (int j = 0; j < m_cols; ++j) {
            if (m_colVisited[j])
                m_v[j] -= minVal - m_pathCost[j];
        }
    }

    void augment(int row, int sink)
    {
        int j = sink;
        while (true) {
            const int i = m_path[j];
            m_rowForCol[j] = i;
            std::swap(m_colForRow[i], j);
            if (i == row)
                break;
        }
    }

    const std::vector<double>& m_cost;
    int m_rows;
    int m_cols;
    std::vector<double> m_u;
    std::vector<double> m_v;
    std::vector<double> m_pathCost;
    std::vector<int> m_path;
    std::vector<int> m_colForRow;
    std::vector<int> m_rowForCol;
    std::vector<bool> m_rowVisited;
    std::vector<bool> m_colVisited;
    std::vector<int> m_remaining;
};

} // namespace

Assignment solveLinearSumAssignment(const std::vector<double>& cost, int rows, int cols)
{
    if (rows < 0 || cols < 0 || cost.size() != static_cast<size_t>(rows) * static_cast<size_t>(cols))
        throw AssignmentError("linear assignment: cost matrix size does not match its shape");
    for (double c : cost) {
        if (std::isnan(c) || c == -kInf)
            throw AssignmentError("linear assignment: the cost matrix contains NaN or -inf");
    }
    Assignment result;
    if (rows == 0 || cols == 0)
        return result;

    // The solver needs rows <= cols: a tall matrix is solved transposed.
    const bool transpose = cols < rows;
    if (!transpose) {
        const std::vector<int> colForRow = ShortestPathSolver(cost, rows, cols).solve();
        result.rows.resize(rows);
        std::iota(result.rows.begin(), result.rows.end(), 0);
        result.cols = colForRow;
        return result;
    }
    std::vector<double> transposed(cost.size());
    for (int i = 0; i < rows; ++i) {
        for (int j = 0; j < cols; ++j)
            transposed[static_cast<size_t>(j) * rows + i] = cost[static_cast<size_t>(i) * cols + j];
    }
    const std::vector<int> rowForCol = ShortestPathSolver(transposed, cols, rows).solve();
    std::vector<int> order(cols);
    std::iota(order.begin(), order.end(), 0);
    std::sort(order.begin(), order.end(), [&](int a, int b) { return rowForCol[a] < rowForCol[b]; });
    for (int col : order) {
        result.rows.push_back(rowForCol[col]);
        result.cols.push_back(col);
    }
    return result;
}

} // namespace cellvit::metrics
