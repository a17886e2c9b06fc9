#include "ui/project_controller.h"

#include "inference/pipeline/region.h"
#include "inference/store/slide_identity.h"
#include "ui/task_manager.h"
#include "viewer/cell_layer.h"
#include "viewer/region_store.h"

#include <QCoreApplication>
#include <QFile>
#include <algorithm>
#include <future>
#include <stdexcept>

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
    const auto kind = stored.geometry.is_object() ? stored.geometry.find("cellvitKind") : stored.geometry.end();
    region.kind = kind != stored.geometry.end() && kind->is_number_integer() ? RegionKind(kind->get<int>())
                                                                              : RegionKind::Polygon;
    const auto coordinates = stored.geometry.is_object() ? stored.geometry.find("coordinates") : stored.geometry.end();
    if (coordinates != stored.geometry.end() && coordinates->is_array() && !coordinates->empty()
        && (*coordinates)[0].is_array())
        for (const auto& p : (*coordinates)[0])
            if (p.is_array() && p.size() >= 2 && p[0].is_number() && p[1].is_number())
                region.polygon << QPointF(p[0].get<double>(), p[1].get<double>());
    if (region.polygon.size() > 1 && region.polygon.first() == region.polygon.last())
        region.polygon.removeLast();
    return region;
}

struct RestoredProject {
    std::shared_ptr<ProjectStoreThread> store; // opened on the worker
    QString readError; // the store opened but its regions could not be read
    std::vector<Region> regions;
    bool hasRun = false;
    std::vector<SlideCell> cells;
    PreparedCells prepared; // the cells, ready for the layer (index built on the worker)
    std::vector<QPolygonF> outlines;
    CellTaxonomy taxonomy;
    std::optional<RunRecord> interrupted;
    std::optional<double> declaredMpp;
    std::optional<double> lastRunMpp;
    QString warning; // the last run could not be shown (why)
};

} // namespace

std::vector<QPolygonF> storedRunOutlines(const RunRecord& run)
{
    std::vector<QPolygonF> outlines;
    const auto regions = run.meta.parameters.find("regions");
    if (regions == run.meta.parameters.end())
        return outlines;
    auto malformed = [&] {
        return std::runtime_error("run " + std::to_string(run.id) + " of the project store has malformed regions");
    };
    if (!regions->is_array())
        throw malformed();
    for (const auto& ring : *regions) {
        if (!ring.is_array())
            throw malformed();
        QPolygonF outline;
        for (const auto& p : ring) {
            if (!p.is_array() || p.size() < 2 || !p[0].is_number() || !p[1].is_number())
                throw malformed();
            outline << QPointF(p[0].get<double>(), p[1].get<double>());
        }
        outlines.push_back(outline);
    }
    return outlines;
}

std::optional<double> storedRunMpp(const RunRecord& run)
{
    const auto mpp = run.meta.parameters.find("mpp");
    if (mpp == run.meta.parameters.end() || !mpp->is_number() || !(mpp->get<double>() > 0))
        return std::nullopt;
    return mpp->get<double>();
}

CellTaxonomy storedRunTaxonomy(const RunRecord& run, const CellTaxonomy& fallback)
{
    if (run.meta.classNames.isEmpty())
        return fallback;
    std::map<int, std::string> names;
    for (int i = 0; i < run.meta.classNames.size(); ++i)
        names[i] = run.meta.classNames[i].toStdString();
    return CellTaxonomy(names);
}

ProjectController::ProjectController(RegionStore* regions, CellLayer* cells, TaskManager* tasks, QObject* parent)
    : QObject(parent)
    , m_regions(regions)
    , m_cells(cells)
    , m_tasks(tasks)
{
    m_saveTimer.setSingleShot(true);
    m_saveTimer.setInterval(kRegionSaveDelayMs);
    connect(&m_saveTimer, &QTimer::timeout, this, &ProjectController::saveRegionsNow);
    connect(m_regions, &RegionStore::regionsChanged, this, &ProjectController::scheduleRegionSave);
    connect(m_regions, &QAbstractItemModel::dataChanged, this, &ProjectController::scheduleRegionSave);
}

ProjectController::~ProjectController()
{
    close();
}

ProjectStoreThread& ProjectController::requireStore()
{
    if (!m_store)
        throw StoreError("no project store is open");
    return *m_store;
}

bool ProjectController::open(
    const std::filesystem::path& slide, const QSizeF& slideSize, std::filesystem::path storeFile)
{
    close();
    if (storeFile.empty() && m_folder.empty())
        return false;
    try {
        m_storeFile = storeFile.empty() ? storePathForSlide(slide, m_folder) : std::move(storeFile);
    } catch (const std::exception& e) { // the slide's identity cannot be read; the slide stays open without a store
        m_storeFile.clear();
        Q_EMIT errorOccurred(QString::fromLocal8Bit(e.what()));
        return false;
    }

    const quint64 generation = m_generation;
    // Opening (thread, SQLite file, schema) and closing a store may wait on the disk: both happen off the GUI
    // thread. The previous store must be closed first: its last region save could otherwise be read as missing.
    auto work = [file = m_storeFile, slide, previousClosed = m_previousClosed](BackgroundTask& task) {
        if (previousClosed.valid())
            previousClosed.wait();
        RestoredProject out;
        out.store = std::make_shared<ProjectStoreThread>(file); // throws StoreError naming the file
        const auto& store = out.store;
        store->call([&](ProjectStore& s) {
            if (!s.slidePath())
                s.setSlideInfo(slide);
        });
        std::optional<RunRecord> last;
        try {
            store->call([&](ProjectStore& s) {
                for (const StoredRegion& stored : s.loadRegions())
                    out.regions.push_back(regionFromStored(stored));
                last = s.lastRun();
                out.interrupted = s.unfinishedRun();
                out.declaredMpp = s.declaredMpp();
                out.lastRunMpp = last ? storedRunMpp(*last) : std::nullopt;
            });
        } catch (const std::exception& e) {
            out.readError = QString::fromLocal8Bit(e.what());
            return out;
        }
        if (!last || last->patchesFinished == 0 || task.isCanceled())
            return out;
        try {
            out.outlines = storedRunOutlines(*last);
            out.cells = store->call([&](ProjectStore& s) { return s.loadCells(last->id); });
        } catch (const std::exception& e) { // the regions are still worth restoring
            out.warning = QString::fromLocal8Bit(e.what());
            out.cells.clear();
            return out;
        }
        if (!out.outlines.empty()) {
            // The patches reach beyond the outlines: keep the cells centred inside, by the run's own test (a centroid
            // on the outline is inside), so the restored nuclei are exactly those the run showed.
            RegionOfInterest region;
            for (const QPolygonF& outline : out.outlines) {
                std::vector<cv::Point2d> ring;
                for (const QPointF& p : outline)
                    ring.emplace_back(p.x(), p.y());
                region.polygons.push_back(std::move(ring));
            }
            out.cells.erase(std::remove_if(out.cells.begin(), out.cells.end(),
                                [&](const SlideCell& c) { return !region.contains(c.centroid); }),
                out.cells.end());
        }
        out.taxonomy = storedRunTaxonomy(*last, CellTaxonomy::panNuke());
        out.prepared = CellLayer::prepare(std::move(out.cells));
        out.hasRun = true;
        return out;
    };
    auto done = [this, generation, slideSize](RestoredProject&& project) {
        if (generation != m_generation)
            return; // another slide was opened meanwhile (the store closes as `project` goes)
        m_restore = nullptr;
        m_store = std::move(project.store);
        if (!project.readError.isEmpty()) {
            m_savesBlocked = true; // the stored regions were not read: saving now would overwrite them
            Q_EMIT errorOccurred(project.readError);
            Q_EMIT restored();
            return;
        }
        m_addingRestoredRegions = true;
        for (Region& region : project.regions)
            m_regions->addRegion(std::move(region));
        m_addingRestoredRegions = false;
        if (project.hasRun) {
            m_cells->setTaxonomy(project.taxonomy);
            if (project.outlines.empty()) // a whole-slide run
                m_cells->setCells(std::move(project.prepared), { QPolygonF(QRectF(QPointF(0, 0), slideSize)) });
            else
                m_cells->setCells(std::move(project.prepared), std::move(project.outlines));
        }
        m_interrupted = std::move(project.interrupted);
        m_lastRunMpp = project.lastRunMpp;
        if (m_declaredMppPending) { // declared while restoring: the user's newer statement wins
            m_declaredMppPending = false;
            saveDeclaredMpp(*m_declaredMpp);
        } else {
            m_declaredMpp = project.declaredMpp;
        }
        if (!project.warning.isEmpty())
            Q_EMIT errorOccurred(project.warning);
        if (m_savePending) { // regions drawn while restoring
            m_savePending = false;
            scheduleRegionSave();
        }
        Q_EMIT interruptedRunChanged();
        Q_EMIT restored();
    };
    auto failed = [this, generation](const QString& error) {
        if (generation != m_generation)
            return;
        m_restore = nullptr;
        m_storeFile.clear(); // the store could not be opened: the slide stays open without one
        Q_EMIT errorOccurred(error);
        Q_EMIT restored();
    };
    m_restore = m_tasks->run<RestoredProject>(tr("Restoring the project"), this, std::move(work), done, failed);
    return true;
}

bool ProjectController::openResultsFolder(const std::filesystem::path& folder)
{
    std::vector<StoredResults> found;
    try {
        found = findStoredResults(folder);
    } catch (const std::exception& e) {
        Q_EMIT resultsFolderFailed(QString::fromLocal8Bit(e.what()));
        return false;
    }
    if (found.size() == 1)
        return openResults(found.front());
    Q_EMIT resultsChoiceNeeded(folder, found);
    return true;
}

bool ProjectController::openResults(const StoredResults& results)
{
    try {
        requireStoredSlide(results);
    } catch (const std::exception& e) {
        Q_EMIT resultsFolderFailed(QString::fromLocal8Bit(e.what()));
        return false;
    }
    Q_EMIT resultsSlideRequested(results.slide, results.storeFile);
    return true;
}

void ProjectController::close()
{
    if (m_restore) {
        // Dropped (another generation): the regions it would have added are not on the slide, so nothing may be
        // saved over them below.
        ++m_generation;
        m_restore->cancel();
        m_restore->waitForFinished();
        m_restore = nullptr;
        m_saveTimer.stop();
        m_savePending = false;
    }
    ++m_generation;
    if (m_store) {
        if (m_saveTimer.isActive()) { // a pending edit is written before the store closes
            m_saveTimer.stop();
            saveRegionsNow();
        }
        // Its thread ends after the queued jobs (the saves above), on a worker: closing may checkpoint the WAL.
        auto closed = std::make_shared<std::promise<void>>();
        m_previousClosed = closed->get_future().share();
        m_tasks->run<bool>(tr("Closing the project"), this,
            [store = std::move(m_store), closed](BackgroundTask&) mutable {
                store.reset();
                closed->set_value();
                return true;
            },
            {});
        m_store.reset();
    }
    m_storeFile.clear();
    m_interrupted.reset();
    m_declaredMpp.reset();
    m_lastRunMpp.reset();
    m_declaredMppPending = false;
    m_savesBlocked = false;
}

void ProjectController::waitForRestore()
{
    if (m_restore)
        m_restore->waitForFinished();
}

void ProjectController::scheduleRegionSave()
{
    if (!m_store || m_addingRestoredRegions || m_savesBlocked)
        return;
    if (m_restore) {
        m_savePending = true;
        return;
    }
    m_saveTimer.start(); // restarted by every change: one write once the edit pauses
}

void ProjectController::saveRegionsNow()
{
    if (!m_store)
        return;
    std::vector<StoredRegion> regions;
    for (const Region& region : m_regions->regions())
        regions.push_back({ 0, region.name, regionGeometry(region) });
    const quint64 generation = m_generation;
    writeInBackground([regions = std::move(regions)](ProjectStore& store) { store.saveRegions(regions); },
        [this, generation](const QString& error) {
            if (!error.isEmpty())
                Q_EMIT errorOccurred(tr("Regions not saved: %1").arg(error));
            else if (generation == m_generation)
                Q_EMIT regionsSaved();
        });
}

void ProjectController::saveDeclaredMpp(double micrometresPerPixel)
{
    m_declaredMpp = micrometresPerPixel;
    if (m_restore) {
        m_declaredMppPending = true;
        return;
    }
    if (!m_store)
        return;
    writeInBackground([micrometresPerPixel](ProjectStore& store) { store.setDeclaredMpp(micrometresPerPixel); },
        [this](const QString& error) {
            if (!error.isEmpty())
                Q_EMIT errorOccurred(tr("Resolution not saved: %1").arg(error));
        });
}

void ProjectController::writeInBackground(
    std::function<void(ProjectStore&)> write, std::function<void(const QString& error)> done)
{
    // The store may close after this object is gone (close() hands it to a worker): the outcome comes back through
    // a guard, made here on the GUI thread, and `done` runs only while this controller exists.
    m_store->submit([self = QPointer<ProjectController>(this), write = std::move(write), done = std::move(done)](
                        ProjectStore& store) {
        QString error;
        try {
            write(store);
        } catch (const std::exception& e) {
            error = QString::fromLocal8Bit(e.what());
        }
        QMetaObject::invokeMethod(
            QCoreApplication::instance(),
            [self, done, error] {
                if (self)
                    done(error);
            },
            Qt::QueuedConnection);
    });
}

void ProjectController::flushRegionSaves()
{
    if (!m_store)
        return;
    if (m_saveTimer.isActive()) {
        m_saveTimer.stop();
        saveRegionsNow();
    }
    m_store->call([](ProjectStore&) {}); // the queue is served in order: earlier saves are done
}

void ProjectController::refreshInterruptedRun()
{
    if (!m_store || m_restore)
        return;
    const quint64 generation = m_generation;
    auto store = m_store;
    m_tasks->run<std::optional<RunRecord>>(
        tr("Reading the project"), this,
        [store](BackgroundTask&) { return store->call([](ProjectStore& s) { return s.unfinishedRun(); }); },
        [this, generation](std::optional<RunRecord>&& run) {
            if (generation != m_generation)
                return;
            m_interrupted = std::move(run);
            Q_EMIT interruptedRunChanged();
        },
        [this](const QString& error) { Q_EMIT errorOccurred(error); });
}

void ProjectController::discardInterruptedRun()
{
    if (!m_store || !m_interrupted)
        return;
    try {
        const int64_t id = m_interrupted->id;
        m_store->call([id](ProjectStore& s) { s.discardRun(id); });
    } catch (const std::exception& e) {
        Q_EMIT errorOccurred(QString::fromLocal8Bit(e.what()));
        return;
    }
    m_interrupted.reset();
    Q_EMIT interruptedRunChanged();
}

} // namespace cellvit
