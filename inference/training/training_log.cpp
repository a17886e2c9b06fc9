#include "inference/training/training_log.h"

#include <iomanip>
#include <stdexcept>

namespace cellvit::training {

TrainingLog::TrainingLog(const std::filesystem::path& path, const std::vector<std::string>& termNames)
    : m_path(path)
{
    const bool exists = std::filesystem::exists(path) && std::filesystem::file_size(path) > 0;
    m_out.open(path, std::ios::app);
    if (!m_out)
        throw std::runtime_error(path.string() + ": cannot open the training log");
    if (!exists) {
        m_out << "phase,epoch,step";
        for (const auto& name : termNames)
            m_out << ',' << name;
        m_out << ",total,lr,seconds\n";
        m_out.flush();
    }
}

void TrainingLog::write(const char* phase, int epoch, int64_t step, const std::vector<double>& terms, double total,
                        double learningRate, double seconds)
{
    m_out << phase << ',' << epoch << ',' << step << std::setprecision(7);
    for (double value : terms)
        m_out << ',' << value;
    m_out << ',' << total << ',' << learningRate << ',' << std::setprecision(5) << seconds << '\n';
    m_out.flush(); // a stopped run keeps every row
    if (!m_out)
        throw std::runtime_error(m_path.string() + ": cannot write the training log");
}

} // namespace cellvit::training
