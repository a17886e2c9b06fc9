#pragma once
// Errors of the export and import code. Messages always name the file and the problem.

#include <stdexcept>

namespace cellvit {

class ExportError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

} // namespace cellvit
