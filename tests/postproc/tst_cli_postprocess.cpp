// `cellvit-cli postprocess` end to end: the real binary on a golden case writes the reference outputs, and bad
// input gives a clear error and a non-zero exit code.
#include "golden_cases.h"
#include "stardist_golden_cases.h"
#include "inference/io/npy.h"
#include "test_json.h"

#include <QTemporaryDir>
#include <fstream>
#include <nlohmann/json.hpp>

using namespace cellvit;

namespace {

using Run = test::ProcessRun;

Run runPostprocess(const QStringList& args)
{
    return test::runCli(QStringList { QStringLiteral("postprocess") } + args);
}

QString q(const std::filesystem::path& p)
{
    return QString::fromStdString(p.string());
}

QStringList inputArgs(const test::PostprocGoldenCase& c)
{
    return { QStringLiteral("--np"), q(c.npPath()), QStringLiteral("--hv"), q(c.hvPath()), QStringLiteral("--nt"),
        q(c.ntPath()), QStringLiteral("--magnification"), QString::number(c.magnification) };
}

using test::readJson;

} // namespace

class TestCliPostprocess : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void writesReferenceOutputs_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<int>("magnification");
        QTest::newRow("monuseg 1024 x20 (argmax inputs)") << QStringLiteral("monuseg_CH5767_1024") << 20;
        QTest::newRow("cpm 256 x40 (probability inputs)") << QStringLiteral("cpm_image12_256") << 40;
    }

    void writesReferenceOutputs()
    {
        QFETCH(QString, name);
        QFETCH(int, magnification);
        const test::PostprocGoldenCase golden { name.toStdString(), magnification };
        CELLVIT_REQUIRE_PATH(golden.expectedDir() / "cells.json");
        QTemporaryDir dir;
        const std::filesystem::path out = dir.filePath(QStringLiteral("out")).toStdString();
        const Run r = runPostprocess(inputArgs(golden)
            + QStringList { QStringLiteral("--threads"), QStringLiteral("2"), QStringLiteral("--out"), q(out) });
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));

        const NpyArray map = readNpy(out / "instance_map.npy");
        const NpyArray expectedMap = readNpy(golden.expectedDir() / "instance_map.npy");
        QCOMPARE(map.dtype, std::string("<i4"));
        QCOMPARE(map.shape, expectedMap.shape);
        QVERIFY(map.toVector<int32_t>() == expectedMap.toVector<int32_t>());

        // Same records, key by key (integers exact, floats within the golden tolerances).
        const nlohmann::json cells = readJson(out / "cells.json");
        const nlohmann::json expected = readJson(golden.expectedDir() / "cells.json");
        QCOMPARE(cells.size(), expected.size());
        for (size_t i = 0; i < expected.size(); ++i) {
            for (const char* key : { "id", "raw_id", "bbox", "contour", "type" })
                QVERIFY2(cells[i].at(key) == expected[i].at(key), key);
            for (int k = 0; k < 2; ++k)
                QVERIFY(
                    std::abs(cells[i]["centroid"][k].get<double>() - expected[i]["centroid"][k].get<double>()) <= 1e-9);
            QVERIFY(std::abs(cells[i]["type_prob"].get<double>() - expected[i]["type_prob"].get<double>()) <= 1e-12);
        }
    }

    // --decoder stardist|cpp on full maps written from the golden cases (rays 0 where prob <= 0.5, as the reference
    // got them; the type map as 6 x H x W one-hot floats to exercise the argmax).
    void starDistWritesReferenceOutputs_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("decoder");
        QTest::newRow("stardist hard case") << QStringLiteral("stardist_hard_monuseg_CH-5767") << QStringLiteral("stardist");
        QTest::newRow("cpp") << QStringLiteral("cpp_cpm_image15") << QStringLiteral("cpp");
    }
    void starDistWritesReferenceOutputs()
    {
        QFETCH(QString, name);
        QFETCH(QString, decoder);
        const auto caseDir = test::stardistGoldenDir() / "postproc" / name.toStdString();
        CELLVIT_REQUIRE_PATH(caseDir / "expected" / "cells.json");
        const test::StarDistCaseInputs in = test::loadStarDistCase(caseDir, test::stardistRaysFile(caseDir));
        QTemporaryDir dir;
        const std::filesystem::path d = dir.path().toStdString();
        const int64_t rows = in.prob.rows, cols = in.prob.cols;
        writeNpy(d / "prob.npy", { 1, rows, cols }, in.prob.ptr<float>());
        writeNpy(d / "rays.npy", { in.nrays, rows, cols }, in.rays.data());
        std::vector<float> oneHot(static_cast<size_t>(6 * rows * cols), 0.0f);
        for (int64_t i = 0; i < rows * cols; ++i)
            oneHot[static_cast<size_t>(in.typeArgmax.data[i] * rows * cols + i)] = 1.0f;
        writeNpy(d / "nt.npy", { 6, rows, cols }, oneHot.data());
        const Run r = runPostprocess({ QStringLiteral("--decoder"), decoder, QStringLiteral("--prob"), q(d / "prob.npy"),
            QStringLiteral("--rays"), q(d / "rays.npy"), QStringLiteral("--nt"), q(d / "nt.npy"), QStringLiteral("--out"),
            q(d / "out") });
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const NpyArray map = readNpy(d / "out" / "instance_map.npy");
        QVERIFY(map.toVector<int32_t>() == readNpy(caseDir / "expected" / "instance_map.npy").toVector<int32_t>());
        const nlohmann::json cells = readJson(d / "out" / "cells.json");
        const nlohmann::json expected = readJson(caseDir / "expected" / "cells.json");
        QCOMPARE(cells.size(), expected.size());
        for (size_t i = 0; i < expected.size(); ++i) {
            for (const char* key : { "id", "bbox", "contour", "type" })
                QVERIFY2(cells[i].at(key) == expected[i].at(key), key);
            for (int k = 0; k < 2; ++k)
                QVERIFY(std::abs(cells[i]["centroid"][k].get<double>() - expected[i]["centroid"][k].get<double>()) <= 1e-9);
            QVERIFY(std::abs(cells[i]["type_prob"].get<double>() - expected[i]["type_prob"].get<double>()) <= 1e-12);
        }
        // HoVer-Net inputs are not required with --decoder, its own are.
        const Run missing = runPostprocess({ QStringLiteral("--decoder"), decoder, QStringLiteral("--prob"),
            q(d / "prob.npy"), QStringLiteral("--nt"), q(d / "nt.npy"), QStringLiteral("--out"), q(d / "out2") });
        QCOMPARE(missing.exitCode, 2);
        QVERIFY2(missing.err.contains(QStringLiteral("--rays")), qPrintable(missing.err));
        const Run badDecoder = runPostprocess({ QStringLiteral("--decoder"), QStringLiteral("unet") });
        QCOMPARE(badDecoder.exitCode, 2);
    }

    void reportsBadInput()
    {
        const test::PostprocGoldenCase large { "monuseg_CH5767_1024", 40 }, small { "cpm_image12_256", 40 };
        CELLVIT_REQUIRE_PATH(small.hvPath());
        QTemporaryDir dir;
        const QString out = dir.filePath(QStringLiteral("out"));

        Run r = runPostprocess(
            { QStringLiteral("--np"), dir.filePath(QStringLiteral("absent.npy")), QStringLiteral("--hv"),
                q(large.hvPath()), QStringLiteral("--nt"), q(large.ntPath()), QStringLiteral("--out"), out });
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(QStringLiteral("absent.npy")) && r.err.contains(QStringLiteral("not found")),
            qPrintable(r.err));

        r = runPostprocess({ QStringLiteral("--np"), q(large.npPath()), QStringLiteral("--hv"), q(small.hvPath()),
            QStringLiteral("--nt"), q(large.ntPath()), QStringLiteral("--out"), out });
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(QStringLiteral("differ")), qPrintable(r.err));
        QVERIFY(!std::filesystem::exists(out.toStdString() + "/cells.json"));

        r = runPostprocess(inputArgs(large).mid(0, 6)
            + QStringList { QStringLiteral("--magnification"), QStringLiteral("30"), QStringLiteral("--out"), out });
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(QStringLiteral("--magnification")), qPrintable(r.err));

        r = runPostprocess(inputArgs(large)); // no --out
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(QStringLiteral("--out")), qPrintable(r.err));

        r = runPostprocess({ QStringLiteral("--help") });
        QCOMPARE(r.exitCode, 0);
        QVERIFY(r.out.contains(QStringLiteral("--magnification")));
    }
};

QTEST_GUILESS_MAIN(TestCliPostprocess)
#include "tst_cli_postprocess.moc"
