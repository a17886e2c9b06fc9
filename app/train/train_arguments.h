#pragma once
// Command line of cellvit-train (QCommandLineParser, like cellvit-cli).

#include <QStringList>

#include <optional>
#include <string>
#include <vector>

namespace cellvit::train {

struct DataSource {
    std::string kind, path; // --data KIND:PATH
};

struct TrainArguments {
    std::vector<DataSource> data;
    std::vector<std::string> holdout; // images kept for validation (holdout_split.h)
    std::string archConfig = "cpu-small";
    int magnification = 20;
    int crop = 256;
    int batch = 4;
    int epochs = 10;
    int stepsPerEpoch = 0;
    int freezeEncoderEpochs = 0;
    double learningRate = 3e-4;
    double lrGamma = 0.85;
    unsigned long long seed = 19;
    int threads = 2;
    int validationCrops = 2;
    std::string sampling = "cell-tissue"; // | uniform | per-source | per-source-cell-tissue
    bool augment = true;
    bool npFromPoints = true; // BatchOptions::binaryFromTypes
    double hedStain = 0.0; // probability of the HED stain jitter per crop (0 = the reference's augmentations)
    double hedSigma = 0.05;
    double superpixels = 0.0; // probability of the reference's Superpixels augmentation per crop (0 = off)
    std::string out;
    std::optional<std::string> resume, init;
    std::optional<int> timeForward; // --time-forward SIZE: time one forward pass of the network and exit
};

// `arguments` as QCoreApplication::arguments() (program name first). Throws std::invalid_argument with a
// message for the user; `helpRequested` set for -h/--help.
TrainArguments parseTrainArguments(const QStringList& arguments, bool& helpRequested);
std::string trainUsage();

} // namespace cellvit::train
