#pragma once
// training_log.csv: one row per optimisation step ("train") and one per epoch's validation ("val").
// Columns: phase, epoch, step, the loss terms (np_ft, ..., nt_nucleus for HoVer-Net decoders; lossTermNames(decoder)),
// total, lr, seconds (since the run started).

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace cellvit::training {

class TrainingLog {
public:
    // Appends when the file exists (resumed runs), otherwise writes the header first.
    TrainingLog(const std::filesystem::path& path, const std::vector<std::string>& termNames);
    void write(const char* phase, int epoch, int64_t step, const std::vector<double>& terms, double total,
        double learningRate, double seconds);

private:
    std::filesystem::path m_path;
    std::ofstream m_out;
};

} // namespace cellvit::training
