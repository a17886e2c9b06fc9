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

} // namespace cellvit
