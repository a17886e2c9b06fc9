// Ground truth scored against itself on real annotations is perfect: PQ 1 (up to the reference's
// 1e-6 terms), detection precision/recall/F1 exactly 1, per-class scores 1 when classes exist.
#include "inference/metrics/annotation_loader.h"
#include "inference/metrics/dataset_evaluation.h"
#include "inference/metrics/mat_matrix_reader.h"
#include "test_support.h"

using namespace cellvit;
using namespace cellvit::metrics;
namespace fs = std::filesystem;

namespace {

// DQ = TP/(TP + 1e-6) and SQ = TP/(TP + 1e-6) for a perfect match.
void verifyPerfect(const PqScores& s, double tp)
{
    const double expected = tp / (tp + 1e-6);
    QCOMPARE(s.dq, expected);
    QVERIFY(std::abs(s.sq - expected) < 1e-12);
    QVERIFY(std::abs(s.pq - expected * expected) < 1e-12);
}

void verifySelfEvaluation(const std::vector<fs::path>& files, int magnification, size_t minimumNuclei)
{
    EvaluationSettings settings;
    settings.pairingRadius = pairingRadiusForMagnification(magnification);
    ClassTable classes = classTableFor(files.front());
    std::vector<ImageMetrics> images;
    for (const fs::path& f : files) {
        CELLVIT_REQUIRE_PATH(f);
        images.push_back(evaluateFiles(f, f, settings, classes));
        const ImageMetrics& m = images.back();
        QVERIFY(m.binary.pairing.unpairedTrue.empty() && m.binary.pairing.unpairedPred.empty());
        verifyPerfect(m.binary.scores, static_cast<double>(m.binary.pairing.pairedTrue.size()));
        QVERIFY(m.binary.pairing.pairedTrue.size() >= minimumNuclei);
        QCOMPARE(m.pairing.paired.size(), m.trueTypes.size());
        for (const auto& [a, b] : m.pairing.paired)
            QCOMPARE(a, b);
    }
    const DatasetMetrics d = aggregateMetrics(images, classes.classes());
    QCOMPARE(d.detection.f1, 1.0);
    QCOMPARE(d.detection.precision, 1.0);
    QCOMPARE(d.detection.recall, 1.0);
    QCOMPARE(d.unpairedTrue, size_t(0));
    QCOMPARE(d.unpairedPred, size_t(0));
    // PQ = (TP / (TP + 1e-6))² >= 1 - 2e-6 even for a channel holding one nucleus (CoNSeP patches have such).
    QVERIFY(d.binary.pq > 1.0 - 2.1e-6);
    for (const ClassMetrics& c : d.perClass) {
        if (std::isnan(c.pq.pq))
            continue; // a class absent from these files
        QVERIFY(c.pq.pq > 1.0 - 2.1e-6);
        QCOMPARE(c.detection.f1, 1.0);
    }
}

} // namespace

class TestEvaluateSelf : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void monusegXml()
    {
        const fs::path dir = test::dataDir() / "monuseg_train_subset" / "Annotations";
        verifySelfEvaluation({ dir / "TCGA-B0-5710-01Z-00-DX1.xml", dir / "TCGA-21-5786-01Z-00-DX1.xml" }, 40, 300);
    }

    void cpmMasks()
    {
        const fs::path dir = test::dataDir() / "cpm15_miccai2015_training";
        verifySelfEvaluation({ dir / "image02_mask.txt", dir / "image09_mask.txt" }, 20, 30);
    }

    void pumaGeoJsonWithClasses()
    {
        const fs::path file
            = test::dataDir() / "puma_nuclei_geojson_samples" / "training_set_primary_roi_006_nuclei.geojson";
        verifySelfEvaluation({ file }, 40, 250);
        EvaluationSettings settings;
        ClassTable classes;
        const ImageMetrics m = evaluateFiles(file, file, settings, classes);
        QVERIFY(m.typed);
        int scoredClasses = 0;
        for (const PqScores& s : m.classPq)
            scoredClasses += !std::isnan(s.pq);
        QVERIFY(scoredClasses >= 2);
    }

    // The default model's CoNSeP holdout (train_3, train_11, train_19: 48 patches) as the evaluate CLI scores it:
    // classes in the 4-class taxonomy, counts as the .mat files list them, every class scored and perfect.
    void consepHoldoutPatchesWithClasses()
    {
        const fs::path dir = test::dataDir() / "consep_train_patches" / "type_mat";
        std::vector<fs::path> files;
        for (const char* image : { "train_3", "train_11", "train_19" })
            for (int k = 0; k < 16; ++k)
                files.push_back(dir / QStringLiteral("%1_%2.mat").arg(image).arg(k, 3, 10, QLatin1Char('0')).toStdString());
        verifySelfEvaluation(files, 40, 2);

        EvaluationSettings settings;
        ClassTable classes = classTableFor(files.front());
        std::vector<ImageMetrics> images;
        std::map<int, int> perClass, listed; // class id -> nuclei (evaluated, and as the .mat rows list them)
        for (const fs::path& f : files) {
            images.push_back(evaluateFiles(f, f, settings, classes));
            QVERIFY(images.back().typed);
            for (int type : images.back().trueTypes)
                ++perClass[type];
            for (double t : readMatMatrix(f, "inst_type").values)
                ++listed[static_cast<int>(t)];
        }
        // CoNSeP 1 other, 2 inflammatory, 3 epithelial, 4 spindle-shaped.
        // The .mat rows of the 48 patches (counted independently of this code): 132 other, 47 inflammatory,
        // 1104 epithelial, 632 spindle-shaped. The detection points leave out 23 slivers that the patch borders cut
        // off nuclei (first contour under 3 points: the reference's calculate_instances).
        QCOMPARE(listed, (std::map<int, int> { { 1, 132 }, { 2, 47 }, { 3, 1104 }, { 4, 632 } }));
        QCOMPARE(perClass[classes.idOf("Other")], 131);
        QCOMPARE(perClass[classes.idOf("Inflammatory")], 47);
        QCOMPARE(perClass[classes.idOf("Epithelial")], 1089);
        QCOMPARE(perClass[classes.idOf("Connective")], 625);
        const DatasetMetrics d = aggregateMetrics(images, classes.classes());
        QCOMPARE(d.perClass.size(), size_t(4));
        for (const ClassMetrics& c : d.perClass) {
            QVERIFY2(c.detection.f1 == 1.0, c.nucleusClass.name.c_str());
            QVERIFY(c.pq.pq > 1.0 - 2.1e-6);
        }
        QCOMPARE(d.meanClassF1, 1.0);
    }
};

QTEST_GUILESS_MAIN(TestEvaluateSelf)
#include "tst_evaluate_self.moc"
