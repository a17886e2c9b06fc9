#pragma once
// `cellvit-cli evaluate` of several named prediction folders (DIR/<name>) against DIR/gt, as the CLI tests that
// compare two engines or settings on the same annotation use it.
#include "test_support.h"

#include <QDir>
#include <QFile>
#include <nlohmann/json.hpp>

#include <utility>

namespace cellvit::test {

// The parsed DIR/scores.json (one entry per name, in order) and an empty error, or an error text naming what failed.
// The report is logged, so a failing comparison shows every score.
inline std::pair<nlohmann::json, QString> evaluateNamedPredictions(
    const QDir& dir, const QStringList& names, int magnification)
{
    const QString json = dir.filePath(QStringLiteral("scores.json"));
    QStringList args { QStringLiteral("evaluate") };
    for (const QString& name : names)
        args << QStringLiteral("--pred") << name + QLatin1Char('=') + dir.filePath(name);
    args << QStringLiteral("--gt") << dir.filePath(QStringLiteral("gt")) << QStringLiteral("--magnification")
         << QString::number(magnification) << QStringLiteral("--json") << json;
    const ProcessRun eval = runProgram(cliPath(), args, 600000);
    if (eval.exitCode != 0)
        return { {}, QStringLiteral("evaluate failed: ") + eval.err };
    qInfo("%s", qPrintable(eval.out));
    QFile file(json);
    if (!file.open(QIODevice::ReadOnly))
        return { {}, QStringLiteral("evaluate wrote no ") + json };
    auto scores = nlohmann::json::parse(file.readAll().toStdString());
    if (scores.size() != size_t(names.size()))
        return { {}, QStringLiteral("evaluate scored %1 predictions, not %2").arg(scores.size()).arg(names.size()) };
    return { std::move(scores), QString() };
}

} // namespace cellvit::test
