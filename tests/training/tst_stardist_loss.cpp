// STARDIST / CPP-Net loss terms: the reference's BCEWithLogitsLoss and L1LossWeighted values, the validity mask,
// and the decoder-dependent term list.
#include "inference/training/stardist_loss.h"
#include "inference/training/training_loss.h"

#include <QtTest>
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
        const auto stardist = lossTermNames(DecoderKind::StarDist);
        const auto cpp = lossTermNames(DecoderKind::CppNet);
        QCOMPARE(stardist.front(), std::string("dist_bce"));
        QCOMPARE(stardist.size() + 1, cpp.size());
        QCOMPARE(cpp.at(2), std::string("rays_refined_l1"));
        QCOMPARE(lossTermNames(DecoderKind::HoverNet).front(), std::string("np_ft"));
    }
};

QTEST_GUILESS_MAIN(TestStarDistLoss)
#include "tst_stardist_loss.moc"
