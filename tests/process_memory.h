#pragma once
// What the allocator tests measure of this process: resident bytes, and pages made resident on purpose.

#include <cstddef>
#include <fstream>
#include <unistd.h>

namespace cellvit::test {

inline long residentBytes()
{
    long pages = 0, resident = 0;
    std::ifstream("/proc/self/statm") >> pages >> resident;
    return resident * sysconf(_SC_PAGESIZE);
}

// Writes one byte per page through a volatile pointer: the compiler may drop a malloc/memset/free whose memory is
// never read, which would let these tests pass without allocating anything.
inline void touchPages(void* block, std::size_t bytes)
{
    volatile char* bytesOf = static_cast<volatile char*>(block);
    for (std::size_t i = 0; i < bytes; i += 4096)
        bytesOf[i] = 1;
}

} // namespace cellvit::test
