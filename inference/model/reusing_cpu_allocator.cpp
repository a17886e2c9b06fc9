#include "inference/model/reusing_cpu_allocator.h"

#include <algorithm>
#include <c10/core/CPUAllocator.h>
#include <c10/util/Exception.h>
#include <map>
#include <mutex>
#include <sys/mman.h>
#include <unistd.h>
#include <unordered_map>

namespace cellvit {

namespace {

constexpr size_t kLargeBlock = size_t(1) << 20; // from here on blocks are kept for reuse
constexpr size_t kGranule = size_t(2) << 20; // sizes rounded up to huge pages

// Kept blocks are memory the process no longer uses: at most 2 GB of them, and at most 1/8 of the machine.
size_t cacheLimit()
{
    const long pages = sysconf(_SC_PHYS_PAGES), pageSize = sysconf(_SC_PAGESIZE);
    const size_t physical = pages > 0 && pageSize > 0 ? static_cast<size_t>(pages) * static_cast<size_t>(pageSize) : 0;
    return std::min(physical / 8, size_t(2) << 30);
}

class ReusingCpuAllocator final : public c10::Allocator {
public:
    explicit ReusingCpuAllocator(c10::Allocator* fallback)
        : m_fallback(fallback)
        , m_fallbackDeleter(fallback->raw_deleter())
        , m_cacheLimit(cacheLimit())
    {
    }

    c10::DataPtr allocate(size_t bytes) const override
    {
        if (bytes < kLargeBlock)
            return m_fallback->allocate(bytes);
        const size_t wanted = (bytes + kGranule - 1) / kGranule * kGranule;
        void* block = reuse(wanted);
        if (!block)
            block = map(wanted);
        return { block, block, &release, c10::Device(c10::DeviceType::CPU) };
    }

    // Every pointer this allocator returns, from either path, is released by this one function.
    c10::DeleterFnPtr raw_deleter() const override { return &release; }

    size_t cachedBytes() const
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        return m_cachedBytes;
    }
    size_t mappedBlocks() const
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        return m_mapped;
    }

    static ReusingCpuAllocator* instance;

private:
    // A kept block of at least `size` and at most a quarter more (more would waste memory on small tensors).
    void* reuse(size_t size) const
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        const auto it = m_free.lower_bound(size);
        if (it == m_free.end() || it->first > size + size / 4)
            return nullptr;
        void* block = it->second;
        m_cachedBytes -= it->first;
        m_live.emplace(block, it->first);
        m_free.erase(it);
        return block;
    }

    void* map(size_t size) const
    {
        void* block = mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        // The wording of LibTorch's own allocator, which callers already recognise as out-of-memory.
        TORCH_CHECK(
            block != MAP_FAILED, "DefaultCPUAllocator: not enough memory: you tried to allocate ", size, " bytes.");
        madvise(block, size, MADV_HUGEPAGE); // a hint: fewer page faults where transparent huge pages are allowed
        std::lock_guard<std::mutex> lock(m_mutex);
        m_live.emplace(block, size);
        ++m_mapped;
        return block;
    }

    static void release(void* block)
    {
        if (block)
            instance->giveBack(block);
    }

    void giveBack(void* block) const
    {
        std::unique_lock<std::mutex> lock(m_mutex);
        const auto it = m_live.find(block);
        if (it == m_live.end()) { // a small block of the fallback allocator (raw_deallocate)
            lock.unlock();
            m_fallbackDeleter(block);
            return;
        }
        const size_t size = it->second;
        m_live.erase(it);
        if (m_cachedBytes + size <= m_cacheLimit) {
            m_free.emplace(size, block);
            m_cachedBytes += size;
            return;
        }
        --m_mapped;
        lock.unlock();
        munmap(block, size);
    }

    c10::Allocator* m_fallback;
    c10::DeleterFnPtr m_fallbackDeleter;
    size_t m_cacheLimit;
    mutable std::mutex m_mutex;
    mutable std::unordered_map<void*, size_t> m_live; // handed out: block -> mapped size
    mutable std::multimap<size_t, void*> m_free; // kept for reuse, by size
    mutable size_t m_cachedBytes = 0, m_mapped = 0;
};

ReusingCpuAllocator* ReusingCpuAllocator::instance = nullptr;

} // namespace

void installReusingCpuAllocator()
{
    static std::once_flag once;
    std::call_once(once, [] {
        c10::Allocator* fallback = c10::GetDefaultCPUAllocator();
        if (!fallback->raw_deleter())
            return; // cannot route the small blocks' frees: keep LibTorch's allocator
        // Never destroyed on purpose: LibTorch may free tensors during static destruction, after any object of
        // ours with static storage would be gone, and SetCPUAllocator requires a static lifetime anyway.
        ReusingCpuAllocator::instance = new ReusingCpuAllocator(fallback);
        c10::SetCPUAllocator(ReusingCpuAllocator::instance);
    });
}

size_t reusingCpuAllocatorCachedBytes()
{
    return ReusingCpuAllocator::instance ? ReusingCpuAllocator::instance->cachedBytes() : 0;
}

size_t reusingCpuAllocatorMappedBlocks()
{
    return ReusingCpuAllocator::instance ? ReusingCpuAllocator::instance->mappedBlocks() : 0;
}

} // namespace cellvit
