// Parity with the reference metrics (golden/metrics, produced with CellViT v1's own functions):
// per-image bPQ with its pairing, class PQ, centroid pairing, and the dataset aggregation.
#include "inference/metrics/dataset_evaluation.h"
#include "inference/metrics/instance_centroids.h"
#include "inference/metrics/instance_map_reader.h"
#include "test_json.h"
#include "test_support.h"

#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>

using namespace cellvit;
using namespace cellvit::metrics;
using nlohmann::json;

namespace {

std::filesystem::path metricsDir()
{
    return test::goldenDir() / "metrics";
}

using test::readJson;

bool closeRel(double actual, const json& expected)
{
    if (expected.is_null())
        return std::isnan(actual);
    const double e = expected.get<double>();
    return std::abs(actual - e) <= 1e-12 * std::max(1.0, std::abs(e));
}

#define COMPARE_SCORE(actual, expected, what)                                                                          \
    QVERIFY2(closeRel(actual, expected),                                                                               \
        qPrintable(QStringLiteral("%1: got %2, expected %3")                                                           \
                       .arg(QString::fromStdString(what))                                                              \
                       .arg(actual, 0, 'g', 17)                                                                        \
                       .arg(QString::fromStdString((expected).dump()))))

struct GoldenImage {
    std::string name;
    json expected;
    cv::Mat gt;
    cv::Mat pred;
};

GoldenImage loadImage(const std::string& name)
{
    const auto dir = metricsDir() / "images" / name;
    GoldenImage g;
    g.name = name;
    g.expected = readJson(dir / "expected_image_metrics.json");
    g.gt = readInstanceMapNpy(dir / "gt_instance_map.npy");
    g.pred = readInstanceMapNpy(dir / "pred_instance_map.npy");
    return g;
}

EvaluationInput predictionOf(const GoldenImage& g)
{
    std::vector<EvaluatedCell> cells;
    const json& e = g.expected;
    for (size_t k = 0; k < e["pred_instance_ids"].size(); ++k) {
        const auto xy = e["pred_centroids_xy"][k].get<std::vector<double>>();
        cells.push_back({ e["pred_instance_ids"][k].get<int>(), { xy[0], xy[1] }, e["pred_types"][k].get<int>() });
    }
    return predictionInput(g.pred, cells, true);
}

std::map<int, int> listedGtTypes(const GoldenImage& g)
{
    std::map<int, int> types;
    for (size_t k = 0; k < g.expected["gt_instance_ids"].size(); ++k)
        types[g.expected["gt_instance_ids"][k].get<int>()] = g.expected["gt_types"][k].get<int>();
    return types;
}

bool classPqMatches(const ImageMetrics& m, const json& expected)
{
    for (size_t j = 0; j < expected.size(); ++j) {
        const json& e = expected[j];
        if (!closeRel(m.classPq[j].dq, e["dq"]) || !closeRel(m.classPq[j].sq, e["sq"])
            || !closeRel(m.classPq[j].pq, e["pq"]))
            return false;
    }
    return true;
}

// The golden lists classes only for the GT cells that calculate_instances keeps (degenerate
// instances such as 1-px lines are dropped there), while the reference's GT class channels hold every
// instance. The class of a dropped instance is not stored, so it is recovered here: exactly one class
// per dropped instance must reproduce all six class PQ values, or the test fails.
std::map<int, int> resolveGtTypes(const GoldenImage& g, const EvaluationSettings& settings)
{
    std::map<int, int> types = listedGtTypes(g);
    std::vector<int> dropped;
    for (int id : instanceIds(g.gt)) {
        if (!types.count(id))
            dropped.push_back(id);
    }
    if (dropped.empty())
        return types;
    if (dropped.size() > 2)
        throw std::runtime_error(g.name + ": too many GT instances without class to recover");
    std::vector<std::map<int, int>> matches;
    const int n = static_cast<int>(dropped.size());
    for (int combo = 0; combo < static_cast<int>(std::pow(5, n)); ++combo) {
        std::map<int, int> candidate = types;
        int code = combo;
        for (int id : dropped) {
            candidate[id] = 1 + code % 5;
            code /= 5;
        }
        const ImageMetrics m = evaluateImage(groundTruthInput(g.gt, candidate), predictionOf(g), settings);
        if (classPqMatches(m, g.expected["class_pq"]))
            matches.push_back(candidate);
    }
    if (matches.size() != 1)
        throw std::runtime_error(g.name + ": " + std::to_string(matches.size())
            + " class choices for the dropped GT instances reproduce class PQ (need exactly 1)");
    return matches.front();
}

EvaluationSettings settingsOf(const GoldenImage& g)
{
    EvaluationSettings s;
    s.pairingRadius = pairingRadiusForMagnification(g.expected["magnification"].get<int>());
    return s;
}

ImageMetrics evaluateGolden(const GoldenImage& g)
{
    const EvaluationSettings s = settingsOf(g);
    ImageMetrics m = evaluateImage(groundTruthInput(g.gt, resolveGtTypes(g, s)), predictionOf(g), s);
    m.name = g.name;
    return m;
}

std::vector<int> ints(const json& j)
{
    return j.get<std::vector<int>>();
}

} // namespace

class TestMetricsGolden : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { CELLVIT_REQUIRE_PATH(metricsDir() / "expected_dataset_metrics.json"); }

    void perImage_data()
    {
        QTest::addColumn<QString>("name");
        for (const auto& entry : std::filesystem::directory_iterator(metricsDir() / "images"))
            QTest::newRow(entry.path().filename().string().c_str())
                << QString::fromStdString(entry.path().filename().string());
    }

    void perImage()
    {
        QFETCH(QString, name);
        const GoldenImage g = loadImage(name.toStdString());
        const json& e = g.expected;
        QCOMPARE(g.gt.rows, e["size"].get<int>());
        QCOMPARE(settingsOf(g).pairingRadius, e["pairing_radius"].get<double>());

        // Ground-truth and predicted cells derived like calculate_instances.
        const auto gtCells = instanceCentroids(g.gt);
        QCOMPARE(static_cast<int>(gtCells.size()), static_cast<int>(e["gt_instance_ids"].size()));
        for (size_t k = 0; k < gtCells.size(); ++k) {
            QCOMPARE(gtCells[k].id, e["gt_instance_ids"][k].get<int>());
            COMPARE_SCORE(gtCells[k].centroid.x, e["gt_centroids_xy"][k][0], "gt centroid x");
            COMPARE_SCORE(gtCells[k].centroid.y, e["gt_centroids_xy"][k][1], "gt centroid y");
        }
        const auto predCells = instanceCentroids(g.pred);
        QCOMPARE(static_cast<int>(predCells.size()), static_cast<int>(e["pred_instance_ids"].size()));
        for (size_t k = 0; k < predCells.size(); ++k) {
            QCOMPARE(predCells[k].id, e["pred_instance_ids"][k].get<int>());
            COMPARE_SCORE(predCells[k].centroid.x, e["pred_centroids_xy"][k][0], "pred centroid x");
            COMPARE_SCORE(predCells[k].centroid.y, e["pred_centroids_xy"][k][1], "pred centroid y");
        }

        const ImageMetrics m = evaluateGolden(g);
        COMPARE_SCORE(m.binary.scores.dq, e["bPQ"]["dq"], "bDQ");
        COMPARE_SCORE(m.binary.scores.sq, e["bPQ"]["sq"], "bSQ");
        COMPARE_SCORE(m.binary.scores.pq, e["bPQ"]["pq"], "bPQ");
        QCOMPARE(m.binary.pairing.pairedTrue, ints(e["bPQ_pairing"]["paired_true"]));
        QCOMPARE(m.binary.pairing.pairedPred, ints(e["bPQ_pairing"]["paired_pred"]));
        QCOMPARE(m.binary.pairing.unpairedTrue, ints(e["bPQ_pairing"]["unpaired_true"]));
        QCOMPARE(m.binary.pairing.unpairedPred, ints(e["bPQ_pairing"]["unpaired_pred"]));

        QVERIFY(m.typed);
        QCOMPARE(static_cast<int>(m.classPq.size()), 6);
        for (int j = 0; j < 6; ++j) {
            const json& c = e["class_pq"][j];
            QCOMPARE(c["class"].get<int>(), j);
            COMPARE_SCORE(m.classPq[j].dq, c["dq"], "class " + std::to_string(j) + " dq");
            COMPARE_SCORE(m.classPq[j].sq, c["sq"], "class " + std::to_string(j) + " sq");
            COMPARE_SCORE(m.classPq[j].pq, c["pq"], "class " + std::to_string(j) + " pq");
        }

        std::vector<std::vector<int>> paired;
        for (const auto& [a, b] : m.pairing.paired)
            paired.push_back({ a, b });
        QCOMPARE(paired, e["pairing"]["paired_gt_pred_index"].get<std::vector<std::vector<int>>>());
        QCOMPARE(m.pairing.unpairedA, ints(e["pairing"]["unpaired_gt_index"]));
        QCOMPARE(m.pairing.unpairedB, ints(e["pairing"]["unpaired_pred_index"]));
        QCOMPARE(m.trueTypes.size(), e["gt_types"].size());
    }

    void listedClassesAloneDoNotReproduceClassPq()
    {
        // Guards the recovery above: for an image with a dropped instance the listed classes differ.
        const GoldenImage g = loadImage("img00_cpm_image09");
        const ImageMetrics m = evaluateImage(groundTruthInput(g.gt, listedGtTypes(g)), predictionOf(g), settingsOf(g));
        QVERIFY(!classPqMatches(m, g.expected["class_pq"]));
    }

    void dataset_data()
    {
        QTest::addColumn<QString>("group");
        QTest::newRow("x40") << QStringLiteral("x40");
        QTest::newRow("x20") << QStringLiteral("x20");
    }

    void dataset()
    {
        QFETCH(QString, group);
        const json all = readJson(metricsDir() / "expected_dataset_metrics.json");
        const json& e = all[group.toStdString()];
        std::vector<ImageMetrics> images;
        for (const auto& name : e["images"])
            images.push_back(evaluateGolden(loadImage(name.get<std::string>())));
        QCOMPARE(
            settingsOf(loadImage(e["images"][0].get<std::string>())).pairingRadius, e["pairing_radius"].get<double>());

        const DatasetMetrics d = aggregateMetrics(images, panNukeClasses());
        COMPARE_SCORE(d.binary.pq, e["bPQ"], "bPQ");
        COMPARE_SCORE(d.binary.dq, e["bDQ"], "bDQ");
        COMPARE_SCORE(d.binary.sq, e["bSQ"], "bSQ");
        COMPARE_SCORE(d.multiClass.pq, e["mPQ"], "mPQ");
        COMPARE_SCORE(d.multiClass.dq, e["mDQ"], "mDQ");
        COMPARE_SCORE(d.multiClass.sq, e["mSQ"], "mSQ");
        COMPARE_SCORE(d.detection.f1, e["f1_detection"], "f1_detection");
        COMPARE_SCORE(d.detection.precision, e["precision_detection"], "precision_detection");
        COMPARE_SCORE(d.detection.recall, e["recall_detection"], "recall_detection");
        QCOMPARE(d.paired, e["pooled_counts"]["paired"].get<size_t>());
        QCOMPARE(d.unpairedTrue, e["pooled_counts"]["unpaired_gt"].get<size_t>());
        QCOMPARE(d.unpairedPred, e["pooled_counts"]["unpaired_pred"].get<size_t>());

        QCOMPARE(d.perClass.size(), e["per_class"].size());
        for (const ClassMetrics& c : d.perClass) {
            const json& pc = e["per_class"][c.nucleusClass.name];
            const std::string n = c.nucleusClass.name;
            QCOMPARE(c.nucleusClass.id, pc["type"].get<int>());
            COMPARE_SCORE(c.pq.pq, pc["pq"], n + " pq");
            COMPARE_SCORE(c.pq.dq, pc["dq"], n + " dq");
            COMPARE_SCORE(c.pq.sq, pc["sq"], n + " sq");
            COMPARE_SCORE(c.detection.f1, pc["f1_cell"], n + " f1");
            COMPARE_SCORE(c.detection.precision, pc["prec_cell"], n + " precision");
            COMPARE_SCORE(c.detection.recall, pc["rec_cell"], n + " recall");
        }
    }
};

QTEST_GUILESS_MAIN(TestMetricsGolden)
#include "tst_metrics_golden.moc"
