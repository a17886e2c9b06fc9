// The reusing CPU allocator (inference/model/reusing_cpu_allocator.h): large blocks are mapped once and handed
// out again, values computed through it equal those of LibTorch's own allocator, and the raw interface frees
// small and large blocks alike.

#include "inference/model/reusing_cpu_allocator.h"

#include <ATen/ATen.h>
#include <QtTest>
#include <c10/core/CPUAllocator.h>

using namespace cellvit;

class TestReusingAllocator : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void repeatedPassesReuseTheirBlocksAndComputeTheSame()
    {
        // One "layer" on LibTorch's own allocator first (installing happens once per process).
        auto layer = [](const at::Tensor& x, const at::Tensor& w) { return at::relu(at::conv2d(x, w, {}, 1, 1)) * 2; };
        at::manual_seed(3);
        const at::Tensor x = at::randn({ 1, 3, 512, 512 }), w = at::randn({ 16, 3, 3, 3 });
        const at::Tensor expected = layer(x, w);

        installReusingCpuAllocator();
        QVERIFY(c10::GetCPUAllocator() != c10::GetDefaultCPUAllocator());
        size_t mappedAfterFirst = 0;
        for (int pass = 0; pass < 4; ++pass) {
            const at::Tensor y = layer(x, w); // 16 MB outputs and temporaries: large blocks
            QVERIFY(at::equal(y, expected));
            if (pass == 0)
                mappedAfterFirst = reusingCpuAllocatorMappedBlocks();
        }
        QVERIFY(mappedAfterFirst > 0);
        QCOMPARE(reusingCpuAllocatorMappedBlocks(), mappedAfterFirst); // later passes mapped nothing new
        QVERIFY(reusingCpuAllocatorCachedBytes() >= size_t(16) << 20);
    }

    void rawInterfaceFreesSmallAndLargeBlocks()
    {
        installReusingCpuAllocator();
        c10::Allocator* allocator = c10::GetCPUAllocator();
        QVERIFY(allocator->raw_deleter() != nullptr);
        for (size_t bytes : { size_t(100), size_t(3) << 20 }) {
            auto* block = static_cast<unsigned char*>(allocator->raw_allocate(bytes));
            QVERIFY(block != nullptr);
            block[0] = 1;
            block[bytes - 1] = 2;
            allocator->raw_deallocate(block);
        }
        // The large block went back to the kept ones and is handed out again for the same size.
        const size_t mapped = reusingCpuAllocatorMappedBlocks();
        void* again = allocator->raw_allocate(size_t(3) << 20);
        QCOMPARE(reusingCpuAllocatorMappedBlocks(), mapped);
        allocator->raw_deallocate(again);
    }
};

QTEST_GUILESS_MAIN(TestReusingAllocator)
#include "tst_reusing_allocator.moc"
