// `cellvit-cli segment` end to end with the golden trainer-layout STARDIST and CPP-Net checkpoints on one patch of
// the bundled slide: the run finishes, its outputs agree with each other and every exported polygon is valid for
// QuPath / shapely. The golden weights are random-like and find many spurious nuclei, so the test checks structure
// and validity, never counts; `inspect` names the decoder of the same file.
#include "inference/export/geojson_reader.h"
#include "inference/export/nucleus_shape.h"
#include "inference/geometry/valid_polygons.h"
#include "inference/io/npy.h"
#include "inference/store/project_store.h"
#include "inference/store/slide_identity.h"
#include "test_json.h"
#include "test_support.h"

#include <QRegularExpression>
#include <QTemporaryDir>

using namespace cellvit;
using test::ProcessRun;
using test::runCli;

class TestCliSegmentStarDist : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { CELLVIT_REQUIRE_PATH(test::sampleSlide()); }

    void segmentsOnePatch_data()
    {
        QTest::addColumn<QString>("arch");
        QTest::addColumn<QString>("decoder");
        QTest::newRow("STARDIST") << "CellViTStarDist"
                                  << "STARDIST";
        QTest::newRow("CPP-Net") << "CellViTCPP"
                                 << "CPP-Net";
    }

    void segmentsOnePatch()
    {
        QFETCH(QString, arch);
        QFETCH(QString, decoder);
        const auto checkpoint = test::goldenStarDistCheckpoint(arch.toStdString());
        CELLVIT_REQUIRE_PATH(checkpoint);
        const QString model = QString::fromStdString(checkpoint.string());

        const ProcessRun inspect = runCli({ QStringLiteral("inspect"), model });
        QCOMPARE(inspect.exitCode, 0);
        QVERIFY2(inspect.out.contains(QRegularExpression(QStringLiteral("decoder:\\s+%1\\n").arg(decoder))),
            qPrintable(inspect.out));

        // The checkpoint is x40 and the sample 0.5 µm/px: read at 2×, this region lies in patch (2, 2).
        QTemporaryDir dir;
        const ProcessRun run = runCli({ QStringLiteral("segment"), QString::fromStdString(test::sampleSlide().string()),
            QStringLiteral("--model"), model, QStringLiteral("--device"), QStringLiteral("cpu"),
            QStringLiteral("--region"), QStringLiteral("1000,1000,400,400"), QStringLiteral("--postproc-threads"),
            QStringLiteral("2"), QStringLiteral("--out"), dir.path() });
        QVERIFY2(run.exitCode == 0, qPrintable(run.err + run.out));
        QVERIFY2(run.out.contains(QLatin1String("from 1 patch ")), qPrintable(run.out));

        const std::filesystem::path out = dir.path().toStdString();
        const auto cells = test::readJson(out / "cells.json").at("cells");
        QVERIFY2(!cells.empty(), "the golden weights find nuclei here; none means the maps were not decoded");
        for (const auto& c : cells) {
            const double x = c.at("centroid")[0], y = c.at("centroid")[1];
            QVERIFY(x >= 1000 && x <= 1400 && y >= 1000 && y <= 1400);
            QVERIFY(c.at("contour").size() >= 3);
        }

        // One closed, valid ring per nucleus; the writer leaves out the contours without area (many of the golden
        // CPP-Net's tiny fragments) and says how many.
        size_t degenerate = 0;
        for (const auto& c : cells) {
            std::vector<cv::Point2d> contour;
            for (const auto& p : c.at("contour"))
                contour.emplace_back(p[0].get<double>(), p[1].get<double>());
            degenerate += exportRing(contour).empty();
        }
        const QRegularExpressionMatch reported
            = QRegularExpression(QStringLiteral("(\\d+) degenerate contours left out")).match(run.out);
        QCOMPARE(reported.hasMatch() ? reported.captured(1).toULongLong() : 0ULL, qulonglong(degenerate));
        const GeoJsonImport geo = readGeoJsonFile(out / "cells.geojson");
        QVERIFY(geo.issues.empty());
        QCOMPARE(geo.features.size(), cells.size() - degenerate);
        QVERIFY(!geo.features.empty());
        for (const auto& f : geo.features) {
            QCOMPARE(f.geometry.type, std::string("Polygon"));
            const auto& ring = f.geometry.polygons.at(0).rings.at(0);
            QVERIFY(ring.size() >= 4);
            QCOMPARE(ring.front(), ring.back());
            QVERIFY2(geos::isValidRing({ ring.begin(), ring.end() - 1 }), f.id.c_str());
        }

        // One embedding row per cell, as wide as the encoder's tokens.
        const int64_t embedDim = test::readJson(test::goldenDir() / "stardist" / arch.toStdString() / "info.json")
                                     .at("config")
                                     .at("model.embed_dim");
        QCOMPARE(readNpy(out / "embeddings.npy").shape,
            (std::vector<int64_t> { static_cast<int64_t>(cells.size()), embedDim }));

        // The project store holds one finished run of this model with all of the patch's cells.
        const std::filesystem::path storeFile = storePathForSlide(test::sampleSlide(), out);
        QVERIFY2(std::filesystem::exists(storeFile), storeFile.c_str());
        ProjectStore store(storeFile);
        const auto runs = store.runs();
        QCOMPARE(runs.size(), size_t(1));
        QCOMPARE(runs[0].status, RunStatus::Finished);
        QCOMPARE(runs[0].patchesFinished, 1);
        QVERIFY(runs[0].meta.modelPath.endsWith(QLatin1String("checkpoint.pth")));
        size_t inRegion = 0;
        for (const auto& c : store.loadCells(runs[0].id))
            inRegion += c.centroid.x >= 1000 && c.centroid.x <= 1400 && c.centroid.y >= 1000 && c.centroid.y <= 1400;
        QCOMPARE(inRegion, cells.size());
    }
};

QTEST_GUILESS_MAIN(TestCliSegmentStarDist)
#include "tst_cli_segment_stardist.moc"
