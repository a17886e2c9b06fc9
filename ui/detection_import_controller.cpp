#include "ui/detection_import_controller.h"

#include "ui/file_error.h"
#include "ui/task_manager.h"
#include "viewer/cell_layer.h"
#include "viewer/detection_import.h"

namespace cellvit {

DetectionImportController::DetectionImportController(TaskManager* tasks, CellLayer* cells, QObject* parent)
    : QObject(parent)
    , m_tasks(tasks)
    , m_cells(cells)
{
}

void DetectionImportController::importFile(const QString& path, std::optional<double> micronsPerPixel)
{
    // The current taxonomy maps the file's class names back onto their ids (a file this app wrote).
    const CellTaxonomy current = m_cells->taxonomy();
    const quint64 generation = ++m_generation;
    ++m_pending;
    // The file's cells, prepared for the layer on the worker (index, matrix): the GUI thread only moves them in.
    struct Imported {
        DetectionImport file;
        PreparedCells cells;
    };
    auto done = [this, path, generation](Imported&& result) {
        --m_pending;
        if (generation != m_generation)
            return; // a newer import replaces this one
        const DetectionImport& file = result.file;
        const size_t count = result.cells.cells.size();
        if (count == 0) {
            QString message = tr("%1: no detections found (%n annotation(s) ignored); the nuclei shown are kept.",
                nullptr, int(file.annotationsSkipped))
                                  .arg(QDir::toNativeSeparators(path));
            if (!file.problems.isEmpty())
                message += QLatin1String("\n\n") + file.problems.join(QLatin1Char('\n'));
            Q_EMIT failed(path, message);
            return;
        }
        m_cells->setTaxonomy(file.taxonomy);
        m_cells->setCells(std::move(result.cells));
        Q_EMIT imported(path, count, file.annotationsSkipped, file.problems);
    };
    auto fail = [this, path, generation](const QString& error) {
        --m_pending;
        if (generation == m_generation)
            Q_EMIT failed(path, errorNamingFile(path, error));
    };
    m_tasks->run<Imported>(
        tr("Importing detections"), this,
        [path, current, micronsPerPixel](BackgroundTask&) {
            Imported result;
            result.file = importDetectionsGeoJson(path, current, micronsPerPixel);
            result.cells = CellLayer::prepare(std::move(result.file.cells));
            return result;
        },
        std::move(done), std::move(fail));
}

} // namespace cellvit
