#pragma once
// The scale bar: the longest "nice" length (1, 2 or 5 × 10^k µm) that fits a pixel budget.

#include <QString>

namespace cellvit {

struct ScaleBar {
    double micrometres = 0.0;
    double pixels = 0.0; // on screen
    QString label; // "50 µm", "2 mm"

    bool isValid() const { return micrometres > 0 && pixels > 0; }
};

// micrometresPerPixel: µm spanned by one widget pixel (mpp × view downsample). Invalid when unknown.
ScaleBar chooseScaleBar(double micrometresPerPixel, double maxPixels = 160.0);

} // namespace cellvit
