// `cellvit-cli convert IN OUT.safetensors [--half]`: rewrites a checkpoint as safetensors (weights, arch, config).
#include "app/cli/command_parser.h"
#include "app/cli/command_registry.h"
#include "model_zoo/checkpoint.h"
#include "model_zoo/safetensors.h"

#include <QCommandLineParser>
#include <QFileInfo>
#include <QTextStream>

namespace cellvit::cli {
namespace {

int runConvert(const QStringList& args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Converts a checkpoint (.pth or .safetensors) to .safetensors: "
                                                    "only arch, config and model weights are kept."));
    parser.addHelpOption();
    const QCommandLineOption half(
        QStringLiteral("half"), QStringLiteral("Store floating-point weights as float16 (half the size)."));
    parser.addOption(half);
    parser.addPositionalArgument(QStringLiteral("input"), QStringLiteral("Checkpoint to read."));
    parser.addPositionalArgument(QStringLiteral("output"), QStringLiteral("The .safetensors file to write."));
    if (const auto exitCode = parseCommandLine(parser, args))
        return *exitCode;
    const QStringList files = parser.positionalArguments();
    if (files.size() != 2)
        return reportUsageError(parser, args, QStringLiteral("expects an input and an output file"));
    if (!files[1].endsWith(QLatin1String(".safetensors")))
        return reportUsageError(parser, args, QStringLiteral("the output file must end in .safetensors"));
    if (QFileInfo(files[0]).absoluteFilePath() == QFileInfo(files[1]).absoluteFilePath())
        return reportError(QStringLiteral("input and output are the same file: ") + files[0]);

    const Checkpoint checkpoint = loadCheckpoint(files[0].toStdString());
    saveSafetensors(files[1].toStdString(), checkpoint, parser.isSet(half));
    QTextStream(stdout) << "wrote " << files[1] << ": " << QString::fromStdString(checkpoint.arch) << ", "
                        << checkpoint.stateDict.size() << " entries, " << parameterCount(checkpoint) << " parameters"
                        << (parser.isSet(half) ? " as float16" : "") << "\n";
    return kExitOk;
}

const CommandRegistrar registrar(QStringLiteral("convert"),
    { QStringLiteral("Convert a checkpoint to .safetensors (optionally float16)"), runConvert });

} // namespace
} // namespace cellvit::cli
