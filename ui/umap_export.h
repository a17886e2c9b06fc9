#pragma once
// Files from the embedding plot: the layout as CSV (one row per cell, with its id, so it can be joined with
// the exported nuclei), and the plot as PNG or SVG.

#include <QString>
#include <QtGlobal>
#include <vector>

namespace cellvit {

class CellLayer;
class ScatterPlot;

// Header "cell_id,centroid_x,centroid_y,class,umap_1,umap_2"; coordinates: cellIds.size() × 2.
// Throws std::runtime_error naming the file when it cannot be written or the sizes differ.
void writeUmapCsv(const QString& path, const CellLayer& layer, const std::vector<quint32>& cellIds,
    const std::vector<float>& coordinates);
// The plot at `width` × `height` (its current view); throws std::runtime_error naming the file on failure.
void writePlotPng(const QString& path, const ScatterPlot& plot, int width, int height);
void writePlotSvg(const QString& path, const ScatterPlot& plot, int width, int height, const QString& title);

} // namespace cellvit
