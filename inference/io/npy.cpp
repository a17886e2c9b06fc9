#include "inference/io/npy.h"

#include <fstream>
#include <numeric>
#include <regex>
#include <sstream>

namespace cellvit {
namespace {

constexpr char kMagic[] = "\x93NUMPY";


} // namespace

int64_t NpyArray::count() const
{
    return std::accumulate(shape.begin(), shape.end(), int64_t { 1 }, std::multiplies<>());
}

size_t NpyArray::itemSize() const
{
    return dtype.size() >= 3 ? static_cast<size_t>(std::stoi(dtype.substr(2))) : 0;
}

void NpyArray::checkType(const char* expected) const
{
    if (dtype != expected)
        throw NpyError("npy array has dtype " + dtype + ", expected " + expected);
}

NpyArray readNpy(const std::filesystem::path& path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw NpyError(path.string() + ": cannot open for reading");
    char magic[6];
    unsigned char version[2];
    in.read(magic, 6);
    in.read(reinterpret_cast<char*>(version), 2);
    if (!in || std::memcmp(magic, kMagic, 6) != 0)
        throw NpyError(path.string() + ": not a .npy file (bad magic)");
    uint32_t headerLen = 0;
    if (version[0] == 1) {
        unsigned char b[2];
        in.read(reinterpret_cast<char*>(b), 2);
        headerLen = b[0] | (b[1] << 8);
    } else if (version[0] == 2 || version[0] == 3) {
        unsigned char b[4];
        in.read(reinterpret_cast<char*>(b), 4);
        headerLen = b[0] | (b[1] << 8) | (b[2] << 16) | (uint32_t(b[3]) << 24);
    } else {
        throw NpyError(path.string() + ": unsupported .npy version " + std::to_string(version[0]));
    }
    if (!in || headerLen > (1u << 20))
        throw NpyError(path.string() + ": truncated or oversized .npy header");
    std::string header(headerLen, '\0');
    in.read(header.data(), headerLen);
    if (!in)
        throw NpyError(path.string() + ": truncated .npy header");

    std::smatch m;
    NpyArray array;
    if (!std::regex_search(header, m, std::regex(R"('descr'\s*:\s*'([^']+)')")))
        throw NpyError(path.string() + ": .npy header has no descr");
    array.dtype = m[1];
    if (array.dtype.size() >= 1 && array.dtype[0] == '>')
        throw NpyError(path.string() + ": big-endian .npy arrays are not supported");
    if (array.dtype.size() < 3)
        throw NpyError(path.string() + ": unsupported dtype " + array.dtype);
    if (std::regex_search(header, m, std::regex(R"('fortran_order'\s*:\s*True)")))
        throw NpyError(path.string() + ": Fortran-order .npy arrays are not supported");
    if (!std::regex_search(header, m, std::regex(R"('shape'\s*:\s*\(([^)]*)\))")))
        throw NpyError(path.string() + ": .npy header has no shape");
    std::stringstream dims(m[1].str());
    for (std::string item; std::getline(dims, item, ',');) {
        if (item.find_first_not_of(" \t") == std::string::npos)
            continue;
        const long long d = std::stoll(item);
        if (d < 0)
            throw NpyError(path.string() + ": negative dimension in .npy shape");
        array.shape.push_back(d);
    }
    const auto bytes = static_cast<size_t>(array.count()) * array.itemSize();
    array.bytes.resize(bytes);
    in.read(array.bytes.data(), static_cast<std::streamsize>(bytes));
    if (static_cast<size_t>(in.gcount()) != bytes)
        throw NpyError(path.string() + ": truncated .npy data (expected " + std::to_string(bytes) + " bytes)");
    return array;
}

void writeNpy(const std::filesystem::path& path, const std::string& dtype, const std::vector<int64_t>& shape,
              const void* data)
{
    std::string shapeText = "(";
    for (size_t i = 0; i < shape.size(); ++i)
        shapeText += std::to_string(shape[i]) + ((shape.size() == 1 || i + 1 < shape.size()) ? "," : "");
    shapeText += ")";
    std::string header = "{'descr': '" + dtype + "', 'fortran_order': False, 'shape': " + shapeText + ", }";
    // Pad so that magic(6) + version(2) + len(2) + header ends on a 64-byte boundary, newline last.
    const size_t total = 10 + header.size() + 1;
    header.append((64 - total % 64) % 64, ' ');
    header += '\n';

    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    if (!out)
        throw NpyError(path.string() + ": cannot open for writing");
    out.write(kMagic, 6);
    const char version[2] = { 1, 0 };
    out.write(version, 2);
    const uint16_t len = static_cast<uint16_t>(header.size());
    const char lenBytes[2] = { static_cast<char>(len & 0xff), static_cast<char>(len >> 8) };
    out.write(lenBytes, 2);
    out.write(header.data(), static_cast<std::streamsize>(header.size()));
    NpyArray probe { dtype, shape, {} };
    out.write(static_cast<const char*>(data), static_cast<std::streamsize>(probe.count() * probe.itemSize()));
    if (!out)
        throw NpyError(path.string() + ": write failed (disk full?)");
}

} // namespace cellvit
