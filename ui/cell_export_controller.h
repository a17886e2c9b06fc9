#pragma once
// Writes the nuclei on the layer (all, or those centred in given regions) as QuPath GeoJSON in the background.
// The cells are copied when the export starts, so later edits of the layer do not change the file being written;
// the window only adds a progress dialog and shows the outcome.

#include <QObject>
#include <QPointer>
#include <QPolygonF>
#include <QString>
#include <optional>
#include <vector>

namespace cellvit {

class BackgroundTask;
class CellLayer;
class TaskManager;

class CellExportController : public QObject {
    Q_OBJECT
public:
    CellExportController(TaskManager* tasks, CellLayer* cells, QObject* parent = nullptr);

    // Starts writing `path` (.geojson or .geojson.gz): the cells whose centroid lies in one of `regions` (each
    // once), or all cells when `regions` is empty; µm measurements when `micronsPerPixel` is known. One export at
    // a time (its progress and cancel are this object's): false after failed() when another is still being
    // written or there is nothing to export.
    bool exportCells(const QString& path, const std::vector<QPolygonF>& regions, std::optional<double> micronsPerPixel);
    bool isExporting() const { return !m_task.isNull(); }

public Q_SLOTS:
    void cancel();

Q_SIGNALS:
    void progressChanged(double fraction);
    // GUI thread, after the file is complete (or, when cancelled, removed: nothing replaces the target early).
    void finished(const QString& path, qulonglong written, bool cancelled);
    void failed(const QString& path, const QString& message); // names the file and the problem

private:
    std::vector<quint32> cellIdsIn(const std::vector<QPolygonF>& regions) const;

    TaskManager* m_tasks;
    CellLayer* m_cells;
    QPointer<BackgroundTask> m_task;
};

} // namespace cellvit
