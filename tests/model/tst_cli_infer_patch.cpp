// `cellvit-cli infer-patch` end to end: real binary, golden checkpoint, outputs equal the reference.
#include "inference/model/tensor_npy.h"
#include "test_support.h"

#include <ATen/ATen.h>

#include <QTemporaryDir>

using namespace cellvit;
using test::ProcessRun;
using test::runCli;

class TestCliInferPatch : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void writesReferenceOutputs()
    {
        const auto checkpoint = test::goldenCheckpoint("sam_small");
        const auto image = test::goldenDir() / "model" / "inputs" / "input_256.png";
        CELLVIT_REQUIRE_PATH(checkpoint);
        CELLVIT_REQUIRE_PATH(image);
        QTemporaryDir dir;
        const ProcessRun r = runCli({ QStringLiteral("infer-patch"), QStringLiteral("--model"),
                                      QString::fromStdString(checkpoint.string()), QStringLiteral("--image"),
                                      QString::fromStdString(image.string()), QStringLiteral("--device"),
                                      QStringLiteral("cpu"), QStringLiteral("--threads"), QStringLiteral("2"),
                                      QStringLiteral("--out"), dir.path() });
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const auto expectedDir = test::goldenDir() / "model" / "sam_small" / "out_256";
        for (const char* name : { "nuclei_binary_map_logits", "hv_map", "nuclei_type_map_logits", "tissue_types_logits", "tokens" }) {
            const auto ours = readTensorNpy(std::filesystem::path(dir.path().toStdString()) / (std::string(name) + ".npy"));
            const auto expected = readTensorNpy(expectedDir / (std::string(name) + ".npy"));
            QVERIFY2(ours.sizes() == expected.sizes(), name);
            QVERIFY2((ours - expected).abs().max().item<double>() <= 1e-4, name);
        }
    }

    void reportsBadInputs()
    {
        QTemporaryDir dir;
        const QString ckpt = QString::fromStdString(test::goldenCheckpoint("vit_small").string());
        // Missing image.
        ProcessRun r = runCli({ QStringLiteral("infer-patch"), QStringLiteral("--model"), ckpt,
                                QStringLiteral("--image"), dir.filePath(QStringLiteral("absent.png")),
                                QStringLiteral("--out"), dir.path() });
        QVERIFY(r.exitCode != 0);
        QVERIFY2(r.err.contains(QLatin1String("absent.png")), qPrintable(r.err));
        // Image whose sides are not multiples of 16 (the 1000×1000 MoNuSeg tile).
        const auto tif = test::dataDir() / "monuseg_train_subset" / "Tissue_Images" / "TCGA-CH-5767-01Z-00-DX1.tif";
        CELLVIT_REQUIRE_PATH(tif);
        r = runCli({ QStringLiteral("infer-patch"), QStringLiteral("--model"), ckpt, QStringLiteral("--image"),
                     QString::fromStdString(tif.string()), QStringLiteral("--out"), dir.path() });
        QVERIFY(r.exitCode != 0);
        QVERIFY2(r.err.contains(QLatin1String("multiples of 16")), qPrintable(r.err));
        // A file that is not a checkpoint.
        r = runCli({ QStringLiteral("infer-patch"), QStringLiteral("--model"), QString::fromStdString(tif.string()),
                     QStringLiteral("--image"), QString::fromStdString((test::goldenDir() / "model" / "inputs" / "input_256.png").string()),
                     QStringLiteral("--out"), dir.path() });
        QVERIFY(r.exitCode != 0);
        QVERIFY2(r.err.contains(QLatin1String("TCGA-CH-5767-01Z-00-DX1.tif")), qPrintable(r.err));
        // Missing required option.
        r = runCli({ QStringLiteral("infer-patch"), QStringLiteral("--model"), ckpt });
        QCOMPARE(r.exitCode, 2);
    }
};

QTEST_GUILESS_MAIN(TestCliInferPatch)
#include "tst_cli_infer_patch.moc"
