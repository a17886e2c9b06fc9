// STARDIST / CPP-Net loss terms: the reference's BCEWithLogitsLoss and L1LossWeighted values, the validity mask,
// the decoder-dependent term list and the reference experiments' default weights on a hand-computed batch.
#include "inference/training/stardist_loss.h"
#include "inference/training/training_loss.h"

#include <QtTest>
#include <cmath>
#include <torch/torch.h>

using namespace cellvit;
using namespace cellvit::training;

class TestStarDistLoss : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void bceIsTheReferenceMeanWhenAllIsLabelled()
    {
        torch::manual_seed(1);
        const auto logits = torch::randn({ 2, 1, 5, 7 });
        const auto target = torch::rand({ 2, 1, 5, 7 });
        const double ours = maskedBceWithLogitsLoss(logits, target).item<double>();
        // −[t log σ(x) + (1 − t) log(1 − σ(x))], averaged over every pixel.
        const auto p = torch::sigmoid(logits.to(torch::kFloat64));
        const auto t = target.to(torch::kFloat64);
        const double expected = (-(t * p.log() + (1 - t) * (1 - p).log())).mean().item<double>();
        QVERIFY(std::abs(ours - expected) < 1e-6);
    }

    void raysL1IsWeightedByTheProbabilityTarget()
    {
        // Two pixels, 2 rays: |errors| (1, 3) at a pixel of weight 0.5 and (4, 4) at a background pixel (weight 0).
        const auto pred = torch::tensor({ 1.0f, 4.0f, 3.0f, 4.0f }).view({ 1, 2, 1, 2 });
        const auto target = torch::zeros({ 1, 2, 1, 2 });
        const auto weight = torch::tensor({ 0.5f, 0.0f }).view({ 1, 1, 1, 2 });
        // mean over rays: (2, 4); × weight: (1, 0); mean over pixels: 0.5 (reference L1LossWeighted).
        QCOMPARE(weightedRayL1Loss(pred, target, weight).item<float>(), 0.5f);
        // Masking the first pixel out leaves only the weight-0 one.
        const auto mask = torch::tensor({ 0.0f, 1.0f }).view({ 1, 1, 1, 2 });
        QCOMPARE(weightedRayL1Loss(pred, target, weight, mask).item<float>(), 0.0f);
        // ... and masking the second one averages over one pixel.
        QCOMPARE(weightedRayL1Loss(pred, target, weight, 1 - mask).item<float>(), 1.0f);
    }

    void termNamesFollowTheDecoder()
    {
        using Names = std::vector<std::string>;
        QCOMPARE(
            lossTermNames(DecoderKind::StarDist), (Names { "dist_bce", "rays_l1", "nt_ce", "nt_dice", "nt_nucleus" }));
        QCOMPARE(lossTermNames(DecoderKind::CppNet),
            (Names { "dist_bce", "rays_l1", "rays_refined_l1", "nt_ce", "nt_dice", "nt_nucleus" }));
        QCOMPARE(lossTermNames(DecoderKind::HoverNet).front(), std::string("np_ft"));
    }

    // The defaults of ExperimentCellViTStarDist / ExperimentCellViTCPP.get_loss_fn: every term ×1, no focal Tversky
    // and no tissue term. One row of two pixels, 2 rays, 2 nucleus classes, 3 tissue classes; values by hand:
    //   dist    logits (0, ln 3) → σ = (1/2, 3/4), target (1/2, 0): BCE = (ln 2 + ln 4) / 2 = 1.5 ln 2
    //   rays    |(1, 5) − (2, 3)| = (1, 2) → 1.5 × weight 1/2 at pixel 0; pixel 1 has weight 0 → (0.75 + 0) / 2
    //   refined |(4, 3) − (2, 3)| = (2, 0) → 1 × 1/2 → 0.25 over two pixels
    //   NT      logits (0, 0) label 1, (0, ln 3) label 0 → p = (1/2, 1/2), (1/4, 3/4): CE = (ln 2 + ln 4) / 2;
    //           Dice = [1 − (2·1/4 + s) / (3/4 + 1 + s)] + [1 − (2·1/2 + s) / (5/4 + 1 + s)], s = 1e-3
    //   nucleus untyped mask at pixel 0: −ln(1/2) = ln 2
    //   tissue  logits (0, 0, 10), label 0: CE ≈ 10, must not enter the total.
    void defaultWeightsAreTheReferenceExperiments()
    {
        const StarDistLossWeights defaults;
        QCOMPARE(defaults.distBce, 1.0);
        QCOMPARE(defaults.raysL1, 1.0);
        QCOMPARE(defaults.raysRefinedL1, 1.0);
        QCOMPARE(defaults.ntCrossEntropy, 1.0);
        QCOMPARE(defaults.ntDice, 1.0);
        QCOMPARE(defaults.ntNucleus, 1.0);

        model::NetworkOutputs out;
        out.distMap = torch::tensor({ 0.0f, std::log(3.0f) }).view({ 1, 1, 1, 2 });
        out.stardistMap = torch::tensor({ 1.0f, 4.0f, 5.0f, 4.0f }).view({ 1, 2, 1, 2 }); // ray-major: r0 (1, 4)
        out.stardistMapRefined = torch::tensor({ 4.0f, 4.0f, 3.0f, 4.0f }).view({ 1, 2, 1, 2 });
        out.nucleiTypeMap = torch::tensor({ 0.0f, 0.0f, 0.0f, std::log(3.0f) }).view({ 1, 2, 1, 2 });
        out.tissueTypes = torch::tensor({ 0.0f, 0.0f, 10.0f }).view({ 1, 3 });
        TrainingBatch batch;
        batch.objectProbability = torch::tensor({ 0.5f, 0.0f }).view({ 1, 1, 1, 2 });
        batch.rays = torch::tensor({ 2.0f, 0.0f, 3.0f, 0.0f }).view({ 1, 2, 1, 2 });
        batch.typeLabels = torch::tensor({ 1, 0 }, torch::kInt64).view({ 1, 1, 2 });
        batch.untypedNucleusMask = torch::tensor({ 1.0f, 0.0f }).view({ 1, 1, 1, 2 });
        batch.tissueLabels = torch::tensor({ 0 }, torch::kInt64);

        const double ln2 = std::log(2.0), s = 1e-3;
        const double dice = (1 - (0.5 + s) / (1.75 + s)) + (1 - (1.0 + s) / (2.25 + s));
        const std::vector<double> starDist { 1.5 * ln2, 0.375, 1.5 * ln2, dice, ln2 };
        const std::vector<double> cpp { 1.5 * ln2, 0.375, 0.25, 1.5 * ln2, dice, ln2 };
        for (const auto& [decoder, expected] :
            { std::pair { DecoderKind::StarDist, starDist }, std::pair { DecoderKind::CppNet, cpp } }) {
            const LossResult r = trainingLoss(out, batch, decoder);
            QCOMPARE(r.terms.size(), expected.size());
            double sum = 0;
            for (size_t i = 0; i < expected.size(); ++i) {
                QVERIFY2(std::abs(r.terms[i] - expected[i]) < 1e-5, lossTermNames(decoder)[i].c_str());
                sum += expected[i];
            }
            QVERIFY2(
                std::abs(r.total.item<double>() - sum) < 1e-5, qPrintable(QString::number(r.total.item<double>())));
        }
    }
};

QTEST_GUILESS_MAIN(TestStarDistLoss)
#include "tst_stardist_loss.moc"
