#include "ui/main_window.h"

#include "inference/slide/slide_source.h"
#include "inference/store/project_store.h"
#include "ui/about_text.h"
#include "ui/cell_export_controller.h"
#include "ui/cell_inspector.h"
#include "ui/class_counts_panel.h"
#include "ui/detection_import_controller.h"
#include "ui/embedding_import_controller.h"
#include "ui/inference_task.h"
#include "ui/language_menu.h"
#include "ui/model_panel.h"
#include "ui/overlay_panel.h"
#include "ui/project_controller.h"
#include "ui/region_panel.h"
#include "ui/run_controller.h"
#include "ui/task_manager.h"
#include "viewer/cell_layer.h"
#include "viewer/magnification.h"
#include "viewer/region_editor.h"
#include "viewer/region_store.h"
#include "viewer/slide_overview.h"
#include "viewer/slide_view.h"

#include <QAction>
#include <QActionGroup>
#include <QApplication>
#include <QDir>
#include <QDockWidget>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QItemSelectionModel>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QStatusBar>
#include <QToolBar>
#include <exception>

namespace cellvit {

namespace {

QString localFileFrom(const QMimeData* mime)
{
    if (!mime || !mime->hasUrls())
        return {};
    for (const QUrl& url : mime->urls())
        if (url.isLocalFile())
            return url.toLocalFile();
    return {};
}

} // namespace

MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent)
    , m_reportError([](QWidget* owner, const QString& title, const QString& message) {
        QMessageBox::critical(owner, title, message);
    })
{
    setWindowTitle(tr("CellViT Studio"));
    setAcceptDrops(true);

    m_tasks = new TaskManager(this);
    m_view = new SlideView(this);
    setCentralWidget(m_view);
    m_regions = new RegionStore(this);
    m_regionSelection = new QItemSelectionModel(m_regions, this);
    m_regionEditor = new RegionEditor(m_regions, m_regionSelection, this);
    m_cells = new CellLayer(this);
    m_runs = new RunController(m_tasks, m_cells, this);
    m_project = new ProjectController(m_regions, m_cells, m_tasks, this);
    m_cellExport = new CellExportController(m_tasks, m_cells, this);
    m_detectionImport = new DetectionImportController(m_tasks, m_cells, this);
    m_embeddingImport = new EmbeddingImportController(m_tasks, m_cells, this);
    m_view->setRegionEditor(m_regionEditor);
    m_view->setCellLayer(m_cells);

    auto* dock = new QDockWidget(tr("Overview"), this);
    dock->setObjectName(QStringLiteral("overviewDock"));
    m_overview = new SlideOverview(dock);
    m_overview->setView(m_view);
    dock->setWidget(m_overview);
    addDockWidget(Qt::RightDockWidgetArea, dock);
    createDocks();
    createEmbeddingDocks();

    createMenus();
    createRegionTools();
    createStatusBar();
    connectFileJobs();
    connectResultsFolder();
    resize(1400, 900);
}

MainWindow::~MainWindow()
{
    m_project->close(); // a pending region save is written while the regions still exist
}

InferenceTask* MainWindow::inferenceTask() const
{
    return m_runs->task();
}

void MainWindow::setErrorReporter(ErrorReporter reporter)
{
    if (reporter)
        m_reportError = std::move(reporter);
}

bool MainWindow::openSlide(const QString& path, const std::filesystem::path& storeFile)
{
    std::shared_ptr<const SlideSource> slide;
    try {
        slide = cellvit::openSlide(std::filesystem::path(QFile::encodeName(path).toStdString()));
    } catch (const std::exception& e) {
        // SlideError names the file and the reason; anything else gets the file name added here.
        m_reportError(this, tr("Cannot open slide"),
            tr("The slide %1 could not be opened.\n\n%2")
                .arg(QDir::toNativeSeparators(path), QString::fromLocal8Bit(e.what())));
        return false;
    }
    m_runs->cancel(); // a run on the previous slide ends; its results are dropped (RunController)
    m_project->close(); // pending region edits of the previous slide are saved first
    m_regionEditor->cancelDrawing();
    m_regions->clear();
    m_cells->clear();
    const std::optional<double> mpp = slide->mppX();
    m_runs->setSlide(slide);
    m_view->setSlide(std::move(slide));
    m_regions->setMicrometresPerPixel(mpp);
    m_inspector->setMicrometresPerPixel(mpp);
    m_counts->setMicrometresPerPixel(mpp);
    m_modelPanel->setSlideAvailable(true);
    m_currentPath = QFileInfo(path).absoluteFilePath();
    m_recent.add(m_currentPath);
    rebuildRecentMenu();
    setWindowTitle(tr("%1 — CellViT Studio").arg(QFileInfo(path).fileName()));
    showMagnification();
    createProjectBar();
    const QSizeF slideSize(double(m_view->pyramid().width()), double(m_view->pyramid().height()));
    // Restored in the background.
    if (m_project->open(QFile::encodeName(m_currentPath).toStdString(), slideSize, storeFile))
        m_runs->task()->setStoreFile(m_project->storeFile());
    else
        m_runs->task()->setStoreFile({});
    showInterruptedRun();
    m_view->setFocus();
    return true;
}

void MainWindow::createMenus()
{
    QMenu* file = menuBar()->addMenu(tr("&File"));
    QAction* open = file->addAction(tr("&Open Slide…"), this, &MainWindow::showOpenDialog);
    open->setShortcut(QKeySequence::Open);
    file->addAction(tr("Open Results &Folder…"), this, [this] {
        const QString folder = QFileDialog::getExistingDirectory(this, tr("Open Results Folder"), dialogFolder());
        if (!folder.isEmpty())
            openResultsFolder(folder);
    });
    m_recentMenu = file->addMenu(tr("Open &Recent"));
    rebuildRecentMenu();
    file->addSeparator();
    QAction* quit = file->addAction(tr("&Quit"), this, &QWidget::close);
    quit->setShortcut(QKeySequence::Quit);

    QMenu* view = menuBar()->addMenu(tr("&View"));
    QAction* fit = view->addAction(tr("Zoom to &Fit"), m_view, &SlideView::zoomToFit);
    fit->setShortcut(Qt::CTRL | Qt::Key_0);
    QAction* zoomIn = view->addAction(tr("Zoom &In"), m_view, &SlideView::zoomIn);
    zoomIn->setShortcut(QKeySequence::ZoomIn);
    QAction* zoomOut = view->addAction(tr("Zoom &Out"), m_view, &SlideView::zoomOut);
    zoomOut->setShortcut(QKeySequence::ZoomOut);
    view->addSeparator();
    for (double preset : magnificationPresets())
        view->addAction(tr("%1×").arg(preset), m_view, [this, preset] { m_view->setMagnification(preset); });
    view->addSeparator();
    view->addAction(findChild<QDockWidget*>(QStringLiteral("overviewDock"))->toggleViewAction());

    view->addSeparator();
    for (QDockWidget* panel : m_docks)
        view->addAction(panel->toggleViewAction());
    view->addSeparator();
    view->addMenu(createLanguageMenu(this));

    createAnalysisMenu(menuBar()->addMenu(tr("&Regions")), menuBar()->addMenu(tr("&Analysis")));
    createEmbeddingsMenu(menuBar()->addMenu(tr("&Embeddings")));

    QMenu* help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&About CellViT Studio"), this, &MainWindow::showAbout);
    help->addAction(tr("About &Qt"), qApp, &QApplication::aboutQt);
}

void MainWindow::createStatusBar()
{
    m_positionLabel = new QLabel(this);
    m_micrometreLabel = new QLabel(this);
    m_zoomLabel = new QLabel(this);
    statusBar()->addWidget(m_positionLabel);
    statusBar()->addWidget(m_micrometreLabel);
    statusBar()->addPermanentWidget(m_zoomLabel);
    connect(m_view, &SlideView::cursorMoved, this, &MainWindow::showCursor);
    connect(m_view, &SlideView::cursorLeft, this, [this] {
        m_positionLabel->clear();
        m_micrometreLabel->clear();
    });
    connect(m_view, &SlideView::magnificationChanged, this, &MainWindow::showMagnification);
    connect(m_view, &SlideView::tileReadFailed, this,
        [this](const QString& message) { statusBar()->showMessage(tr("Cannot read the slide: %1").arg(message)); });
}

void MainWindow::showCursor(const QPointF& level0, const QPointF& micrometres, bool micrometresKnown)
{
    m_positionLabel->setText(tr("x %1, y %2 px").arg(qRound64(level0.x())).arg(qRound64(level0.y())));
    m_micrometreLabel->setText(micrometresKnown
            ? tr("x %1, y %2 µm").arg(micrometres.x(), 0, 'f', 1).arg(micrometres.y(), 0, 'f', 1)
            : QString());
}

void MainWindow::showMagnification()
{
    if (!m_view->hasSlide()) {
        m_zoomLabel->clear();
        return;
    }
    m_zoomLabel->setText(tr("%1× (downsample %2)")
                             .arg(m_view->magnification(), 0, 'f', 2)
                             .arg(m_view->transform().downsample(), 0, 'f', 2));
}

void MainWindow::showOpenDialog()
{
    const QString start = m_currentPath.isEmpty() ? QString() : QFileInfo(m_currentPath).absolutePath();
    const QString path = QFileDialog::getOpenFileName(this, tr("Open Slide"), start,
        tr("Slides (*.svs *.tif *.tiff *.ndpi *.vms *.vmu *.scn *.mrxs *.svslide *.bif *.png *.jpg *.jpeg *.bmp);;"
           "All files (*)"));
    if (!path.isEmpty())
        openSlide(path);
}

void MainWindow::rebuildRecentMenu()
{
    m_recentMenu->clear();
    const QStringList files = m_recent.files();
    for (const QString& path : files)
        m_recentMenu->addAction(QDir::toNativeSeparators(path), this, [this, path] { openSlide(path); });
    if (!files.isEmpty())
        m_recentMenu->addSeparator();
    QAction* clear = m_recentMenu->addAction(tr("&Clear Menu"), this, [this] {
        m_recent.clear();
        rebuildRecentMenu();
    });
    clear->setEnabled(!files.isEmpty());
}

void MainWindow::showAbout()
{
    QMessageBox::about(this, tr("About CellViT Studio"), aboutText());
}

void MainWindow::dragEnterEvent(QDragEnterEvent* event)
{
    if (!localFileFrom(event->mimeData()).isEmpty())
        event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent* event)
{
    const QString path = localFileFrom(event->mimeData());
    if (path.isEmpty())
        return;
    event->acceptProposedAction();
    openSlide(path);
}

} // namespace cellvit
