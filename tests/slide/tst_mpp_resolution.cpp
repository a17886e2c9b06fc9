// Resolution lookup order and limits (cellvit-facts §2.6), on stub slides with chosen properties.
#include "inference/slide/mpp_resolution.h"
#include "test_support.h"

using namespace cellvit;

namespace {

// Just the metadata side of a slide; pixels are never read here.
class StubSlide final : public SlideSource {
public:
    StubSlide(std::initializer_list<std::pair<const std::string, std::string>> properties)
        : m_properties(properties)
    {
    }
    const std::filesystem::path& path() const override { return m_path; }
    std::string vendor() const override { return "stub"; }
    const std::vector<SlideLevel>& levels() const override { return m_levels; }
    std::optional<double> mppX() const override { return std::nullopt; }
    std::optional<double> mppY() const override { return std::nullopt; }
    std::optional<double> objectivePower() const override { return std::nullopt; }
    const std::map<std::string, std::string>& properties() const override { return m_properties; }
    std::vector<std::string> associatedImageNames() const override { return {}; }
    cv::Mat readAssociatedImage(const std::string&) const override { return {}; }
    cv::Mat readRegion(int, int64_t, int64_t, int64_t, int64_t) const override { return {}; }

private:
    std::filesystem::path m_path { "/slides/stub-slide.svs" };
    std::vector<SlideLevel> m_levels { SlideLevel { 100, 100, 1.0 } };
    std::map<std::string, std::string> m_properties;
};

QString resolveError(const SlideSource& slide, std::optional<double> override = std::nullopt)
{
    return QString::fromStdString(test::thrownMessage<SlideError>([&] { resolveMpp(slide, override); }));
}

} // namespace

class TestMppResolution : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void parsesAperioComments()
    {
        CELLVIT_REQUIRE_PATH(test::sampleSlide());
        const auto sample = openSlide(test::sampleSlide());
        QCOMPARE(parseCommentMpp(sample->properties().at("openslide.comment")), std::optional<double>(0.499));
        QCOMPARE(parseCommentMpp("Aperio Image Library v12.0.15\n46000x32914 (256x256) JPEG/RGB Q=70|AppMag = 40|"
                                 "MPP = 0.2520|Left = 25.69"),
            std::optional<double>(0.252));
        QCOMPARE(parseCommentMpp("MPP=0.25"), std::optional<double>(0.25));
        QCOMPARE(parseCommentMpp("x|MPP = 0.5"), std::optional<double>(0.5));
        QCOMPARE(parseCommentMpp("AppMag = 40|StripeWidth = 2040"), std::nullopt);
        QCOMPARE(parseCommentMpp("MPP = unknown"), std::nullopt);
        QCOMPARE(parseCommentMpp("XMPP = 0.25"), std::nullopt); // another field that merely ends in MPP
        QCOMPARE(parseCommentMpp("MPP = 0"), std::nullopt);
        QCOMPARE(parseCommentMpp(""), std::nullopt);
    }

    void followsTheReferenceOrder()
    {
        const StubSlide all({ { "openslide.mpp-x", "0.26" }, { "openslide.comment", "a|MPP = 0.5|b" },
            { "tiff.XResolution", "40000" }, { "tiff.ResolutionUnit", "centimeter" } });
        QCOMPARE(resolveMpp(all), 0.26);
        QCOMPARE(declaredMpp(all)->source, std::string("openslide.mpp-x"));
        QCOMPARE(resolveMpp(all, 0.3), 0.3); // the override comes first

        const StubSlide commentOnly({ { "openslide.comment", "a|MPP = 0.5|b" }, { "tiff.XResolution", "40000" } });
        QCOMPARE(resolveMpp(commentOnly), 0.5);

        const StubSlide unparsableMppX({ { "openslide.mpp-x", "n/a" }, { "openslide.comment", "|MPP = 0.5" } });
        QCOMPARE(resolveMpp(unparsableMppX), 0.5);
    }

    void fallsBackToTiffResolution()
    {
        QCOMPARE(
            resolveMpp(StubSlide({ { "tiff.XResolution", "40000" }, { "tiff.ResolutionUnit", "centimeter" } })), 0.25);
        QCOMPARE(resolveMpp(StubSlide({ { "tiff.XResolution", "101600" }, { "tiff.ResolutionUnit", "inch" } })), 0.25);
        QCOMPARE(resolveMpp(StubSlide({ { "tiff.XResolution", "101600" } })), 0.25); // TIFF's default unit: inch
        // Unit "none" is an aspect ratio, and a desktop 72 dpi is no microscope resolution.
        QVERIFY(resolveError(StubSlide({ { "tiff.XResolution", "40000" }, { "tiff.ResolutionUnit", "none" } }))
                    .contains(QStringLiteral("no resolution metadata")));
        QVERIFY(resolveError(StubSlide({ { "tiff.XResolution", "72" }, { "tiff.ResolutionUnit", "inch" } }))
                    .contains(QStringLiteral("0.75")));
    }

    void rejectsMissingAndCoarseResolutions()
    {
        const QString missing = resolveError(StubSlide({ { "tiff.ResolutionUnit", "inch" } }));
        QVERIFY2(missing.contains(QStringLiteral("stub-slide.svs")) && missing.contains(QStringLiteral("pass --mpp")),
            qPrintable(missing));

        const QString coarse = resolveError(StubSlide({ { "openslide.mpp-x", "1.0" } }));
        QVERIFY2(coarse.contains(QStringLiteral("stub-slide.svs")) && coarse.contains(QStringLiteral("0.75")),
            qPrintable(coarse));
        QVERIFY(!resolveError(StubSlide {}, 0.8).isEmpty());
        QVERIFY(!resolveError(StubSlide {}, 0.0).isEmpty());
        QVERIFY(!resolveError(StubSlide {}, -0.25).isEmpty());
        QCOMPARE(resolveMpp(StubSlide {}, 0.75), 0.75); // the limit itself is allowed
    }
};

QTEST_GUILESS_MAIN(TestMppResolution)
#include "tst_mpp_resolution.moc"
