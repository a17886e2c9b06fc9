#include "app/train/train_arguments.h"

#include <QCommandLineOption>
#include <QCommandLineParser>
#include <stdexcept>

namespace cellvit::train {
namespace {

struct TrainOptions {
    QCommandLineOption data { QStringLiteral("data"),
        QStringLiteral("Dataset folder; KIND = monuseg | cpm15 | crchistophenotypes | consep | pannuke | geojson. "
                       "Repeatable."),
        QStringLiteral("KIND:PATH") };
    QCommandLineOption holdout { QStringLiteral("holdout"),
        QStringLiteral("Images kept out of training for the validation loss: a file stem, or for patch sets (consep) "
                       "the original image, e.g. train_3 = all its patches. Comma-separated, repeatable."),
        QStringLiteral("NAME[,NAME]") };
    QCommandLineOption archConfig { QStringLiteral("arch-config"),
        QStringLiteral("Preset (cpu-small, vit256, cpu-small-stardist, cpu-small-cpp), JSON file or inline JSON of "
                       "model.* keys (\"arch\": \"CellViTStarDist\" / \"CellViTCPP\" picks those decoders)."), QStringLiteral("X"),
        QStringLiteral("cpu-small") };
    QCommandLineOption magnification { QStringLiteral("magnification"),
        QStringLiteral("Network resolution (0.5 / 0.25 µm/px; data is resampled)."), QStringLiteral("20|40"),
        QStringLiteral("20") };
    QCommandLineOption crop { QStringLiteral("crop"), QStringLiteral("Crop side in pixels, multiple of 16."),
        QStringLiteral("N"), QStringLiteral("256") };
    QCommandLineOption batch { QStringLiteral("batch"), QStringLiteral("Crops per step."), QStringLiteral("N"),
        QStringLiteral("4") };
    QCommandLineOption epochs { QStringLiteral("epochs"), QStringLiteral("Epochs."), QStringLiteral("N"),
        QStringLiteral("10") };
    QCommandLineOption stepsPerEpoch { QStringLiteral("steps-per-epoch"),
        QStringLiteral("Steps per epoch [training samples / batch]."), QStringLiteral("N") };
    QCommandLineOption freezeEncoderEpochs { QStringLiteral("freeze-encoder-epochs"),
        QStringLiteral("Encoder frozen (tissue head trainable) for the first N epochs."), QStringLiteral("N"),
        QStringLiteral("0") };
    QCommandLineOption lr { QStringLiteral("lr"), QStringLiteral("Learning rate."), QStringLiteral("X"),
        QStringLiteral("3e-4") };
    QCommandLineOption lrGamma { QStringLiteral("lr-gamma"), QStringLiteral("Learning-rate decay per epoch."),
        QStringLiteral("X"), QStringLiteral("0.85") };
    QCommandLineOption seed { QStringLiteral("seed"), QStringLiteral("Random seed."), QStringLiteral("N"),
        QStringLiteral("19") };
    QCommandLineOption threads { QStringLiteral("threads"), QStringLiteral("CPU threads."), QStringLiteral("N"),
        QStringLiteral("2") };
    QCommandLineOption validationCrops { QStringLiteral("validation-crops"),
        QStringLiteral("Crops per held-out sample."), QStringLiteral("N"), QStringLiteral("2") };
    QCommandLineOption sampling { QStringLiteral("sampling"),
        QStringLiteral("Sample weights: cell-tissue, uniform, per-source (every --data folder gets the same share of "
                       "crops, uniform inside it) or per-source-cell-tissue (cell+tissue weights inside it)."),
        QStringLiteral("MODE"), QStringLiteral("cell-tissue") };
    QCommandLineOption noAugment { QStringLiteral("no-augment"), QStringLiteral("No augmentation.") };
    QCommandLineOption noNpFromPoints { QStringLiteral("no-np-from-points"),
        QStringLiteral("Point-labelled data (classes, no outlines) trains NT only, not NP.") };
    QCommandLineOption hedStain { QStringLiteral("hed-stain"),
        QStringLiteral("Also jitter the stains in HED space with probability P (strength SIGMA, default 0.05; not in "
                       "the reference) [off]."),
        QStringLiteral("P[:SIGMA]") };
    QCommandLineOption superpixels { QStringLiteral("superpixels"),
        QStringLiteral("The reference's Superpixels augmentation with probability P (0.1 there) [off]."),
        QStringLiteral("P") };
    QCommandLineOption out { QStringLiteral("out"),
        QStringLiteral("Writes DIR/last.pth, DIR/best.pth (lowest validation loss), DIR/model.safetensors (fp16, "
                       "best) and DIR/training_log.csv. Ctrl-C saves DIR/last.pth and exits."),
        QStringLiteral("DIR") };
    QCommandLineOption resume { QStringLiteral("resume"), QStringLiteral("Continue a run."),
        QStringLiteral("DIR/last.pth") };
    QCommandLineOption init { QStringLiteral("init"),
        QStringLiteral("Fine-tune these weights (official CellViT, STARDIST, CPP-Net or own). "
                       "The final layer of a type or tissue head with another class count than this run's "
                       "is re-initialised; any other mismatch is an error."),
        QStringLiteral("CKPT") };
    QCommandLineOption timeForward { QStringLiteral("time-forward"),
        QStringLiteral("Time one forward pass of the network at SIZE² and exit."), QStringLiteral("SIZE") };

    void addTo(QCommandLineParser& parser) const
    {
        parser.addOptions({ data, holdout, archConfig, magnification, crop, batch, epochs, stepsPerEpoch,
            freezeEncoderEpochs, lr, lrGamma, seed, threads, validationCrops, sampling, noAugment, noNpFromPoints,
            hedStain, superpixels, out, resume, init, timeForward });
    }
};

std::string optionName(const QCommandLineOption& option)
{
    return "--" + option.names().front().toStdString();
}

int intValue(const QCommandLineParser& parser, const QCommandLineOption& option, int minimum)
{
    bool ok = false;
    const int parsed = parser.value(option).toInt(&ok);
    if (!ok || parsed < minimum)
        throw std::invalid_argument(optionName(option) + " needs an integer ≥ " + std::to_string(minimum) + ", got '"
            + parser.value(option).toStdString() + "'");
    return parsed;
}

double positiveNumber(const QCommandLineOption& option, const QString& text)
{
    bool ok = false;
    const double parsed = text.toDouble(&ok);
    if (!ok || !(parsed > 0))
        throw std::invalid_argument(optionName(option) + " needs a positive number, got '" + text.toStdString() + "'");
    return parsed;
}

QCommandLineParser& describedParser(QCommandLineParser& parser, const TrainOptions& options)
{
    parser.setApplicationDescription(QStringLiteral(
        "Trains a CellViT network on annotated images (the paper's training system) and writes checkpoints in the "
        "official layout plus an fp16 safetensors file of the best weights."));
    parser.addHelpOption();
    options.addTo(parser);
    return parser;
}

} // namespace

std::string trainUsage()
{
    const TrainOptions options;
    QCommandLineParser parser;
    return describedParser(parser, options).helpText().toStdString();
}

TrainArguments parseTrainArguments(const QStringList& arguments, bool& helpRequested)
{
    const TrainOptions o;
    QCommandLineParser parser;
    describedParser(parser, o);
    helpRequested = false;
    if (!parser.parse(arguments))
        throw std::invalid_argument(parser.errorText().toStdString());
    if (parser.isSet(QStringLiteral("help"))) {
        helpRequested = true;
        return {};
    }
    if (!parser.positionalArguments().isEmpty())
        throw std::invalid_argument("unexpected argument '" + parser.positionalArguments().front().toStdString() + "'");

    TrainArguments a;
    for (const QString& v : parser.values(o.data)) {
        const int colon = static_cast<int>(v.indexOf(QLatin1Char(':')));
        if (colon <= 0 || colon + 1 == v.size())
            throw std::invalid_argument("--data needs KIND:PATH, got '" + v.toStdString() + "'");
        a.data.push_back({ v.left(colon).toStdString(), v.mid(colon + 1).toStdString() });
    }
    for (const QString& list : parser.values(o.holdout))
        for (const QString& name : list.split(QLatin1Char(','), Qt::SkipEmptyParts))
            a.holdout.push_back(name.toStdString());
    a.archConfig = parser.value(o.archConfig).toStdString();
    a.magnification = intValue(parser, o.magnification, 1);
    if (a.magnification != 20 && a.magnification != 40)
        throw std::invalid_argument("--magnification must be 20 or 40");
    a.crop = intValue(parser, o.crop, 16);
    if (a.crop % 16 != 0)
        throw std::invalid_argument("--crop must be a multiple of 16");
    a.batch = intValue(parser, o.batch, 1);
    a.epochs = intValue(parser, o.epochs, 1);
    if (parser.isSet(o.stepsPerEpoch))
        a.stepsPerEpoch = intValue(parser, o.stepsPerEpoch, 1);
    a.freezeEncoderEpochs = intValue(parser, o.freezeEncoderEpochs, 0);
    a.learningRate = positiveNumber(o.lr, parser.value(o.lr));
    a.lrGamma = positiveNumber(o.lrGamma, parser.value(o.lrGamma));
    a.seed = static_cast<unsigned long long>(intValue(parser, o.seed, 0));
    a.threads = intValue(parser, o.threads, 1);
    a.validationCrops = intValue(parser, o.validationCrops, 1);
    a.sampling = parser.value(o.sampling).toStdString();
    if (a.sampling != "cell-tissue" && a.sampling != "uniform" && a.sampling != "per-source"
        && a.sampling != "per-source-cell-tissue")
        throw std::invalid_argument("--sampling must be cell-tissue, uniform, per-source or per-source-cell-tissue");
    a.augment = !parser.isSet(o.noAugment);
    a.npFromPoints = !parser.isSet(o.noNpFromPoints);
    if (parser.isSet(o.hedStain)) {
        const QString v = parser.value(o.hedStain);
        const QStringList parts = v.split(QLatin1Char(':'));
        a.hedStain = positiveNumber(o.hedStain, parts.front());
        if (parts.size() > 1)
            a.hedSigma = positiveNumber(o.hedStain, parts.at(1));
        if (parts.size() > 2 || a.hedStain > 1.0 || a.hedSigma >= 1.0)
            throw std::invalid_argument(
                "--hed-stain needs a probability <= 1 and a strength < 1, got '" + v.toStdString() + "'");
    }
    if (parser.isSet(o.superpixels)) {
        a.superpixels = positiveNumber(o.superpixels, parser.value(o.superpixels));
        if (a.superpixels > 1.0)
            throw std::invalid_argument("--superpixels needs a probability <= 1");
    }
    a.out = parser.value(o.out).toStdString();
    if (parser.isSet(o.resume))
        a.resume = parser.value(o.resume).toStdString();
    if (parser.isSet(o.init))
        a.init = parser.value(o.init).toStdString();
    if (parser.isSet(o.timeForward)) {
        a.timeForward = intValue(parser, o.timeForward, 16);
        return a;
    }
    if (a.data.empty())
        throw std::invalid_argument("at least one --data KIND:PATH is needed");
    if (a.out.empty())
        throw std::invalid_argument("--out DIR is needed");
    if (a.resume && a.init)
        throw std::invalid_argument("--resume and --init exclude each other");
    return a;
}

} // namespace cellvit::train
