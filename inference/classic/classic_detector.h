#pragma once
// A classical nucleus detector of the kind QuPath ships (WatershedCellDetection): haematoxylin density by
// colour deconvolution, background subtraction, Gaussian smoothing, a threshold (Otsu or a fixed optical
// density), optional hole filling, a distance-transform marker watershed that splits touching nuclei by
// shape, and area filters in µm². Needs no weights; the baseline the networks are compared against.

#include "inference/classic/stain_deconvolution.h"

#include <opencv2/core/mat.hpp>

namespace cellvit::classic {

enum class ThresholdMethod {
    Otsu, // per image, on the smoothed background-subtracted haematoxylin density
    Fixed, // a fixed optical density, like QuPath's "Threshold" (0.1 by default there)
};

struct ClassicParams {
    StainVectors stains = StainVectors::haematoxylinEosin();
    double backgroundRadiusMicrons = 6.0; // opening radius of the background estimate; 0 = no subtraction
    double sigmaMicrons = 0.4; // Gaussian smoothing of the density
    ThresholdMethod threshold = ThresholdMethod::Otsu;
    double fixedThreshold = 0.1; // optical density (Fixed)
    double minOtsuThreshold = 0.05; // Otsu never goes below this density (blank images stay empty)
    // Pixels at or above this value in all of R, G, B are glass (or the white padding of edge patches) and
    // stay out of the Otsu histogram; 256 = every pixel counts.
    double glassLevel = 250;
    bool fillHoles = true;
    bool splitByShape = true; // distance-transform watershed
    double splitToleranceMicrons = 0.2; // h of the distance-transform h-maxima (markers)
    double minAreaMicrons2 = 10.0;
    double maxAreaMicrons2 = 400.0;
};

// rgb: CV_8UC3 (R, G, B); mpp: µm per pixel of that image. Returns a CV_32S instance map (0 = background,
// nuclei numbered 1..N in raster order of their first pixel). Throws std::invalid_argument on an empty or
// non-RGB image or a non-positive mpp.
cv::Mat detectNuclei(const cv::Mat& rgb, double mpp, const ClassicParams& params = {});

} // namespace cellvit::classic
