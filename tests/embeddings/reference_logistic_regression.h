#pragma once
// An independent multinomial logistic regression for the classifier tests: plain C++ doubles, accelerated
// gradient descent (Nesterov with restarts) on the same objective as CellClassifier (z-scored features, mean
// cross-entropy + l2/2·‖W‖², bias not penalised).

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <vector>

namespace cellvit::test {

struct ReferenceLogisticRegression {
    std::size_t dim = 0, classes = 0;
    std::vector<double> mean, scale, weights, bias; // weights: classes × dim

    void fit(const std::vector<double>& x, const std::vector<int>& y, std::size_t d, std::size_t k, double l2,
        int iterations = 20000)
    {
        dim = d, classes = k;
        const std::size_t m = y.size();
        mean.assign(d, 0.0), scale.assign(d, 0.0);
        for (std::size_t i = 0; i < m; ++i)
            for (std::size_t j = 0; j < d; ++j)
                mean[j] += x[i * d + j] / double(m);
        for (std::size_t i = 0; i < m; ++i)
            for (std::size_t j = 0; j < d; ++j)
                scale[j] += (x[i * d + j] - mean[j]) * (x[i * d + j] - mean[j]) / double(m);
        for (double& s : scale)
            s = s > 1e-24 ? std::sqrt(s) : 1.0;
        std::vector<double> z(m * d);
        for (std::size_t i = 0; i < m; ++i)
            for (std::size_t j = 0; j < d; ++j)
                z[i * d + j] = (x[i * d + j] - mean[j]) / scale[j];
        // Lipschitz bound of the gradient: ‖[z 1]‖² max row norm / 2 + l2 (softmax Hessian ≤ I/2).
        double rowNorm = 0.0;
        for (std::size_t i = 0; i < m; ++i) {
            double r = 1.0;
            for (std::size_t j = 0; j < d; ++j)
                r += z[i * d + j] * z[i * d + j];
            rowNorm = std::max(rowNorm, r);
        }
        const double step = 1.0 / (0.5 * rowNorm + l2);
        const std::size_t p = k * (d + 1); // weights then bias
        std::vector<double> theta(p, 0.0), previous(p, 0.0), look(p), grad(p);
        double t = 1.0, lastLoss = INFINITY;
        for (int it = 0; it < iterations; ++it) {
            const double tNext = (1.0 + std::sqrt(1.0 + 4.0 * t * t)) / 2.0;
            for (std::size_t q = 0; q < p; ++q)
                look[q] = theta[q] + (t - 1.0) / tNext * (theta[q] - previous[q]);
            const double loss = lossAndGradient(look, z, y, l2, grad);
            previous = theta;
            for (std::size_t q = 0; q < p; ++q)
                theta[q] = look[q] - step * grad[q];
            t = tNext;
            if (loss > lastLoss) // restart the momentum when it overshoots
                t = 1.0;
            lastLoss = loss;
        }
        weights.assign(theta.begin(), theta.begin() + std::ptrdiff_t(k * d));
        bias.assign(theta.begin() + std::ptrdiff_t(k * d), theta.end());
    }

    int predict(const float* row) const
    {
        int best = 0;
        double bestScore = -INFINITY;
        for (std::size_t c = 0; c < classes; ++c) {
            double s = bias[c];
            for (std::size_t j = 0; j < dim; ++j)
                s += weights[c * dim + j] * (row[j] - mean[j]) / scale[j];
            if (s > bestScore)
                bestScore = s, best = int(c);
        }
        return best;
    }

private:
    double lossAndGradient(const std::vector<double>& theta, const std::vector<double>& z, const std::vector<int>& y,
        double l2, std::vector<double>& grad) const
    {
        const std::size_t m = y.size(), d = dim, k = classes;
        std::fill(grad.begin(), grad.end(), 0.0);
        double loss = 0.0;
        std::vector<double> logits(k);
        for (std::size_t i = 0; i < m; ++i) {
            double top = -INFINITY;
            for (std::size_t c = 0; c < k; ++c) {
                double s = theta[k * d + c];
                for (std::size_t j = 0; j < d; ++j)
                    s += theta[c * d + j] * z[i * d + j];
                logits[c] = s;
                top = std::max(top, s);
            }
            double sum = 0.0;
            for (std::size_t c = 0; c < k; ++c)
                sum += std::exp(logits[c] - top);
            loss += -(logits[std::size_t(y[i])] - top - std::log(sum)) / double(m);
            for (std::size_t c = 0; c < k; ++c) {
                const double r = (std::exp(logits[c] - top) / sum - (int(c) == y[i] ? 1.0 : 0.0)) / double(m);
                for (std::size_t j = 0; j < d; ++j)
                    grad[c * d + j] += r * z[i * d + j];
                grad[k * d + c] += r;
            }
        }
        for (std::size_t q = 0; q < k * d; ++q) {
            grad[q] += l2 * theta[q];
            loss += 0.5 * l2 * theta[q] * theta[q];
        }
        return loss;
    }
};

} // namespace cellvit::test
