// Bad input must give a SlideError naming the file and the problem, never a crash.
#include "inference/slide/slide_source.h"
#include "test_support.h"

#include <QTemporaryDir>
#include <fstream>
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>

using namespace cellvit;

namespace {

std::filesystem::path inDir(const QTemporaryDir& dir, const char* name)
{
    return dir.filePath(name).toStdString();
}

void writeBytes(const std::filesystem::path& path, const std::string& bytes)
{
    std::ofstream(path, std::ios::binary).write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

std::string readBytes(const std::filesystem::path& path)
{
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

// The message openSlide throws for `path`; empty when it (wrongly) opens.
QString openError(const std::filesystem::path& path)
{
    return QString::fromStdString(test::thrownMessage<SlideError>([&] { openSlide(path); }));
}

// Fails unless opening throws a message with the file name and `reason`.
#define CHECK_OPEN_ERROR(path, reason)                                                                                 \
    do {                                                                                                               \
        const QString message = openError(path);                                                                       \
        QVERIFY2(!message.isEmpty(), "opened a broken file");                                                          \
        QVERIFY2(message.contains(QString::fromStdString((path).filename().string())), qPrintable(message));           \
        QVERIFY2(message.contains(QStringLiteral(reason)), qPrintable(message));                                       \
    } while (false)

} // namespace

class TestBrokenSlides : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void zeroByteFile()
    {
        QTemporaryDir dir;
        const auto path = inDir(dir, "empty.svs");
        writeBytes(path, "");
        CHECK_OPEN_ERROR(path, "empty");
    }

    void truncatedSvs()
    {
        CELLVIT_REQUIRE_PATH(test::sampleSlide());
        QTemporaryDir dir;
        const auto path = inDir(dir, "truncated.svs");
        writeBytes(path, readBytes(test::sampleSlide()).substr(0, 64 * 1024));
        CHECK_OPEN_ERROR(path, "OpenSlide does not recognise it");
    }

    void textFileRenamed()
    {
        QTemporaryDir dir;
        for (const char* name : { "notes.svs", "notes.png", "notes.tif" }) {
            const auto path = inDir(dir, name);
            writeBytes(path, "This is a text file, not a slide.\n");
            CHECK_OPEN_ERROR(path, "not a slide or image OpenSlide/OpenCV can read");
        }
    }

    void directoryAndMissingPath()
    {
        QTemporaryDir dir;
        const auto folder = inDir(dir, "folder.svs");
        std::filesystem::create_directory(folder);
        CHECK_OPEN_ERROR(folder, "directory");
        CHECK_OPEN_ERROR(inDir(dir, "missing.svs"), "no such file");
    }

    void pngRenamedSvsOpensByContent()
    {
        // Decision: files are recognised by content, so a PNG named .svs is read as the PNG it is.
        QTemporaryDir dir;
        const auto path = inDir(dir, "really-a-png.svs");
        cv::Mat bgr(30, 40, CV_8UC3, cv::Scalar(10, 20, 30));
        QVERIFY(cv::imwrite(inDir(dir, "image.png").string(), bgr));
        std::filesystem::copy_file(inDir(dir, "image.png"), path);
        const auto slide = openSlide(path);
        QCOMPARE(slide->vendor(), std::string("image"));
        QCOMPARE(slide->levels()[0].width, int64_t(40));
        QCOMPARE(slide->readRegion(0, 5, 5, 1, 1).at<cv::Vec3b>(0, 0), cv::Vec3b(30, 20, 10));
    }

    void damagedTileDataFailsOnReadAndStaysFailed()
    {
        // Header and directories intact, tile bytes zeroed: OpenSlide opens it and fails on decode.
        QTemporaryDir dir;
        const auto path = inDir(dir, "damaged.svs");
        std::string bytes = readBytes(test::sampleSlide());
        QVERIFY(bytes.size() > 1200000);
        std::fill(bytes.begin() + 20000, bytes.begin() + 1200000, '\0');
        writeBytes(path, bytes);
        const auto slide = openSlide(path);
        QCOMPARE(slide->levels()[0].width, int64_t(2220));
        for (int attempt = 0; attempt < 2; ++attempt) { // OpenSlide's error is sticky: the second read fails too
            try {
                slide->readRegion(0, 0, 0, 512, 512);
                QFAIL("a damaged tile was read without error");
            } catch (const SlideError& e) {
                const QString message = QString::fromUtf8(e.what());
                QVERIFY2(message.contains(QStringLiteral("damaged.svs")), qPrintable(message));
                QVERIFY2(message.contains(QStringLiteral("JPEG")), qPrintable(message));
            }
        }
    }

    void corruptImageBehindAnImageSignature()
    {
        // A PNG signature followed by garbage: OpenCV recognises the format, then cannot decode it.
        QTemporaryDir dir;
        const auto path = inDir(dir, "broken.png");
        writeBytes(path, std::string("\x89PNG\r\n\x1a\n", 8) + std::string(200, '\x42'));
        CHECK_OPEN_ERROR(path, "cannot decode");
    }
};

QTEST_GUILESS_MAIN(TestBrokenSlides)
#include "tst_broken_slides.moc"
