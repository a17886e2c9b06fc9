// `cellvit-cli evaluate` as a user runs it: folders of golden predictions (cells.json) and ground
// truth (.npy) paired by stem, JSON results against the reference values, usage and data errors.
#include "inference/metrics/consep_labels.h"
#include "inference/metrics/instance_centroids.h"
#include "inference/metrics/instance_map_reader.h"
#include "test_json.h"
#include "test_support.h"

#include <QTemporaryDir>
#include <fstream>
#include <functional>
#include <nlohmann/json.hpp>
#include <opencv2/imgproc.hpp>

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

// A cells.json holding a CoNSeP patch's own nuclei (outer contour, centroid) with the given type per ground-truth
// class (0: left out) under `typeMap`: a prediction whose every difference from the truth is chosen by the test.
json consepCellsJson(const fs::path& typeMat, const std::function<int(size_t index, int gtClass)>& typeOf,
    const json& typeMap)
{
    const fs::path inst = metrics::consepInstanceMapFor(typeMat);
    const cv::Mat labels = metrics::readInstanceMapNpy(inst);
    const std::map<int, int> classes = metrics::consepClassById(labels, inst, typeMat);
    json cells = json::array();
    size_t index = 0;
    for (const metrics::InstanceCentroid& c : metrics::instanceCentroids(labels)) {
        const int type = typeOf(index++, classes.at(c.id));
        if (type == 0)
            continue;
        std::vector<std::vector<cv::Point>> contours;
        cv::findContours(labels == c.id, contours, cv::RETR_EXTERNAL, cv::CHAIN_APPROX_NONE);
        const auto largest = std::max_element(contours.begin(), contours.end(),
            [](const auto& a, const auto& b) { return cv::contourArea(a) < cv::contourArea(b); });
        json contour = json::array();
        for (const cv::Point& p : *largest)
            contour.push_back({ p.x, p.y });
        cells.push_back({ { "contour", contour }, { "centroid", { c.centroid.x, c.centroid.y } }, { "type", type } });
    }
    return { { "type_map", typeMap }, { "cells", cells } };
}

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

    // CoNSeP patch train_3_002 (77 nuclei: 20 epithelial, 14 inflammatory, 43 spindle-shaped, no other), scored
    // as scripts/evaluate-holdout.sh lays it out (a link to the .mat, <patch>/cells.json). The prediction is the
    // truth in the bundled stage-3 model's naming with other ids (1 Others, 2 Fibroblast, 3 Inflammatory,
    // 4 Epithelial), minus one connective nucleus, with one epithelial nucleus called inflammatory. By hand
    // (F1_c = 2(TP+TN) / (2(TP+TN) + 2FP + 2FN + FP_d + FN_d)):
    //   detection: TP 76, FN 1              -> F1 152/153, recall 76/77, precision 1
    //   Epithelial: TP 19, FN 1             -> F1 38/40
    //   Inflammatory: TP 14, FP 1           -> F1 28/30
    //   Connective: TP 42, FN_d 1           -> F1 84/85
    //   Other: no nucleus on either side    -> n/a;  mean class F1 = (38/40 + 28/30 + 84/85) / 3
    void consepPatchWithPerturbedPrediction()
    {
        const fs::path typeMat = test::dataDir() / "consep_train_patches" / "type_mat" / "train_3_002.mat";
        CELLVIT_REQUIRE_PATH(typeMat);
        QTemporaryDir tmp;
        const fs::path root = tmp.path().toStdString();
        fs::create_directories(root / "gt");
        fs::create_symlink(typeMat, root / "gt" / "train_3_002.mat");
        const json stage3Names = { { "0", "Background" }, { "1", "Others" }, { "2", "Fibroblast" },
            { "3", "Inflammatory" }, { "4", "Epithelial" } };
        // Taxonomy ids 1 Epithelial, 2 Inflammatory, 3 Connective, 4 Other -> the stage-3 ids above.
        const int stage3Id[] = { 0, 4, 3, 2, 1 };
        int droppedConnective = 0, relabelledEpithelial = 0;
        const json cells = consepCellsJson(
            typeMat,
            [&](size_t, int gtClass) {
                if (gtClass == 3 && droppedConnective++ == 0)
                    return 0;
                if (gtClass == 1 && relabelledEpithelial++ == 0)
                    return stage3Id[2];
                return stage3Id[gtClass];
            },
            stage3Names);
        QCOMPARE(cells["cells"].size(), size_t(76));
        fs::create_directories(root / "pred" / "train_3_002");
        std::ofstream(root / "pred" / "train_3_002" / "cells.json") << cells.dump();

        const fs::path out = root / "scores.json";
        const Run r = runEvaluate({ QStringLiteral("--pred"), QString::fromStdString((root / "pred").string()),
            QStringLiteral("--gt"), QString::fromStdString((root / "gt").string()), QStringLiteral("--json"),
            QString::fromStdString(out.string()) });
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const json d = readJson(out)["dataset"];
        QCOMPARE(d["images"].get<int>(), 1);
        QVERIFY(std::abs(d["f1_detection"].get<double>() - 152.0 / 153) < 1e-12);
        QVERIFY(std::abs(d["recall_detection"].get<double>() - 76.0 / 77) < 1e-12);
        QCOMPARE(d["precision_detection"].get<double>(), 1.0);
        const json& c = d["per_class"];
        QCOMPARE(c.size(), size_t(4)); // the taxonomy's classes only: PanNuke's are not listed
        QVERIFY(std::abs(c["Epithelial"]["f1_cell"].get<double>() - 38.0 / 40) < 1e-12);
        QVERIFY(std::abs(c["Inflammatory"]["f1_cell"].get<double>() - 28.0 / 30) < 1e-12);
        QVERIFY(std::abs(c["Connective"]["f1_cell"].get<double>() - 84.0 / 85) < 1e-12);
        QVERIFY(c["Other"]["f1_cell"].is_null());
        QVERIFY(std::abs(d["f1_class_mean"].get<double>() - (38.0 / 40 + 28.0 / 30 + 84.0 / 85) / 3) < 1e-12);
        // One of 77 nuclei missing: DQ 76 / 76.5; the outlines are the truth's (up to split nuclei).
        QVERIFY2(d["bPQ"].get<double>() <= 76.0 / 76.5 && d["bPQ"].get<double>() > 0.95, d.dump().c_str());
        QVERIFY(r.out.contains(QStringLiteral("mean class F1")));

        // The classical engine names one class ("Nucleus"): detection only, no class scores.
        const json untyped = consepCellsJson(
            typeMat, [](size_t, int) { return 1; }, { { "0", "Background" }, { "1", "Nucleus" } });
        std::ofstream(root / "pred" / "train_3_002" / "cells.json") << untyped.dump();
        QCOMPARE(runEvaluate({ QStringLiteral("--pred"), QString::fromStdString((root / "pred").string()),
                                 QStringLiteral("--gt"), QString::fromStdString((root / "gt").string()),
                                 QStringLiteral("--json"), QString::fromStdString(out.string()) })
                     .exitCode,
            0);
        const json u = readJson(out)["dataset"];
        QCOMPARE(u["f1_detection"].get<double>(), 1.0);
        QVERIFY(u["per_class"].empty() && u["mPQ"].is_null() && u["f1_class_mean"].is_null());
    }
};

QTEST_GUILESS_MAIN(TestCliEvaluate)
#include "tst_cli_evaluate.moc"
