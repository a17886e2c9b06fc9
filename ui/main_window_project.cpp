// The open slide's project store (issue #7): regions are saved as they change, runs write each finished patch
// (InferenceTask), and opening a slide restores its regions and last run, offering to resume an interrupted one.
#include "inference/store/project_store.h"
#include "inference/store/slide_identity.h"
#include "ui/inference_task.h"
#include "ui/loaded_model.h"
#include "ui/main_window.h"
#include "ui/model_panel.h"
#include "viewer/cell_layer.h"
#include "viewer/region_store.h"
#include "viewer/slide_view.h"

#include <QFile>
#include <QLabel>
#include <QStandardPaths>
#include <QStatusBar>
#include <QToolBar>
#include <algorithm>

namespace cellvit {
namespace {

// Regions as GeoJSON polygons (closed ring), with the drawing tool's kind as a foreign member.
nlohmann::json regionGeometry(const Region& region)
{
    nlohmann::json ring = nlohmann::json::array();
    for (const QPointF& p : region.polygon)
        ring.push_back({ p.x(), p.y() });
    if (!region.polygon.isEmpty())
        ring.push_back({ region.polygon.first().x(), region.polygon.first().y() });
    return { { "type", "Polygon" }, { "coordinates", { ring } }, { "cellvitKind", int(region.kind) } };
}

Region regionFromStored(const StoredRegion& stored)
{
    Region region;
    region.name = stored.name;
    region.kind = RegionKind(stored.geometry.value("cellvitKind", int(RegionKind::Polygon)));
    const auto& coordinates = stored.geometry.value("coordinates", nlohmann::json::array());
    if (coordinates.is_array() && !coordinates.empty() && coordinates[0].is_array())
        for (const auto& p : coordinates[0])
            if (p.is_array() && p.size() >= 2 && p[0].is_number() && p[1].is_number())
                region.polygon << QPointF(p[0].get<double>(), p[1].get<double>());
    if (region.polygon.size() > 1 && region.polygon.first() == region.polygon.last())
        region.polygon.removeLast();
    return region;
}

std::vector<QPolygonF> runOutlines(const RunRecord& run)
{
    std::vector<QPolygonF> outlines;
    for (const auto& ring : run.meta.parameters.value("regions", nlohmann::json::array())) {
        QPolygonF outline;
        for (const auto& p : ring)
            outline << QPointF(p.at(0).get<double>(), p.at(1).get<double>());
        outlines.push_back(outline);
    }
    return outlines;
}

} // namespace

void MainWindow::setProjectFolder(std::filesystem::path folder)
{
    m_projectFolder = std::move(folder);
}

void MainWindow::openProject()
{
    // Connected once, on the first slide: saving follows every change from then on.
    if (!m_interruptedBar) {
        if (m_projectFolder.empty() && !QStandardPaths::isTestModeEnabled())
            m_projectFolder = defaultStoreFolder();
        auto* bar = new QToolBar(tr("Interrupted run"), this);
        bar->setObjectName(QStringLiteral("interruptedRunBar"));
        bar->setMovable(false);
        m_interruptedLabel = new QLabel(bar);
        bar->addWidget(m_interruptedLabel);
        bar->addAction(tr("Resume"), this, [this] { resumeInterruptedRun(); });
        bar->addAction(tr("Discard"), this, [this] { discardInterruptedRun(); });
        addToolBarBreak(Qt::TopToolBarArea);
        addToolBar(Qt::TopToolBarArea, bar);
        bar->hide();
        m_interruptedBar = bar;
        connect(m_regions, &RegionStore::regionsChanged, this, &MainWindow::saveProjectRegions);
        connect(m_regions, &QAbstractItemModel::dataChanged, this, &MainWindow::saveProjectRegions);
        connect(m_task, &InferenceTask::finished, this, [this] { showInterruptedRun(); });
    }
    m_interruptedBar->hide();
    m_project.reset();
    if (m_projectFolder.empty())
        return;
    try {
        m_project = ProjectStore::openForSlide(QFile::encodeName(m_currentPath).toStdString(), m_projectFolder);
        m_task->setStoreFile(m_project->path());
        m_restoringProject = true;
        for (const StoredRegion& stored : m_project->loadRegions())
            m_regions->addRegion(regionFromStored(stored));
        m_restoringProject = false;
        if (const auto last = m_project->lastRun(); last && last->patchesFinished > 0) {
            std::vector<QPolygonF> outlines = runOutlines(*last);
            std::vector<SlideCell> cells = m_project->loadCells(last->id);
            if (outlines.empty()) {
                outlines = { QPolygonF(
                    QRectF(0, 0, double(m_view->pyramid().width()), double(m_view->pyramid().height()))) };
            } else { // the patches reach beyond the outlines: keep the cells centred inside, as the run did
                cells.erase(std::remove_if(cells.begin(), cells.end(),
                                [&](const SlideCell& c) {
                                    return std::none_of(outlines.begin(), outlines.end(), [&](const QPolygonF& o) {
                                        return o.containsPoint(QPointF(c.centroid.x, c.centroid.y), Qt::OddEvenFill);
                                    });
                                }),
                    cells.end());
            }
            m_cells->setCells(std::move(cells), std::move(outlines));
        }
        showInterruptedRun();
    } catch (const std::exception& e) { // StoreError names the file; the slide stays open without a store
        m_restoringProject = false;
        m_project.reset();
        m_task->setStoreFile({});
        statusBar()->showMessage(tr("Results of this slide are not saved: %1").arg(QString::fromLocal8Bit(e.what())));
    }
}

void MainWindow::saveProjectRegions()
{
    if (!m_project || m_restoringProject)
        return;
    std::vector<StoredRegion> regions;
    for (const Region& region : m_regions->regions())
        regions.push_back({ 0, region.name, regionGeometry(region) });
    try {
        m_project->saveRegions(regions);
    } catch (const std::exception& e) {
        statusBar()->showMessage(tr("Regions not saved: %1").arg(QString::fromLocal8Bit(e.what())), 8000);
    }
}

void MainWindow::showInterruptedRun()
{
    if (!m_project || !m_interruptedBar)
        return;
    std::optional<RunRecord> run;
    try {
        run = m_project->unfinishedRun();
    } catch (const std::exception&) {
    }
    // A run of this window that is still going is not "interrupted".
    if (!run || m_task->isRunning()) {
        m_interruptedBar->hide();
        return;
    }
    m_interruptedLabel->setText(tr("The last run was interrupted after %1 of %2 patches.")
                                    .arg(run->patchesFinished)
                                    .arg(run->meta.patchesTotal));
    m_interruptedBar->show();
}

bool MainWindow::resumeInterruptedRun()
{
    if (!m_project)
        return false;
    const auto run = m_project->unfinishedRun();
    if (!run)
        return false;
    const auto model = m_modelPanel->model();
    if (!model || model->info().path != run->meta.modelPath) {
        m_modelPanel->showError(tr("Open the checkpoint %1 to resume the interrupted run.").arg(run->meta.modelPath));
        return false;
    }
    m_task->setResumeRun(run->id);
    if (!startRun(runOutlines(*run))) {
        m_task->setResumeRun(std::nullopt);
        return false;
    }
    m_interruptedBar->hide();
    return true;
}

void MainWindow::discardInterruptedRun()
{
    if (!m_project)
        return;
    try {
        if (const auto run = m_project->unfinishedRun()) {
            m_project->discardRun(run->id);
            m_cells->clear(); // its restored cells go with it
        }
    } catch (const std::exception& e) {
        statusBar()->showMessage(QString::fromLocal8Bit(e.what()), 8000);
    }
    m_interruptedBar->hide();
}

} // namespace cellvit
