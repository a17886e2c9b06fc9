#pragma once
// Import QuPath Detections: reads a GeoJSON file of detections in the background and, when it holds any, shows
// them as the nuclei (replacing the current ones, with the file's classes and colours). A file that cannot be
// read, is not GeoJSON or holds no detections leaves the current nuclei as they were.

#include <QObject>
#include <QString>
#include <QStringList>
#include <optional>

namespace cellvit {

class CellLayer;
class TaskManager;

class DetectionImportController : public QObject {
    Q_OBJECT
public:
    DetectionImportController(TaskManager* tasks, CellLayer* cells, QObject* parent = nullptr);

    // Starts reading `path`; with the slide's resolution the "Centroid X/Y µm" measurements give the centroids.
    // An import started later supersedes this one: only the newest file is shown.
    void importFile(const QString& path, std::optional<double> micronsPerPixel);
    bool isImporting() const { return m_pending > 0; }

Q_SIGNALS:
    // The file's detections are on the layer; `problems` lists the features that were skipped (empty: none).
    void imported(const QString& path, qulonglong count, qulonglong annotationsSkipped, const QStringList& problems);
    void failed(const QString& path, const QString& message); // names the file and the problem

private:
    TaskManager* m_tasks;
    CellLayer* m_cells;
    quint64 m_generation = 0;
    int m_pending = 0;
};

} // namespace cellvit
