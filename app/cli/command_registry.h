#pragma once
// Subcommands of cellvit-cli register themselves here (one file per command).

#include <QStringList>

#include <functional>
#include <map>
#include <string>

namespace cellvit::cli {

struct Command {
    QString summary;                              // one line for `cellvit-cli --help`
    std::function<int(const QStringList&)> run;   // args[0] = "cellvit-cli <name>"; returns the exit code
};

std::map<QString, Command>& commandRegistry();

struct CommandRegistrar {
    CommandRegistrar(const QString& name, Command command) { commandRegistry().emplace(name, std::move(command)); }
};

// Exit codes shared by all commands.
constexpr int kExitOk = 0;
constexpr int kExitFailure = 1; // the work failed (bad file, bad data); message on stderr
constexpr int kExitUsage = 2;   // bad command line

// Prints "cellvit-cli: error: <message>" to stderr and returns kExitFailure.
int reportError(const QString& message);

} // namespace cellvit::cli
