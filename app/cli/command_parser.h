#pragma once
// QCommandLineParser handling shared by every subcommand: parsing, --help and usage errors (exit code 2).
// `args` is what a command receives: args[0] = "cellvit-cli <name>", then its own arguments.

#include <QCommandLineParser>
#include <QStringList>
#include <optional>

namespace cellvit::cli {

// helpText() names the executable; this names "cellvit-cli <name>" instead.
QString commandHelpText(const QCommandLineParser& parser, const QStringList& args);

// Prints "cellvit-cli <name>: error: <message>" and the help text to stderr; returns kExitUsage.
int reportUsageError(const QCommandLineParser& parser, const QStringList& args, const QString& message);

// Parses args and handles --help (the parser must have addHelpOption()). Returns the exit code when the command
// is already done (help printed: kExitOk; bad command line reported: kExitUsage), std::nullopt when it should run.
std::optional<int> parseCommandLine(QCommandLineParser& parser, const QStringList& args);

} // namespace cellvit::cli
