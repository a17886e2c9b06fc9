// `cellvit-cli infer-patch` end to end: real binary, golden checkpoint, outputs equal the reference.
#include "inference/model/tensor_npy.h"
#include "default_model.h"
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

    // A CPP-Net checkpoint: every output the golden README names, and its maps feed `postprocess --decoder cpp`.
    void writesStarDistOutputs()
    {
        const auto checkpoint = test::goldenStarDistCheckpoint("CellViTCPP");
        const auto golden = test::goldenDir() / "stardist";
        CELLVIT_REQUIRE_PATH(checkpoint);
        QTemporaryDir dir;
        const std::filesystem::path out = dir.path().toStdString();
        ProcessRun r = runCli({ QStringLiteral("infer-patch"), QStringLiteral("--model"),
                                QString::fromStdString(checkpoint.string()), QStringLiteral("--image"),
                                QString::fromStdString((golden / "inputs" / "input_256.png").string()),
                                QStringLiteral("--device"), QStringLiteral("cpu"), QStringLiteral("--threads"),
                                QStringLiteral("2"), QStringLiteral("--out"), dir.path() });
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY(!std::filesystem::exists(out / "hv_map.npy"));
        const auto expectedDir = golden / "CellViTCPP" / "out_256";
        const auto compare = [&](const char* ours, const char* expected, int64_t row) {
            at::Tensor mine = readTensorNpy(out / ours);
            const at::Tensor theirs = readTensorNpy(expectedDir / expected);
            if (row >= 0)
                mine = mine.slice(2, row, row + 40).slice(3, row, row + 40);
            QVERIFY2(mine.sizes() == theirs.sizes(), ours);
            QVERIFY2((mine - theirs).abs().max().item<double>() <= 1e-4, ours);
        };
        compare("dist_map_logits.npy", "dist_map.npy", -1);
        compare("tissue_types_logits.npy", "tissue_types.npy", -1);
        compare("tokens.npy", "tokens.npy", -1);
        compare("stardist_map.npy", "stardist_map_crop_r108_c108.npy", 108);
        compare("stardist_map_refined.npy", "stardist_map_refined_crop_r108_c108.npy", 108);
        compare("nuclei_type_map_logits.npy", "nuclei_type_map_crop_r108_c108.npy", 108);
        const at::Tensor prob = readTensorNpy(out / "dist_map_prob.npy");
        QVERIFY((prob - readTensorNpy(out / "dist_map_logits.npy").sigmoid()).abs().max().item<double>() == 0.0);

        r = runCli({ QStringLiteral("postprocess"), QStringLiteral("--decoder"), QStringLiteral("cpp"),
                     QStringLiteral("--prob"), QString::fromStdString((out / "dist_map_prob.npy").string()),
                     QStringLiteral("--rays"), QString::fromStdString((out / "stardist_map_refined.npy").string()),
                     QStringLiteral("--nt"), QString::fromStdString((out / "nuclei_type_map_logits.npy").string()),
                     QStringLiteral("--out"), dir.filePath(QStringLiteral("cells")) });
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const at::Tensor map = readTensorNpy(out / "cells" / "instance_map.npy");
        QCOMPARE(map.sizes().vec(), (std::vector<int64_t> { 256, 256 }));
        // Instances exactly where the probability exceeds 0.5 at their NMS centres: at least one, none outside.
        QVERIFY(map.max().item<int>() >= 1);
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

    // Without --model, as its help says, the bundled default model runs (the source tree's resources/models).
    void runsTheBundledModelWithoutModelOption()
    {
        const auto bundled = test::bundledDefaultModel();
        const auto image = test::goldenDir() / "model" / "inputs" / "input_256.png";
        CELLVIT_REQUIRE_PATH(bundled);
        CELLVIT_REQUIRE_PATH(image);
        QTemporaryDir dir;
        const ProcessRun r = runCli({ QStringLiteral("infer-patch"), QStringLiteral("--image"),
            QString::fromStdString(image.string()), QStringLiteral("--out"), dir.path() });
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY2(r.out.contains(test::defaultModelName() + QStringLiteral(".safetensors")), qPrintable(r.out));
        const auto np = readTensorNpy(std::filesystem::path(dir.path().toStdString()) / "nuclei_binary_map_logits.npy");
        QCOMPARE(np.size(2), int64_t(256));
        QCOMPARE(np.size(3), int64_t(256));
    }
};

QTEST_GUILESS_MAIN(TestCliInferPatch)
#include "tst_cli_infer_patch.moc"
