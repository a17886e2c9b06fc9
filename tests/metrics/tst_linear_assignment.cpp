// Hungarian solver: hand-checkable matrices (square, wide, tall) and brute force on random ones.
#include "inference/metrics/linear_assignment.h"
#include "test_support.h"

#include <algorithm>
#include <limits>
#include <numeric>
#include <random>

using namespace cellvit::metrics;

namespace {

double totalCost(const std::vector<double>& cost, int cols, const Assignment& a)
{
    double sum = 0.0;
    for (size_t k = 0; k < a.rows.size(); ++k)
        sum += cost[static_cast<size_t>(a.rows[k]) * cols + a.cols[k]];
    return sum;
}

// All min(rows, cols)-element injective assignments, sorted by cost; returns the best two costs.
std::pair<double, double> bruteForceBestTwo(const std::vector<double>& cost, int rows, int cols, Assignment& best)
{
    const bool wide = rows <= cols;
    const int small = wide ? rows : cols;
    const int large = wide ? cols : rows;
    std::vector<int> perm(large);
    std::iota(perm.begin(), perm.end(), 0);
    double first = std::numeric_limits<double>::infinity();
    double second = first;
    do {
        // Each permutation prefix of length `small` is one assignment (duplicates are harmless).
        double sum = 0.0;
        for (int k = 0; k < small; ++k)
            sum += wide ? cost[static_cast<size_t>(k) * cols + perm[k]] : cost[static_cast<size_t>(perm[k]) * cols + k];
        if (sum < first - 1e-12) {
            second = first;
            first = sum;
            best = {};
            for (int k = 0; k < small; ++k) {
                best.rows.push_back(wide ? k : perm[k]);
                best.cols.push_back(wide ? perm[k] : k);
            }
        } else if (sum > first + 1e-12 && sum < second) {
            second = sum;
        }
    } while (std::next_permutation(perm.begin(), perm.end()));
    // Sort the brute-force answer by row like the solver's.
    std::vector<int> order(best.rows.size());
    std::iota(order.begin(), order.end(), 0);
    std::sort(order.begin(), order.end(), [&](int a, int b) { return best.rows[a] < best.rows[b]; });
    Assignment sorted;
    for (int k : order) {
        sorted.rows.push_back(best.rows[k]);
        sorted.cols.push_back(best.cols[k]);
    }
    best = sorted;
    return { first, second };
}

} // namespace

class TestLinearAssignment : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void squareTextbookCase()
    {
        const std::vector<double> cost { 4, 1, 3, 2, 0, 5, 3, 2, 2 };
        const Assignment a = solveLinearSumAssignment(cost, 3, 3);
        QCOMPARE(a.rows, (std::vector<int> { 0, 1, 2 }));
        QCOMPARE(a.cols, (std::vector<int> { 1, 0, 2 }));
        QCOMPARE(totalCost(cost, 3, a), 5.0);
    }

    void wideMatrixLeavesColumnsFree()
    {
        // 2 rows, 4 columns: row 0 -> col 3 (0.5), row 1 -> col 1 (0.25).
        const std::vector<double> cost { 9, 1, 7, 0.5, 8, 0.25, 6, 9 };
        const Assignment a = solveLinearSumAssignment(cost, 2, 4);
        QCOMPARE(a.rows, (std::vector<int> { 0, 1 }));
        QCOMPARE(a.cols, (std::vector<int> { 3, 1 }));
    }

    void tallMatrixIsSortedByRow()
    {
        // 4 rows, 2 columns: rows 3 and 0 win; the result is ordered by row as scipy returns it.
        const std::vector<double> cost { 5, 0.1, 3, 3, 4, 4, 0.2, 6 };
        const Assignment a = solveLinearSumAssignment(cost, 4, 2);
        QCOMPARE(a.rows, (std::vector<int> { 0, 3 }));
        QCOMPARE(a.cols, (std::vector<int> { 1, 0 }));
    }

    void constantMatrixGivesIdentityLikeScipy()
    {
        const std::vector<double> cost(9, 1.0);
        const Assignment a = solveLinearSumAssignment(cost, 3, 3);
        QCOMPARE(a.cols, (std::vector<int> { 0, 1, 2 }));
    }

    void emptyAndInvalidInputs()
    {
        QVERIFY(solveLinearSumAssignment({}, 0, 5).rows.empty());
        QVERIFY(solveLinearSumAssignment({}, 3, 0).rows.empty());
        const double nan = std::numeric_limits<double>::quiet_NaN();
        const double inf = std::numeric_limits<double>::infinity();
        QVERIFY_THROWS_EXCEPTION(AssignmentError, solveLinearSumAssignment({ 1, nan, 2, 3 }, 2, 2));
        QVERIFY_THROWS_EXCEPTION(AssignmentError, solveLinearSumAssignment({ 1, -inf, 2, 3 }, 2, 2));
        QVERIFY_THROWS_EXCEPTION(AssignmentError, solveLinearSumAssignment({ inf, inf, 2, 3 }, 2, 2));
        QVERIFY_THROWS_EXCEPTION(AssignmentError, solveLinearSumAssignment({ 1, 2, 3 }, 2, 2));
        // +inf forbids a pair but a finite assignment still exists.
        const Assignment a = solveLinearSumAssignment({ inf, 1, 2, inf }, 2, 2);
        QCOMPARE(a.cols, (std::vector<int> { 1, 0 }));
    }

    void matchesBruteForceOnRandomMatrices()
    {
        std::mt19937 rng(20240611);
        std::uniform_int_distribution<int> dim(1, 6);
        std::uniform_real_distribution<double> value(0.0, 100.0);
        int uniqueOptima = 0;
        for (int trial = 0; trial < 400; ++trial) {
            const int rows = dim(rng);
            const int cols = dim(rng);
            std::vector<double> cost(static_cast<size_t>(rows) * cols);
            for (double& c : cost)
                c = value(rng);
            const Assignment a = solveLinearSumAssignment(cost, rows, cols);
            Assignment best;
            const auto [first, second] = bruteForceBestTwo(cost, rows, cols, best);
            QCOMPARE(static_cast<int>(a.rows.size()), std::min(rows, cols));
            QVERIFY(std::is_sorted(a.rows.begin(), a.rows.end()));
            QVERIFY2(std::abs(totalCost(cost, cols, a) - first) < 1e-9,
                qPrintable(QStringLiteral("trial %1 (%2x%3): cost %4 vs optimum %5")
                               .arg(trial)
                               .arg(rows)
                               .arg(cols)
                               .arg(totalCost(cost, cols, a))
                               .arg(first)));
            if (second - first > 1e-9) {
                ++uniqueOptima;
                QCOMPARE(a.rows, best.rows);
                QCOMPARE(a.cols, best.cols);
            }
        }
        QVERIFY(uniqueOptima > 300);
    }
};

QTEST_GUILESS_MAIN(TestLinearAssignment)
#include "tst_linear_assignment.moc"
