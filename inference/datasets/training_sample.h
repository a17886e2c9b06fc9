#pragma once
// One annotated image as the trainer sees it: pixels plus whatever labels the source provides. Readers fill it,
// augmentations transform image and labels together, the trainer derives NP/HV/NT targets from it.

#include <opencv2/core/mat.hpp>

#include <string>
#include <vector>

namespace cellvit {

struct TrainingSample {
    std::string source;        // file the sample came from (errors, split, model card)
    std::string image;         // the whole image a patch was cut from; empty = the source file is the image
    cv::Mat rgb;               // H×W CV_8UC3, RGB order
    cv::Mat instanceMap;       // H×W CV_32S, 0 = background, 1..N nuclei; zeros where unknown
    cv::Mat typeMap;           // H×W CV_32S nucleus class per pixel (0 = background)
    cv::Mat segmentationMask;  // H×W CV_8U, 255 where NP/HV labels are valid (all 255 when fully annotated)
    cv::Mat typeMask;          // H×W CV_8U, 255 where NT labels are valid
    int tissueClass = 0;       // index into the dataset's tissue taxonomy
    double mpp = 0.0;          // µm per pixel of rgb after reading/rescaling (0 = unknown)
};

} // namespace cellvit
