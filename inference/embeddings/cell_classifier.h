#pragma once
// The interactive cell classifier: softmax regression on cell embeddings, trained in LibTorch from the cells a
// pathologist labelled, then applied to every cell. Carries its own taxonomy so it can be saved and reloaded.

#include "model_zoo/cellvit_error.h"
#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

namespace cellvit {

struct ClassifierClass {
    std::string name;
    std::array<std::uint8_t, 3> color { 0, 0, 0 }; // RGB
};

struct ClassifierTrainingOptions {
    double l2 = 1e-3;      // weight decay on the weights (not the bias), as scikit-learn's C = 1/(n·l2)
    int maxIterations = 500;
    double tolerance = 1e-6;
    bool standardize = true; // z-score the features with the labelled cells' mean/std
    std::uint64_t seed = 0;
};

struct ClassifierPrediction {
    std::vector<int> classes;          // per cell, index into classes()
    std::vector<float> probabilities;  // per cell, probability of the predicted class
};

// Thrown by train() when isCancelled() returned true.
struct ClassifierCancelled : Cancelled {
    const char* what() const noexcept override { return "classifier training cancelled"; }
};

// A classifier file that cannot be read or written, or training that cannot proceed.
class EmbeddingError : public Error {
public:
    using Error::Error;
};

class CellClassifier {
public:
    CellClassifier() = default;

    // embeddings: n × dim row-major; labelledRows index into it; labels index into classes.
    // Throws std::invalid_argument when fewer than two classes have labels or a row/label is out of range.
    static CellClassifier train(const float* embeddings, std::size_t n, std::size_t dim,
        const std::vector<std::size_t>& labelledRows, const std::vector<int>& labels,
        std::vector<ClassifierClass> classes, const ClassifierTrainingOptions& options = {},
        const std::function<bool()>& isCancelled = {});

    // k-fold (stratified where possible) accuracy on the labelled cells, training a fresh classifier per fold.
    static double crossValidatedAccuracy(const float* embeddings, std::size_t n, std::size_t dim,
        const std::vector<std::size_t>& labelledRows, const std::vector<int>& labels, std::size_t classCount,
        int folds = 5, const ClassifierTrainingOptions& options = {});

    ClassifierPrediction predict(const float* embeddings, std::size_t n, std::size_t dim) const;

    bool isTrained() const { return !m_weights.empty(); }
    std::size_t dimension() const { return m_dim; }
    const std::vector<ClassifierClass>& classes() const { return m_classes; }

    // A small JSON file (taxonomy, standardisation, weights); load() names the file and the problem on error.
    void save(const std::string& path) const;
    static CellClassifier load(const std::string& path);

private:
    std::size_t m_dim = 0;
    std::vector<ClassifierClass> m_classes;
    std::vector<float> m_mean, m_scale;   // standardisation, dim each
    std::vector<float> m_weights;         // classes × dim
    std::vector<float> m_bias;            // classes
};

} // namespace cellvit
