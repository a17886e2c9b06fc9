// `cellvit-cli evaluate` as a user runs it: folders of golden predictions (cells.json) and ground
// truth (.npy) paired by stem, JSON results against the reference values, usage and data errors.
#include "test_json.h"
#include "test_support.h"

#include <QTemporaryDir>
#include <fstream>
#include <nlohmann/json.hpp>

using namespace cellvit;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

using Run = test::ProcessRun;

Run runEvaluate(const QStringList& args)
{
    return test::runCli(QStringList { QStringLiteral("evaluate") } + args);
}

using test::readJson;

bool close(const json& actual, const json& expected)
{
    const double a = actual.get<double>();
    const double e = expected.get<double>();
    return std::abs(a - e) <= 1e-12 * std::max(1.0, std::abs(e));
}

} // namespace

class TestCliEvaluate : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { CELLVIT_REQUIRE_PATH(fs::path(test::cliPath().toStdString())); }

    void goldenFoldersGiveReferenceScores_data()
    {
        QTest::addColumn<QString>("group");
        QTest::addColumn<int>("magnification");
        QTest::newRow("x40") << "x40" << 40;
        QTest::newRow("x20") << "x20" << 20;
    }

    void goldenFoldersGiveReferenceScores()
    {
        QFETCH(QString, group);
        QFETCH(int, magnification);
        const fs::path golden = test::goldenDir() / "metrics";
        CELLVIT_REQUIRE_PATH(golden / "expected_dataset_metrics.json");
        const json expected = readJson(golden / "expected_dataset_metrics.json")[group.toStdString()];

        // The pipeline's layout for predictions (<name>/cells.json) and suffixed ground-truth maps.
        QTemporaryDir tmp;
        const fs::path root = tmp.path().toStdString();
        for (const auto& name : expected["images"]) {
            const fs::path src = golden / "images" / name.get<std::string>();
            fs::create_directories(root / "pred" / name.get<std::string>());
            fs::create_directories(root / "gt");
            fs::copy_file(src / "pred_cells.json", root / "pred" / name.get<std::string>() / "cells.json");
            fs::copy_file(src / "gt_instance_map.npy", root / "gt" / (name.get<std::string>() + "_gt.npy"));
        }
        const fs::path out = root / "metrics.json";
        const Run r = runEvaluate({ QStringLiteral("--pred"), QString::fromStdString((root / "pred").string()),
            QStringLiteral("--gt"), QString::fromStdString((root / "gt").string()), QStringLiteral("--magnification"),
            QString::number(magnification), QStringLiteral("--json"), QString::fromStdString(out.string()) });
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY(r.out.contains(QStringLiteral("bPQ")) && r.out.contains(QStringLiteral("F1")));

        const json result = readJson(out);
        QCOMPARE(result["magnification"].get<int>(), magnification);
        QCOMPARE(result["pairing_radius"].get<double>(), expected["pairing_radius"].get<double>());
        const json& d = result["dataset"];
        QCOMPARE(d["images"].get<size_t>(), expected["images"].size());
        // The ground-truth maps carry no classes: binary and detection scores only.
        for (const char* key : { "bPQ", "bDQ", "bSQ", "f1_detection", "precision_detection", "recall_detection" })
            QVERIFY2(close(d[key], expected[key]), key);
        QVERIFY(d["mPQ"].is_null());
        QCOMPARE(d["pooled_counts"], expected["pooled_counts"]);
        QCOMPARE(result["images"].size(), expected["images"].size());
    }

    void helpAndUsageErrors()
    {
        const Run help = runEvaluate({ QStringLiteral("--help") });
        QCOMPARE(help.exitCode, 0);
        QVERIFY(help.out.contains(QStringLiteral("--magnification")));

        QCOMPARE(runEvaluate({}).exitCode, 2);
        const fs::path xml = test::dataDir() / "monuseg_train_subset" / "Annotations" / "TCGA-B0-5710-01Z-00-DX1.xml";
        const QString x = QString::fromStdString(xml.string());
        QCOMPARE(runEvaluate({ QStringLiteral("--pred"), x, QStringLiteral("--gt"), x,
                                 QStringLiteral("--magnification"), QStringLiteral("10") })
                     .exitCode,
            2);
        QCOMPARE(runEvaluate({ QStringLiteral("--pred"), x, QStringLiteral("--gt"),
                                 QString::fromStdString(xml.parent_path().string()) })
                     .exitCode,
            2);
    }

    void dataErrorsNameTheFile()
    {
        QTemporaryDir tmp;
        const fs::path bad = fs::path(tmp.path().toStdString()) / "broken_cells.json";
        std::ofstream(bad) << "{\"cells\": [";
        const QString gt = QString::fromStdString(
            (test::goldenDir() / "metrics" / "images" / "img00_cpm_image09" / "gt_instance_map.npy").string());
        const Run r = runEvaluate(
            { QStringLiteral("--pred"), QString::fromStdString(bad.string()), QStringLiteral("--gt"), gt });
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(QStringLiteral("broken_cells.json")), qPrintable(r.err));

        const Run missing
            = runEvaluate({ QStringLiteral("--pred"), gt + QStringLiteral(".missing"), QStringLiteral("--gt"), gt });
        QCOMPARE(missing.exitCode, 1);
        QVERIFY(missing.err.contains(QStringLiteral("gt_instance_map.npy.missing")));

        // A 256x256 prediction against a full CPM-15 mask: a size mismatch is reported, not a crash.
        const QString mask
            = QString::fromStdString((test::dataDir() / "cpm15_miccai2015_training" / "image09_mask.txt").string());
        const QString pred = QString::fromStdString(
            (test::goldenDir() / "metrics" / "images" / "img00_cpm_image09" / "pred_instance_map.npy").string());
        const Run mismatch = runEvaluate({ QStringLiteral("--pred"), pred, QStringLiteral("--gt"), mask });
        QCOMPARE(mismatch.exitCode, 1);
        QVERIFY2(mismatch.err.contains(QStringLiteral("pred_instance_map.npy")), qPrintable(mismatch.err));

        // Polygons are rasterised at the size of the raster side.
        const QString xml = QString::fromStdString(
            (test::dataDir() / "monuseg_train_subset" / "Annotations" / "TCGA-B0-5710-01Z-00-DX1.xml").string());
        QCOMPARE(runEvaluate({ QStringLiteral("--pred"), xml, QStringLiteral("--gt"), pred }).exitCode, 0);
    }

    void selfEvaluationOfMonusegIsPerfect()
    {
        const QString xml = QString::fromStdString(
            (test::dataDir() / "monuseg_train_subset" / "Annotations" / "TCGA-21-5786-01Z-00-DX1.xml").string());
        QTemporaryDir tmp;
        const QString out = tmp.filePath(QStringLiteral("self.json"));
        const Run r = runEvaluate(
            { QStringLiteral("--pred"), xml, QStringLiteral("--gt"), xml, QStringLiteral("--json"), out });
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const json d = readJson(out.toStdString())["dataset"];
        QCOMPARE(d["f1_detection"].get<double>(), 1.0);
        QVERIFY(d["bPQ"].get<double>() > 1.0 - 1e-6);
        QCOMPARE(d["pooled_counts"]["unpaired_gt"].get<int>(), 0);
    }
};

QTEST_GUILESS_MAIN(TestCliEvaluate)
#include "tst_cli_evaluate.moc"
