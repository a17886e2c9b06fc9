#pragma once
// The main window of CellViT Studio: the slide viewer in the centre with drawn regions and the nuclei
// overlay; docks for the overview, regions, model and run, overlay settings, the nucleus inspector and class
// counts; File/View/Regions/Analysis/Help menus, a region tool bar, recent files, drag-and-drop and a status
// bar with cursor position and zoom.

#include "ui/recent_files.h"

#include <QMainWindow>
#include <QPolygonF>
#include <filesystem>
#include <functional>
#include <memory>
#include <vector>

class QAction;
class QActionGroup;
class QDockWidget;
class QItemSelectionModel;
class QLabel;
class QMenu;

namespace cellvit {

class CellExportController;
class CellInspector;
class CellLayer;
class ClassCountsPanel;
class ClassifierPanel;
class DetectionImportController;
class EmbeddingImportController;
class InferenceTask;
class ModelPanel;
class OverlayPanel;
class ProjectController;
class RegionEditor;
class RegionPanel;
class RegionStore;
class RunController;
class SlideOverview;
class SlideView;
class TaskManager;
class UmapPanel;
enum class RegionTool;

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    // Shows an error to the user; a modal QMessageBox by default, replaceable so tests never block.
    using ErrorReporter = std::function<void(QWidget* parent, const QString& title, const QString& message)>;

    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;

    // Opens a slide and shows it, with its project store (`storeFile` when given, else the slide's store in the
    // project folder). On failure reports the error (file and reason) and keeps the slide that was open. Returns
    // whether the new slide is shown.
    bool openSlide(const QString& path, const std::filesystem::path& storeFile = {});
    // File ▸ Open Results Folder: the slide of the cellvit-cli run in `folder`, with that run's store (regions and
    // runs restored in the background); the user picks one when the folder holds several. Errors are reported.
    bool openResultsFolder(const QString& folder);
    QString currentSlidePath() const { return m_currentPath; }

    SlideView* slideView() const { return m_view; }
    SlideOverview* overview() const { return m_overview; }
    RegionStore* regionStore() const { return m_regions; }
    RegionEditor* regionEditor() const { return m_regionEditor; }
    CellLayer* cellLayer() const { return m_cells; }
    InferenceTask* inferenceTask() const;
    RunController* runController() const { return m_runs; }
    ProjectController* projectController() const { return m_project; }
    // Every background job of the window (runs, restores, imports, exports, checkpoint loading, UMAP, training).
    TaskManager* tasks() const { return m_tasks; }
    ModelPanel* modelPanel() const { return m_modelPanel; }
    RegionPanel* regionPanel() const { return m_regionPanel; }
    OverlayPanel* overlayPanel() const { return m_overlayPanel; }
    CellInspector* inspector() const { return m_inspector; }
    ClassCountsPanel* countsPanel() const { return m_counts; }
    UmapPanel* umapPanel() const { return m_umap; }
    ClassifierPanel* classifierPanel() const { return m_classifier; }
    QAction* toolAction(RegionTool tool) const;
    QAction* toggleOverlaysAction() const { return m_toggleOverlays; }
    // Errors and import problems go here: a modal QMessageBox by default.
    void setErrorReporter(ErrorReporter reporter);

    // Project stores (issue #7): regions and runs of each slide are saved as they change, in this folder
    // (AppDataLocation/projects; empty = off, the default in QStandardPaths test mode). Applies to the next
    // opened slide; projectController() restores it in the background.
    void setProjectFolder(std::filesystem::path folder);
    // The bar offered when the slide's last run was interrupted: resume it with the loaded model, or discard.
    // Problems (no such model, a malformed record) are shown in the Model dock; false then.
    bool resumeInterruptedRun();
    void discardInterruptedRun();
    QWidget* interruptedRunBar() const { return m_interruptedBar; }

    // Analysis ▸ Set Image Resolution: declares the micrometres per pixel of the open image (a plain image has none;
    // a wrong value in a file is overridden). The slide is reopened with it, so runs, the scale bar, areas and
    // exports use it; regions and nuclei stay. The slide's project records it, and opening the slide again applies
    // it (as it does a `cellvit-cli segment --mpp` run's). False (reported) without a slide, during a run, or
    // outside 0.05–0.75 µm/px.
    bool setImageResolution(double micrometresPerPixel);

    // Starts the loaded model on the selected regions (reports when none is selected) or the whole slide;
    // false when nothing was started. Results replace earlier cells inside the analysed outlines.
    bool runOnSelectedRegions();
    bool runOnWholeSlide();

    // Regions as QuPath annotations. Import keeps the valid features and reports the others; a region already
    // there (same outline and name) is selected, not added again.
    bool importRegions(const QString& path);
    bool exportRegions(const QString& path);
    // Cells of the selected regions (or all) as QuPath detections, written in the background with a
    // progress dialog (cellExport() signals the outcome). False when there is nothing to export.
    bool exportCells(const QString& path, bool selectedRegionsOnly);
    // QuPath detections shown as nuclei (replacing the current ones), read in the background (detectionImport()
    // signals the outcome; problems are reported then).
    void importDetections(const QString& path);
    // The background file jobs; the window shows their progress and errors.
    CellExportController* cellExport() const { return m_cellExport; }
    DetectionImportController* detectionImport() const { return m_detectionImport; }
    EmbeddingImportController* embeddingImport() const { return m_embeddingImport; }

protected:
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;

private:
    void createMenus();
    void createStatusBar();
    void showOpenDialog();
    void connectResultsFolder(); // main_window_project.cpp
    void showAbout();
    void rebuildRecentMenu();
    void showCursor(const QPointF& level0, const QPointF& micrometres, bool micrometresKnown);
    void showMagnification();
    void createRegionTools();
    void createDocks();
    void createAnalysisMenu(QMenu* regions, QMenu* analysis);
    void connectFileJobs(); // main_window_analysis.cpp: export and detection import
    bool startRun(std::vector<QPolygonF> regions);
    void onRunningChanged(bool running);
    void cancelOrLeaveTool();
    void showImportRegionsDialog();
    void showExportRegionsDialog();
    void showExportCellsDialog();
    void showImportDetectionsDialog();
    void showImageResolutionDialog();
    bool reopenWithResolution(double micrometresPerPixel);
    void applyDeclaredResolution(); // the project's, once it is restored
    void createEmbeddingDocks();
    void createEmbeddingsMenu(QMenu* menu);
    void createProjectBar(); // main_window_project.cpp
    void showInterruptedRun();
    std::vector<QPolygonF> selectedRegionOutlines() const;
    QString dialogFolder() const;

    SlideView* m_view = nullptr; // owned by the Qt parent chain, like every widget below
    SlideOverview* m_overview = nullptr;
    RegionStore* m_regions = nullptr; // QObjects below are children of this window
    QItemSelectionModel* m_regionSelection = nullptr;
    RegionEditor* m_regionEditor = nullptr;
    CellLayer* m_cells = nullptr;
    TaskManager* m_tasks = nullptr; // first child: destroyed first, it cancels and joins every task
    RunController* m_runs = nullptr;
    ProjectController* m_project = nullptr;
    CellExportController* m_cellExport = nullptr;
    DetectionImportController* m_detectionImport = nullptr;
    EmbeddingImportController* m_embeddingImport = nullptr;
    ModelPanel* m_modelPanel = nullptr;
    RegionPanel* m_regionPanel = nullptr;
    OverlayPanel* m_overlayPanel = nullptr;
    CellInspector* m_inspector = nullptr;
    ClassCountsPanel* m_counts = nullptr;
    UmapPanel* m_umap = nullptr;
    ClassifierPanel* m_classifier = nullptr;
    QActionGroup* m_toolActions = nullptr;
    QAction* m_toggleOverlays = nullptr;
    QAction* m_openCheckpoint = nullptr; // disabled during a run, like the run actions
    QAction* m_runSelected = nullptr;
    QAction* m_runSlide = nullptr;
    QAction* m_setResolution = nullptr; // reopens the slide: not during a run
    QAction* m_cancelRun = nullptr;
    std::vector<QDockWidget*> m_docks;
    QMenu* m_recentMenu = nullptr;
    QLabel* m_positionLabel = nullptr;
    QLabel* m_micrometreLabel = nullptr;
    QLabel* m_zoomLabel = nullptr;
    RecentFiles m_recent;
    QString m_currentPath;
    QWidget* m_interruptedBar = nullptr;
    QLabel* m_interruptedLabel = nullptr;
    ErrorReporter m_reportError;
};

} // namespace cellvit
