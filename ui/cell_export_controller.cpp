#include "ui/cell_export_controller.h"

#include "inference/export/geojson_writer.h"
#include "ui/file_error.h"
#include "ui/task_manager.h"
#include "viewer/cell_layer.h"

#include <QFile>
#include <algorithm>

namespace cellvit {

CellExportController::CellExportController(TaskManager* tasks, CellLayer* cells, QObject* parent)
    : QObject(parent)
    , m_tasks(tasks)
    , m_cells(cells)
{
}

std::vector<quint32> CellExportController::cellIdsIn(const std::vector<QPolygonF>& regions) const
{
    std::vector<quint32> ids;
    for (const QPolygonF& region : regions) {
        const auto inside = m_cells->cellsWithCentroidIn(region);
        ids.insert(ids.end(), inside.begin(), inside.end());
    }
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end()); // overlapping regions: each cell once
    return ids;
}

bool CellExportController::exportCells(
    const QString& path, const std::vector<QPolygonF>& regions, std::optional<double> micronsPerPixel)
{
    if (m_task) {
        Q_EMIT failed(path, errorNamingFile(path, tr("another export is still being written")));
        return false;
    }
    std::vector<SlideCell> cells;
    if (regions.empty()) {
        cells = m_cells->cells();
    } else {
        for (quint32 id : cellIdsIn(regions))
            cells.push_back(m_cells->cells()[id]);
    }
    if (cells.empty()) {
        Q_EMIT failed(path,
            errorNamingFile(path,
                regions.empty() ? tr("there are no nuclei to export") : tr("the selected regions hold no nuclei")));
        return false;
    }
    GeoJsonExportOptions options;
    options.taxonomy = m_cells->displayTaxonomy(); // QuPath shows the colours the overlay shows
    options.micronsPerPixel = micronsPerPixel;
    const std::filesystem::path target(QFile::encodeName(path).toStdString());
    BackgroundTask* task = m_tasks->run<ExportSummary>(
        tr("Exporting nuclei"), this,
        [target, cells = std::move(cells), options](BackgroundTask& self) {
            ExportControl control;
            control.cancelRequested = [&self] { return self.isCanceled(); };
            control.progress = [&self](size_t done, size_t all) {
                self.reportProgress(double(done) / double(std::max<size_t>(1, all)));
            };
            return writeCellsGeoJson(target, cells, options, control);
        },
        [this, path](ExportSummary&& summary) {
            m_task = nullptr; // ended: the next export may start from the handlers
            Q_EMIT finished(path, summary.written, summary.cancelled);
        },
        [this, path](const QString& error) {
            m_task = nullptr;
            Q_EMIT failed(path, errorNamingFile(path, error));
        });
    connect(task, &BackgroundTask::progressChanged, this, &CellExportController::progressChanged);
    m_task = task;
    return true;
}

void CellExportController::cancel()
{
    if (m_task)
        m_task->cancel();
}

} // namespace cellvit
