#pragma once
// LibTorch's CPU allocator with reuse of large blocks. The default one hands every tensor above glibc's mmap
// threshold (at most 32 MB) a fresh mapping and unmaps it on free, so each forward pass at 1024² touches ~10 GB
// of new pages: measured 2.6 M page faults and more system than user time per patch on 2 cores. Here blocks of
// 1 MiB and more are mapped once (2 MiB multiples, transparent huge pages where the kernel allows), kept when
// freed and handed out again for the next tensor of a fitting size; small blocks go to the default allocator.

#include <cstddef>

namespace cellvit {

// Makes it LibTorch's CPU allocator for the rest of the process (first call only; thread-safe). Tensors allocated
// before keep their own deleters. The kept blocks never exceed 2 GB or 1/8 of the machine's memory.
void installReusingCpuAllocator();

// Bytes of freed blocks kept for reuse right now, and blocks mapped so far (for tests and benchmarks).
size_t reusingCpuAllocatorCachedBytes();
size_t reusingCpuAllocatorMappedBlocks();

} // namespace cellvit
