#include "inference/training/segmentation_losses.h"

#include <torch/nn/functional/conv.h>

namespace cellvit::training {
namespace {

// The mask broadcast to `like` (B×C×H×W), or ones when no mask is given.
torch::Tensor expandedMask(const torch::Tensor& mask, const torch::Tensor& like)
{
    if (!mask.defined())
        return torch::ones_like(like);
    return mask.to(like.scalar_type()).expand_as(like);
}

void checkSameShape(const torch::Tensor& a, const torch::Tensor& b, const char* what)
{
    if (a.sizes() != b.sizes())
        throw std::invalid_argument(std::string(what) + ": prediction and target shapes differ");
}

torch::Tensor focalTversky(const torch::Tensor& tp, const torch::Tensor& fp, const torch::Tensor& fn, double alpha,
    double beta, double gamma, double smooth)
{
    const auto tversky = (tp + smooth) / (tp + alpha * fn + beta * fp + smooth);
    return (1.0 - tversky).clamp_min(0.0).pow(gamma);
}

} // namespace

torch::Tensor focalTverskyLoss(const torch::Tensor& p, const torch::Tensor& t, const torch::Tensor& mask, double alpha,
    double beta, double gamma, double smooth)
{
    checkSameShape(p, t, "focal Tversky loss");
    const auto m = expandedMask(mask, p);
    const auto tp = (p * t * m).sum();
    const auto fp = (p * (1.0 - t) * m).sum();
    const auto fn = ((1.0 - p) * t * m).sum();
    return focalTversky(tp, fp, fn, alpha, beta, gamma, smooth);
}

torch::Tensor multiClassFocalTverskyLoss(const torch::Tensor& p, const torch::Tensor& t, const torch::Tensor& mask,
    double alpha, double beta, double gamma, double smooth)
{
    checkSameShape(p, t, "multi-class focal Tversky loss");
    const auto m = expandedMask(mask, p);
    const std::vector<int64_t> dims { 0, 2, 3 };
    const auto tp = (p * t * m).sum(dims);
    const auto fp = (p * (1.0 - t) * m).sum(dims);
    const auto fn = ((1.0 - p) * t * m).sum(dims);
    return focalTversky(tp, fp, fn, alpha, beta, gamma, smooth).mean();
}

torch::Tensor diceLoss(const torch::Tensor& p, const torch::Tensor& t, const torch::Tensor& mask, double smooth)
{
    checkSameShape(p, t, "Dice loss");
    const auto m = expandedMask(mask, p);
    const std::vector<int64_t> dims { 0, 2, 3 };
    const auto intersection = (p * t * m).sum(dims);
    const auto total = (p * m).sum(dims) + (t * m).sum(dims);
    return (1.0 - (2.0 * intersection + smooth) / (total + smooth)).sum();
}

torch::Tensor pixelCrossEntropyLoss(const torch::Tensor& logits, const torch::Tensor& labels, const torch::Tensor& mask)
{
    if (logits.dim() != 4 || labels.dim() != 3 || logits.size(0) != labels.size(0) || logits.size(2) != labels.size(1)
        || logits.size(3) != labels.size(2))
        throw std::invalid_argument("cross-entropy loss: logits must be B×C×H×W and labels B×H×W");
    const auto logProbabilities = torch::log_softmax(logits, 1);
    const auto picked = logProbabilities.gather(1, labels.unsqueeze(1)).squeeze(1); // B×H×W
    if (!mask.defined())
        return -picked.mean();
    const auto m = mask.to(logits.scalar_type()).reshape_as(picked);
    return -(picked * m).sum() / m.sum().clamp_min(1.0);
}

torch::Tensor maskedMseLoss(const torch::Tensor& prediction, const torch::Tensor& target, const torch::Tensor& mask)
{
    checkSameShape(prediction, target, "MSE loss");
    const auto squared = (prediction - target).pow(2);
    if (!mask.defined())
        return squared.mean();
    const auto m = expandedMask(mask, prediction);
    return (squared * m).sum() / m.sum().clamp_min(1.0);
}

std::array<torch::Tensor, 2> hoverNetGradientKernels()
{
    const auto range = torch::arange(-2, 3, torch::kFloat32);
    const auto x = range.view({ 1, 5 }).expand({ 5, 5 }); // column offset
    const auto y = range.view({ 5, 1 }).expand({ 5, 5 }); // row offset
    const auto denominator = x * x + y * y + 1.0e-15;
    return { (x / denominator).view({ 1, 1, 5, 5 }), (y / denominator).view({ 1, 1, 5, 5 }) };
}

torch::Tensor msgeLoss(const torch::Tensor& prediction, const torch::Tensor& target, const torch::Tensor& focus)
{
    checkSameShape(prediction, target, "MSGE loss");
    if (prediction.dim() != 4 || prediction.size(1) != 2)
        throw std::invalid_argument("MSGE loss: HV maps must be B×2×H×W");
    const auto kernels = hoverNetGradientKernels();
    namespace F = torch::nn::functional;
    auto gradients = [&](const torch::Tensor& hv) {
        const auto options = F::Conv2dFuncOptions().padding(2);
        const auto kx = kernels[0].to(hv.scalar_type()), ky = kernels[1].to(hv.scalar_type());
        return torch::cat(
            { F::conv2d(hv.narrow(1, 0, 1), kx, options), F::conv2d(hv.narrow(1, 1, 1), ky, options) }, 1);
    };
    const auto difference = gradients(prediction) - gradients(target);
    const auto f = focus.to(prediction.scalar_type()).expand_as(prediction);
    return (f * difference.pow(2)).sum() / (f.sum() + 1.0e-8);
}

torch::Tensor untypedNucleusLoss(const torch::Tensor& logits, const torch::Tensor& mask)
{
    if (!mask.defined() || logits.size(1) < 2)
        return torch::zeros({}, logits.options());
    // logsumexp(all) − logsumexp(nucleus classes) = −log of their summed probability, without underflow.
    const auto all = torch::logsumexp(logits, 1, true);
    const auto nuclei = torch::logsumexp(logits.narrow(1, 1, logits.size(1) - 1), 1, true);
    return ((all - nuclei) * mask).sum() / mask.sum().clamp_min(1.0);
}

} // namespace cellvit::training
