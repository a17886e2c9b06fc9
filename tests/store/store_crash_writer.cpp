// Child process of tst_project_store: writes the classic run of a MoNuSeg image into a store, one patch at a
// time, printing "committed <row> <col>" after each commit and then pausing, so the parent can kill it (SIGKILL)
// between two patches. A store that holds an unfinished run is resumed. Exit code 1 with the message on error.
#include "classic_store_run.h"

#include <QCoreApplication>
#include <QThread>
#include <cstdio>
#include <exception>

using namespace cellvit;

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    if (argc != 4) {
        std::fprintf(stderr, "usage: store_crash_writer <store.sqlite> <image> <pause-ms>\n");
        return 2;
    }
    try {
        ProjectStore store(argv[1]);
        test::ClassicStoreRun run(argv[2]);
        const int pauseMs = std::atoi(argv[3]);
        const auto unfinished = store.unfinishedRun();
        const int64_t id = unfinished ? unfinished->id : store.beginRun(run.meta());
        const size_t written = run.writeRemaining(store, id, [&](const PatchSpec& p) {
            std::printf("committed %d %d\n", p.row, p.col);
            std::fflush(stdout);
            QThread::msleep(static_cast<unsigned long>(pauseMs));
        });
        store.finishRun(id, RunStatus::Finished);
        std::printf("finished run %lld after %zu patches\n", static_cast<long long>(id), written);
        return 0;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "store_crash_writer: %s\n", e.what());
        return 1;
    }
}
