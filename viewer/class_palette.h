#pragma once
// Display colours of nucleus classes over H&E: by default stainContrastColor (bright hues that read on haematoxylin
// and eosin), outlined with a dark halo (cell_overlay_painter).
// Colours the user picks are remembered per taxonomy (QSettings "overlay/colors/<class names>/<id>").

#include "inference/export/cell_classes.h"

#include <QColor>
#include <QString>
#include <map>
#include <string>

namespace cellvit {

// The default colour for a class: stainContrastColor.
QColor defaultClassColor(const std::string& name, int typeId);

// The colours a layer shows for `taxonomy`: remembered user colours, else the taxonomy's own colour where it
// carries one (a GeoJSON file's classification.color), else the default.
std::map<int, QColor> displayPalette(const CellTaxonomy& taxonomy);
void rememberClassColor(const CellTaxonomy& taxonomy, int typeId, const QColor& color);

// The halo drawn around an outline of `color`: dark around light colours, light around dark ones.
QColor haloColor(const QColor& color);

} // namespace cellvit
