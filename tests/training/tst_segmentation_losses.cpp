// The loss terms against values computed by hand on tiny tensors (formulas of reference §6 / v1 base_loss.py).
#include "inference/training/segmentation_losses.h"

#include <QtTest>
#include <cmath>
#include <torch/torch.h>

using namespace cellvit::training;

namespace {

// 1×C×H×W tensor from row-major values.
torch::Tensor map(std::vector<float> values, int64_t channels, int64_t h, int64_t w)
{
    return torch::tensor(values, torch::kFloat32).view({ 1, channels, h, w });
}

double value(const torch::Tensor& t)
{
    return t.item<double>();
}

} // namespace

class TestSegmentationLosses : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void focalTverskyMatchesHandComputation()
    {
        // One channel, 2×2: p = .8 .2 / .4 .6, t = 1 0 / 1 0.
        const auto p = map({ 0.8f, 0.2f, 0.4f, 0.6f }, 1, 2, 2);
        const auto t = map({ 1, 0, 1, 0 }, 1, 2, 2);
        const double tp = 0.8 + 0.4, fp = 0.2 + 0.6, fn = 0.2 + 0.6, s = 1e-6;
        const double tversky = (tp + s) / (tp + 0.7 * fn + 0.3 * fp + s);
        QVERIFY(std::abs(value(focalTverskyLoss(p, t)) - std::pow(1 - tversky, 4.0 / 3.0)) < 1e-6);

        // Masking the last pixel removes its false positive.
        const auto mask = map({ 1, 1, 1, 0 }, 1, 2, 2);
        const double fpMasked = 0.2, fnMasked = 0.2 + 0.6;
        const double tverskyMasked = (tp + s) / (tp + 0.7 * fnMasked + 0.3 * fpMasked + s);
        QVERIFY(std::abs(value(focalTverskyLoss(p, t, mask)) - std::pow(1 - tverskyMasked, 4.0 / 3.0)) < 1e-6);
    }

    void multiClassFocalTverskyAveragesClasses()
    {
        // Two classes on 1×2 pixels: class 0 p = .9 .3, class 1 p = .1 .7; target class 0 then class 1.
        const auto p = map({ 0.9f, 0.3f, 0.1f, 0.7f }, 2, 1, 2);
        const auto t = map({ 1, 0, 0, 1 }, 2, 1, 2);
        auto ft = [](double tp, double fp, double fn) {
            return std::pow(1 - (tp + 1e-6) / (tp + 0.7 * fn + 0.3 * fp + 1e-6), 4.0 / 3.0);
        };
        const double expected = (ft(0.9, 0.3, 0.1) + ft(0.7, 0.1, 0.3)) / 2;
        QVERIFY(std::abs(value(multiClassFocalTverskyLoss(p, t)) - expected) < 1e-6);
    }

    void diceSumsOverClasses()
    {
        const auto p = map({ 0.9f, 0.3f, 0.1f, 0.7f }, 2, 1, 2);
        const auto t = map({ 1, 0, 0, 1 }, 2, 1, 2);
        const double s = 1e-3;
        const double class0 = 1 - (2 * 0.9 + s) / (0.9 + 0.3 + 1 + s);
        const double class1 = 1 - (2 * 0.7 + s) / (0.1 + 0.7 + 1 + s);
        QVERIFY(std::abs(value(diceLoss(p, t)) - (class0 + class1)) < 1e-6);
        // With only the first pixel labelled: class 1 has no target and p = .1 there.
        const auto mask = map({ 1, 0 }, 1, 1, 2);
        const double masked0 = 1 - (2 * 0.9 + s) / (0.9 + 1 + s);
        const double masked1 = 1 - (0 + s) / (0.1 + s);
        QVERIFY(std::abs(value(diceLoss(p, t, mask)) - (masked0 + masked1)) < 1e-5);
    }

    void crossEntropyUsesLabelledPixelsOnly()
    {
        // Logits (0, ln 3) → probabilities (1/4, 3/4); (ln 4, 0) → (4/5, 1/5).
        const auto logits
            = map({ 0.0f, static_cast<float>(std::log(4.0)), static_cast<float>(std::log(3.0)), 0.0f }, 2, 1, 2);
        const auto labels = torch::tensor({ 1, 0 }, torch::kInt64).view({ 1, 1, 2 });
        const double expected = -(std::log(0.75) + std::log(0.8)) / 2;
        QVERIFY(std::abs(value(pixelCrossEntropyLoss(logits, labels)) - expected) < 1e-6);
        const auto mask = map({ 0, 1 }, 1, 1, 2);
        QVERIFY(std::abs(value(pixelCrossEntropyLoss(logits, labels, mask)) + std::log(0.8)) < 1e-6);
        // Nothing labelled: zero, not NaN.
        QCOMPARE(value(pixelCrossEntropyLoss(logits, labels, map({ 0, 0 }, 1, 1, 2))), 0.0);
    }

    void untypedNucleusLossIsMinusLogOfTheNucleusClasses()
    {
        // Three classes at two pixels: logits (0, 0, ln 2) → p = (1/4, 1/4, 1/2): nucleus classes 3/4;
        // (ln 3, 0, 0) → (3/5, 1/5, 1/5): 2/5.
        const float ln2 = static_cast<float>(std::log(2.0)), ln3 = static_cast<float>(std::log(3.0));
        const auto logits = map({ 0.0f, ln3, 0.0f, 0.0f, ln2, 0.0f }, 3, 1, 2);
        const double both = -(std::log(0.75) + std::log(0.4)) / 2;
        QVERIFY(std::abs(value(untypedNucleusLoss(logits, map({ 1, 1 }, 1, 1, 2))) - both) < 1e-6);
        QVERIFY(std::abs(value(untypedNucleusLoss(logits, map({ 0, 1 }, 1, 1, 2))) + std::log(0.4)) < 1e-6);
        QCOMPARE(value(untypedNucleusLoss(logits, map({ 0, 0 }, 1, 1, 2))), 0.0);
    }

    void mseAveragesLabelledPixelsAndChannels()
    {
        const auto prediction = map({ 1, 2, 3, 4 }, 2, 1, 2);
        const auto target = map({ 0, 0, 0, 0 }, 2, 1, 2);
        QVERIFY(std::abs(value(maskedMseLoss(prediction, target)) - (1 + 4 + 9 + 16) / 4.0) < 1e-6);
        QVERIFY(std::abs(value(maskedMseLoss(prediction, target, map({ 0, 1 }, 1, 1, 2))) - (4 + 16) / 2.0) < 1e-6);
    }

    void gradientKernelsPointAlongXAndY()
    {
        const auto k = hoverNetGradientKernels();
        // Row 2 (y = 0), column 4 (x = 2): x / (x² + y²) = 2 / 4; the y kernel is 0 there.
        QCOMPARE(k[0][0][0][2][4].item<float>(), 0.5f);
        QCOMPARE(k[1][0][0][2][4].item<float>(), 0.0f);
        // Row 0 (y = −2), column 1 (x = −1): x kernel −1/5, y kernel −2/5.
        QVERIFY(std::abs(k[0][0][0][0][1].item<float>() + 0.2f) < 1e-7f);
        QVERIFY(std::abs(k[1][0][0][0][1].item<float>() + 0.4f) < 1e-7f);
        QCOMPARE(k[0].sizes().vec(), (std::vector<int64_t> { 1, 1, 5, 5 }));
    }

    void msgeOfARampAtOneFocusPixel()
    {
        // Target x map = column index (a ramp), y map = 0; prediction = 0; one focus pixel in the interior.
        const int64_t n = 9;
        const auto ramp = torch::arange(n, torch::kFloat32).view({ 1, n }).expand({ n, n });
        const auto target = torch::stack({ ramp, torch::zeros({ n, n }) }).unsqueeze(0);
        const auto prediction = torch::zeros_like(target);
        auto focus = torch::zeros({ 1, 1, n, n });
        focus[0][0][4][4] = 1;
        // d/dx of the ramp with the kernel: Σ over the 5×5 window of x · x / (x² + y²) (centre term 0).
        double gradient = 0;
        for (int y = -2; y <= 2; ++y)
            for (int x = -2; x <= 2; ++x)
                if (x != 0 || y != 0)
                    gradient += static_cast<double>(x * x) / (x * x + y * y);
        // The focus pixel counts once per channel: (gradient² + 0²) / 2.
        QVERIFY(std::abs(value(msgeLoss(prediction, target, focus)) - gradient * gradient / 2) < 1e-4);
        // No focus: zero.
        QVERIFY(value(msgeLoss(prediction, target, torch::zeros({ 1, 1, n, n }))) == 0.0);
    }

    void mismatchedShapesAreRejected()
    {
        QVERIFY_THROWS_EXCEPTION(
            std::invalid_argument, diceLoss(torch::zeros({ 1, 2, 4, 4 }), torch::zeros({ 1, 3, 4, 4 })));
    }
};

QTEST_GUILESS_MAIN(TestSegmentationLosses)
#include "tst_segmentation_losses.moc"
