// `cellvit-cli segment --engine classic` on real images, scored with `cellvit-cli evaluate`: MoNuSeg at 40×
// (native, and resampled to 20× with the cells mapped back to the image's pixels) against the outlines, and
// CRCHistoPhenotypes at 20× against its point labels, two predictions side by side. --mpp becomes the declared
// resolution of the output folder's project.
#include "inference/store/project_store.h"
#include "inference/store/slide_identity.h"
#include "test_support.h"

#include <QTemporaryDir>
#include <fstream>
#include <nlohmann/json.hpp>
#include <opencv2/imgcodecs.hpp>

using namespace cellvit;
using test::ProcessRun;
using test::runCli;

namespace {

const std::filesystem::path kMonuseg = test::dataDir() / "monuseg_train_subset";
const std::filesystem::path kCrc = test::dataDir() / "crchistophenotypes_2016_04_28";
const char* const kMonusegImage = "TCGA-B0-5710-01Z-00-DX1";

ProcessRun segmentClassic(
    const std::filesystem::path& image, const QString& mpp, const QString& out, const QStringList& extra = {})
{
    return runCli(QStringList { QStringLiteral("segment"), QString::fromStdString(image.string()),
                      QStringLiteral("--engine"), QStringLiteral("classic"), QStringLiteral("--mpp"), mpp,
                      QStringLiteral("--no-tissue-filter"), QStringLiteral("--out"), out }
        + extra);
}

nlohmann::json readJson(const QString& file)
{
    std::ifstream in(file.toStdString());
    return nlohmann::json::parse(in);
}

} // namespace

class TestCliClassic : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        CELLVIT_REQUIRE_PATH(kMonuseg / "Tissue_Images" / (std::string(kMonusegImage) + ".tif"));
        CELLVIT_REQUIRE_PATH(kCrc / "img1" / "img1_detection.mat");
    }

    void monusegAt40xNativeAndResampled_data()
    {
        QTest::addColumn<QString>("magnification");
        QTest::addColumn<double>("minF1");
        QTest::addColumn<double>("minBpq");
        // Measured: native F1 0.835, bPQ 0.533; resampled F1 0.790, bPQ 0.474.
        QTest::newRow("native 40x") << QStringLiteral("native") << 0.77 << 0.48;
        QTest::newRow("resampled to 20x") << QStringLiteral("20") << 0.73 << 0.42;
    }
    void monusegAt40xNativeAndResampled()
    {
        QFETCH(QString, magnification);
        QFETCH(double, minF1);
        QFETCH(double, minBpq);
        QTemporaryDir dir;
        const auto image = kMonuseg / "Tissue_Images" / (std::string(kMonusegImage) + ".tif");
        const ProcessRun seg = segmentClassic(
            image, QStringLiteral("0.25"), dir.path(), { QStringLiteral("--classic-magnification"), magnification });
        QVERIFY2(seg.exitCode == 0, qPrintable(seg.err + seg.out));
        QVERIFY2(seg.out.contains(QLatin1String("classic detector")), qPrintable(seg.out));
        QVERIFY(seg.out.contains(QLatin1String("Nucleus")));
        QVERIFY2(!QFileInfo::exists(dir.filePath(QStringLiteral("embeddings.npy"))), "classic cells have no embedding");
        // --mpp is recorded as the slide's declared resolution: the desktop app opening the folder uses it too.
        QCOMPARE(ProjectStore(storePathForSlide(image, dir.path().toStdString())).declaredMpp().value_or(0), 0.25);
        // The overlay shows the whole 1000² image (below 4096 px: not downsampled) with the outlines drawn.
        const cv::Mat overlay = cv::imread(dir.filePath(QStringLiteral("overlay.png")).toStdString());
        QCOMPARE(overlay.cols, 1000);
        QCOMPARE(overlay.rows, 1000);

        const QString json = dir.filePath(QStringLiteral("scores.json"));
        const ProcessRun eval = runCli({ QStringLiteral("evaluate"), QStringLiteral("--pred"),
            dir.filePath(QStringLiteral("cells.json")), QStringLiteral("--gt"),
            QString::fromStdString((kMonuseg / "Annotations" / (std::string(kMonusegImage) + ".xml")).string()),
            QStringLiteral("--json"), json });
        QVERIFY2(eval.exitCode == 0, qPrintable(eval.err));
        const auto scores = readJson(json);
        qInfo("%s", scores["dataset"].dump().substr(0, 600).c_str());
        const double f1 = scores["dataset"]["f1_detection"].get<double>();
        const double bpq = scores["dataset"]["bPQ"].get<double>();
        qInfo("classic engine (%s) on %s: detection F1 %.3f, bPQ %.3f", qPrintable(magnification), kMonusegImage, f1,
            bpq);
        QVERIFY(f1 >= minF1);
        QVERIFY(bpq >= minBpq);
    }

    void crcPointLabelsSideBySide()
    {
        QTemporaryDir dir;
        for (const char* image : { "img1", "img2", "img3", "img4", "img5" }) {
            const auto bmp = kCrc / image / (std::string(image) + ".bmp");
            CELLVIT_REQUIRE_PATH(bmp);
            const ProcessRun seg = segmentClassic(bmp, QStringLiteral("0.5"),
                dir.filePath(QStringLiteral("classic/") + QLatin1String(image)), { QStringLiteral("--no-overlay") });
            QVERIFY2(seg.exitCode == 0, qPrintable(seg.err + seg.out));
        }
        const QString json = dir.filePath(QStringLiteral("crc.json"));
        const ProcessRun eval = runCli({ QStringLiteral("evaluate"), QStringLiteral("--pred"),
            QStringLiteral("classic=") + dir.filePath(QStringLiteral("classic")), QStringLiteral("--pred"),
            QStringLiteral("again=") + dir.filePath(QStringLiteral("classic")), QStringLiteral("--gt"),
            QString::fromStdString(kCrc.string()), QStringLiteral("--magnification"), QStringLiteral("20"),
            QStringLiteral("--json"), json });
        QVERIFY2(eval.exitCode == 0, qPrintable(eval.err));
        qInfo("%s", qPrintable(eval.out));
        QVERIFY(eval.out.contains(QLatin1String("PQ: not applicable")));
        QVERIFY(eval.out.contains(QLatin1String("within 6.0 px")));
        const auto scores = readJson(json);
        QCOMPARE(scores.size(), size_t(2));
        QCOMPARE(scores[0]["name"].get<std::string>(), std::string("classic"));
        QCOMPARE(scores[0]["images"].get<int>(), 5);
        const double f1 = scores[0]["detection"]["f1"].get<double>();
        QCOMPARE(scores[1]["detection"]["f1"].get<double>(), f1);
        // Measured 0.637 (612 labelled, 688 predicted); 0.366 before edge patches' white padding was kept out
        // of the detector's Otsu threshold.
        QVERIFY2(f1 >= 0.55, qPrintable(QString::number(f1)));
        const auto labelled = scores[0]["detection"]["labelled"].get<double>();
        const auto predicted = scores[0]["detection"]["predicted"].get<double>();
        QVERIFY(predicted >= labelled / 2 && predicted <= labelled * 2);
        QVERIFY(scores[0]["class_f1"]["epithelial"].is_null()); // one class "Nucleus": detection only
    }
};

QTEST_GUILESS_MAIN(TestCliClassic)
#include "tst_cli_classic.moc"
