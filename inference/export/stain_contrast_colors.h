#pragma once
// Class colours that read over H&E. The reference colour table (cell_classes.h) includes blues and purples that
// vanish on haematoxylin-stained nuclei; these are bright hues (red-orange, green, yellow, cyan, orange, white)
// that read on both the purple nuclei and the pink eosin. The desktop app shows them by default; the CLI exports
// them for every taxonomy other than PanNuke's.

#include "inference/export/cell_classes.h"

#include <string>

namespace cellvit {

// By the class's name where it is a common one (neoplastic, inflammatory, connective, dead, epithelial, others,
// ...), else by type id from a fixed sequence of the same hues.
Rgb stainContrastColor(const std::string& name, int typeId);

// The colours a QuPath export of `taxonomy` carries where it has none of its own: PanNuke's classes keep the
// reference colours (what the official code exports for the official checkpoints); any other taxonomy, whose ids
// the reference table was never made for, gets stainContrastColor for each class.
CellTaxonomy withExportColors(const CellTaxonomy& taxonomy);

} // namespace cellvit
