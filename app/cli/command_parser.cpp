#include "app/cli/command_parser.h"

#include "app/cli/command_registry.h"

#include <QCoreApplication>
#include <QTextStream>

namespace cellvit::cli {

QString commandHelpText(const QCommandLineParser& parser, const QStringList& args)
{
    QString text = parser.helpText();
    // The usage line is the first place helpText() names the executable (the application's argv[0]).
    const QString executable = QCoreApplication::arguments().value(0);
    const qsizetype at = executable.isEmpty() ? -1 : text.indexOf(executable);
    if (at >= 0)
        text.replace(at, executable.size(), args.value(0));
    return text;
}

int reportUsageError(const QCommandLineParser& parser, const QStringList& args, const QString& message)
{
    QTextStream(stderr) << args.value(0) << ": error: " << message << "\n\n" << commandHelpText(parser, args);
    return kExitUsage;
}

std::optional<int> parseCommandLine(QCommandLineParser& parser, const QStringList& args)
{
    if (!parser.parse(args))
        return reportUsageError(parser, args, parser.errorText());
    if (parser.isSet(QStringLiteral("help"))) {
        QTextStream(stdout) << commandHelpText(parser, args);
        return kExitOk;
    }
    return std::nullopt;
}

} // namespace cellvit::cli
