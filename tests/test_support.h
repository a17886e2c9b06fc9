#pragma once
// Paths to real test data. A missing folder is a test failure (QFAIL), never a skip.

#include <QString>
#include <QtTest>

#include <filesystem>

namespace cellvit::test {

inline std::filesystem::path sharedDir() { return CELLVIT_SHARED_DIR; }
inline std::filesystem::path goldenDir() { return sharedDir() / "golden"; }
inline std::filesystem::path dataDir() { return sharedDir() / "data"; }
inline std::filesystem::path sourceDir() { return CELLVIT_SOURCE_DIR; }
inline std::filesystem::path sampleSlide() { return sourceDir() / "resources" / "cmu-1-small-region.svs"; }
// checkpoint.pth of a golden model kind ("vit_small", "sam_small"), unpacked by the ctest fixture.
inline std::filesystem::path goldenCheckpoint(const char* kind)
{
    return std::filesystem::path(CELLVIT_TEST_UNPACK_DIR) / kind / "checkpoint.pth";
}
inline QString cliPath() { return QStringLiteral(CELLVIT_CLI_PATH); }

} // namespace cellvit::test

// Fails the current test function when a required file or folder is missing.
#define CELLVIT_REQUIRE_PATH(p)                                                                              \
    do {                                                                                                     \
        if (!std::filesystem::exists(p))                                                                     \
            QFAIL(qPrintable(QStringLiteral("required test data missing: ") + QString::fromStdString((p).string()))); \
    } while (false)
