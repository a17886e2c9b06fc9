#include "ui/language_settings.h"

#include "translations/embedded_translations.h"

#include <QCoreApplication>
#include <QLibraryInfo>
#include <QSettings>
#include <QTranslator>
#include <memory>

namespace cellvit {

QStringList selectableLanguages()
{
    return QStringList { QStringLiteral("en") } + embeddedTranslationLanguages();
}

QString languageSetting()
{
    const QString stored = QSettings().value(QLatin1String(kLanguageSettingKey)).toString();
    return selectableLanguages().contains(stored) ? stored : QString::fromLatin1(kLanguageSystem);
}

void setLanguageSetting(const QString& language)
{
    QSettings().setValue(QLatin1String(kLanguageSettingKey),
        selectableLanguages().contains(language) ? language : QString::fromLatin1(kLanguageSystem));
}

QString effectiveLanguage(const QString& setting, const QLocale& system)
{
    const QStringList available = selectableLanguages();
    if (available.contains(setting))
        return setting;
    // uiLanguages() lists e.g. "de-AT", "de", "en-US" in the user's order of preference.
    for (const QString& tag : system.uiLanguages()) {
        const QString language = QLocale(tag).name().section(QLatin1Char('_'), 0, 0);
        if (available.contains(language))
            return language;
    }
    return QStringLiteral("en");
}

bool installTranslators(QCoreApplication& app, const QString& language)
{
    if (!embeddedTranslationLanguages().contains(language))
        return false;
    // Installed translators are handed to the application (Qt parent), which keeps them for its lifetime.
    auto install = [&app](std::unique_ptr<QTranslator> translator) {
        translator->setParent(&app);
        return QCoreApplication::installTranslator(translator.release());
    };
    auto qtTranslator = std::make_unique<QTranslator>();
    // Qt's own translations are optional (Debian: qt6-translations-l10n).
    if (qtTranslator->load(QStringLiteral("qtbase_") + language, QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
        install(std::move(qtTranslator));
    auto ours = std::make_unique<QTranslator>();
    return ours->load(embeddedTranslationPath(language)) && install(std::move(ours));
}

} // namespace cellvit
