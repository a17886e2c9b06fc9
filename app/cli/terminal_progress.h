#pragma once
// A one-line progress bar on stderr: patches done/total, patches/s, ETA, cells so far.

#include "inference/pipeline/patch_segmenter.h"

#include <chrono>

namespace cellvit::cli {

class TerminalProgress {
public:
    void update(const SegmentProgress& progress);
    void finish(); // ends the line

private:
    std::chrono::steady_clock::time_point m_lastDraw {};
    bool m_drawn = false;
};

} // namespace cellvit::cli
