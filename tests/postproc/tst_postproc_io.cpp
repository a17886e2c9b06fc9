// cells.json round trip on the golden records, and clear errors for bad post-processing inputs.
#include "golden_cases.h"
#include "inference/io/npy.h"
#include "inference/postproc/cells_json.h"
#include "inference/postproc/postproc_inputs.h"

#include <QTemporaryDir>
#include <fstream>
#include <opencv2/core.hpp>

using namespace cellvit;

namespace {

std::filesystem::path tempFile(const QTemporaryDir& dir, const char* name)
{
    return dir.filePath(QString::fromLatin1(name)).toStdString();
}

bool messageContains(const std::exception& e, const std::string& part)
{
    return std::string(e.what()).find(part) != std::string::npos;
}

} // namespace

class TestPostprocIo : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void cellsJsonRoundTripsGoldenRecords()
    {
        const test::PostprocGoldenCase golden { "cpm_image03_256", 20 };
        const auto file = golden.expectedDir() / "cells.json";
        CELLVIT_REQUIRE_PATH(file);
        const std::vector<Cell> cells = readCellsJson(file);
        QCOMPARE(cells.size(), size_t(38));
        QVERIFY(cells.front().contour.size() >= 3);

        QTemporaryDir dir;
        const auto copy = tempFile(dir, "cells.json");
        writeCellsJson(copy, cells);
        const std::vector<Cell> back = readCellsJson(copy);
        QCOMPARE(back.size(), cells.size());
        for (size_t i = 0; i < cells.size(); ++i) {
            QCOMPARE(back[i].id, cells[i].id);
            QCOMPARE(back[i].contour, cells[i].contour);
            QCOMPARE(back[i].centroid.x, cells[i].centroid.x); // bit-exact doubles
            QCOMPARE(back[i].centroid.y, cells[i].centroid.y);
            QCOMPARE(back[i].typeProb, cells[i].typeProb);
            QCOMPARE((std::vector<int> { back[i].rmin, back[i].cmin, back[i].rmax, back[i].cmax, back[i].type }),
                (std::vector<int> { cells[i].rmin, cells[i].cmin, cells[i].rmax, cells[i].cmax, cells[i].type }));
        }
    }

    void cellsJsonErrorsNameFileAndEntry()
    {
        QTemporaryDir dir;
        const auto bad = tempFile(dir, "bad.json");
        std::ofstream(bad)
            << R"([{"id": 1, "bbox": [[0, 0], [2, 2]], "centroid": [1.0, 1.0], "contour": [], "type": 1}])";
        try {
            readCellsJson(bad);
            QFAIL("missing type_prob accepted");
        } catch (const CellsJsonError& e) {
            QVERIFY2(messageContains(e, bad.string()) && messageContains(e, "entry 0"), e.what());
        }
        QVERIFY_THROWS_EXCEPTION(CellsJsonError, readCellsJson(tempFile(dir, "absent.json")));
    }

    void loadsBothInputForms()
    {
        for (const auto& golden : { test::PostprocGoldenCase { "cpm_image12_256", 40 },
                 test::PostprocGoldenCase { "monuseg_CH5767_1024", 40 } }) {
            CELLVIT_REQUIRE_PATH(golden.hvPath());
            const PostprocInputs in = loadPostprocInputs(golden.npPath(), golden.hvPath(), golden.ntPath());
            const int size = golden.name == "cpm_image12_256" ? 256 : 1024;
            QCOMPARE(in.npArgmax.size(), cv::Size(size, size));
            QCOMPARE(in.hx.type(), CV_32F);
            double maxType = 0, maxNp = 0;
            cv::minMaxLoc(in.typeArgmax, nullptr, &maxType);
            cv::minMaxLoc(in.npArgmax, nullptr, &maxNp);
            QCOMPARE(maxNp, 1.0);
            QVERIFY(maxType >= 1 && maxType <= 5);
        }
    }

    void rejectsBadInputsWithTheFileName()
    {
        const test::PostprocGoldenCase small { "cpm_image12_256", 40 }, large { "monuseg_CH5767_1024", 40 };
        CELLVIT_REQUIRE_PATH(large.hvPath());
        QTemporaryDir dir;
        const auto expectError = [](auto&& call, const std::string& part) {
            try {
                call();
            } catch (const PostprocInputError& e) {
                return messageContains(e, part);
            }
            return false;
        };
        // Missing file.
        const auto absent = tempFile(dir, "absent.npy");
        QVERIFY(expectError([&] { loadPostprocInputs(absent, large.hvPath(), large.ntPath()); }, absent.string()));
        // Sizes that do not agree.
        QVERIFY(expectError([&] { loadPostprocInputs(large.npPath(), small.hvPath(), large.ntPath()); }, "differ"));
        // HV map that is not 2 x H x W.
        QVERIFY(expectError(
            [&] { loadPostprocInputs(large.npPath(), large.ntPath(), large.ntPath()); }, large.ntPath().string()));
        // Integer class map that is not uint8.
        const auto ints = tempFile(dir, "ints.npy");
        const std::vector<int32_t> values(16, 1);
        writeNpy(ints, { 4, 4 }, values.data());
        QVERIFY(expectError([&] { loadPostprocInputs(ints, large.hvPath(), large.ntPath()); }, ints.string()));
        // Not an .npy file at all.
        QVERIFY(expectError(
            [&] { loadPostprocInputs(large.npPath(), large.hvPath(), test::sourceDir() / "CMakeLists.txt"); },
            "CMakeLists.txt"));
    }
};

QTEST_GUILESS_MAIN(TestPostprocIo)
#include "tst_postproc_io.moc"
