#pragma once
// Display colours of nucleus classes over H&E. The checkpoints' reference colours include blues and purples that
// vanish on haematoxylin-stained nuclei; these defaults are bright hues (red-orange, green, yellow, cyan, orange,
// white) that read on both the purple nuclei and the pink eosin, outlined with a dark halo (cell_overlay_painter).
// Colours the user picks are remembered per taxonomy (QSettings "overlay/colors/<class names>/<id>").

#include "inference/export/cell_classes.h"

#include <QColor>
#include <QString>
#include <map>
#include <string>

namespace cellvit {

// The default colour for a class: by its name where it is a common one (neoplastic, inflammatory, connective,
// dead, epithelial, others, ...), else by type id from a fixed sequence of the same bright hues.
QColor defaultClassColor(const std::string& name, int typeId);

// The colours a layer shows for `taxonomy`: remembered user colours, else the taxonomy's own colour where it
// carries one (a GeoJSON file's classification.color), else the default.
std::map<int, QColor> displayPalette(const CellTaxonomy& taxonomy);
void rememberClassColor(const CellTaxonomy& taxonomy, int typeId, const QColor& color);

// The halo drawn around an outline of `color`: dark around light colours, light around dark ones.
QColor haloColor(const QColor& color);

} // namespace cellvit
