#include "viewer/magnification.h"

#include "inference/slide/slide_source.h"

namespace cellvit {

namespace {
constexpr double kMicrometresPerPixelAt40x = 0.25;
}

double nativeMagnification(const SlideSource& slide)
{
    if (const auto power = slide.objectivePower(); power && *power > 0)
        return *power;
    if (const auto mpp = slide.mppX(); mpp && *mpp > 0)
        return 40.0 * kMicrometresPerPixelAt40x / *mpp;
    return 1.0;
}

std::vector<double> magnificationPresets()
{
    return { 1.0, 5.0, 10.0, 20.0, 40.0 };
}

} // namespace cellvit
