// MainWindow: the region tools (tool bar, shortcuts R/P/F/N, Esc), the docks, and region import/export.
#include "ui/cell_inspector.h"
#include "ui/class_counts_panel.h"
#include "ui/main_window.h"
#include "ui/model_panel.h"
#include "ui/run_controller.h"
#include "ui/overlay_panel.h"
#include "ui/region_panel.h"
#include "viewer/cell_layer.h"
#include "viewer/region_editor.h"
#include "viewer/region_geojson.h"
#include "viewer/region_store.h"
#include "viewer/slide_view.h"

#include <QAction>
#include <QActionGroup>
#include <QDir>
#include <QDockWidget>
#include <QFileDialog>
#include <QFileInfo>
#include <QStatusBar>
#include <QToolBar>

namespace cellvit {

namespace {

QDockWidget* makeDock(QMainWindow* window, const QString& title, const char* name, QWidget* content)
{
    auto* dock = new QDockWidget(title, window);
    dock->setObjectName(QString::fromLatin1(name));
    content->setParent(dock);
    dock->setWidget(content);
    return dock;
}

} // namespace

void MainWindow::createDocks()
{
    m_regionPanel = new RegionPanel(m_regionEditor);
    m_modelPanel = new ModelPanel(m_runs->task(), m_tasks);
    m_overlayPanel = new OverlayPanel(m_cells);
    m_inspector = new CellInspector(m_cells);
    m_counts = new ClassCountsPanel(m_cells, m_regions);
    QDockWidget* regions = makeDock(this, tr("Regions"), "regionsDock", m_regionPanel);
    QDockWidget* model = makeDock(this, tr("Model"), "modelDock", m_modelPanel);
    QDockWidget* overlay = makeDock(this, tr("Overlay"), "overlayDock", m_overlayPanel);
    QDockWidget* inspector = makeDock(this, tr("Inspector"), "inspectorDock", m_inspector);
    QDockWidget* counts = makeDock(this, tr("Class Counts"), "countsDock", m_counts);
    addDockWidget(Qt::LeftDockWidgetArea, model);
    addDockWidget(Qt::LeftDockWidgetArea, regions);
    addDockWidget(Qt::LeftDockWidgetArea, overlay);
    addDockWidget(Qt::RightDockWidgetArea, inspector);
    addDockWidget(Qt::RightDockWidgetArea, counts);
    m_docks = { model, regions, overlay, inspector, counts };

    connect(m_regionPanel, &RegionPanel::importRequested, this, &MainWindow::showImportRegionsDialog);
    connect(m_regionPanel, &RegionPanel::exportRequested, this, &MainWindow::showExportRegionsDialog);
    connect(m_modelPanel, &ModelPanel::runSelectedRegionsRequested, this, &MainWindow::runOnSelectedRegions);
    connect(m_modelPanel, &ModelPanel::runWholeSlideRequested, this, &MainWindow::runOnWholeSlide);
}

void MainWindow::createRegionTools()
{
    QToolBar* bar = addToolBar(tr("Tools"));
    bar->setObjectName(QStringLiteral("toolsToolBar"));
    m_toolActions = new QActionGroup(this);
    m_toolActions->setExclusive(true);
    struct ToolEntry {
        RegionTool tool;
        QString text;
        QKeySequence key;
        QString tip;
    };
    const ToolEntry tools[] = {
        { RegionTool::Navigate, tr("Navigate"), QKeySequence(Qt::Key_N),
            tr("Pan, select; drag a selected region to move it") },
        { RegionTool::Rectangle, tr("Rectangle"), QKeySequence(Qt::Key_R), tr("Draw a rectangle region (drag)") },
        { RegionTool::Polygon, tr("Polygon"), QKeySequence(Qt::Key_P),
            tr("Draw a polygon region: click the vertices, double-click or Enter to close") },
        { RegionTool::Freehand, tr("Freehand"), QKeySequence(Qt::Key_F), tr("Draw a freehand region (drag)") },
    };
    for (const ToolEntry& entry : tools) {
        QAction* action = bar->addAction(entry.text);
        action->setCheckable(true);
        action->setShortcut(entry.key);
        action->setToolTip(tr("%1 (%2)").arg(entry.tip, entry.key.toString(QKeySequence::NativeText)));
        action->setData(int(entry.tool));
        action->setChecked(entry.tool == RegionTool::Navigate);
        m_toolActions->addAction(action);
        const RegionTool tool = entry.tool;
        connect(action, &QAction::triggered, m_regionEditor, [this, tool] { m_regionEditor->setTool(tool); });
    }
    connect(m_regionEditor, &RegionEditor::toolChanged, this, [this](RegionTool tool) {
        if (QAction* action = toolAction(tool))
            action->setChecked(true);
    });
    QAction* escape = new QAction(tr("Cancel Drawing"), this);
    escape->setShortcut(QKeySequence(Qt::Key_Escape));
    escape->setShortcutContext(Qt::WindowShortcut);
    connect(escape, &QAction::triggered, this, &MainWindow::cancelOrLeaveTool);
    addAction(escape);

    bar->addSeparator();
    m_toggleOverlays = bar->addAction(tr("Nuclei"));
    m_toggleOverlays->setCheckable(true);
    m_toggleOverlays->setChecked(m_cells->overlaysVisible());
    m_toggleOverlays->setShortcut(QKeySequence(Qt::Key_H));
    m_toggleOverlays->setToolTip(tr("Show or hide all nuclei overlays (H)"));
    connect(m_toggleOverlays, &QAction::toggled, m_cells, &CellLayer::setOverlaysVisible);
    connect(m_cells, &CellLayer::appearanceChanged, this,
        [this] { m_toggleOverlays->setChecked(m_cells->overlaysVisible()); });
}

QAction* MainWindow::toolAction(RegionTool tool) const
{
    for (QAction* action : m_toolActions->actions())
        if (action->data().toInt() == int(tool))
            return action;
    return nullptr;
}

void MainWindow::cancelOrLeaveTool()
{
    if (m_regionEditor->isDrawing())
        m_regionEditor->cancelDrawing();
    else
        m_regionEditor->setTool(RegionTool::Navigate);
}

QString MainWindow::dialogFolder() const
{
    return m_currentPath.isEmpty() ? QString() : QFileInfo(m_currentPath).absolutePath();
}

bool MainWindow::importRegions(const QString& path)
{
    RegionImport imported;
    try {
        imported = importRegionsGeoJson(path);
    } catch (const std::exception& e) {
        m_reportError(this, tr("Cannot import regions"), QString::fromLocal8Bit(e.what()));
        return false;
    }
    // A region already there (the same file imported again, or restored from the project after an earlier
    // import) is not added twice; it is selected like the new ones.
    quint64 last = 0;
    int alreadyThere = 0;
    for (const Region& region : imported.regions) {
        if (const quint64 same = m_regions->findSame(region)) {
            last = same;
            ++alreadyThere;
        } else if (const quint64 id = m_regions->addRegion(region)) {
            last = id;
        }
    }
    if (last)
        m_regionEditor->selectOnly(last);
    QString message = tr("Imported %n region(s) from %1", nullptr, int(imported.regions.size()) - alreadyThere)
                          .arg(QFileInfo(path).fileName());
    if (alreadyThere > 0)
        message += QLatin1Char(' ') + tr("(%n already there, not added again)", nullptr, alreadyThere);
    statusBar()->showMessage(message, 5000);
    if (!imported.problems.isEmpty())
        m_reportError(this, tr("Some features were not imported"),
            tr("%1 imported %n region(s); these features were skipped or changed:\n\n%2", nullptr,
                int(imported.regions.size()))
                .arg(QDir::toNativeSeparators(path), imported.problems.join(QLatin1Char('\n'))));
    return !imported.regions.empty();
}

bool MainWindow::exportRegions(const QString& path)
{
    try {
        exportRegionsGeoJson(path, m_regions->regions());
    } catch (const std::exception& e) {
        m_reportError(this, tr("Cannot export regions"), QString::fromLocal8Bit(e.what()));
        return false;
    }
    statusBar()->showMessage(tr("Exported %n region(s)", nullptr, int(m_regions->regions().size())), 5000);
    return true;
}

void MainWindow::showImportRegionsDialog()
{
    const QString path = QFileDialog::getOpenFileName(this, tr("Import Regions"), dialogFolder(),
        tr("GeoJSON (*.geojson *.json *.geojson.gz *.json.gz);;All files (*)"));
    if (!path.isEmpty())
        importRegions(path);
}

void MainWindow::showExportRegionsDialog()
{
    const QString path = QFileDialog::getSaveFileName(
        this, tr("Export Regions"), dialogFolder(), tr("GeoJSON (*.geojson);;All files (*)"));
    if (!path.isEmpty())
        exportRegions(path);
}

} // namespace cellvit
