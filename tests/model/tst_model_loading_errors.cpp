// Strict loading: every mismatch between a checkpoint and the network built from its config is
// reported by name, and nothing half-loaded is returned.
#include "inference/model/cellvit_model.h"
#include "model_zoo/safetensors.h"
#include "test_support.h"

#include <QTemporaryDir>

#include <ATen/ATen.h>

using namespace cellvit;

namespace {

Checkpoint goldenVit()
{
    static const Checkpoint checkpoint = loadCheckpoint(test::goldenCheckpoint("vit_small"));
    return checkpoint;
}

QString errorOf(const Checkpoint& checkpoint)
{
    return QString::fromStdString(test::thrownMessage<CheckpointError>(
        [&] { CellVitModel::fromCheckpoint(checkpoint, InferenceOptions { "cpu", Precision::Float32, 0 }); }));
}

} // namespace

class TestModelLoadingErrors : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { CELLVIT_REQUIRE_PATH(test::goldenCheckpoint("vit_small")); }

    void goldenCheckpointLoads() { QVERIFY(errorOf(goldenVit()).isEmpty()); }

    // CellVitModel::load streams the file into the built network (issue #15: one copy of the weights in memory):
    // the result is the network fromCheckpoint builds from the whole state dict, bit for bit.
    void streamedLoadEqualsTheInMemoryLoad()
    {
        const InferenceOptions options { "cpu", Precision::Float32, 0 };
        const auto streamed = CellVitModel::load(test::goldenCheckpoint("vit_small"), options);
        const auto whole = CellVitModel::fromCheckpoint(goldenVit(), options);
        const NamedTensors a = streamed->stateDict(), b = whole->stateDict();
        QCOMPARE(a.size(), b.size());
        QVERIFY(a.size() > 100);
        for (size_t i = 0; i < a.size(); ++i) {
            QCOMPARE(a[i].first, b[i].first);
            QVERIFY2(at::equal(a[i].second, b[i].second), a[i].first.c_str());
        }
    }

    // The streamed load checks names and shapes from the file's header, before reading any weight, with the
    // same message as the in-memory load.
    void streamedLoadNamesMissingAndMisshapenKeys()
    {
        Checkpoint c = goldenVit();
        c.stateDict.erase(std::remove_if(c.stateDict.begin(), c.stateDict.end(),
                              [](const auto& e) { return e.first == "encoder.norm.weight"; }),
            c.stateDict.end());
        for (auto& [name, tensor] : c.stateDict)
            if (name == "hv_map_decoder.decoder0_header.2.weight")
                tensor = at::zeros({ 3, 64, 1, 1 });
        QTemporaryDir dir;
        const std::filesystem::path file = dir.filePath(QStringLiteral("broken.safetensors")).toStdString();
        saveSafetensors(file, c);
        const QString error = QString::fromStdString(test::thrownMessage<CheckpointError>(
            [&] { CellVitModel::load(file, InferenceOptions { "cpu", Precision::Float32, 0 }); }));
        QVERIFY2(error.contains(QLatin1String("missing keys (1)")), qPrintable(error));
        QVERIFY2(error.contains(QLatin1String("encoder.norm.weight")), qPrintable(error));
        QVERIFY2(error.contains(QLatin1String("shape mismatches (1)")), qPrintable(error));
        QVERIFY2(error.contains(QLatin1String("broken.safetensors")), qPrintable(error));
    }

    void wrongShapeIsNamed()
    {
        Checkpoint c = goldenVit();
        for (auto& [name, tensor] : c.stateDict) {
            if (name == "hv_map_decoder.decoder0_header.2.weight")
                tensor = at::zeros({ 3, 64, 1, 1 });
        }
        const QString error = errorOf(c);
        QVERIFY2(error.contains(QLatin1String("shape mismatches")), qPrintable(error));
        QVERIFY2(error.contains(QLatin1String("hv_map_decoder.decoder0_header.2.weight")), qPrintable(error));
        QVERIFY2(error.contains(QLatin1String("checkpoint.pth")), qPrintable(error));
    }

    void missingAndUnexpectedKeysAreNamed()
    {
        Checkpoint c = goldenVit();
        c.stateDict.erase(std::remove_if(c.stateDict.begin(), c.stateDict.end(),
                                         [](const auto& e) { return e.first == "encoder.norm.weight"; }),
                          c.stateDict.end());
        c.stateDict.emplace_back("encoder.mask_token", at::zeros({ 1, 1, 96 }));
        const QString error = errorOf(c);
        QVERIFY2(error.contains(QLatin1String("missing keys (1)")), qPrintable(error));
        QVERIFY2(error.contains(QLatin1String("encoder.norm.weight")), qPrintable(error));
        QVERIFY2(error.contains(QLatin1String("unexpected keys (1)")), qPrintable(error));
        QVERIFY2(error.contains(QLatin1String("encoder.mask_token")), qPrintable(error));
    }

    void configThatDisagreesWithWeights()
    {
        Checkpoint c = goldenVit();
        c.config["model.depth"] = 6; // the file holds 8 blocks
        c.config["model.extract_layers"] = { 2, 3, 4, 6 };
        const QString error = errorOf(c);
        QVERIFY2(error.contains(QLatin1String("unexpected keys")), qPrintable(error));
        QVERIFY2(error.contains(QLatin1String("encoder.blocks.6.norm1.weight")), qPrintable(error));
    }

    void unknownArchitecture()
    {
        Checkpoint c = goldenVit();
        c.arch = "UNet";
        const QString error = errorOf(c);
        QVERIFY2(error.contains(QLatin1String("unknown architecture 'UNet'")), qPrintable(error));
    }

    void badConfigValue()
    {
        Checkpoint c = goldenVit();
        c.config["model.embed_dim"] = "wide";
        QVERIFY2(errorOf(c).contains(QLatin1String("model.embed_dim")), qPrintable(errorOf(c)));
    }

    void cudaRequestedWithoutCuda()
    {
        if (QByteArray(qgetenv("CELLVIT_EXPECT_CUDA")) == "1")
            return; // on a GPU machine "cuda" is valid; this test is about CPU-only builds
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                                 CellVitModel::fromCheckpoint(goldenVit(), InferenceOptions { "cuda", Precision::Float32, 0 }));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                                 CellVitModel::fromCheckpoint(goldenVit(), InferenceOptions { "tpu", Precision::Float32, 0 }));
    }
};

QTEST_GUILESS_MAIN(TestModelLoadingErrors)
#include "tst_model_loading_errors.moc"
