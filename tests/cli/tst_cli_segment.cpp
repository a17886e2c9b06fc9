// `cellvit-cli segment` end to end on the bundled slide with a golden checkpoint: outputs agree with each
// other, lie in the region, obey QuPath's rules; a rerun resumes; bad requests fail clearly. (The golden
// weights are random-like and find few or no nuclei; where the cells come out right is checked with a
// ground-truth oracle in tests/pipeline/tst_slide_run_oracle.cpp.)
#include "inference/export/geojson_reader.h"
#include "inference/io/npy.h"
#include "inference/store/project_store.h"
#include "inference/store/slide_identity.h"
#include "test_support.h"

#include <QTemporaryDir>

#include <fstream>
#include <nlohmann/json.hpp>

using namespace cellvit;
using test::ProcessRun;
using test::runCli;

namespace {

QStringList segmentArgs(const QString& outDir, const QString& region)
{
    return { QStringLiteral("segment"), QString::fromStdString(test::sampleSlide().string()), QStringLiteral("--model"),
             QString::fromStdString(test::goldenCheckpoint("sam_small").string()), QStringLiteral("--device"),
             QStringLiteral("cpu"), QStringLiteral("--region"), region, QStringLiteral("--postproc-threads"),
             QStringLiteral("2"), QStringLiteral("--out"), outDir };
}

} // namespace

class TestCliSegment : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        CELLVIT_REQUIRE_PATH(test::goldenCheckpoint("sam_small"));
        CELLVIT_REQUIRE_PATH(test::sampleSlide());
    }

    void segmentsARegionAndResumes()
    {
        QTemporaryDir dir;
        // With this x40 checkpoint the 0.5 µm/px sample is read at 2×: patch (2, 2) covers level-0 [946, 1459)².
        const QString region = QStringLiteral("1000,1000,400,400");
        const ProcessRun first = runCli(segmentArgs(dir.path(), region));
        QVERIFY2(first.exitCode == 0, qPrintable(first.err));
        QVERIFY2(first.out.contains(QLatin1String("from 1 patch ")), qPrintable(first.out));

        const std::filesystem::path out = dir.path().toStdString();
        std::ifstream cellsFile(out / "cells.json");
        const auto cells = nlohmann::json::parse(cellsFile);
        const auto& list = cells.at("cells");
        QVERIFY(list.is_array());
        QCOMPARE(cells.at("type_map").at("1").get<std::string>(), std::string("Neoplastic"));
        for (const auto& c : list) {
            const double x = c.at("centroid")[0], y = c.at("centroid")[1];
            QVERIFY(x >= 1000 && x <= 1400 && y >= 1000 && y <= 1400);
            QVERIFY(c.at("type").get<int>() >= 1);
        }
        std::ifstream detectionFile(out / "cell_detection.json");
        QCOMPARE(nlohmann::json::parse(detectionFile).at("cells").size(), list.size());

        const GeoJsonImport geo = readGeoJsonFile(out / "cells.geojson");
        QVERIFY(geo.issues.empty());
        QCOMPARE(geo.features.size(), list.size()); // one Feature per nucleus, all valid for QuPath
        for (const auto& f : geo.features)
            QCOMPARE(f.objectType, GeoJsonObjectType::Detection);

        const NpyArray embeddings = readNpy(out / "embeddings.npy");
        QCOMPARE(embeddings.shape, (std::vector<int64_t> { static_cast<int64_t>(list.size()), 64 }));

        // The folder's project store holds the run as the app reads it: the slide, the classes it was made with,
        // the region's outline, and cells that restore to those of cells.json.
        const std::filesystem::path storeFile = storePathForSlide(test::sampleSlide(), out);
        QVERIFY2(std::filesystem::exists(storeFile), storeFile.c_str());
        {
            ProjectStore store(storeFile);
            QCOMPARE(std::filesystem::absolute(*store.slidePath()), std::filesystem::absolute(test::sampleSlide()));
            const auto runs = store.runs();
            QCOMPARE(runs.size(), size_t(1));
            QCOMPARE(runs[0].status, RunStatus::Finished);
            QCOMPARE(runs[0].patchesFinished, 1);
            QCOMPARE(runs[0].meta.classNames.value(1), QStringLiteral("Neoplastic"));
            QVERIFY(runs[0].meta.modelPath.endsWith(QLatin1String(".pth")));
            const nlohmann::json outline = { { { 1000, 1000 }, { 1400, 1000 }, { 1400, 1400 }, { 1000, 1400 } } };
            QCOMPARE(runs[0].meta.parameters.at("regions"), outline);
            // The region is the project's region, so the app shows what was segmented.
            const auto regions = store.loadRegions();
            QCOMPARE(regions.size(), size_t(1));
            QCOMPARE(regions[0].geometry.at("coordinates").at(0).size(), size_t(5)); // closed ring
            QCOMPARE(regions[0].geometry.at("coordinates").at(0).at(2), outline.at(0).at(2));
            const auto restored = store.loadCells(runs[0].id);
            size_t inRegion = 0;
            for (const auto& c : restored)
                inRegion += c.centroid.x >= 1000 && c.centroid.x <= 1400 && c.centroid.y >= 1000 && c.centroid.y <= 1400;
            QCOMPARE(inRegion, list.size());
        }

        // The same command continues the stored run: the patch is taken from the store, not run again.
        const ProcessRun second = runCli(segmentArgs(dir.path(), region));
        QVERIFY2(second.exitCode == 0, qPrintable(second.err));
        QVERIFY2(second.out.contains(QLatin1String("1 resumed")), qPrintable(second.out));
        std::ifstream again(out / "cells.json");
        QCOMPARE(nlohmann::json::parse(again).at("cells"), list);
        QCOMPARE(ProjectStore(storeFile).runs().size(), size_t(1));

        // Other settings are another run of the same store.
        const ProcessRun other = runCli(segmentArgs(dir.path(), QStringLiteral("1000,1000,300,300")));
        QVERIFY2(other.exitCode == 0, qPrintable(other.err));
        QVERIFY2(!other.out.contains(QLatin1String("resumed")), qPrintable(other.out));
        QCOMPARE(ProjectStore(storeFile).runs().size(), size_t(2));
    }

    void rejectsBadRequests()
    {
        QTemporaryDir dir;
        // Empty region.
        ProcessRun r = runCli(segmentArgs(dir.path(), QStringLiteral("10,10,0,50")));
        QVERIFY(r.exitCode != 0);
        QVERIFY2(r.err.contains(QLatin1String("empty")), qPrintable(r.err));
        // Region outside the slide.
        r = runCli(segmentArgs(dir.path(), QStringLiteral("50000,50000,100,100")));
        QVERIFY(r.exitCode != 0);
        QVERIFY2(r.err.contains(QLatin1String("outside")), qPrintable(r.err));
        // A slide without resolution metadata needs --mpp.
        const auto tcga = test::dataDir() / "wsi_openslide_samples" / "tcga-cr-7395-01a-01-ts1.svs";
        CELLVIT_REQUIRE_PATH(tcga);
        QStringList args = segmentArgs(dir.path(), QStringLiteral("0,0,500,500"));
        args[1] = QString::fromStdString(tcga.string());
        r = runCli(args);
        QVERIFY(r.exitCode != 0);
        QVERIFY2(r.err.contains(QLatin1String("--mpp")) && r.err.contains(QLatin1String("tcga-cr-7395")), qPrintable(r.err));
        // Without --model the default bundled model runs: see tst_cli_default_model.
    }
};

QTEST_GUILESS_MAIN(TestCliSegment)
#include "tst_cli_segment.moc"
