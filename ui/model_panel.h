#pragma once
// The Model dock: open a checkpoint (loaded in the background; the last one is remembered), what it is
// (architecture, magnification, classes, device), Run on the selected regions or the whole slide, and the
// running task's progress (patches, ETA, patches/s) with Cancel. Errors are shown here; results stay.

#include <QPointer>
#include <QWidget>
#include <memory>

class QLabel;
class QProgressBar;
class QPushButton;

namespace cellvit {

class BackgroundTask;
class InferenceTask;
class LoadedModel;
class TaskManager;
struct InferenceProgress;

class ModelPanel : public QWidget {
    Q_OBJECT
public:
    ModelPanel(InferenceTask* task, TaskManager* tasks, QWidget* parent = nullptr);
    ~ModelPanel() override;

    std::shared_ptr<const LoadedModel> model() const { return m_model; }
    bool isLoading() const { return !m_loading.isNull(); }
    QString errorText() const;
    QString infoText() const; // rich text: file, device, architecture, magnification, classes
    QString progressText() const;
    QProgressBar* progressBar() const { return m_progress; }
    QPushButton* cancelButton() const { return m_cancel; }

    static QString lastCheckpointSetting(); // QSettings key of the last opened checkpoint

public Q_SLOTS:
    void showOpenDialog();
    // Asynchronous: modelLoaded or modelLoadFailed follows. Refused (with the reason shown) during a run: the
    // run keeps the model it started with, and its results the classes of that model.
    void loadCheckpoint(const QString& path);
    // At start-up: the checkpoint opened last time if it still exists, else the bundled default model
    // (model_catalog.h). Returns the file being loaded, empty when there is none.
    QString loadStartupModel();
    void showError(const QString& message); // empty clears
    void setSlideAvailable(bool available);

Q_SIGNALS:
    void modelLoaded();
    void modelLoadFailed(const QString& message);
    void runSelectedRegionsRequested();
    void runWholeSlideRequested();

private:
    void onLoaded(std::shared_ptr<const LoadedModel> model, const QString& error);
    void onProgress(const InferenceProgress& progress);
    void onRunningChanged(bool running);
    void updateButtons();
    void showModelInfo();

    InferenceTask* m_task; // not owned
    TaskManager* m_tasks; // not owned
    std::shared_ptr<const LoadedModel> m_model;
    QPointer<BackgroundTask> m_loading;
    QString m_loadingPath;
    bool m_slideAvailable = false;
    QPushButton* m_open = nullptr;
    QLabel* m_info = nullptr;
    QPushButton* m_runSelected = nullptr;
    QPushButton* m_runSlide = nullptr;
    QProgressBar* m_progress = nullptr;
    QLabel* m_progressLabel = nullptr;
    QPushButton* m_cancel = nullptr;
    QLabel* m_error = nullptr;
};

} // namespace cellvit
