#pragma once
// Constants of the HoVer-Net style post-processing per magnification (reference §3), and the magnification the
// maps are post-processed at.

namespace cellvit {

struct PostprocParams {
    int sobelKernel = 21; // Sobel ksize on the HV maps
    int minMarkerSize = 10; // markers smaller than this (px) are removed
    int minBlobSize = 10; // NP components smaller than this (px) are removed (all magnifications)
    double markerThreshold = 0.4;
    int magnification = 40;
    // The network's maps are upsampled by this factor before post-processing, and the cells scaled back to the
    // network's pixels after it (1: post-processed as they come, as the reference does).
    int mapScale = 1;

    // x40: ksize 21, markers >= 10 px; x20: ksize 11, markers >= 3 px. Other values throw.
    static PostprocParams forMagnification(int magnification);
    // A network working at `modelMagnification` whose maps are post-processed at `postprocMagnification`: the
    // model's (the reference) or twice it (20x maps upsampled to 40x, where the constants keep the markers of
    // small nuclei that the x20 constants erase). Anything else throws std::invalid_argument.
    static PostprocParams forModel(int modelMagnification, int postprocMagnification);
};

} // namespace cellvit
