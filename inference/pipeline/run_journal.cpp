#include "inference/pipeline/run_journal.h"

#include <zlib.h>

#include <cstring>

namespace cellvit {
namespace {

using Json = nlohmann::json;
constexpr char kMagic[4] = { 'C', 'V', 'J', '1' };

uint32_t checksum(const std::vector<uint8_t>& bytes)
{
    return static_cast<uint32_t>(crc32(0L, bytes.data(), static_cast<uInt>(bytes.size())));
}

void writeRecord(std::ofstream& out, const Json& value)
{
    const std::vector<uint8_t> bytes = Json::to_msgpack(value);
    const uint32_t header[2] = { static_cast<uint32_t>(bytes.size()), checksum(bytes) };
    out.write(reinterpret_cast<const char*>(header), sizeof header);
    out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
    out.flush();
}

// Returns false at the end of the file or at a torn/corrupt record.
bool readRecord(std::ifstream& in, Json& value)
{
    uint32_t header[2];
    if (!in.read(reinterpret_cast<char*>(header), sizeof header))
        return false;
    if (header[0] > (1u << 30))
        return false;
    std::vector<uint8_t> bytes(header[0]);
    if (!in.read(reinterpret_cast<char*>(bytes.data()), static_cast<std::streamsize>(bytes.size())))
        return false;
    if (checksum(bytes) != header[1])
        return false;
    try {
        value = Json::from_msgpack(bytes);
    } catch (const Json::exception&) {
        return false;
    }
    return true;
}

Json encode(const PatchResult& r)
{
    Json cells = Json::array();
    for (const auto& c : r.cells) {
        std::vector<int> contour;
        contour.reserve(c.contour.size() * 2);
        for (const auto& p : c.contour) {
            contour.push_back(p.x);
            contour.push_back(p.y);
        }
        cells.push_back({ { "i", c.id }, { "b", { c.rmin, c.cmin, c.rmax, c.cmax } }, { "c", { c.centroid.x, c.centroid.y } },
                          { "k", contour }, { "t", c.type }, { "p", c.typeProb } });
    }
    std::vector<uint8_t> embedding(r.embeddings.size() * sizeof(float));
    std::memcpy(embedding.data(), r.embeddings.data(), embedding.size());
    return { { "row", r.patch.row }, { "col", r.patch.col }, { "ox", r.patch.originX }, { "oy", r.patch.originY },
             { "cells", cells }, { "d", r.embeddingDim }, { "e", Json::binary(std::move(embedding)) } };
}

PatchResult decode(const Json& j)
{
    PatchResult r;
    r.patch.row = j.at("row");
    r.patch.col = j.at("col");
    r.patch.originX = j.at("ox");
    r.patch.originY = j.at("oy");
    for (const auto& c : j.at("cells")) {
        Cell cell;
        cell.id = c.at("i");
        const auto b = c.at("b").get<std::vector<int>>();
        if (b.size() != 4)
            throw JournalError("journal record has a cell box of " + std::to_string(b.size()) + " values");
        cell.rmin = b.at(0);
        cell.cmin = b.at(1);
        cell.rmax = b.at(2);
        cell.cmax = b.at(3);
        cell.centroid = { c.at("c").at(0).get<double>(), c.at("c").at(1).get<double>() };
        const auto k = c.at("k").get<std::vector<int>>();
        for (size_t i = 0; i + 1 < k.size(); i += 2)
            cell.contour.emplace_back(k[i], k[i + 1]);
        cell.type = c.at("t");
        cell.typeProb = c.at("p");
        r.cells.push_back(std::move(cell));
    }
    r.embeddingDim = j.at("d");
    const auto& bytes = j.at("e").get_binary();
    if (bytes.size() != r.cells.size() * static_cast<size_t>(r.embeddingDim) * sizeof(float))
        throw JournalError("journal record has embeddings of the wrong size");
    r.embeddings.resize(bytes.size() / sizeof(float));
    std::memcpy(r.embeddings.data(), bytes.data(), bytes.size());
    return r;
}

} // namespace

RunJournal::RunJournal(std::filesystem::path path, Json runKey)
    : RunJournal(std::move(path), std::move(runKey), [this](PatchResult&& r) { m_finished.push_back(std::move(r)); })
{
}

RunJournal::RunJournal(std::filesystem::path path, Json runKey, const FinishedSink& onFinished)
    : m_path(std::move(path))
{
    bool resume = false;
    std::streamoff validEnd = 0;
    if (std::ifstream in { m_path, std::ios::binary }) {
        char magic[4] = {};
        Json storedKey;
        if (in.read(magic, 4) && std::memcmp(magic, kMagic, 4) == 0 && readRecord(in, storedKey) && storedKey == runKey) {
            resume = true;
            validEnd = in.tellg();
            Json record;
            while (readRecord(in, record)) {
                PatchResult decoded;
                try {
                    decoded = decode(record);
                } catch (const Json::exception&) {
                    break; // a record we cannot decode ends the trustworthy prefix
                } catch (const JournalError&) {
                    break;
                } // anything else (out of memory, a failing sink) is no torn tail: it propagates, the file is kept
                onFinished(std::move(decoded));
                ++m_resumedRecords;
                validEnd = in.tellg();
            }
        }
    }
    if (resume) {
        // Drop a torn tail so new records follow the last complete one.
        std::filesystem::resize_file(m_path, static_cast<uintmax_t>(validEnd));
        m_out.open(m_path, std::ios::binary | std::ios::app);
    } else {
        m_out.open(m_path, std::ios::binary | std::ios::trunc);
        m_out.write(kMagic, 4);
        if (m_out)
            writeRecord(m_out, runKey);
    }
    if (!m_out)
        throw JournalError(m_path.string() + ": cannot write the run journal");
}

void RunJournal::append(const PatchResult& result)
{
    writeRecord(m_out, encode(result));
    if (!m_out)
        throw JournalError(m_path.string() + ": write failed (disk full?)");
}

} // namespace cellvit
