#pragma once
// The user-interface language: the system locale's by default, overridable in the settings (applied at the
// next start, since the widgets are translated once when built).

#include <QLocale>
#include <QString>
#include <QStringList>

class QCoreApplication;

namespace cellvit {

// QSettings key of the override; its values are kLanguageSystem or a code of selectableLanguages().
inline constexpr const char* kLanguageSettingKey = "ui/language";
inline constexpr const char* kLanguageSystem = "system";

// "en" (the source language) followed by the embedded translations ("de", "fr").
QStringList selectableLanguages();
// The stored override; kLanguageSystem when none (or an unknown value) is stored.
QString languageSetting();
void setLanguageSetting(const QString& language);
// The language to show: the override, or the first of the system's UI languages that we have, else "en".
QString effectiveLanguage(const QString& setting, const QLocale& system = QLocale::system());
// Installs on `app` our translation for `language` and Qt's own (qtbase_<language>.qm, standard dialogs)
// when Qt's is installed. "en" installs none. Returns whether our translation was loaded.
bool installTranslators(QCoreApplication& app, const QString& language);

} // namespace cellvit
