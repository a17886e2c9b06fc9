#include "ui/model_panel.h"

#include "model_zoo/model_catalog.h"
#include "ui/background_task.h"
#include "ui/inference_task.h"
#include "ui/loaded_model.h"
#include "ui/task_manager.h"

#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QSettings>
#include <QVBoxLayout>

namespace cellvit {

namespace {

QString formatDuration(double seconds)
{
    const qint64 s = qint64(seconds + 0.5);
    if (s >= 3600)
        return QStringLiteral("%1:%2:%3")
            .arg(s / 3600)
            .arg((s / 60) % 60, 2, 10, QLatin1Char('0'))
            .arg(s % 60, 2, 10, QLatin1Char('0'));
    return QStringLiteral("%1:%2").arg(s / 60).arg(s % 60, 2, 10, QLatin1Char('0'));
}

} // namespace

ModelPanel::ModelPanel(InferenceTask* task, TaskManager* tasks, QWidget* parent)
    : QWidget(parent)
    , m_task(task)
    , m_tasks(tasks)
{
    auto* layout = new QVBoxLayout(this);
    m_open = new QPushButton(tr("Open Checkpoint…"), this);
    m_info = new QLabel(tr("No model loaded."), this);
    m_info->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_runSelected = new QPushButton(tr("Run on Selected Regions"), this);
    m_runSlide = new QPushButton(tr("Run on Whole Slide"), this);
    m_progress = new QProgressBar(this);
    m_progress->setRange(0, 1);
    m_progress->setValue(0);
    m_progressLabel = new QLabel(this);
    m_cancel = new QPushButton(tr("Cancel"), this);
    m_error = new QLabel(this);
    m_error->setWordWrap(true);
    m_error->setStyleSheet(QStringLiteral("color: #c0392b;"));
    m_error->setTextInteractionFlags(Qt::TextSelectableByMouse);

    layout->addWidget(m_open);
    layout->addWidget(m_info);
    auto* runRow = new QHBoxLayout;
    runRow->addWidget(m_runSelected);
    runRow->addWidget(m_runSlide);
    layout->addLayout(runRow);
    auto* progressRow = new QHBoxLayout;
    progressRow->addWidget(m_progress, 1);
    progressRow->addWidget(m_cancel);
    layout->addLayout(progressRow);
    layout->addWidget(m_progressLabel);
    layout->addWidget(m_error);
    layout->addStretch(1);

    connect(m_open, &QPushButton::clicked, this, &ModelPanel::showOpenDialog);
    connect(m_runSelected, &QPushButton::clicked, this, &ModelPanel::runSelectedRegionsRequested);
    connect(m_runSlide, &QPushButton::clicked, this, &ModelPanel::runWholeSlideRequested);
    connect(m_cancel, &QPushButton::clicked, m_task, &InferenceTask::cancel);
    connect(m_cancel, &QPushButton::clicked, this, [this] {
        m_progressLabel->setText(tr("Cancelling after the patch in progress…"));
        updateButtons();
    });
    connect(m_task, &InferenceTask::progressChanged, this, &ModelPanel::onProgress);
    connect(m_task, &InferenceTask::runningChanged, this, &ModelPanel::onRunningChanged);
    connect(m_task, &InferenceTask::failed, this, &ModelPanel::showError);
    connect(m_task, &InferenceTask::finished, this, [this](bool complete) {
        const InferenceOutcome& outcome = m_task->outcome();
        m_progressLabel->setText(complete
                ? tr("Done: %n nuclei", nullptr, int(outcome.cellCount))
                : tr("Cancelled: %n nuclei from the finished patches kept", nullptr, int(outcome.cellCount)));
    });
    updateButtons();
}

ModelPanel::~ModelPanel() = default; // a load in flight is joined by the TaskManager

QString ModelPanel::lastCheckpointSetting()
{
    return QStringLiteral("model/lastCheckpoint");
}

QString ModelPanel::errorText() const
{
    return m_error->text();
}
QString ModelPanel::progressText() const
{
    return m_progressLabel->text();
}

void ModelPanel::showOpenDialog()
{
    const QString last = QSettings().value(lastCheckpointSetting()).toString();
    const QString path = QFileDialog::getOpenFileName(this, tr("Open Checkpoint"),
        last.isEmpty() ? QString() : QFileInfo(last).absolutePath(),
        tr("CellViT checkpoints (*.pth *.pt *.tar *.safetensors);;All files (*)"));
    if (!path.isEmpty())
        loadCheckpoint(path);
}

QString ModelPanel::loadStartupModel()
{
    QString path = QSettings().value(lastCheckpointSetting()).toString();
    if (path.isEmpty() || !QFileInfo::exists(path)) {
        const auto bundled = defaultBundledModel();
        path = bundled ? QString::fromStdString(bundled->file.string()) : QString();
    }
    if (!path.isEmpty())
        loadCheckpoint(path);
    return path;
}

void ModelPanel::loadCheckpoint(const QString& path)
{
    if (m_loading)
        return;
    if (m_task->isRunning()) {
        showError(tr("A segmentation run is in progress: wait for it or cancel it first."));
        return;
    }
    m_loadingPath = path;
    showError({});
    m_info->setText(tr("Loading %1…").arg(QFileInfo(path).fileName()));
    using Model = std::shared_ptr<const LoadedModel>;
    m_loading = m_tasks->run<Model>(
        tr("Loading a checkpoint"), this, [path](BackgroundTask&) { return LoadedModel::load(path); },
        [this](Model&& model) { onLoaded(std::move(model), {}); },
        [this](const QString& error) { onLoaded(nullptr, error); });
    updateButtons();
}

void ModelPanel::onLoaded(std::shared_ptr<const LoadedModel> model, const QString& error)
{
    m_loading = nullptr;
    if (model) {
        m_model = std::move(model);
        QSettings().setValue(lastCheckpointSetting(), m_model->info().path);
        showModelInfo();
        updateButtons();
        Q_EMIT modelLoaded();
        return;
    }
    showModelInfo(); // the previous model, if any, stays
    showError(tr("Cannot load the checkpoint %1:\n%2").arg(QDir::toNativeSeparators(m_loadingPath), error));
    updateButtons();
    Q_EMIT modelLoadFailed(error);
}

void ModelPanel::showModelInfo()
{
    if (!m_model) {
        m_info->setText(tr("No model loaded."));
        return;
    }
    const ModelInfo& info = m_model->info();
    QStringList classes = info.classNames;
    if (!classes.isEmpty())
        classes.removeFirst(); // background
    const QString device = info.device.startsWith(QLatin1String("cuda")) ? tr("CUDA (%1)").arg(info.device) : tr("CPU");
    QStringList lines { QStringLiteral("<b>%1</b>").arg(QFileInfo(info.path).fileName().toHtmlEscaped()),
        tr("Device: %1").arg(device), tr("Architecture: %1 (%2)").arg(info.arch, info.backbone),
        tr("Magnification: %1× (%2 µm/px)").arg(info.magnification).arg(info.targetMpp),
        tr("Classes: %1").arg(classes.join(QStringLiteral(", ")).toHtmlEscaped()) };
    // Long class lists wrap after every third name: a word-wrapped rich-text label gets clipped in a dock.
    for (int i = 3; i < classes.size(); i += 3)
        lines.back().replace(QStringLiteral("%1, ").arg(classes[i - 1].toHtmlEscaped()),
            QStringLiteral("%1,<br>&nbsp;&nbsp;").arg(classes[i - 1].toHtmlEscaped()));
    m_info->setText(lines.join(QStringLiteral("<br>")));
}

QString ModelPanel::infoText() const
{
    return m_info->text();
}

void ModelPanel::showError(const QString& message)
{
    m_error->setText(message);
    m_error->setVisible(!message.isEmpty());
}

void ModelPanel::setSlideAvailable(bool available)
{
    m_slideAvailable = available;
    updateButtons();
}

void ModelPanel::onProgress(const InferenceProgress& p)
{
    m_progress->setRange(0, int(std::max<qint64>(1, p.patchesTotal)));
    m_progress->setValue(int(p.patchesDone));
    if (m_task->isCancelling())
        return;
    m_progressLabel->setText(tr("%1 / %2 patches, %3 nuclei — %4 patches/s, ETA %5")
                                 .arg(p.patchesDone)
                                 .arg(p.patchesTotal)
                                 .arg(p.cells)
                                 .arg(p.patchesPerSecond, 0, 'f', 2)
                                 .arg(formatDuration(p.etaSeconds)));
}

void ModelPanel::onRunningChanged(bool running)
{
    if (running) {
        showError({});
        m_progress->setRange(0, 0); // busy until the first patch reports
        m_progressLabel->setText(tr("Preparing the run (tissue detection, first patch)…"));
    } else {
        m_progress->setRange(0, 1);
        m_progress->setValue(1);
    }
    updateButtons();
}

void ModelPanel::updateButtons()
{
    const bool running = m_task->isRunning();
    const bool ready = m_model && m_slideAvailable && !running;
    m_open->setEnabled(!m_loading && !running);
    m_runSelected->setEnabled(ready);
    m_runSlide->setEnabled(ready);
    m_cancel->setEnabled(running && !m_task->isCancelling());
}

} // namespace cellvit
