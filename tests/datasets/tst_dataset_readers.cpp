#include "dataset_test_helpers.h"
#include "inference/datasets/dataset_loader.h"
#include "inference/datasets/dataset_readers.h"
#include "inference/metrics/crc_points_reader.h"
#include "test_support.h"

#include <QTemporaryDir>
#include <fstream>
#include <map>

using namespace cellvit;

namespace {

std::filesystem::path monusegDir()
{
    return test::dataDir() / "monuseg_train_subset";
}
std::filesystem::path cpmDir()
{
    return test::dataDir() / "cpm15_miccai2015_training";
}

std::filesystem::path crcDir()
{
    return test::dataDir() / "crchistophenotypes_2016_04_28";
}

std::string stemOf(const TrainingSample& s)
{
    return std::filesystem::path(s.source).stem().string();
}

} // namespace

class TestDatasetReaders : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void monusegAtNativeResolutionKeepsEveryNucleus()
    {
        CELLVIT_REQUIRE_PATH(monusegDir());
        const auto samples = loadDataset({ "monuseg", monusegDir().string(), 0.25 });
        // PROVENANCE.md: nuclei per image and MicronsPerPixel (NH-A8F7 has none: 0.25 assumed).
        const std::map<std::string, std::pair<int, double>> expected { { "TCGA-B0-5710-01Z-00-DX1", { 359, 0.2520 } },
            { "TCGA-CH-5767-01Z-00-DX1", { 294, 0.2520 } }, { "TCGA-AR-A1AK-01Z-00-DX1", { 433, 0.2468 } },
            { "TCGA-NH-A8F7-01A-01-TS1", { 363, 0.25 } }, { "TCGA-21-5786-01Z-00-DX1", { 440, 0.2527 } } };
        QCOMPARE(samples.size(), expected.size());
        for (const TrainingSample& s : samples) {
            const auto& [nuclei, mpp] = expected.at(stemOf(s));
            QCOMPARE(s.rgb.size(), cv::Size(1000, 1000));
            QCOMPARE(s.rgb.type(), CV_8UC3);
            QCOMPARE(s.instanceMap.type(), CV_32SC1);
            QCOMPARE(s.instanceMap.size(), s.rgb.size());
            QCOMPARE(static_cast<int>(test::instanceIds(s.instanceMap).size()), nuclei);
            QCOMPARE(s.mpp, mpp);
            QVERIFY(test::allEqual(s.segmentationMask, 255));
            QVERIFY(test::allEqual(s.typeMask, 0));
            QVERIFY(test::allEqual(s.typeMap, 0));
            const auto [inside, outside] = test::greyInsideOutside(s);
            QVERIFY2(inside + 30 < outside, s.source.c_str());
        }
    }

    void monusegAtX20HalvesTheImageAndKeepsAlmostAllNuclei()
    {
        CELLVIT_REQUIRE_PATH(monusegDir());
        const auto native = loadDataset({ "monuseg", monusegDir().string(), 0.25 });
        const auto x20 = loadDataset({ "monuseg", monusegDir().string(), 0.5 });
        QCOMPARE(x20.size(), native.size());
        for (size_t k = 0; k < x20.size(); ++k) {
            const TrainingSample& s = x20[k];
            const int side = static_cast<int>(std::lround(1000 * native[k].mpp / 0.5)); // 494..505
            QCOMPARE(s.rgb.size(), cv::Size(side, side));
            QCOMPARE(s.instanceMap.size(), s.rgb.size());
            QVERIFY(std::abs(s.mpp - 0.5) < 0.01);
            // Nearest-neighbour sampling keeps one native pixel in four: only nuclei with no pixel on that
            // grid can vanish, i.e. a few tiny or sliver regions. Every survivor keeps its id.
            const auto before = test::instanceIds(native[k].instanceMap);
            const auto after = test::instanceIds(s.instanceMap);
            QVERIFY(std::includes(before.begin(), before.end(), after.begin(), after.end()));
            for (int id : before) {
                if (after.count(id) == 0)
                    QVERIFY2(cv::countNonZero(native[k].instanceMap == id) <= 12, s.source.c_str());
            }
            QVERIFY(after.size() * 100 >= before.size() * 99);
            const auto [inside, outside] = test::greyInsideOutside(s);
            QVERIFY(inside + 30 < outside);
        }
    }

    void cpm15HasAllNucleiAndPairsTheSwappedMasksBySize()
    {
        CELLVIT_REQUIRE_PATH(cpmDir());
        const auto samples = readCpm15(cpmDir(), 0.0); // native resolution
        QCOMPARE(samples.size(), size_t(15));
        size_t total = 0;
        for (const TrainingSample& s : samples) {
            QCOMPARE(s.instanceMap.size(), s.rgb.size());
            QCOMPARE(s.rgb.type(), CV_8UC3);
            const int index = std::stoi(stemOf(s).substr(5));
            QCOMPARE(s.mpp, index <= 7 ? 0.5 : 0.25);
            total += test::instanceIds(s.instanceMap).size();
            const auto [inside, outside] = test::greyInsideOutside(s);
            QVERIFY2(inside + 20 < outside, s.source.c_str());
            QVERIFY(test::allEqual(s.segmentationMask, 255));
            QVERIFY(test::allEqual(s.typeMask, 0));
        }
        QCOMPARE(total, size_t(2905)); // PROVENANCE.md: the published CPM-15 count
        // image04.png is 623x493 (its mask is image05_mask.txt), image05.png 863x597.
        QCOMPARE(samples[3].rgb.size(), cv::Size(623, 493));
        QCOMPARE(samples[4].rgb.size(), cv::Size(863, 597));
    }

    void cpm15AtX20RescalesOnlyTheX40Images()
    {
        CELLVIT_REQUIRE_PATH(cpmDir());
        const auto native = readCpm15(cpmDir(), 0.0);
        const auto x20 = loadDataset({ "cpm15", cpmDir().string(), 0.5 });
        QCOMPARE(x20.size(), native.size());
        for (size_t k = 0; k < x20.size(); ++k) {
            const bool wasX40 = native[k].mpp == 0.25;
            QCOMPARE(
                x20[k].rgb.cols, wasX40 ? static_cast<int>(std::lround(native[k].rgb.cols * 0.5)) : native[k].rgb.cols);
            QCOMPARE(x20[k].instanceMap.size(), x20[k].rgb.size());
            QVERIFY(std::abs(x20[k].mpp - 0.5) < 0.01);
            if (!wasX40)
                QCOMPARE(test::instanceIds(x20[k].instanceMap), test::instanceIds(native[k].instanceMap));
        }
    }

    void crcGivesWeakTypeLabelsAtClassifiedPoints()
    {
        CELLVIT_REQUIRE_PATH(crcDir());
        const auto samples = loadDataset({ "crchistophenotypes", crcDir().string(), 0.5 });
        QCOMPARE(samples.size(), size_t(100));
        const char* classes[] = { "epithelial", "inflammatory", "fibroblast", "others" };
        size_t classified = 0, matching = 0;
        for (size_t k = 0; k < samples.size(); ++k) {
            const TrainingSample& s = samples[k];
            const std::string stem = "img" + std::to_string(k + 1); // sorted numerically
            QCOMPARE(stemOf(s), stem);
            QCOMPARE(s.rgb.size(), cv::Size(500, 500));
            QCOMPARE(s.mpp, 0.5);
            QVERIFY(test::allEqual(s.segmentationMask, 0)); // no masks: NP/HV unsupervised
            QVERIFY(test::allEqual(s.instanceMap, 0));
            for (int c = 0; c < 4; ++c) {
                for (const cv::Point2d& p :
                    metrics::readMatPoints(crcDir() / stem / (stem + "_" + classes[c] + ".mat"))) {
                    // A few points round to x or y = 500 (on the border): their disk still covers the edge pixel.
                    const cv::Point q(std::clamp(static_cast<int>(std::lround(p.x)), 0, 499),
                        std::clamp(static_cast<int>(std::lround(p.y)), 0, 499));
                    QCOMPARE(s.typeMask.at<uchar>(q), uchar(255));
                    QVERIFY(s.typeMap.at<int>(q) >= 1 && s.typeMap.at<int>(q) <= 4);
                    ++classified;
                    matching += s.typeMap.at<int>(q) == c + 1; // a later disk may cover a touching neighbour
                }
            }
            // Labelled background (type 0 under the mask) lies > 12 px from every detection point.
            if (k % 20 == 0) {
                const auto detections = metrics::readMatPoints(crcDir() / stem / (stem + "_detection.mat"));
                const cv::Mat background = (s.typeMask == 255) & (s.typeMap == 0);
                QVERIFY(cv::countNonZero(background) > 0);
                std::vector<cv::Point> pixels;
                cv::findNonZero(background, pixels);
                for (size_t i = 0; i < pixels.size(); i += 7) {
                    for (const cv::Point2d& p : detections)
                        QVERIFY(std::hypot(pixels[i].x - p.x, pixels[i].y - p.y) > 11.0);
                }
                // Pixels right next to a detection point are never labelled background.
                for (const cv::Point2d& p : detections) {
                    const cv::Point q(static_cast<int>(std::lround(p.x)), static_cast<int>(std::lround(p.y)));
                    if (q.inside(cv::Rect(0, 0, 500, 500)))
                        QVERIFY(background.at<uchar>(q) == 0);
                }
            }
        }
        QCOMPARE(classified, size_t(7722 + 6971 + 5712 + 2039)); // PROVENANCE.md
        QVERIFY2(matching * 100 >= classified * 97, qPrintable(QString::number(matching)));
    }

    void crcAtX40DrawsProportionallyLargerDisks()
    {
        CELLVIT_REQUIRE_PATH(crcDir());
        const auto x20 = readCrcHistoPhenotypes(crcDir(), 0.5);
        const auto x40 = readCrcHistoPhenotypes(crcDir(), 0.25);
        QCOMPARE(x40.front().rgb.size(), cv::Size(1000, 1000));
        QCOMPARE(x40.front().mpp, 0.25);
        const double areaX20 = cv::countNonZero(x20[1].typeMap != 0), areaX40 = cv::countNonZero(x40[1].typeMap != 0);
        QVERIFY(areaX20 > 0);
        QVERIFY2(std::abs(areaX40 / areaX20 - 4.0) < 0.6, qPrintable(QString::number(areaX40 / areaX20)));
        CrcWeakLabelOptions noBackground;
        noBackground.labelFarBackground = false;
        const auto classOnly = readCrcHistoPhenotypes(crcDir(), 0.5, noBackground);
        QCOMPARE(cv::countNonZero(classOnly[1].typeMask), cv::countNonZero(classOnly[1].typeMap != 0));
    }

    void errorsNameTheFolderOrFile()
    {
        QTemporaryDir dir;
        const std::filesystem::path root = dir.path().toStdString();
        // Missing folder.
        std::string message = test::thrownMessage<std::runtime_error>([&] {
            loadDataset({ "monuseg", (root / "nowhere").string(), 0.5 });
        });
        QVERIFY2(message.find((root / "nowhere").string()) != std::string::npos, message.c_str());
        // Empty folders.
        std::filesystem::create_directories(root / "m" / "Tissue_Images");
        std::filesystem::create_directories(root / "m" / "Annotations");
        message = test::thrownMessage<std::runtime_error>([&] {
            loadDataset({ "monuseg", (root / "m").string(), 0.5 });
        });
        QVERIFY2(message.find("no MoNuSeg images") != std::string::npos, message.c_str());
        message = test::thrownMessage<std::runtime_error>([&] {
            loadDataset({ "cpm15", (root / "m").string(), 0.5 });
        });
        QVERIFY2(message.find("no CPM-15 images") != std::string::npos, message.c_str());
        // An image without its annotation, a corrupt image.
        std::ofstream(root / "m" / "Tissue_Images" / "a.tif") << "not a tiff";
        message = test::thrownMessage<std::runtime_error>([&] {
            loadDataset({ "monuseg", (root / "m").string(), 0.5 });
        });
        QVERIFY2(message.find("a.xml") != std::string::npos && message.find("annotation missing") != std::string::npos,
            message.c_str());
        std::filesystem::copy_file(
            monusegDir() / "Annotations" / "TCGA-CH-5767-01Z-00-DX1.xml", root / "m" / "Annotations" / "a.xml");
        message = test::thrownMessage<std::runtime_error>([&] {
            loadDataset({ "monuseg", (root / "m").string(), 0.5 });
        });
        QVERIFY2(
            message.find("a.tif") != std::string::npos && message.find("decode") != std::string::npos, message.c_str());
        // CRC: a folder without imgN/, an image folder without its .mat files.
        message = test::thrownMessage<std::runtime_error>([&] {
            loadDataset({ "crchistophenotypes", (root / "m").string(), 0.5 });
        });
        QVERIFY2(message.find("no CRCHistoPhenotypes image folders") != std::string::npos, message.c_str());
        std::filesystem::create_directories(root / "c" / "img7");
        std::filesystem::copy_file(crcDir() / "img7" / "img7.bmp", root / "c" / "img7" / "img7.bmp");
        message = test::thrownMessage<std::runtime_error>([&] {
            loadDataset({ "crchistophenotypes", (root / "c").string(), 0.5 });
        });
        QVERIFY2(message.find("img7_detection.mat") != std::string::npos, message.c_str());
        // Unknown kind.
        message = test::thrownMessage<std::runtime_error>([&] { loadDataset({ "kitti", root.string(), 0.5 }); });
        QVERIFY2(message.find("unknown dataset kind 'kitti'") != std::string::npos, message.c_str());
    }
};

QTEST_GUILESS_MAIN(TestDatasetReaders)
#include "tst_dataset_readers.moc"
