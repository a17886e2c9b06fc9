// cellvit-cli postprocess: network maps (.npy) -> instance map + cell records, HoVer-Net style (cellvit-facts §3) or
// STARDIST / CPP-Net style (NMS of star polygons, golden/stardist README).
#include "app/cli/command_parser.h"
#include "app/cli/command_registry.h"
#include "inference/io/npy.h"
#include "inference/postproc/cells_json.h"
#include "inference/postproc/postproc_inputs.h"
#include "inference/postproc/postprocess.h"
#include "inference/postproc/stardist_postprocess.h"

#include <QCommandLineParser>
#include <QTextStream>
#include <filesystem>
#include <system_error>
#include <vector>

namespace cellvit::cli {
namespace {

int runPostprocess(const QStringList& args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Turns the maps of one patch into nuclei: writes OUT/instance_map.npy (int32, 0 = "
                       "background) and OUT/cells.json (bbox, centroid, contour, type, type_prob per nucleus).\n"
                       "HoVer-Net (default): --np, --hv, --nt. NP / NT: C x H x W float32 probabilities or H x W uint8 "
                       "argmax maps; HV: 2 x H x W float32.\n"
                       "STARDIST / CPP-Net (--decoder stardist|cpp): --prob (H x W float32 probability, after the "
                       "sigmoid), --rays (nrays x H x W float32; for CPP-Net the refined rays), --nt."));
    parser.addHelpOption();
    const QCommandLineOption decoderOption(QStringLiteral("decoder"),
        QStringLiteral("hovernet (default), stardist or cpp."), QStringLiteral("NAME"), QStringLiteral("hovernet"));
    const QCommandLineOption probOption(QStringLiteral("prob"),
        QStringLiteral("STARDIST / CPP-Net object probability map (.npy)."), QStringLiteral("PROB.npy"));
    const QCommandLineOption raysOption(
        QStringLiteral("rays"), QStringLiteral("STARDIST / CPP-Net ray distances (.npy)."), QStringLiteral("RAYS.npy"));
    const QCommandLineOption npOption(
        QStringLiteral("np"), QStringLiteral("Nuclei binary map (.npy)."), QStringLiteral("NP.npy"));
    const QCommandLineOption hvOption(
        QStringLiteral("hv"), QStringLiteral("Horizontal/vertical map (.npy)."), QStringLiteral("HV.npy"));
    const QCommandLineOption ntOption(
        QStringLiteral("nt"), QStringLiteral("Nuclei type map (.npy)."), QStringLiteral("NT.npy"));
    const QCommandLineOption magnificationOption(QStringLiteral("magnification"),
        QStringLiteral("40 (Sobel 21, markers >= 10 px) or 20 (Sobel 11, markers >= 3 px). Default 40."),
        QStringLiteral("40|20"), QStringLiteral("40"));
    const QCommandLineOption threadsOption(QStringLiteral("threads"),
        QStringLiteral(
            "Worker threads (Sobels, watershed, per-nucleus part; the result does not depend on it). Default 1."),
        QStringLiteral("N"), QStringLiteral("1"));
    const QCommandLineOption outOption(
        QStringLiteral("out"), QStringLiteral("Output folder (created)."), QStringLiteral("DIR"));
    for (const auto* option : { &decoderOption, &npOption, &hvOption, &probOption, &raysOption, &ntOption,
             &magnificationOption, &threadsOption, &outOption })
        parser.addOption(*option);

    if (const auto exitCode = parseCommandLine(parser, args))
        return *exitCode;
    const auto usageError = [&](const QString& message) { return reportUsageError(parser, args, message); };
    const QString decoder = parser.value(decoderOption);
    const bool starDist = decoder == QLatin1String("stardist") || decoder == QLatin1String("cpp");
    if (!starDist && decoder != QLatin1String("hovernet"))
        return usageError(QStringLiteral("--decoder must be hovernet, stardist or cpp, got '%1'").arg(decoder));
    const auto required = starDist ? std::vector<const QCommandLineOption*> { &probOption, &raysOption, &ntOption, &outOption }
                                   : std::vector<const QCommandLineOption*> { &npOption, &hvOption, &ntOption, &outOption };
    for (const auto* option : required) {
        if (!parser.isSet(*option))
            return usageError(QStringLiteral("--%1 is required").arg(option->names().constFirst()));
    }
    if (!parser.positionalArguments().isEmpty())
        return usageError(QStringLiteral("unexpected argument '%1'").arg(parser.positionalArguments().constFirst()));
    bool ok = false;
    const int magnification = parser.value(magnificationOption).toInt(&ok);
    if (!ok || (magnification != 40 && magnification != 20))
        return usageError(
            QStringLiteral("--magnification must be 40 or 20, got '%1'").arg(parser.value(magnificationOption)));
    const int threads = parser.value(threadsOption).toInt(&ok);
    if (!ok || threads < 1 || threads > 256)
        return usageError(QStringLiteral("--threads must be 1..256, got '%1'").arg(parser.value(threadsOption)));

    const auto path = [&](const QCommandLineOption& o) { return std::filesystem::path(parser.value(o).toStdString()); };
    try {
        PostprocResult result;
        if (starDist) {
            const StarDistInputs in = loadStarDistInputs(path(probOption), path(raysOption), path(ntOption));
            result = postprocessStarDist(in.prob, in.rays.data(), in.nrays, in.typeArgmax, {}, threads);
        } else {
            const PostprocInputs in = loadPostprocInputs(path(npOption), path(hvOption), path(ntOption));
            result = postprocess(
                in.npArgmax, in.hx, in.hy, in.typeArgmax, PostprocParams::forMagnification(magnification), threads);
        }
        const std::filesystem::path outDir = path(outOption);
        std::error_code ec;
        std::filesystem::create_directories(outDir, ec);
        if (ec)
            return reportError(QStringLiteral("%1: cannot create folder: %2")
                                   .arg(QString::fromStdString(outDir.string()), QString::fromStdString(ec.message())));
        const cv::Mat& map = result.instanceMap;
        writeNpy(outDir / "instance_map.npy", { map.rows, map.cols }, map.ptr<int32_t>());
        writeCellsJson(outDir / "cells.json", result.cells, result.rawLabels);
        QTextStream(stdout) << "instances: " << result.rawLabels.size() << ", cells: " << result.cells.size() << " -> "
                            << QString::fromStdString(outDir.string()) << Qt::endl;
    } catch (const std::exception& e) {
        return reportError(QString::fromUtf8(e.what()));
    }
    return kExitOk;
}

const CommandRegistrar registrar(QStringLiteral("postprocess"),
    { QStringLiteral("Nuclei instances and cell records from NP/HV/NT maps (.npy)"), runPostprocess });

} // namespace
} // namespace cellvit::cli
