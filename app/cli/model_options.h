#pragma once
// --model/--device/--threads/--precision, shared by the commands that run the network.

#include "inference/model/cellvit_model.h"

#include <QCommandLineParser>

#include <filesystem>
#include <memory>

namespace cellvit::cli {

void addModelOptions(QCommandLineParser& parser);
// Loads `file` (from resolveModelPath) on the device, threads and precision the options give.
// Throws std::exception with a readable message on a bad option value or checkpoint.
// `forceFp16` (the --fp16 shorthand) overrides --precision.
std::unique_ptr<CellVitModel> loadModelFromOptions(
    const QCommandLineParser& parser, const std::filesystem::path& file, bool forceFp16 = false);

// --model (a checkpoint file, or else a bundled model's name), or else the default bundled model. Throws
// std::runtime_error naming the searched folders (and suggesting --model or --engine classic) when there is none,
// and listing the bundled models when --model is a bare name that is neither a file nor one of them.
std::filesystem::path resolveModelPath(const QCommandLineParser& parser);

} // namespace cellvit::cli
