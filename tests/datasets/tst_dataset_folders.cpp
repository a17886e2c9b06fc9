#include "dataset_test_helpers.h"
#include "inference/datasets/dataset_loader.h"
#include "inference/datasets/dataset_readers.h"
#include "inference/io/npy.h"
#include "test_support.h"

#include <QTemporaryDir>
#include <fstream>
#include <opencv2/imgcodecs.hpp>

using namespace cellvit;

namespace {

std::filesystem::path monusegDir()
{
    return test::dataDir() / "monuseg_train_subset";
}
std::filesystem::path pumaDir()
{
    return test::dataDir() / "puma_nuclei_geojson_samples";
}

void writePng(const std::filesystem::path& file, const cv::Mat& rgb)
{
    cv::Mat bgr;
    cv::cvtColor(rgb, bgr, cv::COLOR_RGB2BGR);
    QVERIFY(cv::imwrite(file.string(), bgr));
}

} // namespace

class TestDatasetFolders : public QObject {
    Q_OBJECT
private Q_SLOTS:
    // A PanNuke-style folder built from real MoNuSeg crops: image png, instance npy and a type npy per patch.
    void pannukeFolderRoundTripsRealPatches()
    {
        CELLVIT_REQUIRE_PATH(monusegDir());
        const auto monuseg = loadDataset({ "monuseg", monusegDir().string(), 0.25 });
        QTemporaryDir dir;
        const std::filesystem::path root = dir.path().toStdString();
        std::filesystem::create_directories(root / "images");
        std::filesystem::create_directories(root / "instances");
        std::filesystem::create_directories(root / "types");
        std::ofstream(root / "tissues.csv") << "name,tissue\npatch0.png,3\npatch1,7\n";
        std::vector<cv::Mat> instances, types;
        for (int k = 0; k < 3; ++k) {
            const TrainingSample& s = monuseg[static_cast<size_t>(k)];
            const cv::Rect window(100 * k, 200, 256, 256);
            const std::string name = "patch" + std::to_string(k);
            writePng(root / "images" / (name + ".png"), s.rgb(window));
            instances.push_back(s.instanceMap(window).clone());
            // PanNuke classes by id: 1..5 in turn.
            cv::Mat type = cv::Mat::zeros(256, 256, CV_32SC1);
            for (int y = 0; y < 256; ++y)
                for (int x = 0; x < 256; ++x)
                    if (const int id = instances.back().at<int>(y, x))
                        type.at<int>(y, x) = 1 + id % 5;
            types.push_back(type);
            writeNpy(root / "instances" / (name + ".npy"), { 256, 256 }, instances.back().ptr<int32_t>(0));
            if (k < 2) // patch2 has no type map: NT unsupervised there
                writeNpy(root / "types" / (name + ".npy"), { 256, 256 }, type.ptr<int32_t>(0));
        }
        const auto samples = loadDataset({ "pannuke", root.string(), 0.25 });
        QCOMPARE(samples.size(), size_t(3));
        const int mapped[] = { 0, 1, 2, 3, 4, 1 }; // PanNuke -> defaultNucleusTypeNames()
        for (int k = 0; k < 3; ++k) {
            const TrainingSample& s = samples[static_cast<size_t>(k)];
            QCOMPARE(s.rgb.size(), cv::Size(256, 256));
            QCOMPARE(cv::countNonZero(s.instanceMap != instances[static_cast<size_t>(k)]), 0);
            QCOMPARE(s.tissueClass, k == 0 ? 3 : k == 1 ? 7 : 0);
            QCOMPARE(s.mpp, 0.25);
            QVERIFY(test::allEqual(s.segmentationMask, 255));
            QVERIFY(test::allEqual(s.typeMask, k < 2 ? 255 : 0));
            for (int y = 0; y < 256; y += 3)
                for (int x = 0; x < 256; x += 3)
                    QCOMPARE(s.typeMap.at<int>(y, x), k < 2 ? mapped[types[static_cast<size_t>(k)].at<int>(y, x)] : 0);
            const auto [inside, outside] = test::greyInsideOutside(s);
            QVERIFY(inside + 30 < outside);
        }
        // At x20 the 256 patches become 128, labels by nearest neighbour.
        const auto x20 = loadDataset({ "pannuke", root.string(), 0.5 });
        QCOMPARE(x20[0].instanceMap.size(), cv::Size(128, 128));
        QCOMPARE(x20[0].mpp, 0.5);

        // Errors: a wrong-shaped instance array, a type outside PanNuke's, a missing instance array.
        writeNpy(root / "instances" / "patch2.npy", { 2, 3 }, std::vector<int32_t>(6, 0).data());
        std::string message = test::thrownMessage<std::runtime_error>([&] {
            loadDataset({ "pannuke", root.string(), 0.25 });
        });
        QVERIFY2(message.find("patch2.npy") != std::string::npos && message.find("H×W") != std::string::npos,
            message.c_str());
        std::filesystem::remove(root / "instances" / "patch2.npy");
        message = test::thrownMessage<std::runtime_error>([&] { loadDataset({ "pannuke", root.string(), 0.25 }); });
        QVERIFY2(message.find("patch2.npy") != std::string::npos && message.find("does not exist") != std::string::npos,
            message.c_str());
        std::filesystem::remove(root / "images" / "patch2.png");
        types[0].at<int>(0, 0) = 9;
        writeNpy(root / "types" / "patch0.npy", { 256, 256 }, types[0].ptr<int32_t>(0));
        message = test::thrownMessage<std::runtime_error>([&] { loadDataset({ "pannuke", root.string(), 0.25 }); });
        QVERIFY2(message.find("patch0.npy") != std::string::npos && message.find("type 9") != std::string::npos,
            message.c_str());
        std::filesystem::create_directories(root / "empty" / "images");
        message = test::thrownMessage<std::runtime_error>([&] {
            loadDataset({ "pannuke", (root / "empty").string(), 0.25 });
        });
        QVERIFY2(message.find("no PanNuke images") != std::string::npos, message.c_str());
    }

    // The PUMA QuPath exports with a stand-in image (their ROIs are not in the shared data).
    void geojsonFolderRasterisesFeaturesWithAppendedClasses()
    {
        CELLVIT_REQUIRE_PATH(pumaDir());
        QTemporaryDir dir;
        const std::filesystem::path root = dir.path().toStdString();
        const char* names[] = { "training_set_metastatic_roi_001_nuclei", "training_set_primary_roi_006_nuclei" };
        for (const char* name : names) {
            std::filesystem::copy_file(
                pumaDir() / (std::string(name) + ".geojson"), root / (std::string(name) + ".geojson"));
            writePng(root / (std::string(name) + ".png"), cv::Mat(1024, 1024, CV_8UC3, cv::Scalar(230, 210, 220)));
        }
        std::ofstream(root / "mpp.txt") << "0.226\n";
        std::vector<std::string> typeNames;
        const auto samples = loadDataset({ "geojson", root.string(), 0.25 }, typeNames);
        QCOMPARE(samples.size(), size_t(2));
        // The default taxonomy first, then PUMA's names in order of appearance.
        QCOMPARE(typeNames.size() > 5, true);
        for (size_t k = 0; k < defaultNucleusTypeNames().size(); ++k)
            QCOMPARE(typeNames[k], defaultNucleusTypeNames()[k]);
        QVERIFY(std::find(typeNames.begin(), typeNames.end(), "nuclei_tumor") != typeNames.end());
        // 0.226 is within 10 % of 0.25: no resampling.
        QCOMPARE(samples[0].rgb.size(), cv::Size(1024, 1024));
        QCOMPARE(samples[0].mpp, 0.226);
        const size_t features[] = { 633, 284 }; // PROVENANCE.md
        for (size_t k = 0; k < 2; ++k) {
            const TrainingSample& s = samples[k];
            const auto ids = test::instanceIds(s.instanceMap);
            // Overlapping polygons: a later one may cover an earlier one entirely; nearly all survive.
            QVERIFY2(ids.size() <= features[k] && ids.size() * 100 >= features[k] * 98,
                qPrintable(QString::number(ids.size())));
            QVERIFY(*ids.rbegin() <= static_cast<int>(features[k]));
            // Every nucleus pixel has a PUMA class (all features are classified), background is class 0.
            QCOMPARE(cv::countNonZero((s.instanceMap != 0) & (s.typeMap <= 4)), 0);
            QCOMPARE(cv::countNonZero((s.instanceMap == 0) & (s.typeMap != 0)), 0);
            QVERIFY(test::allEqual(s.typeMask, 255));
            QVERIFY(test::allEqual(s.segmentationMask, 255));
        }
        // An annotation without its image, an empty folder.
        std::filesystem::copy_file(pumaDir() / "training_set_primary_roi_012_nuclei.geojson", root / "lonely.geojson");
        std::string message = test::thrownMessage<std::runtime_error>([&] {
            loadDataset({ "geojson", root.string(), 0.25 });
        });
        QVERIFY2(message.find("lonely.geojson") != std::string::npos && message.find("no image") != std::string::npos,
            message.c_str());
        std::filesystem::create_directories(root / "empty");
        message = test::thrownMessage<std::runtime_error>([&] {
            loadDataset({ "geojson", (root / "empty").string(), 0.25 });
        });
        QVERIFY2(message.find("no .geojson") != std::string::npos, message.c_str());
    }
};

QTEST_GUILESS_MAIN(TestDatasetFolders)
#include "tst_dataset_folders.moc"
