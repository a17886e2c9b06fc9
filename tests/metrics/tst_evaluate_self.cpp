// Ground truth scored against itself on real annotations is perfect: PQ 1 (up to the reference's
// 1e-6 terms), detection precision/recall/F1 exactly 1, per-class scores 1 when classes exist.
#include "inference/metrics/annotation_loader.h"
#include "inference/metrics/dataset_evaluation.h"
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
    ClassTable classes;
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
    QVERIFY(d.binary.pq > 1.0 - 1e-6);
    for (const ClassMetrics& c : d.perClass) {
        if (std::isnan(c.pq.pq))
            continue; // a class absent from these files
        QVERIFY(c.pq.pq > 1.0 - 1e-6);
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
};

QTEST_GUILESS_MAIN(TestEvaluateSelf)
#include "tst_evaluate_self.moc"
