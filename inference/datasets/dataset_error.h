#pragma once
// Errors of the dataset readers; the message names the file or folder and the problem.

#include "model_zoo/cellvit_error.h"
#include <filesystem>
#include <stdexcept>
#include <string>

namespace cellvit {

class DatasetError : public Error {
public:
    using Error::Error; // (file, problem)
};

} // namespace cellvit
