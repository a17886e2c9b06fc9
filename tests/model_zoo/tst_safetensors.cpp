#include "model_zoo/checkpoint.h"
#include "model_zoo/safetensors.h"
#include "test_support.h"

#include <ATen/ATen.h>
#include <QTemporaryDir>
#include <fstream>
#include <functional>
#include <nlohmann/json.hpp>

using namespace cellvit;

namespace {

std::string errorOf(const std::function<void()>& f)
{
    return test::thrownMessage<CheckpointError>(f);
}

// A safetensors file with a hand-written header (for hostile inputs).
void writeRaw(const std::filesystem::path& path, const std::string& header, const std::string& data,
    uint64_t declaredLength = UINT64_MAX)
{
    std::ofstream out(path, std::ios::binary);
    uint64_t length = declaredLength == UINT64_MAX ? header.size() : declaredLength;
    for (int i = 0; i < 8; ++i, length >>= 8)
        out.put(static_cast<char>(length & 0xFF));
    out << header << data;
}

// Header text with the cellvit-studio metadata and the given tensor entries (written out as JSON).
std::string header(const nlohmann::ordered_json& tensors)
{
    nlohmann::ordered_json h;
    h["__metadata__"]
        = { { "arch", "CellViT" }, { "config", "{\"model.embed_dim\":8}" }, { "format", "cellvit-studio" } };
    for (const auto& [name, info] : tensors.items())
        h[name] = info;
    return h.dump();
}

nlohmann::ordered_json entry(const char* dtype, std::vector<uint64_t> shape, uint64_t begin, uint64_t end)
{
    return { { "dtype", dtype }, { "shape", shape }, { "data_offsets", { begin, end } } };
}

} // namespace

class TestSafetensors : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void roundTripIsBitExact_data() { test::addGoldenModelKinds(); }
    void roundTripIsBitExact()
    {
        QFETCH(QString, kind);
        const auto golden = test::goldenCheckpoint(qPrintable(kind));
        CELLVIT_REQUIRE_PATH(golden);
        const Checkpoint original = loadCheckpoint(golden);
        QTemporaryDir dir;
        const std::filesystem::path file = dir.filePath(QStringLiteral("model.safetensors")).toStdString();
        saveSafetensors(file, original);
        QVERIFY(!std::filesystem::exists(file.string() + ".part"));

        const Checkpoint back = loadCheckpoint(file); // detected by content
        QCOMPARE(back.arch, original.arch);
        QCOMPARE(back.config, original.config);
        QCOMPARE(back.stateDict.size(), original.stateDict.size());
        for (size_t i = 0; i < original.stateDict.size(); ++i) {
            QCOMPARE(back.stateDict[i].first, original.stateDict[i].first);
            QCOMPARE(back.stateDict[i].second.scalar_type(), original.stateDict[i].second.scalar_type());
            QVERIFY2(
                at::equal(back.stateDict[i].second, original.stateDict[i].second), original.stateDict[i].first.c_str());
        }
        QCOMPARE(parameterCount(back), parameterCount(original));
        // Header + fp32 data: the file is about the size of the parameters (+ BN buffers).
        QVERIFY(std::filesystem::file_size(file) > static_cast<uint64_t>(parameterCount(original)) * 4);
    }

    void halfRoundTripKeepsFp16Precision()
    {
        const auto golden = test::goldenCheckpoint("vit_small");
        CELLVIT_REQUIRE_PATH(golden);
        Checkpoint original = loadCheckpoint(golden);
        // Golden weights are powers of two (exact in fp16); add values that are not.
        original.stateDict.emplace_back("extra.weight", at::linspace(-3.0, 60000.0, 1001, at::kFloat));
        QTemporaryDir dir;
        const std::filesystem::path file = dir.filePath(QStringLiteral("half.safetensors")).toStdString();
        saveSafetensors(file, original, true);
        const Checkpoint back = loadSafetensors(file);
        QCOMPARE(back.stateDict.size(), original.stateDict.size());
        for (size_t i = 0; i < original.stateDict.size(); ++i) {
            const auto& [name, source] = original.stateDict[i];
            const at::Tensor& stored = back.stateDict[i].second;
            if (!at::isFloatingType(source.scalar_type())) {
                QCOMPARE(stored.scalar_type(), source.scalar_type()); // num_batches_tracked stays int64
                QVERIFY(at::equal(stored, source));
                continue;
            }
            QCOMPARE(stored.scalar_type(), at::kHalf);
            // Round-to-nearest fp16: relative error <= 2^-11 (values here are far from the subnormal range).
            const at::Tensor error = (stored.to(at::kFloat) - source).abs();
            const at::Tensor bound = source.abs() * (1.0 / 2048) + 1e-7;
            QVERIFY2(error.le(bound).all().item<bool>(), name.c_str());
        }
        QVERIFY(std::filesystem::file_size(file) < std::filesystem::file_size(golden) / 2 + 4096);

        // Values float16 cannot hold are refused instead of silently becoming infinity.
        original.stateDict.back().second[7] = 70000.0f;
        const std::string message = errorOf([&] { saveSafetensors(file, original, true); });
        QVERIFY2(message.find("'extra.weight'") != std::string::npos && message.find("float16") != std::string::npos,
            message.c_str());
    }

    void rejectsHostileHeaders()
    {
        QTemporaryDir dir;
        const std::filesystem::path file = dir.filePath(QStringLiteral("bad.safetensors")).toStdString();
        const std::string data(16, '\0');
        struct Case {
            const char* what;
            std::string header;
            const char* expected;
        };
        const std::string noMetadata = nlohmann::json { { "w", entry("F32", { 1 }, 0, 4) } }.dump();
        const std::vector<Case> cases {
            { "beyond the data", header({ { "w", entry("F32", { 8 }, 0, 32) } }), "'w'" },
            { "size mismatch", header({ { "w", entry("F32", { 3 }, 0, 8) } }), "'w'" },
            { "overflowing shape", header({ { "w", entry("F32", { 1ull << 32, 1ull << 32, 16 }, 0, 16) } }), "'w'" },
            { "unknown dtype", header({ { "w", entry("C64", { 1 }, 0, 8) } }), "C64" },
            { "overlap", header({ { "a", entry("F32", { 2 }, 0, 8) }, { "b", entry("F32", { 2 }, 4, 12) } }),
                "overlap" },
            { "no metadata", noMetadata, "__metadata__" },
            { "broken json", header({}).substr(0, 20), "header" },
        };
        for (const Case& c : cases) {
            writeRaw(file, c.header, data);
            const std::string message = errorOf([&] { loadCheckpoint(file); });
            QVERIFY2(message.find(file.string()) != std::string::npos && message.find(c.expected) != std::string::npos,
                qPrintable(QStringLiteral("%1: %2").arg(QLatin1String(c.what), QString::fromStdString(message))));
        }
        // A header length beyond the file is not taken for safetensors at all.
        writeRaw(file, header({}), data, 1ull << 40);
        QVERIFY(errorOf([&] { loadCheckpoint(file); }).find("not a checkpoint") != std::string::npos);
        QVERIFY(errorOf([&] { loadSafetensors(file); }).find("exceeds") != std::string::npos);
    }

    void rejectsTruncatedFile()
    {
        const auto golden = test::goldenCheckpoint("sam_small");
        CELLVIT_REQUIRE_PATH(golden);
        QTemporaryDir dir;
        const std::filesystem::path file = dir.filePath(QStringLiteral("cut.safetensors")).toStdString();
        saveSafetensors(file, loadCheckpoint(golden));
        std::filesystem::resize_file(file, std::filesystem::file_size(file) - 100);
        const std::string message = errorOf([&] { loadCheckpoint(file); });
        QVERIFY2(message.find(file.string()) != std::string::npos && message.find("data") != std::string::npos,
            message.c_str());
    }

    void rejectsDeeplyNestedHeader()
    {
        // fuzz/fuzz_safetensors finding (docs/fuzzing.md): a dtype nested 200 000 levels deep overflowed the stack
        // in the recursive json::dump() of the "unsupported dtype" message.
        QTemporaryDir dir;
        const std::filesystem::path file = dir.filePath(QStringLiteral("deep.safetensors")).toStdString();
        const std::string deep = std::string(200000, '[') + std::string(200000, ']');
        writeRaw(file,
            R"({"__metadata__":{"arch":"CellViT","config":"{}"},"w":{"dtype":)" + deep
                + R"(,"shape":[],"data_offsets":[0,0]}})",
            "");
        std::string message = errorOf([&] { loadSafetensors(file); });
        QVERIFY2(message.find(file.string()) != std::string::npos, message.c_str());
        QVERIFY2(message.find("nested deeper than 64 levels") != std::string::npos, message.c_str());
        message = errorOf([&] { loadCheckpoint(file); }); // the same through format detection
        QVERIFY2(message.find("nested deeper than 64 levels") != std::string::npos, message.c_str());
    }
};

QTEST_GUILESS_MAIN(TestSafetensors)
#include "tst_safetensors.moc"
