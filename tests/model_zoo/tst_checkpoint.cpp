#include "model_zoo/checkpoint.h"
#include "pickle_builder.h"
#include "test_json.h"
#include "test_support.h"
#include "torch_zip.h"

#include <ATen/ATen.h>
#include <QTemporaryDir>
#include <fstream>
#include <functional>
#include <nlohmann/json.hpp>
#include <set>

using namespace cellvit;
using test::PickleBuilder;

namespace {

using test::readJson;

// {'arch': 'CellViT', 'config': {...}, 'model_state_dict': OrderedDict(<body>), 'optimizer_state_dict': <opt>}
std::string trainerPickle(const std::function<void(PickleBuilder&)>& stateDictBody, bool withArch = true,
    const std::function<void(PickleBuilder&)>& optimizerBody = {})
{
    PickleBuilder p;
    p.emptyDict().mark();
    if (withArch)
        p.str("arch").str("CellViT");
    p.str("config").emptyDict().mark().str("model.embed_dim").integer(8).str("data.magnification").integer(20);
    p.str("model.extract_layers").integer(1).integer(2).op(0x86).setItems();
    p.str("model_state_dict").global("collections", "OrderedDict").emptyTuple().reduce().mark();
    stateDictBody(p);
    p.setItems();
    if (optimizerBody) {
        p.str("optimizer_state_dict").emptyDict().mark();
        optimizerBody(p);
        p.setItems();
    }
    return p.setItems().bytes();
}

std::string errorOf(const std::function<void()>& f)
{
    return test::thrownMessage<CheckpointError>(f);
}

std::vector<float> floats(const at::Tensor& t)
{
    const at::Tensor c = t.to(at::kFloat).contiguous();
    return std::vector<float>(c.data_ptr<float>(), c.data_ptr<float>() + c.numel());
}

bool contains(const std::string& text, const std::string& part)
{
    return text.find(part) != std::string::npos;
}

} // namespace

class TestCheckpoint : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void loadsGoldenCheckpoint_data() { test::addGoldenModelKinds(); }
    void loadsGoldenCheckpoint()
    {
        QFETCH(QString, kind);
        const auto path = test::goldenCheckpoint(qPrintable(kind));
        const auto goldenDir = test::goldenDir() / "model" / kind.toStdString();
        CELLVIT_REQUIRE_PATH(path);
        CELLVIT_REQUIRE_PATH(goldenDir / "info.json");
        CELLVIT_REQUIRE_PATH(goldenDir / "state_dict_keys.json");
        const nlohmann::json info = readJson(goldenDir / "info.json");
        const nlohmann::json keys = readJson(goldenDir / "state_dict_keys.json");

        const Checkpoint ckpt = loadCheckpoint(path);
        QCOMPARE(ckpt.arch, info["arch"].get<std::string>());
        QCOMPARE(ckpt.config, info["config"]);
        QCOMPARE(ckpt.stateDict.size(), keys.size());
        QCOMPARE(static_cast<int64_t>(ckpt.stateDict.size()), info["num_state_dict_entries"].get<int64_t>());
        for (size_t i = 0; i < keys.size(); ++i) {
            const auto& [name, tensor] = ckpt.stateDict[i];
            QCOMPARE(name, keys[i][0].get<std::string>());
            QCOMPARE(tensor.sizes().vec(), keys[i][1].get<std::vector<int64_t>>());
            QCOMPARE(dtypeName(tensor.scalar_type()), keys[i][2].get<std::string>());
            QVERIFY(tensor.is_contiguous());
        }
        QCOMPARE(parameterCount(ckpt), info["num_parameters"].get<int64_t>());
    }

    void goldenWeightsHaveTheirGeneratorProperties()
    {
        // The generator wrote num_batches_tracked = 1000, running_var in {1, 1.25, 1.5, 1.75} and conv/linear
        // weights k * 2^e with k in {-1, 0, 1} per tensor (golden/model/README.md).
        const auto path = test::goldenCheckpoint("vit_small");
        CELLVIT_REQUIRE_PATH(path);
        const Checkpoint ckpt = loadCheckpoint(path);
        int counters = 0, variances = 0, weights = 0;
        for (const auto& [name, tensor] : ckpt.stateDict) {
            if (contains(name, "num_batches_tracked")) {
                QCOMPARE(tensor.scalar_type(), at::kLong);
                QCOMPARE(tensor.item<int64_t>(), 1000);
                ++counters;
            } else if (contains(name, "running_var")) {
                for (float v : floats(std::get<0>(at::_unique(tensor))))
                    QVERIFY2(
                        v == 1.0f || v == 1.25f || v == 1.5f || v == 1.75f, qPrintable(QString::fromStdString(name)));
                ++variances;
            } else if (tensor.dim() >= 2 && contains(name, ".weight")) {
                const at::Tensor magnitudes = std::get<0>(at::_unique(tensor.abs()));
                const at::Tensor nonZero = magnitudes.masked_select(magnitudes != 0);
                QVERIFY2(nonZero.numel() == 1, qPrintable(QString::fromStdString(name)));
                int exponent = 0;
                QCOMPARE(std::frexp(nonZero.item<float>(), &exponent), 0.5f); // a power of two
                ++weights;
            }
        }
        QCOMPARE(counters, 35);
        QCOMPARE(variances, 35);
        QVERIFY(weights > 50);
    }

    void refusesPickleThatCallsSystem()
    {
        QTemporaryDir dir;
        const std::filesystem::path file = dir.filePath(QStringLiteral("evil.pth")).toStdString();
        const std::filesystem::path marker = dir.filePath(QStringLiteral("pwned")).toStdString();
        // {'arch': os.system('touch <marker>')}: what `torch.load` would run on an unsafe unpickler.
        PickleBuilder p;
        p.emptyDict().str("arch").global("posix", "system").str("touch " + marker.string()).op(0x85).reduce();
        test::writeTorchZip(file, p.setItem().bytes());

        const std::string message = errorOf([&] { loadCheckpoint(file); });
        QVERIFY2(contains(message, "refusing to load " + file.string()), message.c_str());
        QVERIFY2(contains(message, "'posix.system'"), message.c_str());
        QVERIFY(!std::filesystem::exists(marker));
    }

    void readsStridedViewsOfSharedStorages()
    {
        QTemporaryDir dir;
        const std::filesystem::path file = dir.filePath(QStringLiteral("views.pth")).toStdString();
        std::vector<float> storage(12);
        for (size_t i = 0; i < storage.size(); ++i)
            storage[i] = static_cast<float>(i);
        const std::string pickle = trainerPickle([](PickleBuilder& p) {
            p.str("transposed").tensor("0", "FloatStorage", 12, 2, { 2, 3 }, { 1, 2 }); // offset 2, column-major
            p.str("row").tensor("0", "FloatStorage", 12, 8, { 4 }, { 1 });
            p.str("counter").tensor("1", "LongStorage", 1, 0, {}, {});
        });
        test::writeTorchZip(file, pickle,
            { { "0", test::storageBytes(storage) }, { "1", test::storageBytes(std::vector<int64_t> { 1000 }) } });
        const Checkpoint ckpt = loadCheckpoint(file);
        QCOMPARE(ckpt.arch, std::string("CellViT"));
        QCOMPARE(ckpt.config["model.extract_layers"], nlohmann::json({ 1, 2 })); // tuple -> array
        QCOMPARE(ckpt.stateDict.size(), size_t(3));
        QCOMPARE(ckpt.stateDict[0].first, std::string("transposed"));
        QCOMPARE(floats(ckpt.stateDict[0].second), (std::vector<float> { 2, 4, 6, 3, 5, 7 }));
        QCOMPARE(floats(ckpt.stateDict[1].second), (std::vector<float> { 8, 9, 10, 11 }));
        QCOMPARE(ckpt.stateDict[2].second.item<int64_t>(), 1000);
        QCOMPARE(parameterCount(ckpt), 10); // the int64 entry is not a parameter
    }

    void neverReadsOptimizerStorages()
    {
        // The optimizer's storage record "data/7" does not even exist: only model_state_dict is materialised.
        QTemporaryDir dir;
        const std::filesystem::path file = dir.filePath(QStringLiteral("opt.pth")).toStdString();
        const std::string pickle
            = trainerPickle([](PickleBuilder& p) { p.str("w").tensor("0", "FloatStorage", 2, 0, { 2 }, { 1 }); }, true,
                [](PickleBuilder& p) { p.str("exp_avg").tensor("7", "FloatStorage", 1000000, 0, { 1000000 }, { 1 }); });
        test::writeTorchZip(file, pickle, { { "0", test::storageBytes(std::vector<float> { 1.5f, -2.0f }) } });
        const Checkpoint ckpt = loadCheckpoint(file);
        QCOMPARE(ckpt.stateDict.size(), size_t(1));
        QCOMPARE(floats(ckpt.stateDict[0].second), (std::vector<float> { 1.5f, -2.0f }));
    }

    void rejectsStorageTooSmallForTheView()
    {
        QTemporaryDir dir;
        const std::filesystem::path file = dir.filePath(QStringLiteral("small.pth")).toStdString();
        const std::string pickle = trainerPickle([](PickleBuilder& p) {
            p.str("decoder.weight").tensor("0", "FloatStorage", 100, 0, { 10, 10 }, { 10, 1 });
        });
        test::writeTorchZip(file, pickle, { { "0", test::storageBytes(std::vector<float>(4)) } });
        std::string message = errorOf([&] { loadCheckpoint(file); });
        QVERIFY2(contains(message, file.string()) && contains(message, "'decoder.weight'"), message.c_str());

        // A stride-0 view that would expand 4 stored floats into 2^40 elements.
        const std::string expanded = trainerPickle([](PickleBuilder& p) {
            p.str("expanded").tensor("0", "FloatStorage", 4, 0, { 1 << 20, 1 << 20 }, { 0, 0 });
        });
        test::writeTorchZip(file, expanded, { { "0", test::storageBytes(std::vector<float>(4)) } });
        message = errorOf([&] { loadCheckpoint(file); });
        QVERIFY2(contains(message, "'expanded'") && contains(message, "more elements"), message.c_str());
    }

    void rejectsWrongTopLevelLayouts()
    {
        QTemporaryDir dir;
        const std::filesystem::path file = dir.filePath(QStringLiteral("layout.pth")).toStdString();
        auto weight = [](PickleBuilder& p) { p.str("w").tensor("0", "FloatStorage", 1, 0, { 1 }, { 1 }); };
        const std::map<std::string, std::string> storage { { "0", test::storageBytes(std::vector<float> { 1 }) } };

        test::writeTorchZip(file, trainerPickle(weight, false), storage);
        std::string message = errorOf([&] { loadCheckpoint(file); });
        QVERIFY2(contains(message, file.string()) && contains(message, "'arch'"), message.c_str());

        PickleBuilder bare; // a plain state dict, as `torch.save(model.state_dict())` writes it
        bare.global("collections", "OrderedDict").emptyTuple().reduce().mark();
        weight(bare);
        test::writeTorchZip(file, bare.setItems().bytes(), storage);
        message = errorOf([&] { loadCheckpoint(file); });
        QVERIFY2(contains(message, "bare state dict"), message.c_str());

        test::writeTorchZip(file, PickleBuilder().emptyList().bytes());
        message = errorOf([&] { loadCheckpoint(file); });
        QVERIFY2(contains(message, "list"), message.c_str());

        // A state-dict entry that is not a tensor.
        test::writeTorchZip(file, trainerPickle([](PickleBuilder& p) { p.str("w").integer(3); }));
        message = errorOf([&] { loadCheckpoint(file); });
        QVERIFY2(contains(message, "'w'") && contains(message, "int"), message.c_str());
    }

    void rejectsTruncatedArchive()
    {
        const auto golden = test::goldenCheckpoint("vit_small");
        CELLVIT_REQUIRE_PATH(golden);
        QTemporaryDir dir;
        const std::filesystem::path file = dir.filePath(QStringLiteral("cut.pth")).toStdString();
        std::filesystem::copy_file(golden, file);
        std::filesystem::resize_file(file, std::filesystem::file_size(file) / 2);
        const std::string message = errorOf([&] { loadCheckpoint(file); });
        QVERIFY2(contains(message, file.string()) && contains(message, "zip"), message.c_str());
    }

    void rejectsFilesThatAreNoCheckpoint()
    {
        QTemporaryDir dir;
        const std::filesystem::path empty = dir.filePath(QStringLiteral("empty.pth")).toStdString();
        std::ofstream(empty).close();
        std::string message = errorOf([&] { loadCheckpoint(empty); });
        QVERIFY2(
            contains(message, empty.string()) && contains(message, "not a checkpoint") && contains(message, "empty"),
            message.c_str());

        const std::filesystem::path garbage = dir.filePath(QStringLiteral("garbage.pth")).toStdString();
        std::ofstream(garbage, std::ios::binary) << std::string(4096, '\x17');
        message = errorOf([&] { loadCheckpoint(garbage); });
        QVERIFY2(contains(message, garbage.string()) && contains(message, "not a checkpoint"), message.c_str());

        // Starts like a zip but is not one.
        std::ofstream(garbage, std::ios::binary) << std::string("PK\x03\x04") + std::string(100, 'x');
        message = errorOf([&] { loadCheckpoint(garbage); });
        QVERIFY2(contains(message, garbage.string()), message.c_str());

        const std::filesystem::path missing = dir.filePath(QStringLiteral("missing.pth")).toStdString();
        message = errorOf([&] { loadCheckpoint(missing); });
        QVERIFY2(contains(message, missing.string()), message.c_str());
    }

    // Inputs found by fuzz/fuzz_checkpoint (docs/fuzzing.md): each must be a CheckpointError naming the file.
    void fuzzFindingsAreClearErrors_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("reason");
        // A mutated torch.save zip without its `version` record (LibTorch leaks its zip state on it).
        QTest::newRow("zip without version") << QStringLiteral("fuzz-zip-without-version-record.pth")
                                             << QStringLiteral("not a readable PyTorch zip archive");
    }

    void fuzzFindingsAreClearErrors()
    {
        QFETCH(QString, file);
        QFETCH(QString, reason);
        const auto path = test::sourceDir() / "tests" / "model_zoo" / "data" / file.toStdString();
        CELLVIT_REQUIRE_PATH(path);
        const std::string message = errorOf([&] { loadCheckpoint(path); });
        QVERIFY2(contains(message, path.string()) && contains(message, reason.toStdString()), message.c_str());
    }
};

QTEST_GUILESS_MAIN(TestCheckpoint)
#include "tst_checkpoint.moc"
