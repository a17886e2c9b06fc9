#pragma once
// Load Embeddings: reads an n × D .npy matrix (embeddings.npy of a CLI run, float32 or float16) in the
// background and attaches it to the nuclei shown. The rows must match the nuclei in number (and order, which
// only the file's origin can vouch for); a file of another shape, or nuclei that changed while it was read,
// leave the current embeddings as they were.

#include <QObject>
#include <QString>

namespace cellvit {

class CellLayer;
class TaskManager;

class EmbeddingImportController : public QObject {
    Q_OBJECT
public:
    EmbeddingImportController(TaskManager* tasks, CellLayer* cells, QObject* parent = nullptr);

    void loadFile(const QString& path);

Q_SIGNALS:
    void loaded(const QString& path, qulonglong rows, int dim);
    void failed(const QString& path, const QString& message); // names the file and the problem

private:
    TaskManager* m_tasks;
    CellLayer* m_cells;
};

} // namespace cellvit
