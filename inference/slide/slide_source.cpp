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

} // namespace cellvit
