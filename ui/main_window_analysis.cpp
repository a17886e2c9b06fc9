// MainWindow: running the model (background task → cells on the overlay), cell export and detection import.
#include "inference/export/geojson_writer.h"
#include "inference/slide/slide_source.h"
#include "ui/inference_task.h"
#include "ui/loaded_model.h"
#include "ui/main_window.h"
#include "ui/model_panel.h"
#include "viewer/cell_layer.h"
#include "viewer/detection_import.h"
#include "viewer/region_editor.h"
#include "viewer/region_store.h"
#include "viewer/slide_view.h"

#include <QAction>
#include <QDir>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QFutureWatcher>
#include <QMenu>
#include <QPointer>
#include <QProgressDialog>
#include <QStatusBar>
#include <QtConcurrent/QtConcurrentRun>
#include <algorithm>
#include <atomic>
#include <set>

namespace cellvit {

void MainWindow::createAnalysisMenu(QMenu* regions, QMenu* analysis)
{
    regions->addAction(tr("&Import Regions (GeoJSON)…"), this, &MainWindow::showImportRegionsDialog);
    regions->addAction(tr("&Export Regions (GeoJSON)…"), this, &MainWindow::showExportRegionsDialog);
    regions->addSeparator();
    QAction* remove = regions->addAction(tr("&Delete Selected Regions"), m_regionEditor, &RegionEditor::deleteSelected);
    remove->setShortcut(QKeySequence::Delete);
    remove->setShortcutContext(Qt::WidgetWithChildrenShortcut); // only where the view has focus
    m_view->addAction(remove);

    analysis->addAction(tr("&Open Checkpoint…"), m_modelPanel, &ModelPanel::showOpenDialog);
    analysis->addAction(tr("Run on &Selected Regions"), this, &MainWindow::runOnSelectedRegions);
    analysis->addAction(tr("Run on &Whole Slide"), this, &MainWindow::runOnWholeSlide);
    analysis->addAction(tr("&Cancel Run"), m_task, &InferenceTask::cancel);
    analysis->addSeparator();
    analysis->addAction(tr("&Export Nuclei (GeoJSON)…"), this, &MainWindow::showExportCellsDialog);
    analysis->addAction(tr("&Import QuPath Detections…"), this, &MainWindow::showImportDetectionsDialog);

    connect(m_task, &InferenceTask::finished, this, &MainWindow::onRunFinished);
    connect(m_task, &InferenceTask::failed, this, &MainWindow::onRunFailed);
}

bool MainWindow::runOnSelectedRegions()
{
    std::vector<QPolygonF> outlines;
    for (quint64 id : m_regionEditor->selectedIds())
        if (const Region* region = m_regions->find(id))
            outlines.push_back(region->polygon);
    if (outlines.empty()) {
        m_modelPanel->showError(tr("Select one or more regions first, or run on the whole slide."));
        return false;
    }
    return startRun(std::move(outlines));
}

bool MainWindow::runOnWholeSlide()
{
    return startRun({});
}

bool MainWindow::startRun(std::vector<QPolygonF> outlines)
{
    if (!m_view->hasSlide()) {
        m_modelPanel->showError(tr("Open a slide first."));
        return false;
    }
    if (!m_modelPanel->model()) {
        m_modelPanel->showError(tr("Open a checkpoint first."));
        return false;
    }
    if (!m_task->start(m_view->slide(), m_modelPanel->model(), std::move(outlines)))
        return false;
    statusBar()->showMessage(tr("Segmenting nuclei…"));
    return true;
}

void MainWindow::onRunFinished(bool complete)
{
    std::vector<SlideCell> cells = m_task->takeCells();
    if (m_task->slide() != m_view->slide())
        return; // a run on a slide that is no longer open
    m_cells->setTaxonomy(m_modelPanel->model() ? m_modelPanel->model()->taxonomy() : CellTaxonomy::panNuke());
    const size_t found = cells.size();
    if (!complete) {
        // Only the patches that finished (those with cells) replace earlier results; the rest of the
        // region keeps what it had.
        std::vector<QPolygonF> done;
        std::set<std::pair<double, double>> origins;
        for (const SlideCell& cell : cells)
            origins.insert({ cell.patchOrigin.x, cell.patchOrigin.y });
        const double side = m_task->outcome().patchSizeLevel0;
        for (const auto& [x, y] : origins) {
            const QPolygonF patch(QRectF(x, y, side, side));
            if (m_task->regions().empty())
                done.push_back(patch);
            for (const QPolygonF& region : m_task->regions())
                if (const QPolygonF part = region.intersected(patch); part.size() >= 3)
                    done.push_back(part);
        }
        if (!done.empty())
            m_cells->replaceCellsIn(done, std::move(cells));
    } else if (m_task->regions().empty()) {
        const double w = double(m_view->pyramid().width()), h = double(m_view->pyramid().height());
        m_cells->setCells(std::move(cells), { QPolygonF(QRectF(0, 0, w, h)) });
    } else {
        m_cells->replaceCellsIn(m_task->regions(), std::move(cells));
    }
    statusBar()->showMessage(complete ? tr("Segmentation finished: %n nuclei", nullptr, int(found))
                                      : tr("Segmentation cancelled: %n nuclei kept", nullptr, int(found)),
        8000);
}

void MainWindow::onRunFailed(const QString& message)
{
    statusBar()->showMessage(tr("Segmentation failed: %1").arg(message), 8000); // the panel shows the details
}

bool MainWindow::exportCells(const QString& path, bool selectedRegionsOnly)
{
    std::vector<SlideCell> cells;
    if (selectedRegionsOnly) {
        std::vector<quint32> ids;
        for (quint64 id : m_regionEditor->selectedIds())
            if (const Region* region = m_regions->find(id)) {
                const auto inside = m_cells->cellsWithCentroidIn(region->polygon);
                ids.insert(ids.end(), inside.begin(), inside.end());
            }
        std::sort(ids.begin(), ids.end());
        ids.erase(std::unique(ids.begin(), ids.end()), ids.end()); // overlapping regions: each cell once
        for (quint32 id : ids)
            cells.push_back(m_cells->cells()[id]);
    } else {
        cells = m_cells->cells();
    }
    if (cells.empty()) {
        m_reportError(this, tr("Nothing to export"),
            selectedRegionsOnly ? tr("The selected regions hold no nuclei.") : tr("There are no nuclei to export."));
        return false;
    }
    GeoJsonExportOptions options;
    options.taxonomy = m_cells->taxonomy();
    if (m_view->hasSlide())
        options.micronsPerPixel = m_view->micrometresPerPixel();

    auto* dialog = new QProgressDialog(
        tr("Exporting %n nuclei…", nullptr, int(cells.size())), tr("Cancel"), 0, int(cells.size()), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setWindowModality(Qt::WindowModal);
    dialog->setMinimumDuration(300);
    auto cancel = std::make_shared<std::atomic<bool>>(false);
    connect(dialog, &QProgressDialog::canceled, this, [cancel] { cancel->store(true); });

    struct Outcome {
        ExportSummary summary;
        QString error;
    };
    QPointer<QProgressDialog> progressDialog(dialog);
    ExportControl control;
    control.cancelRequested = [cancel] { return cancel->load(); };
    control.progress = [progressDialog](size_t done, size_t) {
        QMetaObject::invokeMethod(
            progressDialog.data(),
            [progressDialog, done] {
                if (progressDialog)
                    progressDialog->setValue(int(done));
            },
            Qt::QueuedConnection);
    };
    const std::filesystem::path target(QFile::encodeName(path).toStdString());
    auto* watcher = new QFutureWatcher<Outcome>(this);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, progressDialog, path] {
        const Outcome outcome = watcher->result();
        watcher->deleteLater();
        if (progressDialog)
            progressDialog->close();
        if (!outcome.error.isEmpty())
            m_reportError(this, tr("Cannot export nuclei"), outcome.error);
        else if (!outcome.summary.cancelled)
            statusBar()->showMessage(tr("Exported %n nuclei to %1", nullptr, int(outcome.summary.written))
                                         .arg(QDir::toNativeSeparators(path)),
                8000);
        Q_EMIT cellExportFinished(path, outcome.summary.written,
            outcome.summary.cancelled && outcome.error.isEmpty() ? tr("cancelled") : outcome.error);
    });
    watcher->setFuture(QtConcurrent::run([target, cells = std::move(cells), options, control] {
        Outcome outcome;
        try {
            outcome.summary = writeCellsGeoJson(target, cells, options, control);
        } catch (const std::exception& e) {
            outcome.error = QString::fromLocal8Bit(e.what());
        }
        return outcome;
    }));
    return true;
}

bool MainWindow::importDetections(const QString& path)
{
    DetectionImport imported;
    try {
        imported = importDetectionsGeoJson(
            path, m_cells->taxonomy(), m_view->hasSlide() ? m_view->micrometresPerPixel() : std::nullopt);
    } catch (const std::exception& e) {
        m_reportError(this, tr("Cannot import detections"), QString::fromLocal8Bit(e.what()));
        return false;
    }
    const size_t count = imported.cells.size();
    if (count > 0) {
        m_cells->setTaxonomy(imported.taxonomy);
        m_cells->setCells(std::move(imported.cells));
    }
    statusBar()->showMessage(tr("Imported %n detection(s)", nullptr, int(count)), 8000);
    if (!imported.problems.isEmpty() || count == 0)
        m_reportError(this, tr("Some features were not imported"),
            tr("%1: %n detection(s) imported, %2 annotation(s) ignored.\n\n%3", nullptr, int(count))
                .arg(QDir::toNativeSeparators(path))
                .arg(imported.annotationsSkipped)
                .arg(imported.problems.join(QLatin1Char('\n'))));
    return count > 0;
}

void MainWindow::showExportCellsDialog()
{
    const bool selected = !m_regionEditor->selectedIds().empty();
    const QString path = QFileDialog::getSaveFileName(this,
        selected ? tr("Export Nuclei of the Selected Regions") : tr("Export All Nuclei"), dialogFolder(),
        tr("GeoJSON (*.geojson);;Compressed GeoJSON (*.geojson.gz)"));
    if (!path.isEmpty())
        exportCells(path, selected);
}

void MainWindow::showImportDetectionsDialog()
{
    const QString path = QFileDialog::getOpenFileName(this, tr("Import QuPath Detections"), dialogFolder(),
        tr("GeoJSON (*.geojson *.json *.geojson.gz *.json.gz);;All files (*)"));
    if (!path.isEmpty())
        importDetections(path);
}

} // namespace cellvit
