#include "ui/embedding_import_controller.h"

#include "inference/io/npy.h"
#include "ui/file_error.h"
#include "ui/task_manager.h"
#include "viewer/cell_layer.h"

#include <QFile>
#include <QFloat16>
#include <QStringList>
#include <exception>
#include <stdexcept>

namespace cellvit {
namespace {

struct EmbeddingMatrix {
    std::vector<float> values; // rows × dim
    int dim = 0;
    qint64 rows = 0;
};

// Worker thread: the matrix of `path`, which must have `rows` rows; throws naming the file and the shape.
EmbeddingMatrix readEmbeddingMatrix(const QString& path, qint64 rows)
{
    const NpyArray array = readNpy(std::filesystem::path(QFile::encodeName(path).toStdString()));
    if (array.shape.size() != 2 || array.shape[0] != rows || array.shape[1] <= 0) {
        QStringList dims;
        for (int64_t d : array.shape)
            dims << QString::number(d);
        throw std::runtime_error(QStringLiteral("%1: embeddings of shape (%2) for %3 nuclei; expected (%3, D)")
                                     .arg(QDir::toNativeSeparators(path), dims.join(QStringLiteral(", ")))
                                     .arg(rows)
                                     .toStdString());
    }
    EmbeddingMatrix matrix;
    if (array.dtype == "<f2") { // EmbeddingPrecision::Float16 of the CLI
        const auto* halves = reinterpret_cast<const qfloat16*>(array.bytes.data());
        matrix.values.resize(size_t(array.count()));
        for (size_t i = 0; i < matrix.values.size(); ++i)
            matrix.values[i] = float(halves[i]);
    } else {
        matrix.values = array.toVector<float>(); // throws for other dtypes
    }
    matrix.dim = int(array.shape[1]);
    matrix.rows = array.shape[0];
    return matrix;
}

} // namespace

EmbeddingImportController::EmbeddingImportController(TaskManager* tasks, CellLayer* cells, QObject* parent)
    : QObject(parent)
    , m_tasks(tasks)
    , m_cells(cells)
{
}

void EmbeddingImportController::loadFile(const QString& path)
{
    const quint64 revision = m_cells->contentRevision();
    const qint64 nuclei = qint64(m_cells->size());
    auto fail = [this, path](const QString& error) { Q_EMIT failed(path, errorNamingFile(path, error)); };
    auto done = [this, path, revision, fail](EmbeddingMatrix&& matrix) {
        if (m_cells->contentRevision() != revision || qint64(m_cells->size()) != matrix.rows) {
            fail(tr("%1: the nuclei changed while the embeddings were read; load them again.")
                     .arg(QDir::toNativeSeparators(path)));
            return;
        }
        try {
            m_cells->setEmbeddings(std::move(matrix.values), matrix.dim);
        } catch (const std::exception& e) {
            fail(QString::fromLocal8Bit(e.what()));
            return;
        }
        Q_EMIT loaded(path, qulonglong(matrix.rows), matrix.dim);
    };
    m_tasks->run<EmbeddingMatrix>(
        tr("Loading embeddings"), this, [path, nuclei](BackgroundTask&) { return readEmbeddingMatrix(path, nuclei); },
        std::move(done), std::move(fail));
}

} // namespace cellvit
