#pragma once
// Errors of the dataset readers; the message names the file or folder and the problem.

#include <filesystem>
#include <stdexcept>
#include <string>

namespace cellvit {

class DatasetError : public std::runtime_error {
public:
    DatasetError(const std::filesystem::path& where, const std::string& problem)
        : std::runtime_error(where.string() + ": " + problem)
    {
    }
};

} // namespace cellvit
