// `cellvit-cli evaluate --pred PRED --gt GT`: segmentation (bPQ, mPQ) and detection (precision, recall,
// F1, per class) scores of predictions against ground truth, computed like CellViT's own evaluation.
#include "app/cli/command_parser.h"
#include "app/cli/command_registry.h"
#include "app/cli/point_evaluation.h"
#include "inference/metrics/annotation_loader.h"
#include "inference/metrics/evaluation_report.h"

#include <QCommandLineParser>
#include <QRegularExpression>
#include <QTextStream>
#include <filesystem>
#include <fstream>

namespace cellvit::cli {
namespace {

namespace fs = std::filesystem;
using namespace cellvit::metrics;

std::optional<cv::Size> parseSize(const QString& text, bool& ok)
{
    const QRegularExpressionMatch m = QRegularExpression(QStringLiteral("^(\\d+)x(\\d+)$")).match(text);
    ok = m.hasMatch() && m.captured(1).toInt() > 0 && m.captured(2).toInt() > 0;
    if (!ok)
        return std::nullopt;
    return cv::Size(m.captured(1).toInt(), m.captured(2).toInt());
}

int runEvaluate(const QStringList& args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Scores predictions against ground truth as CellViT's evaluation does: bPQ, mPQ (DQ, SQ) per image and "
        "their means, and nucleus detection precision/recall/F1 (Hungarian pairing of centroids), overall and per "
        "class when both sides carry classes.\n"
        "PRED and GT are files or folders; folders are paired by file stem (suffixes such as _mask, _gt, _pred "
        "are ignored; <name>/cells.json pairs as <name>).\n"
        "Formats: cells.json (CellViT), GeoJSON (QuPath or CellViT), ImageScope XML (MoNuSeg), instance maps "
        "(.npy, 8/16-bit .png/.tif), CPM-15 masks (.txt) and CoNSeP patch labels (type_mat/NAME.mat with "
        "inst/NAME.npy beside type_mat/; links to the .mat files work). Against CoNSeP the classes are "
        "Epithelial, Inflammatory, Connective and Other; predicted classes are matched by name (cells.json "
        "type_map), PanNuke's and other names mapped onto them (Neoplastic, Fibroblast, Others, Dead).\n"
        "Point labels: a CRCHistoPhenotypes folder (imgN/imgN_detection.mat + class .mat files) as GT scores "
        "detection and per-class F1 of cells.json centroids (PQ does not apply); use --magnification 20.\n"
        "Several predictions on one ground truth: repeat --pred NAME=PATH; the scores are shown side by side "
        "(point labels) or one report after the other."));
    parser.addHelpOption();
    const QCommandLineOption predOption(QStringLiteral("pred"),
        QStringLiteral("Prediction file or folder; repeatable as NAME=PATH."), QStringLiteral("PRED"));
    const QCommandLineOption gtOption(
        QStringLiteral("gt"), QStringLiteral("Ground-truth file or folder."), QStringLiteral("GT"));
    const QCommandLineOption magnificationOption(QStringLiteral("magnification"),
        QStringLiteral("Magnification of the images: 40 (pairing radius 12 px, default) or 20 (6 px)."),
        QStringLiteral("40|20"), QStringLiteral("40"));
    const QCommandLineOption jsonOption(
        QStringLiteral("json"), QStringLiteral("Also write the results as JSON."), QStringLiteral("OUT"));
    const QCommandLineOption sizeOption(QStringLiteral("image-size"),
        QStringLiteral("Size to rasterise polygons at when neither side is an image (default: their extent)."),
        QStringLiteral("WxH"));
    parser.addOptions({ predOption, gtOption, magnificationOption, jsonOption, sizeOption });
    if (const auto exitCode = parseCommandLine(parser, args))
        return *exitCode;
    const auto usageError = [&](const QString& message) { return reportUsageError(parser, args, message); };
    if (!parser.positionalArguments().isEmpty())
        return usageError(QStringLiteral("unexpected argument '%1'").arg(parser.positionalArguments().first()));
    if (!parser.isSet(predOption) || !parser.isSet(gtOption))
        return usageError(QStringLiteral("--pred and --gt are required"));
    const QString magnificationText = parser.value(magnificationOption);
    if (magnificationText != QLatin1String("40") && magnificationText != QLatin1String("20"))
        return usageError(QStringLiteral("--magnification must be 40 or 20, not '%1'").arg(magnificationText));
    std::optional<cv::Size> size;
    if (parser.isSet(sizeOption)) {
        bool ok = false;
        size = parseSize(parser.value(sizeOption), ok);
        if (!ok)
            return usageError(QStringLiteral("--image-size must look like 1000x1000"));
    }

    // --pred PATH or, repeated, --pred NAME=PATH (a plain PATH is named after itself).
    std::vector<std::pair<std::string, fs::path>> preds;
    for (const QString& value : parser.values(predOption)) {
        const int eq = value.indexOf(QLatin1Char('='));
        const bool named = eq > 0 && !fs::exists(value.toStdString());
        preds.emplace_back(named ? value.left(eq).toStdString() : value.toStdString(),
            (named ? value.mid(eq + 1) : value).toStdString());
    }
    const fs::path gt = parser.value(gtOption).toStdString();
    for (const auto& [name, p] : preds) {
        if (!fs::exists(p))
            return reportError(QStringLiteral("%1: no such file or folder").arg(QString::fromStdString(p.string())));
    }
    if (!fs::exists(gt))
        return reportError(QStringLiteral("%1: no such file or folder").arg(QString::fromStdString(gt.string())));
    const double radius = pairingRadiusForMagnification(magnificationText.toInt());
    if (isPointLabelFolder(gt)) {
        std::vector<PointEvaluation> evaluations;
        for (const auto& [name, p] : preds)
            evaluations.push_back(evaluatePointLabels(name, p, gt, radius));
        QTextStream(stdout) << QString::fromStdString(pointEvaluationText(evaluations, radius));
        if (parser.isSet(jsonOption)) {
            nlohmann::json all = nlohmann::json::array();
            for (const auto& e : evaluations) {
                nlohmann::json classes;
                for (size_t k = 0; k < crcClassNames().size(); ++k)
                    classes[crcClassNames()[k]] = e.typed ? nlohmann::json(e.perClass[k].f1()) : nlohmann::json();
                all.push_back({ { "name", e.name }, { "images", e.images }, { "pairing_radius", radius },
                    { "detection",
                        { { "precision", e.detection.precision() }, { "recall", e.detection.recall() },
                            { "f1", e.detection.f1() }, { "labelled", e.detection.truth },
                            { "predicted", e.detection.predicted } } },
                    { "class_f1", classes }, { "pq", nullptr } });
            }
            std::ofstream out(parser.value(jsonOption).toStdString());
            out << all.dump(2) << "\n";
            if (!out)
                return reportError(QStringLiteral("%1: cannot write the JSON results").arg(parser.value(jsonOption)));
        }
        return kExitOk;
    }
    nlohmann::json jsonReports = nlohmann::json::array();
    for (const auto& [predName, pred] : preds) {
        if (preds.size() > 1)
            QTextStream(stdout) << "== " << QString::fromStdString(predName) << " ==\n";
        std::vector<FilePair> pairs;
        if (fs::is_directory(pred) != fs::is_directory(gt))
            return usageError(QStringLiteral("--pred and --gt must both be files or both be folders"));
        if (fs::is_directory(pred)) {
            const FolderPairing pairing = pairFolders(pred, gt);
            QTextStream err(stderr);
            for (const fs::path& p : pairing.unmatchedPred)
                err << "warning: no ground truth for " << QString::fromStdString(p.string()) << "\n";
            for (const fs::path& p : pairing.unmatchedGt)
                err << "warning: no prediction for " << QString::fromStdString(p.string()) << "\n";
            if (pairing.pairs.empty())
                return reportError(
                    QStringLiteral("no prediction in %1 pairs with a ground truth in %2")
                        .arg(QString::fromStdString(pred.string()), QString::fromStdString(gt.string())));
            pairs = pairing.pairs;
        } else {
            pairs.push_back({ annotationKey(gt), pred, gt });
        }

        EvaluationReport report;
        report.magnification = magnificationText.toInt();
        report.pairingRadius = pairingRadiusForMagnification(report.magnification);
        EvaluationSettings settings;
        settings.pairingRadius = report.pairingRadius;
        ClassTable classes = classTableFor(pairs.front().gt);
        for (const FilePair& pair : pairs) {
            ImageMetrics m = evaluateFiles(pair.pred, pair.gt, settings, classes, size);
            m.name = pair.key;
            report.images.push_back(std::move(m));
        }
        report.dataset = aggregateMetrics(report.images, classes.classes());

        QTextStream(stdout) << QString::fromStdString(reportText(report));
        nlohmann::json j = reportJson(report);
        if (preds.size() > 1)
            j["name"] = predName;
        jsonReports.push_back(std::move(j));
    }
    if (parser.isSet(jsonOption)) {
        const std::string file = parser.value(jsonOption).toStdString();
        std::ofstream out(file);
        out << (preds.size() > 1 ? jsonReports : jsonReports.front()).dump(2) << "\n";
        if (!out)
            return reportError(QStringLiteral("%1: cannot write the JSON results").arg(parser.value(jsonOption)));
    }
    return kExitOk;
}

const CommandRegistrar registrar(QStringLiteral("evaluate"),
    { QStringLiteral("Score predictions against ground truth (PQ, detection F1)"), runEvaluate });

} // namespace
} // namespace cellvit::cli
