#pragma once
// Errors of the export and import code. Messages always name the file and the problem.

#include "model_zoo/cellvit_error.h"
#include <stdexcept>

namespace cellvit {

class ExportError : public Error {
public:
    using Error::Error;
};

} // namespace cellvit
