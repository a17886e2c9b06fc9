#pragma once
// Shared check: CellClassifier trained on a few labelled cells against the independent reference regression.

#include "inference/embeddings/cell_classifier.h"
#include "reference_logistic_regression.h"

#include <QtTest>
#include <random>

namespace cellvit::test {

struct ClassifierComparison {
    double accuracy = 0.0, referenceAccuracy = 0.0, agreement = 0.0;
};

// Labels `perClass` random cells of each class (seeded), trains both models, evaluates on all other cells.
inline ClassifierComparison compareWithReference(const std::vector<float>& values, std::size_t dim,
    const std::vector<int>& labels, std::size_t classCount, int perClass, double l2, std::uint64_t seed)
{
    const std::size_t n = labels.size();
    std::mt19937_64 rng(seed);
    std::vector<std::size_t> order(n);
    std::iota(order.begin(), order.end(), 0);
    std::shuffle(order.begin(), order.end(), rng);
    std::vector<std::size_t> rows;
    std::vector<int> rowLabels;
    std::vector<int> taken(classCount, 0);
    std::vector<bool> labelled(n, false);
    for (std::size_t i : order)
        if (taken[std::size_t(labels[i])] < perClass) {
            ++taken[std::size_t(labels[i])];
            rows.push_back(i);
            rowLabels.push_back(labels[i]);
            labelled[i] = true;
        }
    std::vector<ClassifierClass> classes;
    for (std::size_t c = 0; c < classCount; ++c)
        classes.push_back({ "class " + std::to_string(c), { std::uint8_t(40 * c), 128, 200 } });
    ClassifierTrainingOptions options;
    options.l2 = l2;
    const auto classifier = CellClassifier::train(values.data(), n, dim, rows, rowLabels, classes, options);
    const auto predicted = classifier.predict(values.data(), n, dim);

    ReferenceLogisticRegression reference;
    std::vector<double> x;
    for (std::size_t r : rows)
        x.insert(x.end(), values.begin() + std::ptrdiff_t(r * dim), values.begin() + std::ptrdiff_t((r + 1) * dim));
    reference.fit(x, rowLabels, dim, classCount, l2);

    ClassifierComparison out;
    std::size_t evaluated = 0;
    for (std::size_t i = 0; i < n; ++i) {
        if (labelled[i])
            continue;
        ++evaluated;
        const int ref = reference.predict(values.data() + i * dim);
        out.accuracy += predicted.classes[i] == labels[i];
        out.referenceAccuracy += ref == labels[i];
        out.agreement += predicted.classes[i] == ref;
    }
    out.accuracy /= double(evaluated);
    out.referenceAccuracy /= double(evaluated);
    out.agreement /= double(evaluated);
    return out;
}

} // namespace cellvit::test
