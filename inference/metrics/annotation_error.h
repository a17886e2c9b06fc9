#pragma once
// Errors of the ground-truth / prediction readers; the message names the file and the problem.

#include <filesystem>
#include <stdexcept>
#include <string>

namespace cellvit::metrics {

class AnnotationError : public std::runtime_error {
public:
    AnnotationError(const std::filesystem::path& file, const std::string& problem)
        : std::runtime_error(file.string() + ": " + problem)
    {
    }
};

} // namespace cellvit::metrics
