#include "translations/embedded_translations.h"

namespace cellvit {

QStringList embeddedTranslationLanguages()
{
    return { QStringLiteral("de"), QStringLiteral("fr") };
}

QString embeddedTranslationPath(const QString& language)
{
    return QStringLiteral(":/i18n/cellvit_%1.qm").arg(language);
}

} // namespace cellvit
