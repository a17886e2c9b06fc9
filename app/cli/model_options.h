#pragma once
// --model/--device/--threads/--precision, shared by the commands that run the network.

#include "inference/model/cellvit_model.h"

#include <QCommandLineParser>

#include <memory>

namespace cellvit::cli {

void addModelOptions(QCommandLineParser& parser);
// Throws std::exception with a readable message on a bad option value or checkpoint.
// `forceFp16` (the --fp16 shorthand) overrides --precision.
std::unique_ptr<CellVitModel> loadModelFromOptions(const QCommandLineParser& parser, bool forceFp16 = false);

} // namespace cellvit::cli
