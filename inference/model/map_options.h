#pragma once
// How CellVitModel::segmentationForward turns the network's output into maps for the post-processing.

namespace cellvit {

struct MapOptions {
    // 2 (HoVer-Net decoders): the NP and type probabilities and the HV maps are upsampled bilinearly (pixel
    // centres aligned, as OpenCV's INTER_LINEAR) before the argmax, so a x20 network's maps can be
    // post-processed with the x40 constants; 1 gives the network's own maps.
    int upsampling = 1;
    // Test-time flips (HoVer-Net decoders): the network also sees each patch mirrored left-right, top-bottom and
    // both; every pass's maps are mirrored back (an HV component along a mirrored axis changes sign) and the
    // NP / type probabilities and HV maps of the four passes averaged before the argmax. Four times the network
    // time; the tokens (embeddings) are those of the unmirrored pass.
    bool flipAveraging = false;
};

} // namespace cellvit
