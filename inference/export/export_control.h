#pragma once
// Progress reporting and cancellation shared by the streaming writers.

#include <cstddef>
#include <functional>

namespace cellvit {

struct ExportControl {
    std::function<void(std::size_t done, std::size_t total)> progress; // optional
    std::function<bool()> cancelRequested; // optional; true stops the export
    std::size_t reportEvery = 4096; // cells between two callbacks
};

struct ExportSummary {
    std::size_t written = 0;
    std::size_t skippedDegenerate = 0; // contours with fewer than 3 distinct points or no area
    bool cancelled = false; // the partial output was removed
};

} // namespace cellvit
