#pragma once
// The magnification a slide shows at downsample 1, the anchor for zoom presets (1×, 5×, ... 40×).

#include <vector>

namespace cellvit {

class SlideSource;

// The objective power when the scanner recorded one; otherwise derived from the resolution
// (0.25 µm/px ≈ 40×, the usual scanner convention); 1 when neither is known.
double nativeMagnification(const SlideSource& slide);

// The magnification presets of the View menu, in ascending order.
std::vector<double> magnificationPresets();

} // namespace cellvit
