// CoNSeP training patches (shared data PROVENANCE §6) on the real files: every patch's instances get the class
// the .mat lists for them, the taxonomy mapping, image-level holdout and the rare-class oversampling weights.
#include "dataset_test_helpers.h"
#include "inference/datasets/dataset_error.h"
#include "inference/datasets/dataset_loader.h"
#include "inference/datasets/dataset_readers.h"
#include "inference/datasets/holdout_split.h"
#include "inference/datasets/sampling_weights.h"
#include "inference/metrics/mat_matrix_reader.h"
#include "test_support.h"

#include <QTemporaryDir>
#include <QtTest>

#include <algorithm>
#include <map>

using namespace cellvit;

namespace {

std::filesystem::path consepDir()
{
    return test::dataDir() / "consep_train_patches";
}

std::string stemOf(const TrainingSample& s)
{
    return std::filesystem::path(s.source).stem().string();
}

// Centroid (x, y) and the set of type values of every instance of a sample.
struct InstanceSummary {
    double sumX = 0, sumY = 0, pixels = 0;
    std::set<int> types;
};
std::map<int, InstanceSummary> summarise(const TrainingSample& s)
{
    std::map<int, InstanceSummary> out;
    for (int y = 0; y < s.instanceMap.rows; ++y)
        for (int x = 0; x < s.instanceMap.cols; ++x)
            if (const int id = s.instanceMap.at<int>(y, x)) {
                auto& i = out[id];
                i.sumX += x, i.sumY += y, i.pixels += 1;
                i.types.insert(s.typeMap.at<int>(y, x));
            }
    return out;
}

} // namespace

class TestConsepPatches : public QObject {
    Q_OBJECT
    std::vector<TrainingSample> m_native; // x40, as stored

private Q_SLOTS:
    void initTestCase()
    {
        CELLVIT_REQUIRE_PATH(consepDir());
        m_native = loadDataset({ "consep", consepDir().string(), 0.25 });
    }

    void everyPatchIsReadFullyLabelled()
    {
        QCOMPARE(m_native.size(), size_t(432)); // PROVENANCE.md: 27 images x 16 patches
        std::map<std::string, int> patchesPerImage;
        for (const auto& s : m_native) {
            QCOMPARE(s.rgb.size(), cv::Size(256, 256));
            QCOMPARE(s.rgb.type(), CV_8UC3);
            QCOMPARE(s.mpp, 0.25);
            QVERIFY(test::allEqual(s.segmentationMask, 255));
            QVERIFY(test::allEqual(s.typeMask, 255));
            QCOMPARE(s.image + "_" + stemOf(s).substr(s.image.size() + 1), stemOf(s));
            ++patchesPerImage[s.image];
        }
        QCOMPARE(patchesPerImage.size(), size_t(27));
        for (const auto& [image, patches] : patchesPerImage)
            QVERIFY2(patches == 16, image.c_str());
    }

    // The class of each instance is the .mat row whose centroid is the instance's centroid: an independent
    // check of the "ascending id order" pairing, on every patch.
    void instancesCarryTheClassOfTheirMatRow()
    {
        const int consepToDefault[] = { 0, 4, 2, 1, 3 }; // other, inflammatory, epithelial, spindle
        const auto& names = defaultNucleusTypeNames();
        std::map<std::string, int> nucleiPerClass;
        size_t nuclei = 0;
        for (const auto& s : m_native) {
            const auto mat = consepDir() / "type_mat" / (stemOf(s) + ".mat");
            const auto types = metrics::readMatMatrix(mat, "inst_type");
            const auto centroids = metrics::readMatMatrix(mat, "inst_centroid");
            const auto instances = summarise(s);
            QCOMPARE(instances.size(), types.rows);
            QCOMPARE(centroids.rows, types.rows);
            size_t row = 0;
            for (const auto& [id, inst] : instances) {
                QVERIFY2(inst.types.size() == 1, qPrintable(QString("%1 id %2").arg(stemOf(s).c_str()).arg(id)));
                QVERIFY(std::abs(inst.sumX / inst.pixels - centroids.at(row, 0)) < 1e-6);
                QVERIFY(std::abs(inst.sumY / inst.pixels - centroids.at(row, 1)) < 1e-6);
                const int expected = consepToDefault[static_cast<int>(types.at(row, 0))];
                QCOMPARE(*inst.types.begin(), expected);
                ++nucleiPerClass[names[static_cast<size_t>(expected)]];
                ++row;
            }
            nuclei += instances.size();
            QCOMPARE(cv::countNonZero(s.typeMap != 0), cv::countNonZero(s.instanceMap != 0));
        }
        QCOMPARE(nuclei, size_t(18216)); // PROVENANCE.md
        QCOMPARE(nucleiPerClass["Other"], 432);
        QCOMPARE(nucleiPerClass["Inflammatory"], 4507);
        QCOMPARE(nucleiPerClass["Epithelial"], 6609);
        QCOMPARE(nucleiPerClass["Connective"], 6668);
    }

    void atX20PatchesHalveAndKeepTheirClasses()
    {
        const auto x20 = loadDataset({ "consep", consepDir().string(), 0.5 });
        QCOMPARE(x20.size(), m_native.size());
        QCOMPARE(x20.front().rgb.size(), cv::Size(128, 128));
        QCOMPARE(x20.front().mpp, 0.5);
        QCOMPARE(x20.front().image, m_native.front().image);
        for (const auto& [id, inst] : summarise(x20.front()))
            QVERIFY2(inst.types.size() == 1 && *inst.types.begin() != 0, qPrintable(QString::number(id)));
    }

    void holdoutTakesWholeImagesOnly()
    {
        const auto split = splitByHoldout(m_native, { "train_3", "train_11", "train_19" });
        QCOMPARE(split.validation.size(), size_t(48));
        QCOMPARE(split.train.size(), size_t(432 - 48));
        QCOMPARE(split.matched, (std::set<std::string> { "train_3", "train_11", "train_19" }));
        std::set<std::string> trainImages, validationImages;
        for (const auto& s : split.train)
            trainImages.insert(s.image);
        for (const auto& s : split.validation)
            validationImages.insert(s.image);
        QCOMPARE(validationImages, split.matched);
        for (const auto& image : validationImages)
            QVERIFY2(!trainImages.count(image), image.c_str()); // train_1 is not train_11's prefix match
        QVERIFY(trainImages.count("train_1"));

        // One patch alone would leave its image's 15 other patches in training.
        const std::string error = test::thrownMessage<std::invalid_argument>(
            [&] { splitByHoldout(m_native, { "train_3_005" }); });
        QVERIFY2(error.find("whole image (train_3)") != std::string::npos, error.c_str());
        QVERIFY(splitByHoldout(m_native, { "no-such-image" }).matched.empty());
    }

    void wholeImageSetsStillHoldOutByFileStem()
    {
        TrainingSample a, b;
        a.source = "/d/img8/img8.bmp";
        b.source = "/d/img81/img81.bmp";
        const auto split = splitByHoldout({ a, b }, { "img8" });
        QCOMPARE(split.validation.size(), size_t(1));
        QCOMPARE(split.validation.front().source, a.source);
    }

    // Other is the rare class (432 of 18,216 nuclei): the cell weights must sample its patches more often.
    void oversamplingFavoursPatchesWithTheRareClass()
    {
        const auto weights = cellTissueSamplingWeights(m_native, 5, 1);
        QCOMPARE(weights.size(), m_native.size());
        double withOther = 0, without = 0;
        int nWith = 0, nWithout = 0;
        for (size_t i = 0; i < m_native.size(); ++i) {
            const bool hasOther = cv::countNonZero(m_native[i].typeMap == 4) > 0;
            (hasOther ? withOther : without) += weights[i];
            (hasOther ? nWith : nWithout) += 1;
        }
        QVERIFY(nWith > 0 && nWithout > 0);
        // One tissue: every patch gets the same tissue term (1), so the cell term alone separates them (the
        // reference formula: measured 1.66 vs 1.41 on average).
        const size_t top = static_cast<size_t>(std::max_element(weights.begin(), weights.end()) - weights.begin());
        QVERIFY(cv::countNonZero(m_native[top].typeMap == 4) > 0);
        QVERIFY2(withOther / nWith > without / nWithout,
            qPrintable(QString("mean weight with Other %1, without %2").arg(withOther / nWith).arg(without / nWithout)));
    }

    void mismatchedLabelsNameTheFile()
    {
        QTemporaryDir dir;
        const std::filesystem::path root = dir.path().toStdString();
        for (const char* sub : { "images", "inst", "type_mat" })
            std::filesystem::create_directories(root / sub);
        std::filesystem::copy_file(consepDir() / "images" / "train_1_005.jpg", root / "images" / "train_1_005.jpg");
        std::filesystem::copy_file(consepDir() / "inst" / "train_1_005.npy", root / "inst" / "train_1_005.npy");
        // Another patch's classes: a different number of rows than the instance map has nuclei.
        std::filesystem::copy_file(consepDir() / "type_mat" / "train_1_000.mat", root / "type_mat" / "train_1_005.mat");
        const auto patch = std::find_if(
            m_native.begin(), m_native.end(), [](const TrainingSample& s) { return stemOf(s) == "train_1_005"; });
        QVERIFY(patch != m_native.end());
        QVERIFY(metrics::readMatMatrix(root / "type_mat" / "train_1_005.mat", "inst_type").rows
            != summarise(*patch).size());
        const std::string error = test::thrownMessage<Error>([&] { readConsepPatches(root, 0.25); });
        QVERIFY2(error.find("train_1_005.mat") != std::string::npos, error.c_str());
        QVERIFY2(error.find("instances of train_1_005.npy") != std::string::npos, error.c_str());
    }
};

QTEST_GUILESS_MAIN(TestConsepPatches)
#include "tst_consep_patches.moc"
