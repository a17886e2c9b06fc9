#pragma once
// Colour deconvolution (Ruifrok & Johnston 2001): optical density of an RGB image projected on the
// inverse of a stain matrix, giving one density channel per stain. The haematoxylin channel is what a
// classical nucleus detector thresholds (QuPath's "Optical density" haematoxylin image).

#include <array>
#include <opencv2/core/mat.hpp>

namespace cellvit::classic {

struct StainVectors {
    // Optical-density direction (R, G, B) of each stain; normalised on use. The third is the residual
    // channel: when all zero it becomes the cross product of the first two (QuPath / Ruifrok).
    std::array<std::array<double, 3>, 3> stains;

    // Ruifrok–Johnston H&E: haematoxylin (0.650, 0.704, 0.286), eosin (0.072, 0.990, 0.105).
    static StainVectors haematoxylinEosin();
    // Ruifrok–Johnston H-DAB: haematoxylin (0.650, 0.704, 0.286), DAB (0.268, 0.570, 0.776).
    static StainVectors haematoxylinDab();
};

// rgb: CV_8UC3 in R, G, B order. Returns the CV_32F density of stain `index` (0 = haematoxylin) per pixel,
// OD = −log10((I + 1) / 256) so that white is 0 and no pixel is infinite. Throws std::invalid_argument
// on an empty or non-RGB image.
cv::Mat stainDensity(const cv::Mat& rgb, const StainVectors& vectors, int index = 0);

} // namespace cellvit::classic
