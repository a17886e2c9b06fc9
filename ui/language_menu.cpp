#include "ui/language_menu.h"

#include "ui/language_settings.h"

#include <QAction>
#include <QActionGroup>
#include <QCoreApplication>
#include <QLocale>
#include <QMenu>
#include <QMessageBox>

namespace cellvit {

// QCoreApplication::translate with the context spelled out: lupdate reads it as written.
namespace {

// Each language is named in itself, so that a user who cannot read the current one still finds theirs.
QString nativeName(const QString& language)
{
    return QLocale(language).nativeLanguageName();
}

} // namespace

QMenu* createLanguageMenu(QWidget* parent)
{
    auto* menu = new QMenu(QCoreApplication::translate("cellvit::LanguageMenu", "&Language"), parent);
    menu->setObjectName(QStringLiteral("languageMenu"));
    auto* group = new QActionGroup(menu);
    const QString current = languageSetting();
    QStringList choices { QString::fromLatin1(kLanguageSystem) };
    choices += selectableLanguages();
    for (const QString& language : choices) {
        const bool system = language == QLatin1String(kLanguageSystem);
        QAction* action = menu->addAction(
            system ? QCoreApplication::translate("cellvit::LanguageMenu", "&System Default") : nativeName(language));
        action->setObjectName(QStringLiteral("language_") + language);
        action->setCheckable(true);
        action->setChecked(language == current);
        group->addAction(action);
        QObject::connect(action, &QAction::triggered, menu, [parent, language] {
            if (language == languageSetting())
                return;
            setLanguageSetting(language);
            QMessageBox::information(parent, QCoreApplication::translate("cellvit::LanguageMenu", "Language"),
                QCoreApplication::translate(
                    "cellvit::LanguageMenu", "The new language is used the next time CellViT Studio starts."));
        });
    }
    return menu;
}

} // namespace cellvit
