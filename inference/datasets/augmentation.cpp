#include "inference/datasets/augmentation.h"

#include "inference/datasets/geometric_augmentations.h"
#include "inference/datasets/photometric_augmentations.h"
#include "inference/datasets/random_crop.h"
#include "inference/datasets/superpixel_augmentation.h"

namespace cellvit {

TrainingSample augmentedCrop(
    const TrainingSample& sample, int size, std::mt19937_64& rng, const AugmentationOptions& options)
{
    TrainingSample out = randomPaddedCrop(sample, size, rng);
    if (!options.enabled)
        return out;
    std::uniform_real_distribution<double> unit(0.0, 1.0);
    auto happens = [&](double probability) { return unit(rng) < probability; };

    // The reference's order (albumentations Compose in cellvit-facts §6). Superpixels comes after ColorJitter
    // there and is drawn only when enabled, so that runs without it keep their random sequence.
    if (happens(options.rotate90))
        out = rotated90(out, std::uniform_int_distribution<int>(0, 3)(rng));
    if (happens(options.horizontalFlip))
        out = flippedHorizontally(out);
    if (happens(options.verticalFlip))
        out = flippedVertically(out);
    if (happens(options.downscale))
        out.rgb = downscaledAndBack(out.rgb);
    if (happens(options.blur))
        out.rgb = randomBoxBlur(out.rgb, rng);
    if (happens(options.gaussNoise))
        out.rgb = withGaussianNoise(out.rgb, rng);
    if (happens(options.colorJitter))
        out.rgb = colorJittered(out.rgb, rng);
    if (options.hedStain > 0.0 && happens(options.hedStain))
        out.rgb = hedStainJittered(out.rgb, rng, options.hedSigma);
    if (options.superpixels > 0.0 && happens(options.superpixels))
        out.rgb = superpixelsReplaced(out.rgb, rng);
    if (happens(options.zoomBlur))
        out.rgb = zoomBlurred(out.rgb, rng);
    if (happens(options.randomSizedCrop))
        out = randomSizedCrop(out, rng);
    if (happens(options.elastic))
        out = elasticTransformed(out, rng);
    return out;
}

} // namespace cellvit
