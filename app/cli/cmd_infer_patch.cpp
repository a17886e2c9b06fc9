// cellvit-cli infer-patch: one forward pass on one image, raw outputs as .npy (parity checks).
#include "app/cli/command_parser.h"
#include "app/cli/command_registry.h"
#include "app/cli/model_options.h"
#include "inference/model/cellvit_model.h"
#include "inference/model/tensor_npy.h"

#include <QCommandLineParser>
#include <QTextStream>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <chrono>

namespace cellvit::cli {
namespace {

int runInferPatch(const QStringList& args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Runs the network once on an RGB image whose sides are multiples of 16 and writes the raw outputs (float32) "
        "to the output folder: nuclei_type_map_logits.npy, tissue_types_logits.npy, tokens.npy and, for HoVer-Net "
        "decoders, nuclei_binary_map_logits.npy and hv_map.npy; for STARDIST / CPP-Net decoders dist_map_logits.npy, "
        "dist_map_prob.npy (its sigmoid), stardist_map.npy and, for CPP-Net, stardist_map_refined.npy."));
    parser.addHelpOption();
    const QCommandLineOption imageOption(QStringLiteral("image"), QStringLiteral("Input image (PNG, JPEG, TIFF)."),
                                         QStringLiteral("PNG"));
    const QCommandLineOption outOption(QStringLiteral("out"), QStringLiteral("Output folder (created)."),
                                       QStringLiteral("DIR"));
    parser.addOption(imageOption);
    parser.addOption(outOption);
    addModelOptions(parser);
    if (const auto exitCode = parseCommandLine(parser, args))
        return *exitCode;
    if (!parser.isSet(imageOption) || !parser.isSet(outOption))
        return reportUsageError(parser, args, QStringLiteral("--image and --out are required"));

    const std::string imagePath = parser.value(imageOption).toStdString();
    cv::Mat bgr = cv::imread(imagePath, cv::IMREAD_COLOR);
    if (bgr.empty())
        return reportError(QStringLiteral("%1: cannot read the image (missing file or unsupported format)")
                               .arg(parser.value(imageOption)));
    if (bgr.rows % 16 != 0 || bgr.cols % 16 != 0)
        return reportError(QStringLiteral("%1: image is %2×%3 px; both sides must be multiples of 16")
                               .arg(parser.value(imageOption))
                               .arg(bgr.cols)
                               .arg(bgr.rows));
    cv::Mat rgb;
    cv::cvtColor(bgr, rgb, cv::COLOR_BGR2RGB);

    const std::filesystem::path modelFile = resolveModelPath(parser); // --model, or else the bundled default
    const auto model = loadModelFromOptions(parser, modelFile);
    const auto start = std::chrono::steady_clock::now();
    const auto input = model->normaliseImage(rgb.data, rgb.rows, rgb.cols, static_cast<int64_t>(rgb.step));
    const ModelOutputs out = model->forward(input);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

    const std::filesystem::path dir = parser.value(outOption).toStdString();
    std::filesystem::create_directories(dir);
    if (out.nucleiBinaryMap.defined()) {
        writeTensorNpy(dir / "nuclei_binary_map_logits.npy", out.nucleiBinaryMap);
        writeTensorNpy(dir / "hv_map.npy", out.hvMap);
    }
    if (out.distMap.defined()) {
        writeTensorNpy(dir / "dist_map_logits.npy", out.distMap);
        writeTensorNpy(dir / "dist_map_prob.npy", out.distMap.sigmoid());
        writeTensorNpy(dir / "stardist_map.npy", out.stardistMap);
    }
    if (out.stardistMapRefined.defined())
        writeTensorNpy(dir / "stardist_map_refined.npy", out.stardistMapRefined);
    writeTensorNpy(dir / "nuclei_type_map_logits.npy", out.nucleiTypeMap);
    writeTensorNpy(dir / "tissue_types_logits.npy", out.tissueTypes);
    writeTensorNpy(dir / "tokens.npy", out.tokens);
    QTextStream(stdout) << "forward " << rgb.cols << "x" << rgb.rows << " on " << QString::fromStdString(model->deviceName())
                        << " in " << QString::number(seconds, 'f', 2) << " s with "
                        << QString::fromStdString(modelFile.filename().string()) << "; outputs in "
                        << QString::fromStdString(dir.string()) << Qt::endl;
    return kExitOk;
}

const CommandRegistrar registrar(QStringLiteral("infer-patch"),
                                 { QStringLiteral("Run the network on one image and write the raw outputs (.npy)"),
                                   runInferPatch });

} // namespace
} // namespace cellvit::cli
