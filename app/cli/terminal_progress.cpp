#include "app/cli/terminal_progress.h"

#include <cstdio>
#include <string>

namespace cellvit::cli {

void TerminalProgress::update(const SegmentProgress& p)
{
    const auto now = std::chrono::steady_clock::now();
    // Redraw at most 5× per second, but always for the last patch.
    if (m_drawn && p.patchesDone < p.patchesTotal && now - m_lastDraw < std::chrono::milliseconds(200))
        return;
    m_lastDraw = now;
    m_drawn = true;
    constexpr int kWidth = 30;
    const double fraction = p.patchesTotal ? static_cast<double>(p.patchesDone) / p.patchesTotal : 1.0;
    const int filled = static_cast<int>(fraction * kWidth);
    const std::string bar = std::string(static_cast<size_t>(filled), '#') + std::string(static_cast<size_t>(kWidth - filled), '.');
    std::fprintf(stderr, "\r[%s] %zu/%zu patches  %.2f patches/s  ETA %.0f s  %zu cells   ", bar.c_str(), p.patchesDone,
                 p.patchesTotal, p.patchesPerSecond, p.etaSeconds, p.cells);
    std::fflush(stderr);
}

void TerminalProgress::finish()
{
    if (m_drawn)
        std::fputc('\n', stderr);
    m_drawn = false;
}

} // namespace cellvit::cli
