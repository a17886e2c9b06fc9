#include "viewer/scale_bar.h"

#include <QCoreApplication>
#include <cmath>

namespace cellvit {

ScaleBar chooseScaleBar(double micrometresPerPixel, double maxPixels)
{
    ScaleBar bar;
    if (!(micrometresPerPixel > 0) || !std::isfinite(micrometresPerPixel) || !(maxPixels > 0))
        return bar;
    const double maxMicrometres = micrometresPerPixel * maxPixels;
    double decade = std::pow(10.0, std::floor(std::log10(maxMicrometres)));
    double nice = decade;
    for (double step : { 5.0, 2.0, 1.0 }) {
        if (step * decade <= maxMicrometres * (1.0 + 1e-12)) {
            nice = step * decade;
            break;
        }
    }
    bar.micrometres = nice;
    bar.pixels = nice / micrometresPerPixel;
    if (nice >= 1000.0)
        bar.label = QCoreApplication::translate("cellvit::ScaleBar", "%1 mm").arg(nice / 1000.0);
    else
        bar.label = QCoreApplication::translate("cellvit::ScaleBar", "%1 µm").arg(nice);
    return bar;
}

} // namespace cellvit
