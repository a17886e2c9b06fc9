// `cellvit-cli inspect CKPT`: what a checkpoint contains and which network it describes.
#include "app/cli/command_parser.h"
#include "app/cli/command_registry.h"
#include "model_zoo/checkpoint.h"
#include "model_zoo/model_spec.h"

#include <QCommandLineParser>
#include <QTextStream>
#include <stdexcept>

namespace cellvit::cli {
namespace {

QString joined(const std::vector<int>& values)
{
    QStringList parts;
    for (int v : values)
        parts << QString::number(v);
    return parts.join(QStringLiteral(", "));
}

QString joined(const std::vector<std::string>& values)
{
    QStringList parts;
    for (const auto& v : values)
        parts << QString::fromStdString(v);
    return parts.join(QStringLiteral(", "));
}

void printRow(QTextStream& out, const char* label, const QString& value)
{
    out << QString::fromLatin1(label).leftJustified(20) << value << "\n";
}

void printSpec(QTextStream& out, const ModelSpec& spec)
{
    printRow(out, "backbone:", QString::fromStdString(spec.backbone));
    printRow(out,
        "encoder:", spec.encoder == EncoderKind::Sam ? QStringLiteral("SAM image encoder") : QStringLiteral("ViT"));
    printRow(out, "decoder:", QString::fromLatin1(decoderName(spec.decoder)));
    if (spec.isStarDistFamily())
        printRow(out, "rays:", QString::number(spec.nrays));
    printRow(out, "embed dim:", QString::number(spec.embedDim));
    printRow(out, "depth:", QString::number(spec.depth));
    printRow(out, "heads:", QString::number(spec.numHeads));
    printRow(out, "extract layers:", joined(spec.extractLayers));
    if (spec.encoder == EncoderKind::Sam) {
        printRow(out, "window size:", QString::number(spec.windowSize));
        printRow(out, "global attention:", joined(spec.globalAttnIndexes));
    }
    printRow(
        out, "nuclei classes:", QStringLiteral("%1 (%2)").arg(spec.numNucleiClasses).arg(joined(spec.nucleiTypeNames)));
    printRow(out, "tissue classes:", QString::number(spec.numTissueClasses));
    printRow(
        out, "magnification:", QStringLiteral("%1x (target %2 µm/px)").arg(spec.magnification).arg(spec.targetMpp()));
    printRow(out, "mixed precision:", spec.mixedPrecision ? QStringLiteral("yes") : QStringLiteral("no"));
}

int runInspect(const QStringList& args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Shows the architecture, config and weights of a checkpoint "
                                                    "(.pth or .safetensors)."));
    parser.addHelpOption();
    parser.addPositionalArgument(QStringLiteral("checkpoint"), QStringLiteral("Checkpoint file to inspect."));
    if (const auto exitCode = parseCommandLine(parser, args))
        return *exitCode;
    if (parser.positionalArguments().size() != 1)
        return reportUsageError(parser, args, QStringLiteral("expects exactly one checkpoint file"));

    const QString path = parser.positionalArguments().constFirst();
    const Checkpoint checkpoint = loadCheckpoint(path.toStdString());
    QTextStream out(stdout);
    printRow(out, "file:", path);
    printRow(out, "arch:", QString::fromStdString(checkpoint.arch));
    int status = kExitOk;
    try {
        printSpec(out, modelSpecFromConfig(checkpoint.arch, checkpoint.config));
    } catch (const std::invalid_argument& e) {
        status = reportError(path + QStringLiteral(": cannot derive the network: ") + QString::fromUtf8(e.what()));
    }
    const int64_t parameters = parameterCount(checkpoint);
    printRow(out, "parameters:", QStringLiteral("%1 (%2 M)").arg(parameters).arg(parameters / 1e6, 0, 'f', 2));
    printRow(out, "dtypes:", QString::fromStdString(stateDictDtypes(checkpoint)));
    printRow(out, "state-dict entries:", QString::number(checkpoint.stateDict.size()));
    return status;
}

const CommandRegistrar registrar(QStringLiteral("inspect"),
    { QStringLiteral("Show the architecture, config and weights of a checkpoint"), runInspect });

} // namespace
} // namespace cellvit::cli
