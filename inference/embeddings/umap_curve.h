#pragma once
// The low-dimensional similarity curve 1 / (1 + a·d^(2b)) fitted, as umap-learn's find_ab_params does (least
// squares on 300 points of [0, 3·spread]), to 1 below minDist and exp(−(d − minDist)/spread) above.

namespace cellvit {

struct UmapCurve {
    double a = 0.0, b = 0.0;
};

// Throws std::invalid_argument unless 0 ≤ minDist and 0 < spread.
UmapCurve fitUmapCurve(double minDist, double spread);

} // namespace cellvit
