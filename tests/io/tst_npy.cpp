#include "inference/io/npy.h"
#include "test_support.h"

#include <QTemporaryDir>

using namespace cellvit;

class TestNpy : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void readsGoldenFloatTensor()
    {
        const auto path = test::goldenDir() / "model" / "inputs" / "input_256_normalised.npy";
        CELLVIT_REQUIRE_PATH(path);
        const NpyArray a = readNpy(path);
        QCOMPARE(a.dtype, std::string("<f4"));
        QCOMPARE(a.shape, (std::vector<int64_t> { 1, 3, 256, 256 }));
        const float* v = a.data<float>();
        // Normalised RGB lies in [-1, 1] and is not constant.
        const auto [mn, mx] = std::minmax_element(v, v + a.count());
        QVERIFY(*mn >= -1.0f && *mx <= 1.0f && *mx - *mn > 1.0f);
    }

    void readsGoldenUint8ArgmaxMap()
    {
        const auto path = test::goldenDir() / "postproc" / "monuseg_CH5767_1024" / "inputs" / "nuclei_type_argmax.npy";
        CELLVIT_REQUIRE_PATH(path);
        const NpyArray a = readNpy(path);
        QCOMPARE(a.dtype, std::string("|u1"));
        QCOMPARE(a.shape, (std::vector<int64_t> { 1024, 1024 }));
        QVERIFY(*std::max_element(a.data<uint8_t>(), a.data<uint8_t>() + a.count()) <= 5);
    }

    void roundTripsAndRejectsWrongType()
    {
        QTemporaryDir dir;
        const std::filesystem::path file = dir.filePath(QStringLiteral("a.npy")).toStdString();
        const std::vector<int32_t> values { 1, -2, 3, 4, 5, 6 };
        writeNpy(file, { 2, 3 }, values.data());
        const NpyArray back = readNpy(file);
        QCOMPARE(back.shape, (std::vector<int64_t> { 2, 3 }));
        QCOMPARE(back.toVector<int32_t>(), values);
        QVERIFY_THROWS_EXCEPTION(NpyError, back.data<float>());
    }

    void rejectsTruncatedAndForeignFiles()
    {
        QTemporaryDir dir;
        const std::filesystem::path file = dir.filePath(QStringLiteral("t.npy")).toStdString();
        const std::vector<float> values(100, 1.0f);
        writeNpy(file, { 100 }, values.data());
        std::filesystem::resize_file(file, std::filesystem::file_size(file) - 8);
        QVERIFY_THROWS_EXCEPTION(NpyError, readNpy(file));
        QVERIFY_THROWS_EXCEPTION(NpyError, readNpy(test::sourceDir() / "CMakeLists.txt"));
    }
};

QTEST_GUILESS_MAIN(TestNpy)
#include "tst_npy.moc"
