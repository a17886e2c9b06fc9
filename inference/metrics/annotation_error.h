#pragma once
// Errors of the ground-truth / prediction readers; the message names the file and the problem.

#include "model_zoo/cellvit_error.h"
#include <filesystem>
#include <stdexcept>
#include <string>

namespace cellvit::metrics {

class AnnotationError : public Error {
public:
    using Error::Error; // (file, problem)
};

} // namespace cellvit::metrics
