#pragma once
// The open slide's project store (issue #7) for the main window: opening a slide restores its regions and last
// run in the background; region edits are saved debounced (one write per edit, not per mouse move) on the
// store's own thread; the interrupted run (if any) is offered for resume. Store errors arrive as messages and
// never leave the slide unusable. The store is opened and closed on workers; the GUI thread only waits on it for
// Discard and flushes.

#include "inference/export/cell_classes.h"
#include "inference/store/store_thread.h"
#include "ui/results_folder.h"

#include <QObject>
#include <QPointer>
#include <QPolygonF>
#include <QSizeF>
#include <QTimer>
#include <filesystem>
#include <functional>
#include <future>
#include <memory>
#include <optional>
#include <vector>

namespace cellvit {

class BackgroundTask;
class CellLayer;
class RegionStore;
class TaskManager;

// The outlines a stored run analysed (its "regions" parameter); empty = whole slide. Throws std::runtime_error
// naming the run when the record is malformed.
std::vector<QPolygonF> storedRunOutlines(const RunRecord& run);
// The resolution a stored run was made at (its "mpp" parameter, which `cellvit-cli segment` records); nullopt
// when it has none (the app's own runs) or it is not a positive number.
std::optional<double> storedRunMpp(const RunRecord& run);
// The taxonomy a stored run was made with: its class names; the fallback when it stored none (older runs).
CellTaxonomy storedRunTaxonomy(const RunRecord& run, const CellTaxonomy& fallback);

class ProjectController : public QObject {
    Q_OBJECT
public:
    static constexpr int kRegionSaveDelayMs = 400; // edits closer together than this make one write

    ProjectController(RegionStore* regions, CellLayer* cells, TaskManager* tasks, QObject* parent = nullptr);
    ~ProjectController() override; // saves pending region edits

    // Stores live in this folder (empty = off). Applies to the next open().
    void setFolder(std::filesystem::path folder) { m_folder = std::move(folder); }
    const std::filesystem::path& folder() const { return m_folder; }
    // Closes the current store (saving pending edits) and opens `slide`'s (level-0 size `slideSize`): `storeFile`
    // when given (results opened from a folder), else the slide's store in folder(). The store is opened, and its
    // regions and last run restored, in the background (restored() follows; a store that cannot be opened gives
    // errorOccurred, and storeFile() is empty then). False when neither a store file nor a folder is set or the
    // slide's identity cannot be read.
    bool open(const std::filesystem::path& slide, const QSizeF& slideSize, std::filesystem::path storeFile = {});
    // Hands the store to a worker that writes a pending region save and closes it (the next open() waits for that
    // before reading). The GUI thread does not wait on the disk here, except for a restore still running.
    void close();
    // A store is open, or being opened by the restore (a store that cannot be opened ends it: errorOccurred).
    bool isOpen() const { return !m_storeFile.empty(); }
    const std::filesystem::path& storeFile() const { return m_storeFile; }
    bool isRestoring() const { return !m_restore.isNull(); }
    // Blocks until the restore has been delivered (tests, unattended command lines).
    void waitForRestore();
    // Writes a pending region save now and waits for the store's queue (tests, closing).
    void flushRegionSaves();

    // The run a killed process (or a cancel) left unfinished, as last read from the store.
    const std::optional<RunRecord>& interruptedRun() const { return m_interrupted; }
    // Reads the interrupted run again in the background (after a run); interruptedRunChanged follows.
    void refreshInterruptedRun();
    // Deletes the interrupted run and its cells from the store.
    void discardInterruptedRun();
    // File ▸ Open Results Folder: the results a cellvit-cli run wrote into `folder` (results_folder.h). One store:
    // resultsSlideRequested (the window opens that slide, then open() with the store file); several:
    // resultsChoiceNeeded, answered with openResults(). None, an unreadable store or a missing slide:
    // resultsFolderFailed naming the folder or the store file. Returns whether a slide was requested or a choice
    // is needed.
    bool openResultsFolder(const std::filesystem::path& folder);
    bool openResults(const StoredResults& results);
    // The resolution declared for the slide (Set Image Resolution, `cellvit-cli segment --mpp`), as the restore read
    // it from the store or as last saved; nullopt when none.
    std::optional<double> declaredMpp() const { return m_declaredMpp; }
    // The resolution the store's last run was made at (storedRunMpp), as the restore read it: what a results folder
    // written before declarations were kept says about an image without resolution.
    std::optional<double> lastRunMpp() const { return m_lastRunMpp; }
    // Records a declared resolution in the store on its thread (after the restore when it is still running);
    // failures arrive as errorOccurred. Without a store it is only kept here.
    void saveDeclaredMpp(double micrometresPerPixel);
    // Runs f(store) on the store's thread and waits; throws StoreError when no store is open.
    template <typename F> auto call(F&& f) { return requireStore().call(std::forward<F>(f)); }

Q_SIGNALS:
    void restored(); // regions and the last run's cells are on the layer
    void interruptedRunChanged();
    void regionsSaved(); // one write finished
    void errorOccurred(const QString& message);
    void resultsSlideRequested(const std::filesystem::path& slide, const std::filesystem::path& storeFile);
    void resultsChoiceNeeded(const std::filesystem::path& folder, const std::vector<StoredResults>& candidates);
    void resultsFolderFailed(const QString& message);

private:
    void scheduleRegionSave();
    void saveRegionsNow();
    // Runs `write` on the store's thread (queued behind earlier jobs); `done` follows on the GUI thread with the
    // error message, empty when it was written.
    void writeInBackground(std::function<void(ProjectStore&)> write, std::function<void(const QString& error)> done);
    ProjectStoreThread& requireStore();

    RegionStore* m_regions;
    CellLayer* m_cells;
    TaskManager* m_tasks;
    std::filesystem::path m_folder;
    std::filesystem::path m_storeFile;
    std::shared_ptr<ProjectStoreThread> m_store; // set once the restore opened it; shared with jobs queued on it
    std::shared_future<void> m_previousClosed; // the store close() handed to a worker (the next restore waits)
    QPointer<BackgroundTask> m_restore;
    bool m_addingRestoredRegions = false;
    bool m_savePending = false; // edits made while restoring are saved after it
    bool m_savesBlocked = false; // the restore failed: the store's regions are unknown here
    quint64 m_generation = 0; // results of a store that was closed meanwhile are dropped
    QTimer m_saveTimer;
    std::optional<RunRecord> m_interrupted;
    std::optional<double> m_declaredMpp;
    std::optional<double> m_lastRunMpp;
    bool m_declaredMppPending = false; // declared while restoring: written after it, not overwritten by it
};

} // namespace cellvit
