#include "inference/slide/slide_source.h"

namespace cellvit {

int SlideSource::bestLevelForDownsample(double downsample) const
{
    const auto& lv = levels();
    int best = 0;
    for (int i = 0; i < static_cast<int>(lv.size()); ++i) {
        // Small tolerance: pyramid downsamples are often 4.0001 for a nominal 4.
        if (lv[i].downsample <= downsample * (1.0 + 1e-6))
            best = i;
    }
    return best;
}

void SlideSource::checkRegionRequest(int level, int64_t w, int64_t h) const
{
    const int levelCount = static_cast<int>(levels().size());
    if (level < 0 || level >= levelCount)
        throw SlideError(path().string() + ": level " + std::to_string(level) + " does not exist (the slide has "
            + std::to_string(levelCount) + (levelCount == 1 ? " level)" : " levels)"));
    if (w <= 0 || h <= 0 || w > kMaxRegionPixels || h > kMaxRegionPixels || w * h > kMaxRegionPixels)
        throw SlideError(path().string() + ": refusing to read a region of " + std::to_string(w) + "x"
            + std::to_string(h) + " pixels (it must be non-empty and at most 2^28 pixels)");
}

} // namespace cellvit
