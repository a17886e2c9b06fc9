#include "viewer/class_palette.h"

#include <QSettings>
#include <QStringList>
#include <algorithm>
#include <array>

namespace cellvit {
namespace {

// Bright hues, none blue or purple (haematoxylin) nor pink (eosin).
constexpr std::array<QRgb, 7> kSequence { 0xff00e650, 0xffffd700, 0xff00d2ff, 0xffff8c00, 0xffff4a3d, 0xffffffff,
    0xffb4ff00 };

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
    const QString n = QString::fromStdString(name).toLower();
    auto has = [&](const char* word) { return n.contains(QLatin1String(word)); };
    if (has("neoplas") || has("tumo"))
        return QColor(255, 74, 61); // red-orange
    if (has("inflam") || has("lymph") || has("immune"))
        return QColor(0, 230, 80); // green
    if (has("connect") || has("fibro") || has("strom"))
        return QColor(255, 215, 0); // yellow
    if (has("dead") || has("necro"))
        return QColor(0, 210, 255); // cyan
    if (has("epithel"))
        return QColor(255, 140, 0); // orange
    if (has("other") || has("unknown"))
        return QColor(255, 255, 255);
    return QColor::fromRgb(kSequence[size_t(std::max(0, typeId)) % kSequence.size()]);
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
