#include "inference/postproc/postproc_params.h"

#include <stdexcept>
#include <string>

namespace cellvit {

PostprocParams PostprocParams::forMagnification(int magnification)
{
    PostprocParams p;
    p.magnification = magnification;
    if (magnification == 40)
        return p;
    if (magnification == 20) {
        p.sobelKernel = 11;
        p.minMarkerSize = 3;
        return p;
    }
    throw std::invalid_argument("post-processing magnification must be 40 or 20, got " + std::to_string(magnification));
}

PostprocParams PostprocParams::forModel(int modelMagnification, int postprocMagnification)
{
    if (postprocMagnification != modelMagnification && postprocMagnification != 2 * modelMagnification)
        throw std::invalid_argument("post-processing magnification " + std::to_string(postprocMagnification)
            + " for a x" + std::to_string(modelMagnification) + " model: it must be the model's magnification or twice it");
    PostprocParams p = forMagnification(postprocMagnification);
    p.mapScale = postprocMagnification / modelMagnification;
    return p;
}

} // namespace cellvit
