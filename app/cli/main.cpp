// cellvit-cli: the headless front end of the CellViT core.
#include "app/cli/command_registry.h"

#include <QCoreApplication>
#include <QTextStream>

#include <exception>

namespace cellvit::cli {

std::map<QString, Command>& commandRegistry()
{
    static std::map<QString, Command> registry;
    return registry;
}

int reportError(const QString& message)
{
    QTextStream(stderr) << "cellvit-cli: error: " << message << Qt::endl;
    return kExitFailure;
}

} // namespace cellvit::cli

namespace {

void printUsage(QTextStream& out)
{
    out << "Usage: cellvit-cli <command> [options]\n\nCommands:\n";
    for (const auto& [name, command] : cellvit::cli::commandRegistry())
        out << "  " << name.leftJustified(14) << command.summary << "\n";
    out << "\nRun 'cellvit-cli <command> --help' for the options of a command.\n";
}

} // namespace

int main(int argc, char* argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("cellvit-cli"));
    QCoreApplication::setApplicationVersion(QStringLiteral(CELLVIT_VERSION));

    const QStringList args = QCoreApplication::arguments();
    QTextStream out(stdout);
    if (args.size() < 2 || args[1] == QLatin1String("--help") || args[1] == QLatin1String("-h")) {
        printUsage(out);
        return args.size() < 2 ? cellvit::cli::kExitUsage : cellvit::cli::kExitOk;
    }
    if (args[1] == QLatin1String("--version")) {
        out << "cellvit-cli " << CELLVIT_VERSION << Qt::endl;
        return cellvit::cli::kExitOk;
    }
    const auto& registry = cellvit::cli::commandRegistry();
    const auto it = registry.find(args[1]);
    if (it == registry.end()) {
        QTextStream(stderr) << "cellvit-cli: unknown command '" << args[1] << "'\n";
        printUsage(out);
        return cellvit::cli::kExitUsage;
    }
    QStringList commandArgs = args.mid(2);
    commandArgs.prepend(QStringLiteral("cellvit-cli ") + args[1]);
    try {
        return it->second.run(commandArgs);
    } catch (const std::exception& e) {
        return cellvit::cli::reportError(QString::fromStdString(e.what()));
    }
}
