// jemalloc settings compiled into every CellViT Studio program (issue #15; bench/allocator has the comparison and
// bench/RESULTS.md the numbers).
//
// A CPU forward pass over a 1024² patch allocates and frees gigabytes in tensors of 32 MB and more. glibc maps
// each of those afresh and unmaps it on free, so the kernel faults in and zeroes ~10 GB of new pages per patch:
// as much system time as the network's own user time. jemalloc keeps freed pages for reuse instead, but with its
// default decay (pages purged ~10 s after they are freed) a pass that lasts longer than that still faults most of
// them back. So:
// - dirty_decay_ms:-1, muzzy_decay_ms:-1 — freed pages are never purged on a timer: the next patch reuses them
//   (2.7 M page faults per pass → ~10). A run returns them when it ends (releaseFreedMemory() in
//   inference/model/freed_memory.h), so a desktop session does not keep its peak after a run.
// No transparent huge pages (thp stays default): with the kernel's `defrag = madvise`, a fault in an madvised
// region compacts memory synchronously and stalled a forward pass for 3 s (bench/RESULTS.md).
// The MALLOC_CONF environment variable still overrides any of these.
extern "C" {
// jemalloc reads this global at its first allocation (documented as `malloc_conf`).
// NOLINTNEXTLINE(cppcoreguidelines-avoid-non-const-global-variables)
const char* malloc_conf = "dirty_decay_ms:-1,muzzy_decay_ms:-1";
}
