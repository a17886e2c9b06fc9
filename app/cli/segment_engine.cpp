#include "app/cli/segment_engine.h"

#include "app/cli/model_options.h"
#include "inference/classic/classic_predictor.h"

#include <QFileInfo>
#include <stdexcept>

namespace cellvit::cli {
namespace {

// The classic detector has no network: the run plans with a spec that holds only what the pipeline and the
// exports read (resolution, post-processing constants, class names).
ModelSpec classicSpec(int magnification)
{
    ModelSpec spec;
    spec.arch = "classic";
    spec.numNucleiClasses = 2;
    spec.numTissueClasses = 0;
    spec.magnification = magnification;
    spec.nucleiTypeNames = { "Background", "Nucleus" };
    return spec;
}

} // namespace

void addEngineOptions(QCommandLineParser& parser)
{
    parser.addOption({ QStringLiteral("engine"),
        QStringLiteral("model (the network, default) or classic (weight-free colour-deconvolution + "
                       "watershed detector, one class \"Nucleus\", no embeddings)."),
        QStringLiteral("E"), QStringLiteral("model") });
    parser.addOption({ QStringLiteral("classic-magnification"),
        QStringLiteral("Resolution the classic engine works at: native (the slide's, as 40× or 20×; "
                       "default), 40 (0.25 µm/px) or 20 (0.5 µm/px, resampled like a 20× model)."),
        QStringLiteral("M"), QStringLiteral("native") });
}

SegmentEngine makeSegmentEngine(const QCommandLineParser& parser, double slideMpp, bool forceFp16)
{
    const QString engine = parser.value(QStringLiteral("engine"));
    SegmentEngine e;
    if (engine == QLatin1String("model")) {
        const std::filesystem::path path = resolveModelPath(parser);
        e.model = loadModelFromOptions(parser, path, forceFp16);
        e.spec = e.model->spec();
        const QFileInfo info(QString::fromStdString(path.string()));
        e.description = "model " + path.filename().string() + " (" + e.model->spec().arch + ", "
            + std::to_string(e.model->spec().magnification) + "×) on " + e.model->deviceName();
        e.key = { { "engine", "model" }, { "path", info.absoluteFilePath().toStdString() }, { "size", info.size() },
            { "mtime", info.lastModified().toMSecsSinceEpoch() } };
        return e;
    }
    if (engine != QLatin1String("classic"))
        throw std::invalid_argument("--engine must be model or classic, not '" + engine.toStdString() + "'");
    if (parser.isSet(QStringLiteral("model")))
        throw std::invalid_argument("--model and --engine classic exclude each other");
    const QString m = parser.value(QStringLiteral("classic-magnification"));
    int magnification = 0;
    if (m == QLatin1String("native"))
        magnification = slideMpp < 0.375 ? 40 : 20; // between 0.25 and 0.5 µm/px
    else if (m == QLatin1String("40") || m == QLatin1String("20"))
        magnification = m.toInt();
    else
        throw std::invalid_argument("--classic-magnification must be native, 40 or 20");
    e.spec = classicSpec(magnification);
    e.predictor = std::make_unique<classic::ClassicPredictor>(e.spec.targetMpp());
    e.description = "classic detector (" + std::to_string(magnification) + "×, no weights)";
    e.key = { { "engine", "classic" }, { "magnification", magnification }, { "version", 1 } };
    return e;
}

} // namespace cellvit::cli
