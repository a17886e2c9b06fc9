// cellvit-cli umap: 2-D UMAP layout of the cell embeddings written by `segment` (embeddings.npy, one row per cell
// in cells.json order) as a CSV of cell id, x, y.
#include "app/cli/command_parser.h"
#include "app/cli/command_registry.h"
#include "inference/embeddings/umap.h"
#include "inference/io/npy.h"

#include <QCommandLineParser>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>

namespace cellvit::cli {
namespace {

float halfToFloat(std::uint16_t h)
{
    const std::uint32_t sign = std::uint32_t(h & 0x8000u) << 16;
    const int exponent = (h >> 10) & 0x1f;
    const std::uint32_t mantissa = h & 0x3ffu;
    if (exponent == 0) // zero or subnormal
        return (sign ? -1.0f : 1.0f) * std::ldexp(float(mantissa), -24);
    std::uint32_t bits = exponent == 31 ? sign | 0x7f800000u | (mantissa << 13)
                                        : sign | (std::uint32_t(exponent - 15 + 127) << 23) | (mantissa << 13);
    float f;
    std::memcpy(&f, &bits, sizeof f);
    return f;
}

// embeddings.npy as float32 rows (float16 from `segment --embeddings-fp16` and float64 are converted).
std::vector<float> readEmbeddings(const std::filesystem::path& path, std::size_t& rows, std::size_t& dim)
{
    const NpyArray a = readNpy(path);
    if (a.shape.size() != 2 || a.shape[0] < 1 || a.shape[1] < 1)
        throw NpyError(path.string() + ": expected a 2-D array (cells x dimensions)");
    rows = std::size_t(a.shape[0]), dim = std::size_t(a.shape[1]);
    if (a.dtype == "<f4")
        return a.toVector<float>();
    std::vector<float> out(rows * dim);
    if (a.dtype == "<f8") {
        const double* v = a.data<double>();
        for (std::size_t i = 0; i < out.size(); ++i)
            out[i] = float(v[i]);
    } else if (a.dtype == "<f2") {
        for (std::size_t i = 0; i < out.size(); ++i) {
            std::uint16_t h;
            std::memcpy(&h, a.bytes.data() + 2 * i, 2);
            out[i] = halfToFloat(h);
        }
    } else {
        throw NpyError(path.string() + ": dtype " + a.dtype + " is not a float type (<f2, <f4, <f8)");
    }
    return out;
}

// Cell ids in cells.json order: an entry's "id" where it has one, else its index. Accepts the official
// {"cells": [...]} file and a bare list.
std::vector<std::string> readCellIds(const std::filesystem::path& path)
{
    std::ifstream in(path);
    if (!in)
        throw std::runtime_error(path.string() + ": cannot open");
    try {
        const auto j = nlohmann::json::parse(in);
        const auto& cells = j.is_object() ? j.at("cells") : j;
        if (!cells.is_array())
            throw std::runtime_error("\"cells\" is not a list");
        std::vector<std::string> ids;
        for (const auto& cell : cells) {
            const auto id = cell.is_object() ? cell.find("id") : cell.end();
            if (cell.is_object() && id != cell.end())
                ids.push_back(id->is_string() ? id->get<std::string>() : id->dump());
            else
                ids.push_back(std::to_string(ids.size()));
        }
        return ids;
    } catch (const nlohmann::json::exception& e) {
        throw std::runtime_error(path.string() + ": " + e.what());
    } catch (const std::runtime_error& e) {
        throw std::runtime_error(path.string() + ": " + e.what());
    }
}

// One-line progress bar on stderr, redrawn at most 5× per second.
class UmapProgressBar {
public:
    void update(double fraction, const std::string& stage)
    {
        const auto now = std::chrono::steady_clock::now();
        if (m_drawn && fraction < 1.0 && now - m_lastDraw < std::chrono::milliseconds(200))
            return;
        m_lastDraw = now;
        m_drawn = true;
        constexpr int kWidth = 30;
        const int filled = int(fraction * kWidth);
        const std::string bar = std::string(std::size_t(filled), '#') + std::string(std::size_t(kWidth - filled), '.');
        std::fprintf(stderr, "\r[%s] %3.0f%%  %-28s", bar.c_str(), fraction * 100.0, stage.c_str());
        std::fflush(stderr);
    }
    void finish()
    {
        if (m_drawn)
            std::fputc('\n', stderr);
        m_drawn = false;
    }

private:
    std::chrono::steady_clock::time_point m_lastDraw {};
    bool m_drawn = false;
};

int runUmap(const QStringList& args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "2-D UMAP of cell embeddings. Writes a CSV with columns cell_id,x,y (cell ids from --cells in its order; "
        "row numbers without it)."));
    parser.addHelpOption();
    const QCommandLineOption embeddingsOption(QStringLiteral("embeddings"),
        QStringLiteral("embeddings.npy (cells x dims, float16/32/64)."), QStringLiteral("file"));
    const QCommandLineOption cellsOption(QStringLiteral("cells"),
        QStringLiteral("cells.json with the same cells in the same order (for the ids)."), QStringLiteral("file"));
    const QCommandLineOption neighboursOption(QStringLiteral("neighbors"), QStringLiteral("Neighbours (default 15)."),
        QStringLiteral("k"), QStringLiteral("15"));
    const QCommandLineOption minDistOption(QStringLiteral("min-dist"),
        QStringLiteral("Minimum distance (default 0.1)."), QStringLiteral("d"), QStringLiteral("0.1"));
    const QCommandLineOption metricOption(QStringLiteral("metric"),
        QStringLiteral("euclidean or cosine (default euclidean)."), QStringLiteral("name"),
        QStringLiteral("euclidean"));
    const QCommandLineOption seedOption(
        QStringLiteral("seed"), QStringLiteral("Random seed (default 42)."), QStringLiteral("n"), QStringLiteral("42"));
    const QCommandLineOption threadsOption(QStringLiteral("threads"),
        QStringLiteral("Worker threads (default: all cores; the result does not depend on it)."), QStringLiteral("n"),
        QStringLiteral("0"));
    const QCommandLineOption outOption(QStringLiteral("out"), QStringLiteral("Output CSV."), QStringLiteral("file"));
    for (const auto* o : { &embeddingsOption, &cellsOption, &neighboursOption, &minDistOption, &metricOption,
             &seedOption, &threadsOption, &outOption })
        parser.addOption(*o);
    if (const auto exitCode = parseCommandLine(parser, args))
        return *exitCode;
    if (!parser.isSet(embeddingsOption) || !parser.isSet(outOption))
        return reportUsageError(parser, args, QStringLiteral("--embeddings and --out are required"));

    UmapParams params;
    bool ok = false;
    params.nNeighbors = parser.value(neighboursOption).toInt(&ok);
    if (!ok || params.nNeighbors < 2)
        return reportUsageError(parser, args, QStringLiteral("--neighbors needs an integer >= 2"));
    params.minDist = parser.value(minDistOption).toDouble(&ok);
    if (!ok || params.minDist < 0.0)
        return reportUsageError(parser, args, QStringLiteral("--min-dist needs a number >= 0"));
    const QString metric = parser.value(metricOption);
    if (metric != QLatin1String("euclidean") && metric != QLatin1String("cosine"))
        return reportUsageError(parser, args, QStringLiteral("--metric must be euclidean or cosine"));
    params.metric = metric == QLatin1String("cosine") ? UmapMetric::Cosine : UmapMetric::Euclidean;
    params.seed = parser.value(seedOption).toULongLong(&ok);
    if (!ok)
        return reportUsageError(parser, args, QStringLiteral("--seed needs a non-negative integer"));
    params.threads = parser.value(threadsOption).toInt(&ok);
    if (!ok || params.threads < 0)
        return reportUsageError(parser, args, QStringLiteral("--threads needs an integer >= 0"));

    const std::filesystem::path embeddingsPath = parser.value(embeddingsOption).toStdString();
    const std::filesystem::path outPath = parser.value(outOption).toStdString();
    try {
        std::size_t rows = 0, dim = 0;
        const std::vector<float> embeddings = readEmbeddings(embeddingsPath, rows, dim);
        std::vector<std::string> ids;
        if (parser.isSet(cellsOption)) {
            const std::filesystem::path cellsPath = parser.value(cellsOption).toStdString();
            ids = readCellIds(cellsPath);
            if (ids.size() != rows)
                throw std::runtime_error(cellsPath.string() + " has " + std::to_string(ids.size()) + " cells but "
                    + embeddingsPath.string() + " has " + std::to_string(rows) + " rows");
        } else {
            for (std::size_t i = 0; i < rows; ++i)
                ids.push_back(std::to_string(i));
        }
        UmapProgressBar bar;
        UmapCallbacks callbacks;
        callbacks.onProgress = [&](double fraction, const std::string& stage) { bar.update(fraction, stage); };
        std::vector<float> layout;
        try {
            layout = computeUmap(embeddings.data(), rows, dim, params, callbacks);
        } catch (const std::invalid_argument& e) {
            bar.finish();
            throw std::runtime_error(embeddingsPath.string() + ": " + e.what());
        }
        bar.finish();
        std::ofstream out(outPath);
        if (!out)
            throw std::runtime_error(outPath.string() + ": cannot open for writing");
        out << "cell_id,x,y\n";
        char line[64];
        for (std::size_t i = 0; i < rows; ++i) {
            std::snprintf(line, sizeof line, ",%.6g,%.6g\n", double(layout[2 * i]), double(layout[2 * i + 1]));
            out << ids[i] << line;
        }
        if (!out.flush())
            throw std::runtime_error(outPath.string() + ": write failed");
    } catch (const std::exception& e) {
        return reportError(QString::fromUtf8(e.what()));
    }
    return kExitOk;
}

const CommandRegistrar registrar(
    QStringLiteral("umap"), { QStringLiteral("2-D UMAP layout of cell embeddings (CSV of cell id, x, y)"), runUmap });

} // namespace
} // namespace cellvit::cli
