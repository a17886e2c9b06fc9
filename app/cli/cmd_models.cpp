// cellvit-cli models: the bundled models (model_zoo/model_catalog.h) and where they were looked for; the
// default one runs when `segment` is given no --model.
#include "app/cli/command_parser.h"
#include "app/cli/command_registry.h"
#include "model_zoo/model_catalog.h"

#include <QCommandLineParser>
#include <QTextStream>
#include <algorithm>
#include <filesystem>

namespace cellvit::cli {
namespace {

int runModels(const QStringList& args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Lists the bundled models (*.safetensors, *.pth) found in $CELLVIT_MODEL_DIR, ../share/cellvit-studio/"
        "models next to this program (in a build tree: a link to resources/models) and the install data folder, "
        "in that order (the first folder holding a name wins). `segment` without --model runs the default one."));
    parser.addHelpOption();
    if (const auto exitCode = parseCommandLine(parser, args))
        return *exitCode;
    if (!parser.positionalArguments().isEmpty())
        return reportUsageError(parser, args, QStringLiteral("models takes no arguments"));

    QTextStream out(stdout);
    out << "model folders (searched in this order):\n";
    for (const auto& folder : modelSearchFolders()) {
        std::error_code ec;
        out << "  " << QString::fromStdString(folder.string())
            << (std::filesystem::is_directory(folder, ec) ? "" : "  (missing)") << "\n";
    }
    const auto models = findBundledModels();
    if (models.empty()) {
        out << "no models found; the default model is " << kDefaultModelName
            << ".safetensors. Use --model CKPT or --engine classic with segment." << Qt::endl;
        return kExitOk;
    }
    out << "models:\n";
    for (const auto& m : models) {
        out << (m.isDefault ? "* " : "  ") << QString::fromStdString(m.name).leftJustified(24) << " "
            << QString::fromStdString(m.file.string()) << "\n";
        if (!m.summary.empty())
            out << "    " << QString::fromStdString(m.summary) << "\n";
    }
    if (std::none_of(models.begin(), models.end(), [](const BundledModel& m) { return m.isDefault; }))
        out << "the default model " << kDefaultModelName << " is not among them\n";
    else
        out << "(* = default, used by segment without --model)\n";
    out.flush();
    return kExitOk;
}

const CommandRegistrar registrar(
    QStringLiteral("models"), { QStringLiteral("List the bundled models and the default one"), runModels });

} // namespace
} // namespace cellvit::cli
