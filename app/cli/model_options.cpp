#include "app/cli/model_options.h"

#include "model_zoo/model_catalog.h"

#include <stdexcept>

namespace cellvit::cli {

void addModelOptions(QCommandLineParser& parser)
{
    parser.addOption({ QStringLiteral("model"), QStringLiteral("Checkpoint (.pth in the official layout, or .safetensors) or the name "
                                                      "of a bundled model; default: the bundled default model (see "
                                                      "`cellvit-cli models`)."),
                       QStringLiteral("CKPT") });
    parser.addOption({ QStringLiteral("device"), QStringLiteral("auto (CUDA when available), cpu, cuda or cuda:N."),
                       QStringLiteral("DEVICE"), QStringLiteral("auto") });
    parser.addOption({ QStringLiteral("threads"), QStringLiteral("CPU threads (0 = every available CPU)."),
                       QStringLiteral("N"), QStringLiteral("0") });
    parser.addOption({ QStringLiteral("precision"), QStringLiteral("fp32, fp16 (CUDA) or bf16."),
                       QStringLiteral("P"), QStringLiteral("fp32") });
}

std::unique_ptr<CellVitModel> loadModelFromOptions(
    const QCommandLineParser& parser, const std::filesystem::path& file, bool forceFp16)
{
    InferenceOptions options;
    options.device = parser.value(QStringLiteral("device")).toStdString();
    bool ok = false;
    options.threads = parser.value(QStringLiteral("threads")).toInt(&ok);
    if (!ok || options.threads < 0)
        throw std::invalid_argument("--threads must be a non-negative integer");
    const QString precision = forceFp16 ? QStringLiteral("fp16") : parser.value(QStringLiteral("precision"));
    if (precision == QLatin1String("fp32"))
        options.precision = Precision::Float32;
    else if (precision == QLatin1String("fp16"))
        options.precision = Precision::Float16;
    else if (precision == QLatin1String("bf16"))
        options.precision = Precision::BFloat16;
    else
        throw std::invalid_argument("--precision must be fp32, fp16 or bf16");
    return CellVitModel::load(file, options);
}

std::filesystem::path resolveModelPath(const QCommandLineParser& parser)
{
    if (parser.isSet(QStringLiteral("model"))) {
        const std::filesystem::path given = parser.value(QStringLiteral("model")).toStdString();
        std::error_code ec;
        if (std::filesystem::exists(given, ec))
            return given;
        const auto bundled = findBundledModels(); // one scan of the model folders for the lookup and the error
        for (const auto& m : bundled) {
            if (m.name == given.string())
                return m.file;
        }
        // A bare name (no folder, no extension) is meant as a bundled model: say which ones there are.
        if (!given.has_parent_path() && !given.has_extension()) {
            std::string names;
            for (const auto& m : bundled)
                names += (names.empty() ? "" : ", ") + m.name;
            throw std::runtime_error("--model " + given.string() + ": no such checkpoint file and no bundled model of "
                                     "that name (bundled: " + (names.empty() ? std::string("none") : names)
                                     + "; see `cellvit-cli models`)");
        }
        return given; // the loader reports the missing file by name
    }
    if (const auto bundled = defaultBundledModel())
        return bundled->file;
    std::string folders;
    for (const auto& f : modelSearchFolders())
        folders += "\n  " + f.string();
    throw std::runtime_error(std::string("no model given and the default model '") + kDefaultModelName
                             + ".safetensors' was found in none of the model folders:" + folders
                             + "\nPass a checkpoint with --model CKPT, set CELLVIT_MODEL_DIR, or run the "
                               "weight-free detector with --engine classic.");
}

} // namespace cellvit::cli
