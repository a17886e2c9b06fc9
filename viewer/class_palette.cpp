#include "viewer/class_palette.h"

#include "inference/export/stain_contrast_colors.h"

#include <QSettings>
#include <QStringList>

namespace cellvit {
namespace {

QString settingsGroup(const CellTaxonomy& taxonomy)
{
    QStringList names;
    for (const auto& [id, name] : taxonomy.typeNames())
        names << QStringLiteral("%1=%2").arg(id).arg(QString::fromStdString(name));
    // One group per taxonomy; '/' would nest groups, so it is replaced.
    return QStringLiteral("overlay/colors/") + names.join(QLatin1Char(',')).replace(QLatin1Char('/'), QLatin1Char('_'));
}

} // namespace

QColor defaultClassColor(const std::string& name, int typeId)
{
    const Rgb c = stainContrastColor(name, typeId);
    return QColor(c[0], c[1], c[2]);
}

std::map<int, QColor> displayPalette(const CellTaxonomy& taxonomy)
{
    std::map<int, QColor> palette;
    QSettings settings;
    settings.beginGroup(settingsGroup(taxonomy));
    for (const auto& [id, name] : taxonomy.typeNames()) {
        const QColor remembered(settings.value(QString::number(id)).toString());
        if (remembered.isValid()) {
            palette[id] = remembered;
        } else if (const auto own = taxonomy.colors().find(id); own != taxonomy.colors().end()) {
            palette[id] = QColor(own->second[0], own->second[1], own->second[2]);
        } else {
            palette[id] = defaultClassColor(name, id);
        }
    }
    return palette;
}

void rememberClassColor(const CellTaxonomy& taxonomy, int typeId, const QColor& color)
{
    QSettings settings;
    settings.beginGroup(settingsGroup(taxonomy));
    settings.setValue(QString::number(typeId), color.name());
}

QColor haloColor(const QColor& color)
{
    const double luminance = 0.2126 * color.redF() + 0.7152 * color.greenF() + 0.0722 * color.blueF();
    return luminance > 0.35 ? QColor(0, 0, 0, 190) : QColor(255, 255, 255, 210);
}

} // namespace cellvit
