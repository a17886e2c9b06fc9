#pragma once
// The loss functions of the CellViT trainer (reference §6, v1 `base_ml/base_loss.py`), with per-pixel validity
// masks so that partially labelled images (point labels, unlabelled borders) only supervise where they are labelled.
//
// Conventions: `probabilities` are softmax outputs B×C×H×W, `oneHot` targets B×C×H×W in {0, 1}, `mask` B×1×H×W in
// {0, 1} (1 = labelled). An undefined mask means "every pixel is labelled". A term with no labelled pixel is 0.

#include <array>
#include <torch/types.h>

namespace cellvit::training {

// Tversky index over all classes and pixels together: (tp + s) / (tp + α·fn + β·fp + s), loss = (1 − T)^γ.
// α weighs false negatives, β false positives (reference NP loss: α 0.7, β 0.3, γ 4/3, s 1e-6).
torch::Tensor focalTverskyLoss(const torch::Tensor& probabilities, const torch::Tensor& oneHot,
    const torch::Tensor& mask = {}, double alpha = 0.7, double beta = 0.3, double gamma = 4.0 / 3.0,
    double smooth = 1e-6);

// The same per class (each channel its own Tversky index), averaged over the classes (reference MCFocalTversky).
torch::Tensor multiClassFocalTverskyLoss(const torch::Tensor& probabilities, const torch::Tensor& oneHot,
    const torch::Tensor& mask = {}, double alpha = 0.7, double beta = 0.3, double gamma = 4.0 / 3.0,
    double smooth = 1e-6);

// Σ over classes of 1 − (2·Σ p·t + s) / (Σ p + Σ t + s), s = 1e-3 (reference DiceLoss: summed, not averaged).
torch::Tensor diceLoss(const torch::Tensor& probabilities, const torch::Tensor& oneHot, const torch::Tensor& mask = {},
    double smooth = 1e-3);

// Mean over labelled pixels of −log softmax(logits)[target]; labels: B×H×W int64.
torch::Tensor pixelCrossEntropyLoss(
    const torch::Tensor& logits, const torch::Tensor& labels, const torch::Tensor& mask = {});

// Mean over the mask's pixels of −log Σ_{c≥1} softmax(logits)[c]: "some nucleus class, whichever", for nucleus
// pixels whose class is unknown (segmentation-only data). Not in the reference, which trains on typed data only.
torch::Tensor untypedNucleusLoss(const torch::Tensor& logits, const torch::Tensor& mask);

// Mean squared error over labelled pixels and both channels.
torch::Tensor maskedMseLoss(
    const torch::Tensor& prediction, const torch::Tensor& target, const torch::Tensor& mask = {});

// HoVer-Net's MSGE: squared difference of the 5×5 Sobel-like gradients (d/dx of channel 0, d/dy of channel 1)
// of prediction and target, averaged over the `focus` pixels (nuclei × labelled), both channels counted.
torch::Tensor msgeLoss(const torch::Tensor& prediction, const torch::Tensor& target, const torch::Tensor& focus);

// HoVer-Net's 5×5 gradient kernels x / (x² + y² + 1e-15) and y / (...), x = column − 2, y = row − 2, applied as
// cross-correlation: [0] differentiates along x (columns), [1] along y (rows); each 1×1×5×5 float32. This is the
// orientation of HoVer-Net's original (numpy meshgrid, "xy"); the PyTorch ports build it with an "ij" meshgrid,
// which transposes both kernels, so their MSGE differentiates the x map along y. We keep the geometric meaning.
std::array<torch::Tensor, 2> hoverNetGradientKernels();

} // namespace cellvit::training
