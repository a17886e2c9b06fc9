#pragma once
// Reading the JSON files of the tests: golden vectors and what the code under test wrote.

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <stdexcept>

namespace cellvit::test {

// Throws std::runtime_error naming the file when it cannot be opened; nlohmann's parse_error when it is not JSON.
inline nlohmann::json readJson(const std::filesystem::path& file)
{
    std::ifstream in(file);
    if (!in)
        throw std::runtime_error("cannot open " + file.string());
    return nlohmann::json::parse(in);
}

} // namespace cellvit::test
