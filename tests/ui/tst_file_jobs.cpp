// The desktop app's background file jobs (issue #18), each a controller of its own: nuclei export, Import QuPath
// Detections and Load Embeddings, on the nuclei the classic engine finds in the bundled sample slide. A good file
// arrives on the layer; a malformed one gives an error naming the file and leaves the earlier nuclei and
// embeddings as they were; importing a large file never stalls the GUI thread's event loop.
#include "event_loop_gap.h"
#include "inference/export/geojson_reader.h"
#include "inference/export/geojson_writer.h"
#include "inference/io/npy.h"
#include "store/classic_store_run.h"
#include "test_support.h"
#include "ui/background_task.h"
#include "ui/cell_export_controller.h"
#include "ui/detection_import_controller.h"
#include "ui/embedding_import_controller.h"
#include "ui/main_window.h"
#include "ui/task_manager.h"
#include "viewer/cell_layer.h"

#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <fstream>

using namespace cellvit;

namespace {

constexpr int kJobTimeoutMs = 120000;
constexpr qint64 kMaxGapMs = 50;

CellTaxonomy nucleusTaxonomy()
{
    return CellTaxonomy({ { 0, "Background" }, { 1, "Nucleus" } });
}

// A layer, the task manager and the three controllers, as the main window holds them.
struct Jobs {
    CellLayer layer;
    TaskManager tasks;
    CellExportController exporter { &tasks, &layer };
    DetectionImportController detections { &tasks, &layer };
    EmbeddingImportController embeddings { &tasks, &layer };
};

// Per-cell features as an embedding matrix (n × 4): real values that identify each row.
std::vector<float> featureRows(const std::vector<SlideCell>& cells)
{
    std::vector<float> rows;
    for (const SlideCell& c : cells)
        rows.insert(
            rows.end(), { float(c.centroid.x), float(c.centroid.y), float(c.contour.size()), float(c.cmax - c.cmin) });
    return rows;
}

} // namespace

class TestFileJobs : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true); // no project stores of the user's
        CELLVIT_REQUIRE_PATH(test::sampleSlide());
        QVERIFY(m_dir.isValid());
        const auto folder = std::filesystem::path(m_dir.filePath(QStringLiteral("results")).toStdString());
        m_cells = test::classicRunIntoResultsFolder(test::sampleSlide(), folder).run.cells;
        QVERIFY2(m_cells.size() > 1000, qPrintable(QString::number(m_cells.size())));
        m_mpp = openSlide(test::sampleSlide())->mppX();
        QVERIFY(m_mpp);
    }

    void exportWritesTheLayersNuclei()
    {
        Jobs jobs;
        jobs.layer.setTaxonomy(nucleusTaxonomy());
        jobs.layer.setCells(m_cells);
        const QString path = m_dir.filePath(QStringLiteral("all.geojson"));
        QSignalSpy finished(&jobs.exporter, &CellExportController::finished);
        QSignalSpy failed(&jobs.exporter, &CellExportController::failed);
        QVERIFY(jobs.exporter.exportCells(path, {}, m_mpp));
        QVERIFY(jobs.exporter.isExporting());
        // One export at a time: a second one is refused, naming its file; the first goes on.
        QVERIFY(!jobs.exporter.exportCells(m_dir.filePath(QStringLiteral("second.geojson")), {}, m_mpp));
        QCOMPARE(failed.size(), 1);
        QVERIFY2(failed.first().at(1).toString().contains(QStringLiteral("second.geojson")),
            qPrintable(failed.first().at(1).toString()));
        QVERIFY(finished.wait(kJobTimeoutMs));
        QVERIFY(!jobs.exporter.isExporting());
        QCOMPARE(failed.size(), 1);
        QCOMPARE(finished.first().at(0).toString(), path);
        QCOMPARE(finished.first().at(1).toULongLong(), qulonglong(m_cells.size()));
        QVERIFY(!finished.first().at(2).toBool());
        const GeoJsonImport back = readGeoJsonFile(path.toStdString());
        QCOMPARE(back.features.size(), m_cells.size());
        for (const GeoJsonFeature& f : back.features)
            QCOMPARE(f.className, std::string("Nucleus"));

        // One region: exactly the cells centred inside it.
        const QPolygonF region(QRectF(500, 500, 800, 900));
        const size_t inside = jobs.layer.cellsWithCentroidIn(region).size();
        QVERIFY(inside > 10 && inside < m_cells.size());
        const QString part = m_dir.filePath(QStringLiteral("region.geojson"));
        QVERIFY(jobs.exporter.exportCells(part, { region, region }, m_mpp)); // overlapping regions: each cell once
        QVERIFY(finished.wait(kJobTimeoutMs));
        QCOMPARE(finished.last().at(1).toULongLong(), qulonglong(inside));
        QCOMPARE(readGeoJsonFile(part.toStdString()).features.size(), inside);
    }

    void exportErrorsNameTheFile()
    {
        Jobs jobs;
        QSignalSpy failed(&jobs.exporter, &CellExportController::failed);
        const QString nothing = m_dir.filePath(QStringLiteral("nothing.geojson"));
        QVERIFY(!jobs.exporter.exportCells(nothing, {}, m_mpp)); // an empty layer: refused at once
        QCOMPARE(failed.size(), 1);
        QVERIFY2(failed.first().at(1).toString().contains(QStringLiteral("nothing.geojson")),
            qPrintable(failed.first().at(1).toString()));
        QVERIFY(!QFile::exists(nothing));

        jobs.layer.setCells(m_cells);
        const QString unwritable = m_dir.filePath(QStringLiteral("no-such-folder/cells.geojson"));
        QVERIFY(jobs.exporter.exportCells(unwritable, {}, m_mpp));
        QVERIFY(failed.wait(kJobTimeoutMs));
        QVERIFY2(failed.last().at(1).toString().contains(QStringLiteral("cells.geojson")),
            qPrintable(failed.last().at(1).toString()));
        QCOMPARE(jobs.layer.size(), m_cells.size());
    }

    void importShowsTheFilesDetections()
    {
        const QString path = writeGeoJson(QStringLiteral("detections.geojson"), m_cells);
        Jobs jobs;
        QSignalSpy imported(&jobs.detections, &DetectionImportController::imported);
        jobs.detections.importFile(path, m_mpp);
        QVERIFY(jobs.detections.isImporting());
        QCOMPARE(jobs.layer.size(), size_t(0)); // read in the background
        QVERIFY(imported.wait(kJobTimeoutMs));
        QVERIFY(!jobs.detections.isImporting());
        QCOMPARE(imported.first().at(1).toULongLong(), qulonglong(m_cells.size()));
        QVERIFY(imported.first().at(3).toStringList().isEmpty()); // no problems
        QCOMPARE(jobs.layer.size(), m_cells.size());
        QCOMPARE(jobs.layer.className(jobs.layer.cells().front().type), QStringLiteral("Nucleus"));
        for (size_t i = 0; i < m_cells.size(); i += 97) // centroids come back from the µm measurements
            QVERIFY(std::abs(jobs.layer.cells()[i].centroid.x - m_cells[i].centroid.x) < 0.01
                && std::abs(jobs.layer.cells()[i].centroid.y - m_cells[i].centroid.y) < 0.01);
    }

    void aMalformedImportKeepsTheNucleiShown()
    {
        Jobs jobs;
        jobs.layer.setTaxonomy(nucleusTaxonomy());
        jobs.layer.setCells(m_cells);
        const quint64 revision = jobs.layer.contentRevision();
        QSignalSpy imported(&jobs.detections, &DetectionImportController::imported);
        QSignalSpy failed(&jobs.detections, &DetectionImportController::failed);

        // A real export cut off half-way (a copy that did not finish).
        const QString whole = writeGeoJson(QStringLiteral("whole.geojson"), m_cells);
        QFile source(whole);
        QVERIFY(source.open(QIODevice::ReadOnly));
        const QByteArray text = source.readAll();
        const QString truncated = m_dir.filePath(QStringLiteral("truncated.geojson"));
        QFile cut(truncated);
        QVERIFY(cut.open(QIODevice::WriteOnly));
        cut.write(text.left(text.size() / 2));
        cut.close();
        jobs.detections.importFile(truncated, m_mpp);
        QVERIFY(failed.wait(kJobTimeoutMs));
        const QString error = failed.first().at(1).toString();
        QVERIFY2(error.contains(QStringLiteral("truncated.geojson")) && error.contains(QStringLiteral("JSON")),
            qPrintable(error));

        // Real QuPath annotations (PUMA), no detections: nothing to show, so nothing is replaced.
        const auto annotations
            = test::dataDir() / "puma_nuclei_geojson_samples" / "training_set_primary_roi_006_nuclei.geojson";
        CELLVIT_REQUIRE_PATH(annotations);
        jobs.detections.importFile(QString::fromStdString(annotations.string()), m_mpp);
        QVERIFY(failed.wait(kJobTimeoutMs));
        const QString none = failed.last().at(1).toString();
        QVERIFY2(none.contains(QStringLiteral("training_set_primary_roi_006_nuclei.geojson"))
                && none.contains(QStringLiteral("no detections")),
            qPrintable(none));

        QVERIFY(imported.isEmpty());
        QCOMPARE(jobs.layer.contentRevision(), revision);
        QCOMPARE(jobs.layer.size(), m_cells.size());
        QCOMPARE(jobs.layer.className(1), QStringLiteral("Nucleus"));
    }

    void embeddingsAttachToTheNuclei()
    {
        Jobs jobs;
        jobs.layer.setCells(m_cells);
        const std::vector<float> rows = featureRows(m_cells);
        const QString npy = m_dir.filePath(QStringLiteral("embeddings.npy"));
        writeNpy(npy.toStdString(), { int64_t(m_cells.size()), 4 }, rows.data());
        QSignalSpy loaded(&jobs.embeddings, &EmbeddingImportController::loaded);
        QSignalSpy failed(&jobs.embeddings, &EmbeddingImportController::failed);
        jobs.embeddings.loadFile(npy);
        QVERIFY(loaded.wait(kJobTimeoutMs));
        QCOMPARE(loaded.first().at(1).toULongLong(), qulonglong(m_cells.size()));
        QCOMPARE(loaded.first().at(2).toInt(), 4);
        QCOMPARE(jobs.layer.embeddingDim(), 4);
        QCOMPARE(jobs.layer.embeddings(), rows);

        // One row short (the embeddings of another run): refused, naming the file and both shapes.
        const QString shortFile = m_dir.filePath(QStringLiteral("short.npy"));
        writeNpy(shortFile.toStdString(), { int64_t(m_cells.size() - 1), 4 }, rows.data());
        jobs.embeddings.loadFile(shortFile);
        QVERIFY(failed.wait(kJobTimeoutMs));
        const QString error = failed.first().at(1).toString();
        QVERIFY2(error.contains(QStringLiteral("short.npy"))
                && error.contains(QStringLiteral("(%1, 4)").arg(m_cells.size() - 1))
                && error.contains(QStringLiteral("(%1, D)").arg(m_cells.size())),
            qPrintable(error));

        // Not a .npy file at all.
        const QString bogus = m_dir.filePath(QStringLiteral("bogus.npy"));
        QFile text(bogus);
        QVERIFY(text.open(QIODevice::WriteOnly));
        text.write("these are not embeddings\n");
        text.close();
        jobs.embeddings.loadFile(bogus);
        QVERIFY(failed.wait(kJobTimeoutMs));
        QVERIFY2(failed.last().at(1).toString().contains(QStringLiteral("bogus.npy")),
            qPrintable(failed.last().at(1).toString()));

        QCOMPARE(loaded.size(), 1);
        QCOMPARE(jobs.layer.embeddings(), rows); // the first file's, untouched
    }

    // Import QuPath Detections of a large file through the window (docks, overlay and counts react to the new
    // nuclei): the GUI thread's event loop never stalls.
    void importingALargeFileKeepsTheEventLoopServed()
    {
        // The sample's nuclei repeated over a 4 × 4 grid of slide-sized tiles: real outlines, whole-slide numbers.
        const auto sample = openSlide(test::sampleSlide());
        const double width = double(sample->levels()[0].width), height = double(sample->levels()[0].height);
        std::vector<SlideCell> many;
        for (int ty = 0; ty < 4; ++ty)
            for (int tx = 0; tx < 4; ++tx)
                for (SlideCell c : m_cells) {
                    for (cv::Point2d& p : c.contour)
                        p += cv::Point2d(tx * width, ty * height);
                    c.centroid += cv::Point2d(tx * width, ty * height);
                    c.cmin += tx * width;
                    c.cmax += tx * width;
                    c.rmin += ty * height;
                    c.rmax += ty * height;
                    many.push_back(std::move(c));
                }
        const QString path = writeGeoJson(QStringLiteral("large.geojson"), many);
        qInfo("%zu detections, %lld MB", many.size(), QFileInfo(path).size() >> 20);

        MainWindow window;
        window.setErrorReporter([](QWidget*, const QString& t, const QString& m) { QFAIL(qPrintable(t + m)); });
        window.show();
        QVERIFY(window.openSlide(QString::fromStdString(test::sampleSlide().string())));
        window.tasks()->waitForAll();
        QTest::qWait(200); // the first tiles

        QSignalSpy imported(window.detectionImport(), &DetectionImportController::imported);
        test::EventLoopGapMeter meter;
        meter.start();
        window.importDetections(path);
        QVERIFY(imported.wait(kJobTimeoutMs));
        QTest::qWait(200); // what the new nuclei set off on the GUI thread (repaints, counts)
        meter.stop();
        QCOMPARE(window.cellLayer()->size(), many.size());
        qInfo("import took %lld ms; %d ticks, longest gap %lld ms", meter.elapsedMs(), meter.ticks(), meter.maxGapMs());
        QVERIFY(meter.ticks() > 10);
        QVERIFY2(meter.maxGapMs() <= kMaxGapMs, qPrintable(QString::number(meter.maxGapMs())));
    }

private:
    QString writeGeoJson(const QString& name, const std::vector<SlideCell>& cells)
    {
        const QString path = m_dir.filePath(name);
        GeoJsonExportOptions options;
        options.taxonomy = nucleusTaxonomy();
        options.micronsPerPixel = m_mpp;
        writeCellsGeoJson(path.toStdString(), cells, options);
        return path;
    }

    QTemporaryDir m_dir;
    std::vector<SlideCell> m_cells;
    std::optional<double> m_mpp;
};

QTEST_MAIN(TestFileJobs)
#include "tst_file_jobs.moc"
