// Bad input must give a SlideError naming the file and the problem, never a crash.
#include "inference/slide/slide_source.h"
#include "test_support.h"

#include <QDirIterator>
#include <QTemporaryDir>
#include <cstring>
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

// Classic little-endian TIFF helpers for byte edits on copies of the real slide.
uint32_t readU32(const std::string& bytes, size_t at)
{
    uint32_t v = 0;
    std::memcpy(&v, bytes.data() + at, 4);
    return v;
}

void writeU32(std::string& bytes, size_t at, uint32_t value)
{
    std::memcpy(bytes.data() + at, &value, 4);
}

// Rewrites a SHORT/LONG tag of the first IFD as LONG `value`. Returns false when the tag is not there.
bool setFirstIfdTag(std::string& bytes, uint16_t tag, uint32_t value)
{
    const size_t ifd = readU32(bytes, 4);
    uint16_t count = 0;
    std::memcpy(&count, bytes.data() + ifd, 2);
    for (size_t i = 0; i < count; ++i) {
        const size_t entry = ifd + 2 + 12 * i;
        uint16_t entryTag = 0;
        std::memcpy(&entryTag, bytes.data() + entry, 2);
        if (entryTag != tag)
            continue;
        const uint16_t longType = 4;
        std::memcpy(bytes.data() + entry + 2, &longType, 2);
        writeU32(bytes, entry + 4, 1);
        writeU32(bytes, entry + 8, value);
        return true;
    }
    return false;
}

uint32_t crc32(const char* data, size_t size)
{
    uint32_t crc = 0xFFFFFFFFu;
    for (size_t i = 0; i < size; ++i) {
        crc ^= static_cast<uint8_t>(data[i]);
        for (int bit = 0; bit < 8; ++bit)
            crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
    }
    return ~crc;
}

void writeU32BigEndian(std::string& bytes, size_t at, uint32_t value)
{
    for (int i = 0; i < 4; ++i)
        bytes[at + static_cast<size_t>(i)] = static_cast<char>((value >> (24 - 8 * i)) & 0xFF);
}

// `cellvit-cli segment` of a whole slide with the small golden SAM model into `out`.
test::ProcessRun segment(const std::filesystem::path& slide, const QString& out)
{
    return test::runCli({ QStringLiteral("segment"), QString::fromStdString(slide.string()), QStringLiteral("--model"),
                            QString::fromStdString(test::goldenCheckpoint("sam_small").string()),
                            QStringLiteral("--device"), QStringLiteral("cpu"), QStringLiteral("--postproc-threads"),
                            QStringLiteral("2"), QStringLiteral("--out"), out },
        300000);
}

// Result files segment writes; none may exist after a failed run.
QStringList cellsFilesIn(const QString& folder)
{
    QStringList found;
    QDirIterator it(folder, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString name = QFileInfo(it.next()).fileName();
        if (name.startsWith(QLatin1String("cells")) || name.startsWith(QLatin1String("cell_detection"))
            || name.startsWith(QLatin1String("embeddings")) || name.contains(QLatin1String("overlay")))
            found << name;
    }
    return found;
}

// Fails unless segment exits with an error naming the slide and `reason` and leaves no result files.
#define CHECK_SEGMENT_FAILS_CLEANLY(slide, reason)                                                                     \
    do {                                                                                                               \
        QTemporaryDir outDir;                                                                                          \
        const QString out = outDir.filePath(QStringLiteral("out"));                                                    \
        const test::ProcessRun run = segment(slide, out);                                                              \
        QVERIFY2(run.exitCode > 0, qPrintable(QStringLiteral("exit code %1: %2").arg(run.exitCode).arg(run.err)));     \
        QVERIFY2(run.err.contains(QString::fromStdString((slide).filename().string())), qPrintable(run.err));          \
        QVERIFY2(run.err.contains(QStringLiteral(reason)), qPrintable(run.err));                                       \
        const QStringList left = cellsFilesIn(out);                                                                    \
        QVERIFY2(left.isEmpty(), qPrintable(left.join(QLatin1String(", "))));                                          \
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

    void zeroLevels()
    {
        // A TIFF header whose first-directory offset is 0: a TIFF without a single image directory (level).
        CELLVIT_REQUIRE_PATH(test::sampleSlide());
        QTemporaryDir dir;
        const auto path = inDir(dir, "zero-levels.svs");
        std::string bytes = readBytes(test::sampleSlide());
        QCOMPARE(bytes.substr(0, 4), std::string("II*\0", 4));
        writeU32(bytes, 4, 0);
        writeBytes(path, bytes);
        // libtiff (via OpenCV) and OpenSlide both refuse a TIFF without directories.
        CHECK_OPEN_ERROR(path, "OpenSlide does not recognise it");
        CELLVIT_REQUIRE_PATH(test::goldenCheckpoint("sam_small"));
        CHECK_SEGMENT_FAILS_CLEANLY(path, "OpenSlide does not recognise it");
    }

    void hugeDeclaredDimensions()
    {
        // Level 0 declares 10^6 x 10^6 pixels but keeps its 130 tiles: a clear error, no terapixel
        // allocation, no crash on the missing tiles.
        CELLVIT_REQUIRE_PATH(test::sampleSlide());
        QTemporaryDir dir;
        const auto path = inDir(dir, "huge.svs");
        std::string bytes = readBytes(test::sampleSlide());
        QVERIFY(setFirstIfdTag(bytes, 256, 1000000));
        QVERIFY(setFirstIfdTag(bytes, 257, 1000000));
        writeBytes(path, bytes);
        // libtiff notices that 130 tile offsets cannot cover 4167 x 4167 tiles; OpenSlide reports it.
        CHECK_OPEN_ERROR(path, "Invalid TIFF");
        CELLVIT_REQUIRE_PATH(test::goldenCheckpoint("sam_small"));
        CHECK_SEGMENT_FAILS_CLEANLY(path, "Invalid TIFF");
    }

    void hugeDeclaredPngDimensions()
    {
        // A valid PNG whose IHDR (with a correct CRC) declares 10^6 x 10^6 pixels over a 40 x 30 image.
        QTemporaryDir dir;
        const auto path = inDir(dir, "huge.png");
        QVERIFY(cv::imwrite(path.string(), cv::Mat(30, 40, CV_8UC3, cv::Scalar(1, 2, 3))));
        std::string bytes = readBytes(path);
        QCOMPARE(bytes.substr(12, 4), std::string("IHDR"));
        writeU32BigEndian(bytes, 16, 1000000);
        writeU32BigEndian(bytes, 20, 1000000);
        writeU32BigEndian(bytes, 29, crc32(bytes.data() + 12, 17));
        writeBytes(path, bytes);
        CHECK_OPEN_ERROR(path, "OpenCV cannot decode the image");
        CELLVIT_REQUIRE_PATH(test::goldenCheckpoint("sam_small"));
        CHECK_SEGMENT_FAILS_CLEANLY(path, "OpenCV cannot decode the image");
    }

    void realSlideRenamedPngOpensAsTheSlide()
    {
        // Same decision as pngRenamedSvsOpensByContent, the other way round: the extension is not trusted.
        CELLVIT_REQUIRE_PATH(test::sampleSlide());
        QTemporaryDir dir;
        const auto path = inDir(dir, "slide-named.png");
        std::filesystem::copy_file(test::sampleSlide(), path);
        const auto slide = openSlide(path);
        QCOMPARE(slide->vendor(), std::string("aperio"));
        QCOMPARE(slide->levels()[0].width, int64_t(2220));
        QCOMPARE(slide->levels()[0].height, int64_t(2967));
        const auto original = openSlide(test::sampleSlide());
        const cv::Mat a = slide->readRegion(0, 1000, 1000, 64, 64);
        const cv::Mat b = original->readRegion(0, 1000, 1000, 64, 64);
        QCOMPARE(cv::norm(a, b, cv::NORM_INF), 0.0);
    }

    void truncatedSlideRenamedPng()
    {
        // Wrong extension and broken content: the error names the file, whatever the extension promised.
        CELLVIT_REQUIRE_PATH(test::sampleSlide());
        QTemporaryDir dir;
        const auto path = inDir(dir, "cut-slide.png");
        writeBytes(path, readBytes(test::sampleSlide()).substr(0, 64 * 1024));
        CHECK_OPEN_ERROR(path, "OpenSlide does not recognise it");
    }

    void unreadableTilesThroughSegment()
    {
        // The damaged-tile slide of damagedTileDataFailsOnReadAndStaysFailed, run through the CLI: a clear
        // error and no cells.json / GeoJSON / embeddings left behind.
        CELLVIT_REQUIRE_PATH(test::sampleSlide());
        CELLVIT_REQUIRE_PATH(test::goldenCheckpoint("sam_small"));
        QTemporaryDir dir;
        const auto path = inDir(dir, "damaged.svs");
        std::string bytes = readBytes(test::sampleSlide());
        std::fill(bytes.begin() + 20000, bytes.begin() + 1200000, '\0');
        writeBytes(path, bytes);
        CHECK_SEGMENT_FAILS_CLEANLY(path, "JPEG");
    }

    void emptyAndTextSlidesThroughSegment()
    {
        CELLVIT_REQUIRE_PATH(test::goldenCheckpoint("sam_small"));
        QTemporaryDir dir;
        const auto empty = inDir(dir, "empty.svs");
        writeBytes(empty, "");
        CHECK_SEGMENT_FAILS_CLEANLY(empty, "empty");
        const auto text = inDir(dir, "notes.svs");
        writeBytes(text, "This is a text file, not a slide.\n");
        CHECK_SEGMENT_FAILS_CLEANLY(text, "not a slide or image");
    }
};

QTEST_GUILESS_MAIN(TestBrokenSlides)
#include "tst_broken_slides.moc"
