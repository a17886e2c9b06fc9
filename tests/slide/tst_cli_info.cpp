// Runs the real `cellvit-cli info` executable.
#include "test_support.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <fstream>

namespace {

using cellvit::test::ProcessRun;
using cellvit::test::runCli;

QString sample()
{
    return QString::fromStdString(cellvit::test::sampleSlide().string());
}

} // namespace

class TestCliInfo : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void describesTheSample()
    {
        CELLVIT_REQUIRE_PATH(cellvit::test::sampleSlide());
        const ProcessRun r = runCli({ QStringLiteral("info"), sample() });
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY(r.out.contains(QStringLiteral("aperio")));
        QVERIFY(r.out.contains(QStringLiteral("2220 x 2967")));
        QVERIFY(r.out.contains(QStringLiteral("0.499")));
        QVERIFY(r.out.contains(QStringLiteral("openslide.mpp-x")));
        QVERIFY(r.out.contains(QStringLiteral("thumbnail")));
    }

    void jsonOutput()
    {
        const ProcessRun r = runCli({ QStringLiteral("info"), sample(), QStringLiteral("--json") });
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QJsonParseError error;
        const QJsonObject info = QJsonDocument::fromJson(r.out.toUtf8(), &error).object();
        QVERIFY2(error.error == QJsonParseError::NoError, qPrintable(error.errorString()));
        QCOMPARE(info.value("vendor").toString(), QStringLiteral("aperio"));
        const QJsonArray levels = info.value("levels").toArray();
        QCOMPARE(levels.size(), 1);
        QCOMPARE(levels[0].toObject().value("width").toInt(), 2220);
        QCOMPARE(levels[0].toObject().value("height").toInt(), 2967);
        QCOMPARE(info.value("mpp_x").toDouble(), 0.499);
        QCOMPARE(info.value("mpp_usable").toDouble(), 0.499);
        QCOMPARE(info.value("objective_power").toDouble(), 20.0);
        QCOMPARE(info.value("associated_images").toArray().size(), 3);
    }

    void slideWithoutResolutionAndOverride()
    {
        const auto tcga = cellvit::test::dataDir() / "wsi_openslide_samples" / "tcga-cr-7395-01a-01-ts1.svs";
        CELLVIT_REQUIRE_PATH(tcga);
        const QString path = QString::fromStdString(tcga.string());
        const ProcessRun plain = runCli({ QStringLiteral("info"), path });
        QVERIFY2(plain.exitCode == 0, qPrintable(plain.err)); // info describes; it does not need an mpp
        QVERIFY(plain.out.contains(QStringLiteral("2221 x 1783")));
        QVERIFY(plain.out.contains(QStringLiteral("pass --mpp")));
        const ProcessRun overridden
            = runCli({ QStringLiteral("info"), path, QStringLiteral("--mpp"), QStringLiteral("0.25") });
        QVERIFY2(overridden.exitCode == 0, qPrintable(overridden.err));
        QVERIFY(overridden.out.contains(QStringLiteral("0.25 µm/px (from --mpp)")));
    }

    void failsClearlyOnATextFile()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("readme-not-a-slide.svs"));
        std::ofstream(path.toStdString()) << "just text\n";
        const ProcessRun r = runCli({ QStringLiteral("info"), path });
        QVERIFY(r.exitCode > 0);
        QVERIFY2(r.err.contains(QStringLiteral("readme-not-a-slide.svs")), qPrintable(r.err));
    }

    void usageErrorsAndHelp()
    {
        const ProcessRun help = runCli({ QStringLiteral("info"), QStringLiteral("--help") });
        QCOMPARE(help.exitCode, 0);
        QVERIFY(help.out.contains(QStringLiteral("--mpp")));
        QVERIFY(help.out.contains(QStringLiteral("cellvit-cli info")));
        QCOMPARE(runCli({ QStringLiteral("info") }).exitCode, 2);
        QCOMPARE(
            runCli({ QStringLiteral("info"), sample(), QStringLiteral("--mpp"), QStringLiteral("abc") }).exitCode, 2);
        const ProcessRun coarse
            = runCli({ QStringLiteral("info"), sample(), QStringLiteral("--mpp"), QStringLiteral("0.9") });
        QCOMPARE(coarse.exitCode, 0);
        QVERIFY(coarse.out.contains(QStringLiteral("0.75")));
    }
};

QTEST_GUILESS_MAIN(TestCliInfo)
#include "tst_cli_info.moc"
