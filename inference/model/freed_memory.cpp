#include "inference/model/freed_memory.h"

#include <dlfcn.h>
#include <string>

namespace cellvit {

bool releaseFreedMemory()
{
    // Looked up at run time: the core does not link jemalloc, the programs do.
    using Mallctl = int (*)(const char*, void*, size_t*, void*, size_t);
    const auto mallctl = reinterpret_cast<Mallctl>(dlsym(RTLD_DEFAULT, "mallctl"));
    if (!mallctl)
        return false;
    // MALLCTL_ARENAS_ALL (4096): every arena at once.
    return mallctl("arena.4096.purge", nullptr, nullptr, nullptr, 0) == 0;
}

} // namespace cellvit
