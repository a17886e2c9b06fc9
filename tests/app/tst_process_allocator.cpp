// The programs (and the tests, which link the same settings) run on jemalloc configured to keep freed pages for
// reuse (app/common/jemalloc_settings.cpp, issue #15): a block the size of a forward pass's tensors, freed and
// allocated again, must come back without the kernel faulting in and zeroing fresh pages; and a finished run
// hands them back.
#include "inference/model/freed_memory.h"
#include "process_memory.h"
#include "test_support.h"

#include <QProcess>

#include <cstdlib>
#include <dlfcn.h>
#include <fstream>
#include <unistd.h>
#include <sys/resource.h>

namespace {

using Mallctl = int (*)(const char*, void*, size_t*, void*, size_t);

Mallctl mallctlFunction()
{
    return reinterpret_cast<Mallctl>(dlsym(RTLD_DEFAULT, "mallctl"));
}

template <typename T> T option(const char* name)
{
    T value {};
    size_t size = sizeof value;
    if (mallctlFunction()(name, &value, &size, nullptr, 0) != 0)
        throw std::runtime_error(std::string("mallctl cannot read ") + name);
    return value;
}

long minorFaults()
{
    rusage usage {};
    getrusage(RUSAGE_SELF, &usage);
    return usage.ru_minflt;
}

} // namespace

using cellvit::test::residentBytes;
using cellvit::test::touchPages;

class TestProcessAllocator : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void runsOnJemallocWithTheProgramsSettings()
    {
        QVERIFY2(mallctlFunction(), "malloc is not jemalloc's (no mallctl in the process)");
        QCOMPARE(option<ssize_t>("opt.dirty_decay_ms"), ssize_t(-1));
        QCOMPARE(option<ssize_t>("opt.muzzy_decay_ms"), ssize_t(-1));
        QVERIFY(option<const char*>("version") != nullptr);
    }

    // 64 MB is above glibc's largest mmap threshold (32 MB): there every such block is a fresh mapping whose
    // 16,384 pages fault on first touch, every time. jemalloc hands the same pages back.
    void aFreedBigBlockIsReusedWithoutPageFaults()
    {
        constexpr size_t kBytes = 64u << 20;
        for (int warm = 0; warm < 2; ++warm) {
            void* block = std::malloc(kBytes);
            QVERIFY(block);
            touchPages(block, kBytes);
            std::free(block);
        }
        const long before = minorFaults();
        void* block = std::malloc(kBytes);
        QVERIFY(block);
        touchPages(block, kBytes);
        std::free(block);
        const long faults = minorFaults() - before;
        QVERIFY2(faults < 1024, qPrintable(QStringLiteral("%1 page faults for a reused 64 MB block").arg(faults)));
    }

    // What a run keeps for reuse goes back to the system when the run ends (slide_run.cpp calls this).
    void releaseFreedMemoryReturnsTheKeptPages()
    {
        constexpr size_t kBytes = 256u << 20;
        void* block = std::malloc(kBytes);
        QVERIFY(block);
        touchPages(block, kBytes);
        std::free(block);
        const long kept = residentBytes();
        QVERIFY(cellvit::releaseFreedMemory());
        const long released = kept - residentBytes();
        QVERIFY2(released > long(kBytes) * 3 / 4, qPrintable(QStringLiteral("%1 MB released").arg(released >> 20)));
    }

    // The programs themselves link it, not only the tests.
    void theCommandLineProgramLinksJemalloc()
    {
        QProcess ldd;
        ldd.start(QStringLiteral("ldd"), { cellvit::test::cliPath() });
        QVERIFY(ldd.waitForFinished(30000));
        const QString out = QString::fromLocal8Bit(ldd.readAllStandardOutput());
        QVERIFY2(out.contains(QStringLiteral("libjemalloc")), qPrintable(out));
    }
};

QTEST_GUILESS_MAIN(TestProcessAllocator)
#include "tst_process_allocator.moc"
