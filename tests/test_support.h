#pragma once
// Paths to real test data (a missing folder is a test failure, QFAIL, never a skip) and running programs.

#include <QCoreApplication>
#include <QProcess>
#include <QProcessEnvironment>
#include <QStandardPaths>
#include <QString>
#include <QStringList>
#include <QtTest>
#include <filesystem>
#include <string>

namespace cellvit::test {

inline std::filesystem::path sharedDir()
{
    return CELLVIT_SHARED_DIR;
}
inline std::filesystem::path goldenDir()
{
    return sharedDir() / "golden";
}
inline std::filesystem::path dataDir()
{
    return sharedDir() / "data";
}
inline std::filesystem::path sourceDir()
{
    return CELLVIT_SOURCE_DIR;
}
inline std::filesystem::path sampleSlide()
{
    return sourceDir() / "resources" / "cmu-1-small-region.svs";
}
// checkpoint.pth of a golden model kind ("vit_small", "sam_small"), unpacked by the ctest fixture.
inline std::filesystem::path goldenCheckpoint(const char* kind)
{
    return std::filesystem::path(CELLVIT_TEST_UNPACK_DIR) / kind / "checkpoint.pth";
}
// checkpoint.pth of a golden STARDIST / CPP-Net model (golden/stardist/<arch>), unpacked by the ctest fixture.
inline std::filesystem::path goldenStarDistCheckpoint(const std::string& arch)
{
    return std::filesystem::path(CELLVIT_TEST_UNPACK_DIR) / "stardist" / arch / "checkpoint.pth";
}
// Data rows for the golden models: a QString column "kind" with "vit_small" and "sam_small".
inline void addGoldenModelKinds()
{
    QTest::addColumn<QString>("kind");
    for (const char* kind : { "vit_small", "sam_small" })
        QTest::newRow(kind) << QString::fromLatin1(kind);
}
inline QString cliPath()
{
    return QStringLiteral(CELLVIT_CLI_PATH);
}

// The message of the E that `call` throws; empty when it throws none (other exceptions pass through).
template <typename E, typename Call> std::string thrownMessage(Call&& call)
{
    try {
        call();
    } catch (const E& e) {
        return e.what();
    }
    return {};
}

struct ProcessRun {
    int exitCode = -1; // -1: did not start, crashed or timed out (err then says why)
    QString out, err;
};

// Runs a program to completion and collects its exit code and output; `environment` replaces the inherited one.
inline ProcessRun runProgram(const QString& program, const QStringList& args, int timeoutMs = 600000,
    const QProcessEnvironment& environment = QProcessEnvironment::systemEnvironment())
{
    QProcess process;
    process.setProcessEnvironment(environment);
    process.start(program, args);
    if (!process.waitForFinished(timeoutMs))
        return { -1, {}, program + QStringLiteral(": ") + process.errorString() };
    ProcessRun run;
    run.out = QString::fromUtf8(process.readAllStandardOutput());
    run.err = QString::fromUtf8(process.readAllStandardError());
    if (process.exitStatus() == QProcess::NormalExit)
        run.exitCode = process.exitCode();
    return run;
}

// Runs the real cellvit-cli executable; args[0] is the subcommand.
inline ProcessRun runCli(const QStringList& args, int timeoutMs = 600000)
{
    return runProgram(cliPath(), args, timeoutMs);
}

// QSettings and standard paths of a GUI test in a test location of their own, never the user's.
inline void isolateSettings(const char* testName)
{
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(QStringLiteral("CellViT-tests"));
    QCoreApplication::setApplicationName(QString::fromLatin1(testName));
}

} // namespace cellvit::test

// Fails the current test function when a required file or folder is missing.
#define CELLVIT_REQUIRE_PATH(p)                                                                                        \
    do {                                                                                                               \
        if (!std::filesystem::exists(p))                                                                               \
            QFAIL(qPrintable(QStringLiteral("required test data missing: ") + QString::fromStdString((p).string())));  \
    } while (false)
