// MainWindow: the interrupted-run bar over the open slide's project and File ▸ Open Results Folder
// (ProjectController does the store work).
#include "inference/store/slide_identity.h"
#include "ui/inference_task.h"
#include "ui/loaded_model.h"
#include "ui/main_window.h"
#include "ui/model_panel.h"
#include "ui/project_controller.h"
#include "ui/run_controller.h"
#include "viewer/cell_layer.h"

#include <QDir>
#include <QFile>
#include <QInputDialog>
#include <QLabel>
#include <QStandardPaths>
#include <QStatusBar>
#include <QToolBar>
#include <exception>

namespace cellvit {

void MainWindow::setProjectFolder(std::filesystem::path folder)
{
    m_project->setFolder(std::move(folder));
}

bool MainWindow::openResultsFolder(const QString& folder)
{
    return m_project->openResultsFolder(QFile::encodeName(folder).toStdString());
}

void MainWindow::connectResultsFolder()
{
    connect(m_project, &ProjectController::resultsSlideRequested, this,
        [this](const std::filesystem::path& slide, const std::filesystem::path& storeFile) {
            openSlide(QFile::decodeName(slide.string().c_str()), storeFile);
        });
    connect(m_project, &ProjectController::resultsFolderFailed, this,
        [this](const QString& message) { m_reportError(this, tr("Cannot open the results folder"), message); });
    connect(m_project, &ProjectController::resultsChoiceNeeded, this,
        [this](const std::filesystem::path& folder, const std::vector<StoredResults>& candidates) {
            QStringList slides;
            for (const StoredResults& c : candidates)
                slides << QDir::toNativeSeparators(QFile::decodeName(c.slide.string().c_str()));
            bool chosen = false;
            const QString slide = QInputDialog::getItem(this, tr("Open Results Folder"),
                tr("%1 holds the results of several slides. Open:")
                    .arg(QDir::toNativeSeparators(QFile::decodeName(folder.string().c_str()))),
                slides, 0, false, &chosen);
            if (chosen && slides.contains(slide))
                m_project->openResults(candidates[size_t(slides.indexOf(slide))]);
        });
}

void MainWindow::createProjectBar()
{
    if (m_interruptedBar)
        return;
    if (m_project->folder().empty() && !QStandardPaths::isTestModeEnabled())
        m_project->setFolder(defaultStoreFolder());
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
    connect(m_project, &ProjectController::interruptedRunChanged, this, &MainWindow::showInterruptedRun);
    connect(m_project, &ProjectController::errorOccurred, this, [this](const QString& message) {
        statusBar()->showMessage(tr("Project: %1").arg(message), 8000);
    });
    // The store opens in the background: runs go into it once it is open (none when it could not be opened).
    connect(m_project, &ProjectController::restored, this, [this] {
        m_runs->task()->setStoreFile(m_project->storeFile());
        applyDeclaredResolution();
    });
    // A finished or cancelled run changes what is unfinished.
    connect(m_runs->task(), &InferenceTask::runningChanged, m_project, [this](bool running) {
        if (!running)
            m_project->refreshInterruptedRun();
    });
}

void MainWindow::showInterruptedRun()
{
    if (!m_interruptedBar)
        return;
    const auto& run = m_project->interruptedRun();
    // A run of this window that is still going is not "interrupted".
    if (!run || m_runs->isRunning()) {
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
    // Called from the bar's action: nothing may escape (a malformed record, a store error).
    try {
        const auto run = m_project->interruptedRun();
        if (!run)
            return false;
        const auto model = m_modelPanel->model();
        if (!model || model->info().path != run->meta.modelPath) {
            m_modelPanel->showError(tr("Open the checkpoint %1 to resume the interrupted run.").arg(run->meta.modelPath));
            return false;
        }
        std::vector<QPolygonF> outlines = storedRunOutlines(*run);
        m_runs->task()->setResumeRun(run->id);
        if (!startRun(std::move(outlines))) {
            m_runs->task()->setResumeRun(std::nullopt);
            return false;
        }
    } catch (const std::exception& e) {
        m_modelPanel->showError(tr("Cannot resume the interrupted run: %1").arg(QString::fromLocal8Bit(e.what())));
        return false;
    }
    m_interruptedBar->hide();
    return true;
}

void MainWindow::discardInterruptedRun()
{
    if (m_project->interruptedRun()) {
        m_project->discardInterruptedRun();
        if (!m_project->interruptedRun())
            m_cells->clear(); // its restored cells go with it
    }
    if (m_interruptedBar)
        m_interruptedBar->hide();
}

} // namespace cellvit
