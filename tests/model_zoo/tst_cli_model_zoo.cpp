// cellvit-cli inspect / convert, run as real processes.
#include "model_zoo/checkpoint.h"
#include "test_support.h"

#include <QTemporaryDir>
#include <fstream>
#include <nlohmann/json.hpp>

using namespace cellvit;

namespace {

using test::ProcessRun;
using test::runCli;

int64_t goldenParameterCount(const char* kind)
{
    std::ifstream in(test::goldenDir() / "model" / kind / "info.json");
    return nlohmann::json::parse(in)["num_parameters"].get<int64_t>();
}

} // namespace

class TestCliModelZoo : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void inspectShowsTheGoldenModel()
    {
        const auto path = test::goldenCheckpoint("sam_small");
        CELLVIT_REQUIRE_PATH(path);
        const ProcessRun r = runCli({ QStringLiteral("inspect"), QString::fromStdString(path.string()) });
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.out.contains(QRegularExpression(QStringLiteral("arch:\\s+CellViTSAM\\n"))), qPrintable(r.out));
        QVERIFY(r.out.contains(QRegularExpression(QStringLiteral("backbone:\\s+SAM-custom\\n"))));
        QVERIFY(r.out.contains(QRegularExpression(QStringLiteral("embed dim:\\s+64\\n"))));
        QVERIFY(r.out.contains(QRegularExpression(QStringLiteral("global attention:\\s+1, 3\\n"))));
        QVERIFY(
            r.out.contains(QStringLiteral("6 (Background, Neoplastic, Inflammatory, Connective, Dead, Epithelial)")));
        QVERIFY(r.out.contains(
            QRegularExpression(QStringLiteral("parameters:\\s+%1 ").arg(goldenParameterCount("sam_small")))));
        QVERIFY(r.out.contains(QRegularExpression(QStringLiteral("dtypes:\\s+float32, int64\\n"))));
    }

    void inspectNamesTheDecoder_data()
    {
        QTest::addColumn<QString>("arch");
        QTest::addColumn<QString>("decoder");
        QTest::addColumn<QString>("encoder");
        QTest::newRow("HoVer-Net") << "" << "HoVer-Net" << "SAM image encoder";
        QTest::newRow("STARDIST") << "CellViTStarDist" << "STARDIST" << "ViT";
        QTest::newRow("STARDIST SAM") << "CellViTSAMStarDist" << "STARDIST" << "SAM image encoder";
        QTest::newRow("STARDIST shared") << "CellViTStarDistShared" << "STARDIST \\(shared decoder\\)" << "ViT";
        QTest::newRow("CPP-Net") << "CellViTCPP" << "CPP-Net" << "ViT";
    }
    void inspectNamesTheDecoder()
    {
        QFETCH(QString, arch);
        QFETCH(QString, decoder);
        QFETCH(QString, encoder);
        const auto path = arch.isEmpty() ? test::goldenCheckpoint("sam_small")
                                         : test::goldenStarDistCheckpoint(arch.toStdString());
        CELLVIT_REQUIRE_PATH(path);
        const ProcessRun r = runCli({ QStringLiteral("inspect"), QString::fromStdString(path.string()) });
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.out.contains(QRegularExpression(QStringLiteral("decoder:\\s+%1\\n").arg(decoder))), qPrintable(r.out));
        QVERIFY2(r.out.contains(QRegularExpression(QStringLiteral("encoder:\\s+%1\\n").arg(encoder))), qPrintable(r.out));
        QCOMPARE(r.out.contains(QRegularExpression(QStringLiteral("rays:\\s+32\\n"))), !arch.isEmpty());
    }

    void convertThenInspectKeepsTheModel()
    {
        const auto path = test::goldenCheckpoint("vit_small");
        CELLVIT_REQUIRE_PATH(path);
        QTemporaryDir dir;
        const QString out = dir.filePath(QStringLiteral("vit.safetensors"));
        ProcessRun r = runCli(
            { QStringLiteral("convert"), QString::fromStdString(path.string()), out, QStringLiteral("--half") });
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.out.contains(QStringLiteral("as float16")), qPrintable(r.out));

        r = runCli({ QStringLiteral("inspect"), out });
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.out.contains(QRegularExpression(QStringLiteral("arch:\\s+CellViT\\n"))), qPrintable(r.out));
        QVERIFY(r.out.contains(QRegularExpression(QStringLiteral("extract layers:\\s+2, 4, 6, 8\\n"))));
        QVERIFY(r.out.contains(
            QRegularExpression(QStringLiteral("parameters:\\s+%1 ").arg(goldenParameterCount("vit_small")))));
        QVERIFY(r.out.contains(QRegularExpression(QStringLiteral("dtypes:\\s+float16, int64\\n"))));
        QVERIFY(r.out.contains(QRegularExpression(QStringLiteral("state-dict entries:\\s+391\\n"))));
    }

    void reportsErrorsWithExitCodes()
    {
        QTemporaryDir dir;
        const QString garbage = dir.filePath(QStringLiteral("garbage.pth"));
        std::ofstream(garbage.toStdString()) << "definitely not a checkpoint";
        ProcessRun r = runCli({ QStringLiteral("inspect"), garbage });
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(garbage) && r.err.contains(QStringLiteral("not a checkpoint")), qPrintable(r.err));

        r = runCli({ QStringLiteral("inspect") });
        QCOMPARE(r.exitCode, 2);
        r = runCli({ QStringLiteral("convert"), garbage, dir.filePath(QStringLiteral("x.bin")) });
        QCOMPARE(r.exitCode, 2);
        QVERIFY(r.err.contains(QStringLiteral(".safetensors")));

        r = runCli({ QStringLiteral("inspect"), QStringLiteral("--help") });
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.out.contains(QStringLiteral("cellvit-cli inspect [options] checkpoint")), qPrintable(r.out));
        r = runCli({ QStringLiteral("convert"), QStringLiteral("--help") });
        QCOMPARE(r.exitCode, 0);
        QVERIFY(r.out.contains(QStringLiteral("--half")));
    }
};

QTEST_GUILESS_MAIN(TestCliModelZoo)
#include "tst_cli_model_zoo.moc"
