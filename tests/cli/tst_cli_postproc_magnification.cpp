// `segment --postproc-magnification`: the bundled x20 model on four CoNSeP patches of a held-out image (40x), its
// maps post-processed as the reference does (x20 constants) and upsampled to x40 (x40 constants). Scored by
// `evaluate` against the annotation: the x40 path finds more of these small, crowded nuclei (pooled over the four
// patches, measured 2026-12-07: 110 vs 95 paired). The option is refused where it cannot apply.
#include "named_evaluation.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>

using namespace cellvit;
using test::ProcessRun;

class TestCliPostprocMagnification : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void upsampledMapsFindMoreCrowdedNuclei()
    {
        const auto bundled = test::sourceDir() / "resources" / "models" / "cellvit-studio-x20.safetensors";
        const auto consep = test::dataDir() / "consep_train_patches";
        CELLVIT_REQUIRE_PATH(bundled);
        CELLVIT_REQUIRE_PATH(consep);
        QTemporaryDir work;
        QDir dir(work.path());
        for (const char* sub : { "model", "x40", "gt" })
            QVERIFY(dir.mkpath(QLatin1String(sub)));
        for (int patch = 0; patch < 4; ++patch) {
            const QString name = QStringLiteral("train_3_%1").arg(patch, 3, 10, QLatin1Char('0'));
            const auto typeMat = consep / "type_mat" / (name.toStdString() + ".mat");
            QVERIFY(QFile::link(QString::fromStdString(typeMat.string()), dir.filePath(QStringLiteral("gt/") + name + QStringLiteral(".mat"))));
            for (const QString& setting : { QStringLiteral("model"), QStringLiteral("x40") }) {
                QStringList args { QStringLiteral("segment"),
                    QString::fromStdString((consep / "images" / (name.toStdString() + ".jpg")).string()),
                    QStringLiteral("--mpp"), QStringLiteral("0.25"), QStringLiteral("--no-overlay"),
                    QStringLiteral("--model"), QString::fromStdString(bundled.string()), QStringLiteral("--out"),
                    dir.filePath(setting + QLatin1Char('/') + name) };
                if (setting == QStringLiteral("x40"))
                    args << QStringLiteral("--postproc-magnification") << QStringLiteral("40");
                const ProcessRun seg = test::runProgram(test::cliPath(), args, 600000);
                QVERIFY2(seg.exitCode == 0, qPrintable(seg.err + seg.out));
            }
        }
        const auto [scores, error] = test::evaluateNamedPredictions(dir, { QStringLiteral("model"), QStringLiteral("x40") }, 40);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        const auto& native = scores.at(0).at("dataset");
        const auto& upsampled = scores.at(1).at("dataset");
        QCOMPARE(native.at("images").get<int>(), 4);
        QCOMPARE(upsampled.at("images").get<int>(), 4);
        QVERIFY2(upsampled.at("recall_detection").get<double>() > native.at("recall_detection").get<double>(),
            qPrintable(QString::fromStdString(scores.dump())));
    }

    void refusedWhereItCannotApply()
    {
        CELLVIT_REQUIRE_PATH(test::goldenCheckpoint("vit_small"));
        QTemporaryDir out;
        const QString slide = QString::fromStdString(test::sampleSlide().string());
        ProcessRun r = test::runCli({ QStringLiteral("segment"), slide, QStringLiteral("--postproc-magnification"),
            QStringLiteral("10"), QStringLiteral("--out"), out.path() });
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(QStringLiteral("model, 20 or 40")), qPrintable(r.err));
        // The golden checkpoint is a x40 model: its maps cannot be post-processed at x20.
        r = test::runCli({ QStringLiteral("segment"), slide, QStringLiteral("--model"),
            QString::fromStdString(test::goldenCheckpoint("vit_small").string()), QStringLiteral("--region"),
            QStringLiteral("1000,1000,100,100"), QStringLiteral("--postproc-magnification"), QStringLiteral("20"),
            QStringLiteral("--out"), out.path() });
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(QStringLiteral("post-processing magnification 20 for a x40 model")), qPrintable(r.err));
    }
};

QTEST_GUILESS_MAIN(TestCliPostprocMagnification)
#include "tst_cli_postproc_magnification.moc"
