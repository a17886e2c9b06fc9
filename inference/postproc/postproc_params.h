#pragma once
// Constants of the HoVer-Net style post-processing per magnification (reference §3).

namespace cellvit {

struct PostprocParams {
    int sobelKernel = 21; // Sobel ksize on the HV maps
    int minMarkerSize = 10; // markers smaller than this (px) are removed
    int minBlobSize = 10; // NP components smaller than this (px) are removed (all magnifications)
    double markerThreshold = 0.4;
    int magnification = 40;

    // x40: ksize 21, markers >= 10 px; x20: ksize 11, markers >= 3 px. Other values throw.
    static PostprocParams forMagnification(int magnification);
};

} // namespace cellvit
