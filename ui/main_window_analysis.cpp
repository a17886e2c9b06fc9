// MainWindow: the Regions and Analysis menus; runs (RunController), the image resolution, nuclei export and
// detection import (their controllers) wired to the dialogs and the status bar.
#include "inference/slide/slide_source.h"
#include "ui/cell_export_controller.h"
#include "ui/cell_inspector.h"
#include "ui/class_counts_panel.h"
#include "ui/detection_import_controller.h"
#include "ui/loaded_model.h"
#include "ui/main_window.h"
#include "ui/model_panel.h"
#include "ui/project_controller.h"
#include "ui/run_controller.h"
#include "viewer/region_editor.h"
#include "viewer/region_store.h"
#include "viewer/slide_view.h"

#include <QAction>
#include <QCoreApplication>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QInputDialog>
#include <QMenu>
#include <QProgressDialog>
#include <QStatusBar>

namespace cellvit {
namespace {

// What Set Image Resolution accepts: the models need about 0.25 (40×) or 0.5 (20×) µm/px, and resolveMpp refuses
// anything coarser than 0.75.
constexpr double kMinDeclaredMpp = 0.05;
constexpr double kMaxDeclaredMpp = 0.75;

bool isUsableDeclaredMpp(double micrometresPerPixel)
{
    return micrometresPerPixel >= kMinDeclaredMpp && micrometresPerPixel <= kMaxDeclaredMpp;
}

// The run controller's text (one translation of it).
QString openSlideFirst()
{
    return QCoreApplication::translate("cellvit::RunController", "Open a slide first.");
}

} // namespace

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
    m_setResolution = analysis->addAction(tr("Set Image &Resolution…"), this, &MainWindow::showImageResolutionDialog);
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
    for (QAction* action : { m_openCheckpoint, m_runSelected, m_runSlide, m_setResolution }) {
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

void MainWindow::showImageResolutionDialog()
{
    if (!m_view->hasSlide()) {
        m_reportError(this, tr("Image Resolution"), openSlideFirst());
        return;
    }
    bool ok = false;
    const double current = m_view->micrometresPerPixel().value_or(0.25);
    const double mpp = QInputDialog::getDouble(this, tr("Image Resolution"),
        tr("Micrometres per pixel of %1 (0.25 at 40×, 0.5 at 20×):").arg(QFileInfo(m_currentPath).fileName()), current,
        kMinDeclaredMpp, kMaxDeclaredMpp, 4, &ok);
    if (ok)
        setImageResolution(mpp);
}

bool MainWindow::setImageResolution(double micrometresPerPixel)
{
    if (!m_view->hasSlide()) {
        m_reportError(this, tr("Image Resolution"), openSlideFirst());
        return false;
    }
    if (m_runs->isRunning()) {
        m_reportError(this, tr("Image Resolution"), m_runs->busyReason());
        return false;
    }
    if (!isUsableDeclaredMpp(micrometresPerPixel)) {
        m_reportError(this, tr("Image Resolution"),
            tr("%1 µm per pixel is outside 0.05–0.75 (about 0.25 at 40×, 0.5 at 20×).").arg(micrometresPerPixel));
        return false;
    }
    if (!reopenWithResolution(micrometresPerPixel))
        return false;
    m_project->saveDeclaredMpp(micrometresPerPixel); // part of the project: applied when the slide is opened again
    statusBar()->showMessage(tr("Resolution: %1 µm per pixel").arg(micrometresPerPixel), 8000);
    return true;
}

bool MainWindow::reopenWithResolution(double micrometresPerPixel)
{
    std::shared_ptr<const SlideSource> slide;
    try {
        slide = cellvit::openSlide(std::filesystem::path(QFile::encodeName(m_currentPath).toStdString()),
            SlideOpenOptions { micrometresPerPixel });
    } catch (const std::exception& e) {
        m_reportError(this, tr("Cannot open slide"),
            tr("The slide %1 could not be opened.\n\n%2")
                .arg(QDir::toNativeSeparators(m_currentPath), QString::fromLocal8Bit(e.what())));
        return false;
    }
    // The same file with a declared resolution: the view refits, the regions, nuclei and project stay.
    m_runs->setSlide(slide);
    m_view->setSlide(std::move(slide));
    m_regions->setMicrometresPerPixel(micrometresPerPixel);
    m_inspector->setMicrometresPerPixel(micrometresPerPixel);
    m_counts->setMicrometresPerPixel(micrometresPerPixel);
    showMagnification();
    return true;
}

void MainWindow::applyDeclaredResolution()
{
    if (!m_view->hasSlide())
        return;
    // A declaration overrides the file; a results folder's run only speaks for an image without resolution.
    std::optional<double> declared = m_project->declaredMpp();
    if (!declared && !m_view->micrometresPerPixel())
        declared = m_project->lastRunMpp();
    if (!declared || m_view->micrometresPerPixel() == declared)
        return;
    if (!isUsableDeclaredMpp(*declared)) {
        statusBar()->showMessage(tr("The resolution declared for this slide earlier, %1 µm per pixel, is outside "
                                    "0.05–0.75 and was not used.")
                                     .arg(*declared),
            15000);
        return;
    }
    if (m_runs->isRunning()) // a run started before the project was read keeps the resolution it started with
        return;
    if (reopenWithResolution(*declared))
        statusBar()->showMessage(
            tr("Resolution: %1 µm per pixel, as declared for this slide earlier").arg(*declared), 8000);
}

bool MainWindow::exportCells(const QString& path, bool selectedRegionsOnly)
{
    std::vector<QPolygonF> outlines;
    if (selectedRegionsOnly) {
        outlines = selectedRegionOutlines();
        if (outlines.empty()) { // selected regions that are gone: nothing of them to export
            m_reportError(this, tr("Cannot export nuclei"), tr("Select one or more regions first."));
            return false;
        }
    }
    const std::optional<double> mpp = m_view->hasSlide() ? m_view->micrometresPerPixel() : std::nullopt;
    if (!m_cellExport->exportCells(path, outlines, mpp))
        return false; // failed() has been reported
    auto* dialog = new QProgressDialog(tr("Exporting nuclei…"), tr("Cancel"), 0, 1000, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setWindowModality(Qt::WindowModal);
    dialog->setMinimumDuration(300);
    connect(dialog, &QProgressDialog::canceled, m_cellExport, &CellExportController::cancel);
    connect(m_cellExport, &CellExportController::progressChanged, dialog,
        [dialog](double fraction) { dialog->setValue(int(fraction * 1000)); });
    connect(m_cellExport, &CellExportController::finished, dialog, &QProgressDialog::close);
    connect(m_cellExport, &CellExportController::failed, dialog, [this, dialog] {
        if (!m_cellExport->isExporting()) // not a second export refused meanwhile
            dialog->close();
    });
    return true;
}

void MainWindow::importDetections(const QString& path)
{
    statusBar()->showMessage(tr("Importing detections from %1…").arg(QDir::toNativeSeparators(path)));
    m_detectionImport->importFile(path, m_view->hasSlide() ? m_view->micrometresPerPixel() : std::nullopt);
}

void MainWindow::connectFileJobs()
{
    connect(m_cellExport, &CellExportController::finished, this,
        [this](const QString& path, qulonglong written, bool cancelled) {
            if (!cancelled)
                statusBar()->showMessage(
                    tr("Exported %n nuclei to %1", nullptr, int(written)).arg(QDir::toNativeSeparators(path)), 8000);
        });
    connect(m_cellExport, &CellExportController::failed, this,
        [this](const QString&, const QString& message) { m_reportError(this, tr("Cannot export nuclei"), message); });
    connect(m_detectionImport, &DetectionImportController::imported, this,
        [this](const QString& path, qulonglong count, qulonglong annotationsSkipped, const QStringList& problems) {
            statusBar()->showMessage(tr("Imported %n detection(s)", nullptr, int(count)), 8000);
            if (!problems.isEmpty())
                m_reportError(this, tr("Some features were not imported"),
                    tr("%1: %n detection(s) imported, %2 annotation(s) ignored.\n\n%3", nullptr, int(count))
                        .arg(QDir::toNativeSeparators(path))
                        .arg(annotationsSkipped)
                        .arg(problems.join(QLatin1Char('\n'))));
        });
    connect(
        m_detectionImport, &DetectionImportController::failed, this, [this](const QString&, const QString& message) {
            statusBar()->clearMessage();
            m_reportError(this, tr("Cannot import detections"), message); // earlier nuclei stay
        });
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
