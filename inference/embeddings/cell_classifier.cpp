#include "inference/embeddings/cell_classifier.h"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>
#include <numeric>
#include <random>
#include <set>
#include <torch/torch.h>

namespace cellvit {
namespace {

void checkTrainingInput(const float* embeddings, std::size_t n, std::size_t dim, const std::vector<std::size_t>& rows,
    const std::vector<int>& labels, std::size_t classCount)
{
    if (!embeddings || dim == 0)
        throw std::invalid_argument("cell classifier: no embeddings (dimension " + std::to_string(dim) + ")");
    if (rows.size() != labels.size())
        throw std::invalid_argument("cell classifier: " + std::to_string(rows.size()) + " labelled rows but "
            + std::to_string(labels.size()) + " labels");
    std::set<int> present;
    for (std::size_t i = 0; i < rows.size(); ++i) {
        if (rows[i] >= n)
            throw std::invalid_argument("cell classifier: labelled row " + std::to_string(rows[i])
                + " is out of range (" + std::to_string(n) + " cells)");
        if (labels[i] < 0 || std::size_t(labels[i]) >= classCount)
            throw std::invalid_argument("cell classifier: label " + std::to_string(labels[i]) + " of row "
                + std::to_string(rows[i]) + " is not one of the " + std::to_string(classCount) + " classes");
        for (std::size_t d = 0; d < dim; ++d)
            if (!std::isfinite(embeddings[rows[i] * dim + d]))
                throw std::invalid_argument(
                    "cell classifier: row " + std::to_string(rows[i]) + " has a non-finite value");
        present.insert(labels[i]);
    }
    if (present.size() < 2)
        throw std::invalid_argument(
            "cell classifier: labels of at least two classes are needed, got " + std::to_string(present.size()));
}

std::vector<float> toFloats(const at::Tensor& t)
{
    const auto c = t.to(at::kFloat).contiguous();
    return std::vector<float>(c.data_ptr<float>(), c.data_ptr<float>() + c.numel());
}

} // namespace

CellClassifier CellClassifier::train(const float* embeddings, std::size_t n, std::size_t dim,
    const std::vector<std::size_t>& labelledRows, const std::vector<int>& labels, std::vector<ClassifierClass> classes,
    const ClassifierTrainingOptions& options, const std::function<bool()>& isCancelled)
{
    checkTrainingInput(embeddings, n, dim, labelledRows, labels, classes.size());
    const std::int64_t m = std::int64_t(labelledRows.size()), d = std::int64_t(dim), k = std::int64_t(classes.size());
    torch::NoGradGuard noGrad;
    auto x = torch::empty({ m, d }, torch::kDouble);
    auto xa = x.accessor<double, 2>();
    for (std::int64_t i = 0; i < m; ++i)
        for (std::int64_t j = 0; j < d; ++j)
            xa[i][j] = embeddings[labelledRows[std::size_t(i)] * dim + std::size_t(j)];
    const auto y = torch::tensor(std::vector<std::int64_t>(labels.begin(), labels.end()), torch::kLong);

    auto mean = torch::zeros({ d }, torch::kDouble), scale = torch::ones({ d }, torch::kDouble);
    if (options.standardize) {
        mean = x.mean(0);
        scale = x.std(0, /*unbiased=*/false);
        scale = torch::where(scale > 1e-12, scale, torch::ones_like(scale)); // constant features stay as they are
    }
    const auto z = (x - mean) / scale;

    // Full-batch L-BFGS on the convex objective: mean cross-entropy + l2/2 · ‖W‖² (bias not penalised).
    auto weights = torch::zeros({ k, d }, torch::kDouble).requires_grad_(true);
    auto bias = torch::zeros({ k }, torch::kDouble).requires_grad_(true);
    torch::optim::LBFGS optimizer({ weights, bias },
        torch::optim::LBFGSOptions(1.0)
            .max_iter(std::max(1, options.maxIterations))
            .max_eval(std::max(1, options.maxIterations) * 5 / 4)
            .tolerance_grad(options.tolerance)
            .tolerance_change(1e-12)
            .history_size(20)
            .line_search_fn("strong_wolfe"));
    auto closure = [&] {
        if (isCancelled && isCancelled())
            throw ClassifierCancelled();
        torch::AutoGradMode enable(true);
        optimizer.zero_grad();
        auto loss = torch::nn::functional::cross_entropy(torch::addmm(bias, z, weights.t()), y)
            + 0.5 * options.l2 * weights.pow(2).sum();
        loss.backward();
        return loss;
    };
    {
        torch::AutoGradMode enable(true);
        optimizer.step(closure);
    }

    CellClassifier classifier;
    classifier.m_dim = dim;
    classifier.m_classes = std::move(classes);
    classifier.m_mean = toFloats(mean);
    classifier.m_scale = toFloats(scale);
    classifier.m_weights = toFloats(weights.detach());
    classifier.m_bias = toFloats(bias.detach());
    for (float w : classifier.m_weights)
        if (!std::isfinite(w))
            throw EmbeddingError("cell classifier: training diverged (non-finite weights)");
    return classifier;
}

ClassifierPrediction CellClassifier::predict(const float* embeddings, std::size_t n, std::size_t dim) const
{
    if (!isTrained())
        throw std::logic_error("cell classifier: predict() before training or loading");
    if (dim != m_dim)
        throw std::invalid_argument("cell classifier: embeddings have " + std::to_string(dim)
            + " dimensions, the classifier was trained on " + std::to_string(m_dim));
    ClassifierPrediction out;
    out.classes.resize(n);
    out.probabilities.resize(n);
    if (n == 0)
        return out;
    torch::NoGradGuard noGrad;
    const std::int64_t k = std::int64_t(m_classes.size()), d = std::int64_t(dim);
    const auto mean = torch::from_blob(const_cast<float*>(m_mean.data()), { d }, torch::kFloat).to(torch::kDouble);
    const auto scale = torch::from_blob(const_cast<float*>(m_scale.data()), { d }, torch::kFloat).to(torch::kDouble);
    const auto w = torch::from_blob(const_cast<float*>(m_weights.data()), { k, d }, torch::kFloat).to(torch::kDouble);
    const auto b = torch::from_blob(const_cast<float*>(m_bias.data()), { k }, torch::kFloat).to(torch::kDouble);
    // Chunks keep the double copy small for a million cells.
    constexpr std::size_t kChunk = 65536;
    for (std::size_t begin = 0; begin < n; begin += kChunk) {
        const std::size_t rows = std::min(kChunk, n - begin);
        const auto x
            = torch::from_blob(const_cast<float*>(embeddings + begin * dim), { std::int64_t(rows), d }, torch::kFloat)
                  .to(torch::kDouble);
        const auto probabilities = torch::softmax(torch::addmm(b, (x - mean) / scale, w.t()), 1);
        const auto [best, index] = probabilities.max(1);
        const auto bestF = best.to(torch::kFloat).contiguous();
        const auto indexL = index.contiguous();
        for (std::size_t i = 0; i < rows; ++i) {
            out.classes[begin + i] = int(indexL.data_ptr<std::int64_t>()[i]);
            out.probabilities[begin + i] = bestF.data_ptr<float>()[i];
            if (!std::isfinite(out.probabilities[begin + i]))
                throw std::invalid_argument("cell classifier: row " + std::to_string(begin + i)
                    + " gives a non-finite probability (non-finite embedding?)");
        }
    }
    return out;
}

double CellClassifier::crossValidatedAccuracy(const float* embeddings, std::size_t n, std::size_t dim,
    const std::vector<std::size_t>& labelledRows, const std::vector<int>& labels, std::size_t classCount, int folds,
    const ClassifierTrainingOptions& options)
{
    checkTrainingInput(embeddings, n, dim, labelledRows, labels, classCount);
    const std::size_t m = labelledRows.size();
    folds = int(std::min<std::size_t>(std::size_t(std::max(folds, 0)), m));
    if (folds < 2)
        throw std::invalid_argument("cell classifier: cross-validation needs at least 2 folds and 2 labelled cells");
    // Stratified: each class's cells, shuffled with the seed, dealt round-robin over the folds (continuing where the
    // previous class stopped so small classes do not all land in fold 0).
    std::vector<int> foldOf(m);
    std::mt19937_64 rng(options.seed);
    int next = 0;
    for (std::size_t c = 0; c < classCount; ++c) {
        std::vector<std::size_t> members;
        for (std::size_t i = 0; i < m; ++i)
            if (std::size_t(labels[i]) == c)
                members.push_back(i);
        std::shuffle(members.begin(), members.end(), rng);
        for (std::size_t i : members) {
            foldOf[i] = next;
            next = (next + 1) % folds;
        }
    }
    std::vector<ClassifierClass> classes(classCount);
    std::size_t correct = 0;
    for (int f = 0; f < folds; ++f) {
        std::vector<std::size_t> trainRows, testRows;
        std::vector<int> trainLabels, testLabels;
        for (std::size_t i = 0; i < m; ++i) {
            auto& rows = foldOf[i] == f ? testRows : trainRows;
            auto& ls = foldOf[i] == f ? testLabels : trainLabels;
            rows.push_back(labelledRows[i]);
            ls.push_back(labels[i]);
        }
        if (testRows.empty())
            continue;
        std::vector<int> predicted;
        if (std::set<int>(trainLabels.begin(), trainLabels.end()).size() < 2) {
            predicted.assign(testRows.size(), trainLabels.empty() ? -1 : trainLabels.front()); // one class seen
        } else {
            const auto classifier = train(embeddings, n, dim, trainRows, trainLabels, classes, options);
            std::vector<float> testData;
            for (std::size_t r : testRows)
                testData.insert(testData.end(), embeddings + r * dim, embeddings + (r + 1) * dim);
            predicted = classifier.predict(testData.data(), testRows.size(), dim).classes;
        }
        for (std::size_t i = 0; i < testRows.size(); ++i)
            correct += predicted[i] == testLabels[i];
    }
    return double(correct) / double(m);
}

void CellClassifier::save(const std::string& path) const
{
    if (!isTrained())
        throw std::logic_error("cell classifier: nothing to save to " + path + " (not trained)");
    nlohmann::json classes = nlohmann::json::array();
    for (const auto& c : m_classes)
        classes.push_back({ { "name", c.name }, { "color", { c.color[0], c.color[1], c.color[2] } } });
    const nlohmann::json j
        = { { "format", "cellvit-cell-classifier" }, { "version", 1 }, { "dimension", m_dim }, { "classes", classes },
              { "mean", m_mean }, { "scale", m_scale }, { "weights", m_weights }, { "bias", m_bias } };
    std::ofstream out(path);
    if (!out)
        throw EmbeddingError(path + ": cannot open for writing");
    out << j.dump(1) << '\n';
    if (!out)
        throw EmbeddingError(path + ": write failed");
}

CellClassifier CellClassifier::load(const std::string& path)
{
    std::ifstream in(path);
    if (!in)
        throw EmbeddingError(path, "cannot open the cell classifier file");
    CellClassifier c;
    try {
        const auto j = nlohmann::json::parse(in);
        if (j.value("format", std::string()) != "cellvit-cell-classifier")
            throw EmbeddingError("not a cell classifier (format is not \"cellvit-cell-classifier\")");
        if (j.at("version").get<int>() != 1)
            throw EmbeddingError("unsupported version " + j.at("version").dump());
        c.m_dim = j.at("dimension").get<std::size_t>();
        for (const auto& entry : j.at("classes")) {
            ClassifierClass cls;
            cls.name = entry.at("name").get<std::string>();
            const auto rgb = entry.at("color").get<std::vector<int>>();
            if (rgb.size() != 3 || std::any_of(rgb.begin(), rgb.end(), [](int v) { return v < 0 || v > 255; }))
                throw EmbeddingError("class \"" + cls.name + "\" has a colour that is not 3 values in 0..255");
            cls.color = { std::uint8_t(rgb[0]), std::uint8_t(rgb[1]), std::uint8_t(rgb[2]) };
            c.m_classes.push_back(cls);
        }
        c.m_mean = j.at("mean").get<std::vector<float>>();
        c.m_scale = j.at("scale").get<std::vector<float>>();
        c.m_weights = j.at("weights").get<std::vector<float>>();
        c.m_bias = j.at("bias").get<std::vector<float>>();
    } catch (const nlohmann::json::exception& e) {
        throw EmbeddingError(path, std::string("invalid cell classifier file: ") + e.what());
    } catch (const EmbeddingError& e) {
        throw EmbeddingError(path, e.reason());
    }
    const std::size_t k = c.m_classes.size();
    if (c.m_dim == 0 || k < 2 || c.m_mean.size() != c.m_dim || c.m_scale.size() != c.m_dim
        || c.m_weights.size() != k * c.m_dim || c.m_bias.size() != k)
        throw EmbeddingError(path + ": inconsistent cell classifier (dimension " + std::to_string(c.m_dim) + ", "
            + std::to_string(k) + " classes, " + std::to_string(c.m_weights.size()) + " weights)");
    for (float s : c.m_scale)
        if (!(s > 0.0f) || !std::isfinite(s))
            throw EmbeddingError(path + ": a standardisation scale is not a positive number");
    return c;
}

} // namespace cellvit
