// MainWindow: running the model (background task → cells on the overlay), cell export and detection import.
#include "inference/export/geojson_writer.h"
#include "inference/slide/slide_source.h"
#include "ui/background_task.h"
#include "ui/loaded_model.h"
#include "ui/main_window.h"
#include "ui/model_panel.h"
#include "ui/run_controller.h"
#include "ui/task_manager.h"
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
#include <QMenu>
#include <QPointer>
#include <QProgressDialog>
#include <QStatusBar>
#include <algorithm>

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

    m_openCheckpoint = analysis->addAction(tr("&Open Checkpoint…"), m_modelPanel, &ModelPanel::showOpenDialog);
    m_runSelected = analysis->addAction(tr("Run on &Selected Regions"), this, &MainWindow::runOnSelectedRegions);
    m_runSlide = analysis->addAction(tr("Run on &Whole Slide"), this, &MainWindow::runOnWholeSlide);
    m_cancelRun = analysis->addAction(tr("&Cancel Run"), m_runs, &RunController::cancel);
    m_cancelRun->setEnabled(false);
    analysis->addSeparator();
    analysis->addAction(tr("&Export Nuclei (GeoJSON)…"), this, &MainWindow::showExportCellsDialog);
    analysis->addAction(tr("&Import QuPath Detections…"), this, &MainWindow::showImportDetectionsDialog);

    connect(m_runs, &RunController::runningChanged, this, &MainWindow::onRunningChanged);
    connect(m_runs, &RunController::statusMessage, this,
        [this](const QString& text, int timeoutMs) { statusBar()->showMessage(text, timeoutMs); });
    connect(m_runs, &RunController::runRefused, this, [this](const QString& reason) {
        m_modelPanel->showError(reason);
        statusBar()->showMessage(reason, 8000);
    });
    connect(m_modelPanel, &ModelPanel::modelLoaded, this, [this] {
        if (m_modelPanel->model())
            m_runs->showModelClasses(*m_modelPanel->model());
    });
}

void MainWindow::onRunningChanged(bool running)
{
    // Loading another checkpoint mid-run would not change the run, but a second run cannot start: both wait.
    const QString reason = m_runs->busyReason();
    for (QAction* action : { m_openCheckpoint, m_runSelected, m_runSlide }) {
        action->setEnabled(!running);
        action->setStatusTip(reason);
    }
    m_cancelRun->setEnabled(running);
    if (running)
        statusBar()->showMessage(tr("Segmenting nuclei… (Open Checkpoint and Run are disabled until the run ends "
                                    "or is cancelled)"));
    else
        showInterruptedRun();
}

bool MainWindow::runOnSelectedRegions()
{
    std::vector<QPolygonF> outlines = selectedRegionOutlines();
    if (outlines.empty() && !m_runs->isRunning()) {
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
    return m_runs->start(m_modelPanel->model(), std::move(outlines));
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
    options.taxonomy = m_cells->displayTaxonomy(); // QuPath shows the colours the overlay shows
    if (m_view->hasSlide())
        options.micronsPerPixel = m_view->micrometresPerPixel();

    auto* dialog = new QProgressDialog(
        tr("Exporting %n nuclei…", nullptr, int(cells.size())), tr("Cancel"), 0, int(cells.size()), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setWindowModality(Qt::WindowModal);
    dialog->setMinimumDuration(300);
    const auto total = double(cells.size());
    const std::filesystem::path target(QFile::encodeName(path).toStdString());
    QPointer<QProgressDialog> progressDialog(dialog);
    auto finish = [this, progressDialog, path](const ExportSummary& summary, const QString& error) {
        if (progressDialog)
            progressDialog->close();
        if (!error.isEmpty())
            m_reportError(this, tr("Cannot export nuclei"), error);
        else if (!summary.cancelled)
            statusBar()->showMessage(
                tr("Exported %n nuclei to %1", nullptr, int(summary.written)).arg(QDir::toNativeSeparators(path)), 8000);
        Q_EMIT cellExportFinished(
            path, summary.written, summary.cancelled && error.isEmpty() ? tr("cancelled") : error);
    };
    BackgroundTask* task = m_tasks->run<ExportSummary>(
        tr("Exporting nuclei"), this,
        [target, cells = std::move(cells), options](BackgroundTask& self) {
            ExportControl control;
            control.cancelRequested = [&self] { return self.isCanceled(); };
            control.progress = [&self](size_t done, size_t all) { self.reportProgress(double(done) / double(std::max<size_t>(1, all))); };
            return writeCellsGeoJson(target, cells, options, control);
        },
        [finish](ExportSummary&& summary) { finish(summary, {}); },
        [finish](const QString& error) { finish({}, error); });
    connect(dialog, &QProgressDialog::canceled, task, &BackgroundTask::cancel);
    connect(task, &BackgroundTask::progressChanged, dialog,
        [progressDialog, total](double fraction) {
            if (progressDialog)
                progressDialog->setValue(int(fraction * total));
        });
    return true;
}

void MainWindow::importDetections(const QString& path)
{
    const CellTaxonomy current = m_cells->taxonomy();
    const std::optional<double> mpp = m_view->hasSlide() ? m_view->micrometresPerPixel() : std::nullopt;
    statusBar()->showMessage(tr("Importing detections from %1…").arg(QDir::toNativeSeparators(path)));
    auto done = [this, path](DetectionImport&& imported) {
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
        Q_EMIT detectionsImported(count > 0);
    };
    auto failed = [this](const QString& error) {
        statusBar()->clearMessage();
        m_reportError(this, tr("Cannot import detections"), error); // earlier nuclei stay
        Q_EMIT detectionsImported(false);
    };
    m_tasks->run<DetectionImport>(
        tr("Importing detections"), this,
        [path, current, mpp](BackgroundTask&) { return importDetectionsGeoJson(path, current, mpp); }, done, failed);
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
