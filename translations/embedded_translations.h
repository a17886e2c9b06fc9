#pragma once
// Where the compiled translations of cellvit-studio are embedded (Qt resources, see CMakeLists.txt).

#include <QString>
#include <QStringList>

namespace cellvit {

// Language codes with an embedded translation ("de", "fr"); English is the source language.
QStringList embeddedTranslationLanguages();
// Resource path of the .qm file for `language`, e.g. ":/i18n/cellvit_de.qm".
QString embeddedTranslationPath(const QString& language);

} // namespace cellvit
