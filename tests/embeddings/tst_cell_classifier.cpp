// The interactive cell classifier on synthetic clusters: matches an independent logistic regression, cross-
// validation, save/load round trip, and clear errors for bad input and corrupt files.
#include "classifier_checks.h"
#include "inference/embeddings/cell_classifier.h"
#include "synthetic_clusters.h"
#include "test_support.h"

#include <QTemporaryDir>
#include <fstream>

using namespace cellvit;

namespace {

struct Labelled {
    std::vector<std::size_t> rows;
    std::vector<int> labels;
};

Labelled firstOfEachClass(const test::ClusteredData& data, int perClass)
{
    Labelled out;
    std::vector<int> taken(16, 0);
    for (std::size_t i = 0; i < data.n; ++i)
        if (taken[std::size_t(data.labels[i])]++ < perClass) {
            out.rows.push_back(i);
            out.labels.push_back(data.labels[i]);
        }
    return out;
}

std::vector<ClassifierClass> taxonomy(int count)
{
    std::vector<ClassifierClass> classes;
    for (int c = 0; c < count; ++c)
        classes.push_back({ "type " + std::to_string(c), { std::uint8_t(50 * c), std::uint8_t(255 - 50 * c), 17 } });
    return classes;
}

} // namespace

class TestCellClassifier : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void matchesReferenceRegression()
    {
        // Overlapping clusters (centre spread comparable to the noise) so accuracy is informative, not 100 %.
        const auto data = test::gaussianClusters(4, 400, 30, 0.35, 11);
        const auto cmp = test::compareWithReference(data.values, data.dim, data.labels, 4, 10, 1e-2, 5);
        qInfo("40 labels: accuracy %.4f, reference %.4f, agreement %.4f", cmp.accuracy, cmp.referenceAccuracy,
            cmp.agreement);
        QVERIFY(std::abs(cmp.accuracy - cmp.referenceAccuracy) <= 0.02);
        QVERIFY(cmp.agreement >= 0.95);
        QVERIFY(cmp.accuracy > 0.5); // well above chance (0.25)
    }

    void crossValidates()
    {
        const auto separated = test::gaussianClusters(3, 100, 10, 3.0, 2);
        const auto labelled = firstOfEachClass(separated, 20);
        const double easy = CellClassifier::crossValidatedAccuracy(
            separated.values.data(), separated.n, separated.dim, labelled.rows, labelled.labels, 3, 5);
        // Labels unrelated to the data: cross-validation must not report more than chance.
        auto shuffled = labelled.labels;
        std::mt19937 rng(3);
        std::shuffle(shuffled.begin(), shuffled.end(), rng);
        const double noise = CellClassifier::crossValidatedAccuracy(
            separated.values.data(), separated.n, separated.dim, labelled.rows, shuffled, 3, 5);
        qInfo("5-fold accuracy: %.3f (separated), %.3f (shuffled labels)", easy, noise);
        QCOMPARE(easy, 1.0);
        QVERIFY(noise < 0.6);
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
            CellClassifier::crossValidatedAccuracy(
                separated.values.data(), separated.n, separated.dim, labelled.rows, labelled.labels, 3, 1));
    }

    void savesAndLoads()
    {
        const auto data = test::gaussianClusters(3, 200, 12, 0.5, 4);
        const auto labelled = firstOfEachClass(data, 15);
        const auto classifier
            = CellClassifier::train(data.values.data(), data.n, data.dim, labelled.rows, labelled.labels, taxonomy(3));
        QVERIFY(classifier.isTrained());
        QTemporaryDir dir;
        const std::string path = dir.filePath(QStringLiteral("classifier.json")).toStdString();
        classifier.save(path);
        const auto loaded = CellClassifier::load(path);
        QCOMPARE(loaded.dimension(), data.dim);
        QCOMPARE(loaded.classes().size(), size_t(3));
        QCOMPARE(loaded.classes()[2].name, std::string("type 2"));
        QVERIFY(loaded.classes()[1].color == classifier.classes()[1].color);
        const auto a = classifier.predict(data.values.data(), data.n, data.dim);
        const auto b = loaded.predict(data.values.data(), data.n, data.dim);
        QVERIFY(a.classes == b.classes);
        QVERIFY(a.probabilities == b.probabilities);
        for (float p : a.probabilities)
            QVERIFY(p >= 1.0f / 3.0f - 1e-6f && p <= 1.0f);
        // Deterministic training.
        const auto again
            = CellClassifier::train(data.values.data(), data.n, data.dim, labelled.rows, labelled.labels, taxonomy(3));
        QVERIFY(again.predict(data.values.data(), data.n, data.dim).probabilities == a.probabilities);
    }

    void rejectsCorruptFiles()
    {
        QTemporaryDir dir;
        const std::string missing = dir.filePath(QStringLiteral("missing.json")).toStdString();
        QVERIFY(test::thrownMessage<std::runtime_error>([&] { CellClassifier::load(missing); }).find(missing)
            != std::string::npos);
        const auto data = test::gaussianClusters(2, 50, 4, 2.0, 4);
        const auto labelled = firstOfEachClass(data, 5);
        const std::string good = dir.filePath(QStringLiteral("good.json")).toStdString();
        CellClassifier::train(data.values.data(), data.n, data.dim, labelled.rows, labelled.labels, taxonomy(2))
            .save(good);
        std::ifstream in(good);
        const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        const std::vector<std::pair<const char*, std::string>> corruptions {
            { "truncated", text.substr(0, text.size() / 2) },
            { "not json", "hello" },
            { "wrong format", R"({"format": "something else"})" },
            { "missing weights", replacedOnce(text, "\"weights\"", "\"weightz\"") },
        };
        for (const auto& [what, content] : corruptions) {
            const std::string path = dir.filePath(QStringLiteral("bad.json")).toStdString();
            std::ofstream(path) << content;
            const std::string message = test::thrownMessage<std::runtime_error>([&] { CellClassifier::load(path); });
            qInfo("%s: %s", what, message.c_str());
            QVERIFY2(message.find(path) != std::string::npos, what);
        }
    }

    void rejectsBadTrainingInput()
    {
        const auto data = test::gaussianClusters(2, 50, 4, 2.0, 4);
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
            CellClassifier::train(data.values.data(), data.n, data.dim, { 0, 2 }, { 0, 0 }, taxonomy(2)));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
            CellClassifier::train(data.values.data(), data.n, data.dim, { 0, 1000 }, { 0, 1 }, taxonomy(2)));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
            CellClassifier::train(data.values.data(), data.n, data.dim, { 0, 1 }, { 0, 5 }, taxonomy(2)));
        const auto classifier
            = CellClassifier::train(data.values.data(), data.n, data.dim, { 0, 1 }, { 0, 1 }, taxonomy(2));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, classifier.predict(data.values.data(), data.n, 3));
        QVERIFY_THROWS_EXCEPTION(ClassifierCancelled,
            CellClassifier::train(
                data.values.data(), data.n, data.dim, { 0, 1 }, { 0, 1 }, taxonomy(2), {}, [] { return true; }));
    }

private:
    static std::string replacedOnce(std::string text, const std::string& from, const std::string& to)
    {
        const auto at = text.find(from);
        return at == std::string::npos ? text : text.replace(at, from.size(), to);
    }
};

QTEST_GUILESS_MAIN(TestCellClassifier)
#include "tst_cell_classifier.moc"
