#pragma once
// Benchmarks that measure each case in its own process (peak RSS, allocator) run themselves as children: the
// child prints one JSON line, the parent reads the last line of its output.

#include <nlohmann/json.hpp>

#include <cstdio>
#include <sstream>
#include <string>

namespace cellvit::bench {

// Runs `command` and returns the last non-empty line of its stdout parsed as JSON (null on any failure).
inline nlohmann::json runChildForJson(const std::string& command)
{
    FILE* pipe = popen(command.c_str(), "r");
    if (!pipe)
        return nullptr;
    std::string output, last;
    char buffer[4096];
    while (fgets(buffer, sizeof buffer, pipe))
        output += buffer;
    const int status = pclose(pipe);
    std::istringstream lines(output);
    for (std::string line; std::getline(lines, line);)
        if (!line.empty())
            last = line;
    if (status != 0 || last.empty())
        return nullptr;
    nlohmann::json parsed = nlohmann::json::parse(last, nullptr, false);
    return parsed.is_discarded() ? nlohmann::json(nullptr) : parsed;
}

} // namespace cellvit::bench
