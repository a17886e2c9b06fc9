#pragma once
// Error texts of file jobs (exports, imports): the user must see which file failed and why. Core errors usually
// name the file already; those that do not (a dtype mismatch, an exception from a library) get it prefixed.

#include <QDir>
#include <QFileInfo>
#include <QString>

namespace cellvit {

inline QString errorNamingFile(const QString& path, const QString& message)
{
    if (message.contains(QFileInfo(path).fileName()))
        return message;
    return QStringLiteral("%1: %2").arg(QDir::toNativeSeparators(path), message);
}

} // namespace cellvit
