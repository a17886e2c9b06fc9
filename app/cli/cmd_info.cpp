// cellvit-cli info SLIDE: what a slide is (vendor, pyramid, resolution, associated images).
#include "app/cli/command_parser.h"
#include "app/cli/command_registry.h"
#include "inference/slide/mpp_resolution.h"
#include "inference/slide/slide_source.h"

#include <QCommandLineParser>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTextStream>

namespace cellvit::cli {
namespace {

// Pyramid geometry properties worth showing (tile sizes, the non-empty region of MIRAX & co.).
bool isTileOrBoundsProperty(const std::string& key)
{
    return key.find("tile-width") != std::string::npos || key.find("tile-height") != std::string::npos
        || key.rfind("openslide.bounds-", 0) == 0;
}

struct MppReport {
    std::optional<double> x, y;
    QString source; // where x/y came from; empty when unknown
    std::optional<double> usable; // resolveMpp's answer
    QString problem; // resolveMpp's error, when it refuses
};

MppReport describeMpp(const SlideSource& slide, std::optional<double> override)
{
    MppReport report;
    report.x = slide.mppX();
    report.y = slide.mppY();
    if (override) {
        report.source = QStringLiteral("--mpp");
    } else if (const auto declared = declaredMpp(slide)) {
        report.source = QString::fromStdString(declared->source);
        report.x = report.x.value_or(declared->mpp); // comment / TIFF tags give one value for both axes
        report.y = report.y.value_or(declared->mpp);
    }
    try {
        report.usable = resolveMpp(slide, override);
    } catch (const SlideError& e) {
        report.problem = QString::fromUtf8(e.what());
    }
    return report;
}

QJsonValue optionalNumber(std::optional<double> value)
{
    return value ? QJsonValue(*value) : QJsonValue();
}

QJsonObject toJson(const SlideSource& slide, const MppReport& mpp)
{
    QJsonArray levels;
    for (const auto& level : slide.levels())
        levels.append(QJsonObject {
            { "width", qint64(level.width) }, { "height", qint64(level.height) }, { "downsample", level.downsample } });
    QJsonArray associated;
    for (const auto& name : slide.associatedImageNames())
        associated.append(QString::fromStdString(name));
    QJsonObject geometry;
    for (const auto& [key, value] : slide.properties())
        if (isTileOrBoundsProperty(key))
            geometry.insert(QString::fromStdString(key), QString::fromStdString(value));
    return QJsonObject {
        { "file", QString::fromStdString(slide.path().string()) },
        { "vendor", QString::fromStdString(slide.vendor()) },
        { "levels", levels },
        { "mpp_x", optionalNumber(mpp.x) },
        { "mpp_y", optionalNumber(mpp.y) },
        { "mpp_source", mpp.source.isEmpty() ? QJsonValue() : QJsonValue(mpp.source) },
        { "mpp_usable", optionalNumber(mpp.usable) },
        { "mpp_problem", mpp.problem.isEmpty() ? QJsonValue() : QJsonValue(mpp.problem) },
        { "objective_power", optionalNumber(slide.objectivePower()) },
        { "associated_images", associated },
        { "tile_and_bounds_properties", geometry },
    };
}

void printText(QTextStream& out, const SlideSource& slide, const MppReport& mpp)
{
    const auto field
        = [&out](const char* name) -> QTextStream& { return out << QString::fromLatin1(name).leftJustified(18); };
    field("File:") << QString::fromStdString(slide.path().string()) << "\n";
    field("Vendor:") << QString::fromStdString(slide.vendor()) << "\n";
    field("Levels:") << slide.levels().size() << "\n";
    for (size_t i = 0; i < slide.levels().size(); ++i) {
        const auto& level = slide.levels()[i];
        out << "  level " << i << ": " << level.width << " x " << level.height << "  downsample " << level.downsample
            << "\n";
    }
    field("Resolution:");
    if (mpp.x && mpp.y)
        out << "x " << *mpp.x << ", y " << *mpp.y << " µm/px (from " << mpp.source << ")\n";
    else
        out << "unknown\n";
    field("Usable mpp:");
    if (mpp.usable)
        out << *mpp.usable << " µm/px\n";
    else
        out << "no: " << mpp.problem << "\n";
    field("Objective power:");
    if (const auto power = slide.objectivePower())
        out << *power << "x\n";
    else
        out << "unknown\n";
    field("Associated:");
    const auto names = slide.associatedImageNames();
    if (names.empty())
        out << "none";
    for (size_t i = 0; i < names.size(); ++i)
        out << (i ? ", " : "") << QString::fromStdString(names[i]);
    out << "\n";
    bool header = false;
    for (const auto& [key, value] : slide.properties()) {
        if (!isTileOrBoundsProperty(key))
            continue;
        if (!header)
            out << "Tiles and bounds:\n";
        header = true;
        out << "  " << QString::fromStdString(key) << " = " << QString::fromStdString(value) << "\n";
    }
}

int runInfo(const QStringList& args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Shows what a slide or image is: vendor, pyramid levels, "
                                                    "resolution, objective power, associated images."));
    parser.addHelpOption();
    const QCommandLineOption mppOption(QStringLiteral("mpp"),
        QStringLiteral("Resolution in µm per level-0 pixel, overriding the file's metadata."), QStringLiteral("X"));
    const QCommandLineOption jsonOption(QStringLiteral("json"), QStringLiteral("Print JSON instead of text."));
    parser.addOption(mppOption);
    parser.addOption(jsonOption);
    parser.addPositionalArgument(QStringLiteral("SLIDE"), QStringLiteral("Whole-slide image or plain image."));

    if (const auto exitCode = parseCommandLine(parser, args))
        return *exitCode;
    if (parser.positionalArguments().size() != 1)
        return reportUsageError(parser, args, QStringLiteral("expected exactly one SLIDE"));
    std::optional<double> override;
    if (parser.isSet(mppOption)) {
        bool ok = false;
        override = parser.value(mppOption).toDouble(&ok);
        if (!ok || *override <= 0.0)
            return reportUsageError(
                parser, args, QStringLiteral("--mpp needs a positive number, got '%1'").arg(parser.value(mppOption)));
    }

    QTextStream out(stdout);
    try {
        const auto slide = openSlide(parser.positionalArguments().constFirst().toStdString(), { override });
        const MppReport mpp = describeMpp(*slide, override);
        if (parser.isSet(jsonOption))
            out << QJsonDocument(toJson(*slide, mpp)).toJson(QJsonDocument::Indented);
        else
            printText(out, *slide, mpp);
    } catch (const SlideError& e) {
        return reportError(QString::fromUtf8(e.what()));
    }
    return kExitOk;
}

const CommandRegistrar registrar(QStringLiteral("info"),
    { QStringLiteral("Show a slide's vendor, levels, resolution and associated images"), runInfo });

} // namespace
} // namespace cellvit::cli
