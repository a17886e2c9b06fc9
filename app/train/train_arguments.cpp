#include "app/train/train_arguments.h"

#include <sstream>
#include <stdexcept>

namespace cellvit::train {
namespace {

std::vector<std::string> splitCommas(const std::string& text)
{
    std::vector<std::string> items;
    std::stringstream stream(text);
    for (std::string item; std::getline(stream, item, ',');)
        if (!item.empty())
            items.push_back(item);
    return items;
}

int toInt(const std::string& option, const std::string& value, int minimum)
{
    try {
        size_t used = 0;
        const int parsed = std::stoi(value, &used);
        if (used == value.size() && parsed >= minimum)
            return parsed;
    } catch (const std::exception&) {
    }
    throw std::invalid_argument(option + " needs an integer ≥ " + std::to_string(minimum) + ", got '" + value + "'");
}

double toDouble(const std::string& option, const std::string& value)
{
    try {
        size_t used = 0;
        const double parsed = std::stod(value, &used);
        if (used == value.size() && parsed > 0)
            return parsed;
    } catch (const std::exception&) {
    }
    throw std::invalid_argument(option + " needs a positive number, got '" + value + "'");
}

} // namespace

const char* trainUsage()
{
    return "usage: cellvit-train --data KIND:PATH [--data ...] --out DIR [options]\n"
           "  --data KIND:PATH         dataset folder; KIND = monuseg | cpm15 | crchistophenotypes | consep | "
           "pannuke | geojson\n"
           "  --holdout NAME[,NAME]    images kept out of training for the validation loss: a file stem, or for\n"
           "                           patch sets (consep) the original image, e.g. train_3 = all its patches\n"
           "  --arch-config X          preset (cpu-small, vit256), JSON file or inline JSON of model.* keys\n"
           "  --magnification 20|40    network resolution (0.5 / 0.25 µm/px; data is resampled) [20]\n"
           "  --crop N                 crop side in pixels, multiple of 16 [256]\n"
           "  --batch N [4]  --epochs N [10]  --steps-per-epoch N [training samples / batch]\n"
           "  --freeze-encoder-epochs N  encoder frozen (tissue head trainable) for the first N epochs [0]\n"
           "  --lr X [3e-4]  --lr-gamma X [0.85]  --seed N [19]  --threads N [2]\n"
           "  --validation-crops N     crops per held-out sample [2]\n"
           "  --sampling cell-tissue|uniform|per-source|per-source-cell-tissue  sample weights [cell-tissue];\n"
           "                           per-source: every --data folder gets the same share of crops (uniform\n"
           "                           inside it; per-source-cell-tissue: cell+tissue weights inside it)\n"
           "  --no-augment\n"
           "  --no-np-from-points      point-labelled data (classes, no outlines) trains NT only, not NP\n"
           "  --hed-stain P[:SIGMA]    also jitter the stains in HED space with probability P (strength SIGMA,\n"
           "                           default 0.05; not in the reference) [off]\n"
           "  --superpixels P          the reference's Superpixels augmentation with probability P (0.1 there)\n"
           "                           [off]\n"
           "  --resume DIR/last.pth    continue a run   --init CKPT  start from these weights\n"
           "  --time-forward SIZE      time one forward pass of the network at SIZE² and exit\n"
           "Writes DIR/last.pth, DIR/best.pth (lowest validation loss), DIR/model.safetensors (fp16, best),\n"
           "DIR/training_log.csv. Ctrl-C saves DIR/last.pth and exits.\n";
}

TrainArguments parseTrainArguments(int argc, char* argv[], bool& helpRequested)
{
    TrainArguments a;
    helpRequested = false;
    for (int i = 1; i < argc; ++i) {
        const std::string option = argv[i];
        auto value = [&]() -> std::string {
            if (i + 1 >= argc)
                throw std::invalid_argument(option + " needs a value");
            return argv[++i];
        };
        if (option == "-h" || option == "--help") {
            helpRequested = true;
            return a;
        } else if (option == "--data") {
            const std::string v = value();
            const auto colon = v.find(':');
            if (colon == std::string::npos || colon == 0 || colon + 1 == v.size())
                throw std::invalid_argument("--data needs KIND:PATH, got '" + v + "'");
            a.data.push_back({ v.substr(0, colon), v.substr(colon + 1) });
        } else if (option == "--holdout") {
            for (auto& name : splitCommas(value()))
                a.holdout.push_back(name);
        } else if (option == "--arch-config") {
            a.archConfig = value();
        } else if (option == "--magnification") {
            a.magnification = toInt(option, value(), 1);
            if (a.magnification != 20 && a.magnification != 40)
                throw std::invalid_argument("--magnification must be 20 or 40");
        } else if (option == "--crop") {
            a.crop = toInt(option, value(), 16);
            if (a.crop % 16 != 0)
                throw std::invalid_argument("--crop must be a multiple of 16");
        } else if (option == "--batch") {
            a.batch = toInt(option, value(), 1);
        } else if (option == "--epochs") {
            a.epochs = toInt(option, value(), 1);
        } else if (option == "--steps-per-epoch") {
            a.stepsPerEpoch = toInt(option, value(), 1);
        } else if (option == "--freeze-encoder-epochs") {
            a.freezeEncoderEpochs = toInt(option, value(), 0);
        } else if (option == "--lr") {
            a.learningRate = toDouble(option, value());
        } else if (option == "--lr-gamma") {
            a.lrGamma = toDouble(option, value());
        } else if (option == "--seed") {
            a.seed = static_cast<unsigned long long>(toInt(option, value(), 0));
        } else if (option == "--threads") {
            a.threads = toInt(option, value(), 1);
        } else if (option == "--validation-crops") {
            a.validationCrops = toInt(option, value(), 1);
        } else if (option == "--sampling") {
            a.sampling = value();
            if (a.sampling != "cell-tissue" && a.sampling != "uniform" && a.sampling != "per-source"
                && a.sampling != "per-source-cell-tissue")
                throw std::invalid_argument(
                    "--sampling must be cell-tissue, uniform, per-source or per-source-cell-tissue");
        } else if (option == "--no-augment") {
            a.augment = false;
        } else if (option == "--no-np-from-points") {
            a.npFromPoints = false;
        } else if (option == "--hed-stain") {
            const std::string v = value();
            const auto colon = v.find(':');
            a.hedStain = toDouble(option, v.substr(0, colon));
            if (colon != std::string::npos)
                a.hedSigma = toDouble(option, v.substr(colon + 1));
            if (a.hedStain > 1.0 || a.hedSigma >= 1.0)
                throw std::invalid_argument("--hed-stain needs a probability <= 1 and a strength < 1, got '" + v + "'");
        } else if (option == "--superpixels") {
            a.superpixels = toDouble(option, value());
            if (a.superpixels > 1.0)
                throw std::invalid_argument("--superpixels needs a probability <= 1");
        } else if (option == "--out") {
            a.out = value();
        } else if (option == "--resume") {
            a.resume = value();
        } else if (option == "--init") {
            a.init = value();
        } else if (option == "--time-forward") {
            a.timeForward = toInt(option, value(), 16);
        } else {
            throw std::invalid_argument("unknown option '" + option + "'");
        }
    }
    if (a.timeForward)
        return a;
    if (a.data.empty())
        throw std::invalid_argument("at least one --data KIND:PATH is needed");
    if (a.out.empty())
        throw std::invalid_argument("--out DIR is needed");
    if (a.resume && a.init)
        throw std::invalid_argument("--resume and --init exclude each other");
    return a;
}

} // namespace cellvit::train
