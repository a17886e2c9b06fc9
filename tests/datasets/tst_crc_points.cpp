#include "inference/metrics/annotation_error.h"
#include "inference/metrics/crc_points_reader.h"
#include "test_support.h"

#include <QTemporaryDir>
#include <fstream>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

using namespace cellvit;
using metrics::readMatPoints;

namespace {

std::filesystem::path crcDir()
{
    return test::dataDir() / "crchistophenotypes_2016_04_28";
}
std::filesystem::path matOf(int image, const char* kind)
{
    const std::string stem = "img" + std::to_string(image);
    return crcDir() / stem / (stem + "_" + kind + ".mat");
}

double greyAt(const cv::Mat& grey, const cv::Point2d& p)
{
    const cv::Point q(static_cast<int>(std::lround(p.x)), static_cast<int>(std::lround(p.y)));
    const cv::Rect window = cv::Rect(q.x - 1, q.y - 1, 3, 3) & cv::Rect(0, 0, grey.cols, grey.rows);
    return window.area() > 0 ? cv::mean(grey(window))[0] : 255.0;
}

} // namespace

class TestCrcPoints : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void readsKnownPointsOfImage1()
    {
        CELLVIT_REQUIRE_PATH(matOf(1, "detection"));
        const auto points = readMatPoints(matOf(1, "detection"));
        QCOMPARE(points.size(), size_t(29));
        // First row of the file (MATLAB, 1-based): x 148.78269484808447, y 181.47754293262892.
        QVERIFY(std::abs(points[0].x - 147.78269484808447) < 1e-9);
        QVERIFY(std::abs(points[0].y - 180.47754293262892) < 1e-9);
        QVERIFY(readMatPoints(matOf(1, "epithelial")).empty()); // stored as a 0x2 array
        QCOMPARE(readMatPoints(matOf(1, "inflammatory")).size(), size_t(7));
    }

    void totalsMatchTheReadme()
    {
        CELLVIT_REQUIRE_PATH(crcDir());
        size_t detection = 0, epithelial = 0, inflammatory = 0, fibroblast = 0, others = 0;
        for (int k = 1; k <= 100; ++k) {
            detection += readMatPoints(matOf(k, "detection")).size();
            epithelial += readMatPoints(matOf(k, "epithelial")).size();
            inflammatory += readMatPoints(matOf(k, "inflammatory")).size();
            fibroblast += readMatPoints(matOf(k, "fibroblast")).size();
            others += readMatPoints(matOf(k, "others")).size();
        }
        QCOMPARE(detection, size_t(29756));
        QCOMPARE(epithelial, size_t(7722));
        QCOMPARE(inflammatory, size_t(6971));
        QCOMPARE(fibroblast, size_t(5712));
        QCOMPARE(others, size_t(2039));
    }

    void pointsSitOnDarkNuclei()
    {
        // Column 1 = x: points are darker than the image on average and than the transposed reading.
        CELLVIT_REQUIRE_PATH(crcDir());
        double atPoints = 0, atTransposed = 0, imageMean = 0;
        size_t count = 0;
        for (int k : { 1, 2, 10, 50, 100 }) {
            const std::string stem = "img" + std::to_string(k);
            const cv::Mat image = cv::imread((crcDir() / stem / (stem + ".bmp")).string(), cv::IMREAD_GRAYSCALE);
            QVERIFY(!image.empty());
            imageMean += cv::mean(image)[0];
            for (const cv::Point2d& p : readMatPoints(matOf(k, "detection"))) {
                QVERIFY(p.x >= -0.5 && p.y >= -0.5 && p.x < 500 && p.y < 500);
                atPoints += greyAt(image, p);
                atTransposed += greyAt(image, { p.y, p.x });
                ++count;
            }
        }
        atPoints /= count;
        atTransposed /= count;
        imageMean /= 5;
        qInfo("mean grey: at points %.1f, transposed %.1f, image %.1f", atPoints, atTransposed, imageMean);
        QVERIFY2(atPoints + 25 < imageMean, qPrintable(QString("%1 vs %2").arg(atPoints).arg(imageMean)));
        QVERIFY2(atPoints + 15 < atTransposed, qPrintable(QString("%1 vs %2").arg(atPoints).arg(atTransposed)));
    }

    void errorsNameTheFileAndProblem()
    {
        QTemporaryDir dir;
        const std::filesystem::path root = dir.path().toStdString();
        // Missing file.
        std::string message = test::thrownMessage<metrics::AnnotationError>([&] { readMatPoints(root / "none.mat"); });
        QVERIFY2(message.find("none.mat") != std::string::npos && message.find("does not exist") != std::string::npos,
            message.c_str());
        // Not a MAT file.
        std::ofstream(root / "text.mat") << "hello";
        message = test::thrownMessage<metrics::AnnotationError>([&] { readMatPoints(root / "text.mat"); });
        QVERIFY2(message.find("text.mat") != std::string::npos, message.c_str());
        // A real file cut in the middle of its compressed data.
        CELLVIT_REQUIRE_PATH(matOf(2, "detection"));
        const auto truncated = root / "truncated.mat";
        std::filesystem::copy_file(matOf(2, "detection"), truncated);
        std::filesystem::resize_file(truncated, std::filesystem::file_size(truncated) / 2);
        message = test::thrownMessage<metrics::AnnotationError>([&] { readMatPoints(truncated); });
        QVERIFY2(message.find("truncated.mat") != std::string::npos, message.c_str());
        // Garbage after a valid header.
        const auto garbage = root / "garbage.mat";
        {
            std::ifstream in(matOf(2, "detection"), std::ios::binary);
            std::string header(128, '\0');
            in.read(header.data(), 128);
            std::ofstream out(garbage, std::ios::binary);
            out << header << std::string(300, '\x7f');
        }
        message = test::thrownMessage<metrics::AnnotationError>([&] { readMatPoints(garbage); });
        QVERIFY2(message.find("garbage.mat") != std::string::npos, message.c_str());
        // A variable that is not there.
        message
            = test::thrownMessage<metrics::AnnotationError>([&] { readMatPoints(matOf(2, "detection"), "points"); });
        QVERIFY2(message.find("'points'") != std::string::npos, message.c_str());
    }
};

QTEST_GUILESS_MAIN(TestCrcPoints)
#include "tst_crc_points.moc"
