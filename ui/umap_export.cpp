#include "ui/umap_export.h"

#include "ui/scatter_plot.h"
#include "viewer/cell_layer.h"

#include <QFile>
#include <QPainter>
#include <QSaveFile>
#include <QSvgGenerator>
#include <QTextStream>
#include <stdexcept>

namespace cellvit {

namespace {

[[noreturn]] void fail(const QString& path, const QString& problem)
{
    throw std::runtime_error(QStringLiteral("%1: %2").arg(path, problem).toStdString());
}

QString csvField(QString text)
{
    if (text.contains(QLatin1Char(',')) || text.contains(QLatin1Char('"')))
        text = QLatin1Char('"') + text.replace(QLatin1Char('"'), QStringLiteral("\"\"")) + QLatin1Char('"');
    return text;
}

} // namespace

void writeUmapCsv(const QString& path, const CellLayer& layer, const std::vector<quint32>& cellIds,
    const std::vector<float>& coordinates)
{
    if (coordinates.size() != cellIds.size() * 2)
        fail(path, QStringLiteral("%1 coordinates for %2 cells").arg(coordinates.size()).arg(cellIds.size()));
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Text))
        fail(path, file.errorString());
    QTextStream out(&file);
    out << "cell_id,centroid_x,centroid_y,class,umap_1,umap_2\n";
    for (size_t i = 0; i < cellIds.size(); ++i) {
        const quint32 id = cellIds[i];
        if (id >= layer.size())
            fail(path, QStringLiteral("cell %1 is not in the layer").arg(id));
        const SlideCell& cell = layer.cells()[id];
        // %.9g keeps every float exactly (round trip).
        out << id << ',' << QString::number(cell.centroid.x, 'g', 12) << ','
            << QString::number(cell.centroid.y, 'g', 12) << ',' << csvField(layer.className(cell.type)) << ','
            << QString::number(double(coordinates[2 * i]), 'g', 9) << ','
            << QString::number(double(coordinates[2 * i + 1]), 'g', 9) << '\n';
    }
    out.flush();
    if (out.status() != QTextStream::Ok || !file.commit())
        fail(path, file.errorString());
}

void writePlotPng(const QString& path, const ScatterPlot& plot, int width, int height)
{
    const QImage image = plot.renderImage(QSize(width, height));
    if (!image.save(path, "PNG"))
        fail(path, QStringLiteral("the PNG could not be written"));
}

void writePlotSvg(const QString& path, const ScatterPlot& plot, int width, int height, const QString& title)
{
    {
        QFile probe(path); // QSvgGenerator reports no errors: check that the file can be written first
        if (!probe.open(QIODevice::WriteOnly))
            fail(path, probe.errorString());
    }
    QSvgGenerator svg;
    svg.setFileName(path);
    svg.setSize(QSize(width, height));
    svg.setViewBox(QRect(0, 0, width, height));
    svg.setTitle(title);
    QPainter painter;
    if (!painter.begin(&svg))
        fail(path, QStringLiteral("the SVG could not be written"));
    plot.paintVector(painter, QSize(width, height));
    painter.end();
}

} // namespace cellvit
