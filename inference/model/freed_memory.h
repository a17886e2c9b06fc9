#pragma once
// The programs run on jemalloc with freed pages kept for reuse (app/common/jemalloc_settings.cpp): between two
// patches that is what makes the CPU path fast. After a run nothing reuses them, so they are handed back here; the
// trainer hands them back after every epoch.

namespace cellvit {

// Returns every freed-but-kept page of the process's allocator to the system (jemalloc: purge all arenas).
// Returns false, doing nothing, when the allocator is not jemalloc (e.g. a library user's process).
bool releaseFreedMemory();

// Calls releaseFreedMemory() when the scope ends, however it ends: declared first in a function, it runs after
// everything else the function allocated is gone.
class ReleaseFreedMemoryOnExit {
public:
    ReleaseFreedMemoryOnExit() = default;
    ~ReleaseFreedMemoryOnExit() { releaseFreedMemory(); }
    ReleaseFreedMemoryOnExit(const ReleaseFreedMemoryOnExit&) = delete;
    ReleaseFreedMemoryOnExit& operator=(const ReleaseFreedMemoryOnExit&) = delete;
};

} // namespace cellvit
