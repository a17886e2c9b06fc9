#include "inference/export/text_output.h"

#include "inference/export/export_error.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <system_error>
#include <zlib.h>

namespace cellvit {

namespace {

constexpr std::size_t kFlushThreshold = 1 << 20;

std::string systemReason()
{
    return std::strerror(errno);
}

} // namespace

bool hasGzipSuffix(const std::filesystem::path& path)
{
    const std::string ext = path.extension().string();
    return ext == ".gz" || ext == ".GZ";
}

// One of a stdio FILE or a zlib gzFile; closing reports whether every byte reached the disk.
class TextOutput::Sink {
public:
    Sink(const std::filesystem::path& path, bool gzip)
        : m_path(path)
    {
        if (gzip) {
            // Level 1: a million-nucleus export compresses ~3.5x faster than at level 6 for ~30 % more bytes.
            m_gz = gzopen(path.c_str(), "wb1");
            if (m_gz)
                gzbuffer(m_gz, 256 * 1024);
        } else {
            m_file = std::fopen(path.c_str(), "wb");
        }
        if (!m_gz && !m_file)
            throw ExportError(path.string() + ": cannot create file: " + systemReason());
    }
    ~Sink() { close(); }

    void write(const std::string& data)
    {
        if (data.empty())
            return;
        const bool ok = m_gz ? gzwrite(m_gz, data.data(), static_cast<unsigned>(data.size())) == int(data.size())
                             : std::fwrite(data.data(), 1, data.size(), m_file) == data.size();
        if (!ok)
            throw ExportError(m_path.string() + ": write failed: " + systemReason());
    }

    bool close()
    {
        bool ok = true;
        if (m_gz)
            ok = gzclose(m_gz) == Z_OK;
        if (m_file)
            ok = std::fclose(m_file) == 0;
        m_gz = nullptr;
        m_file = nullptr;
        return ok;
    }

private:
    std::filesystem::path m_path;
    gzFile m_gz = nullptr;
    std::FILE* m_file = nullptr;
};

TextOutput::TextOutput(std::filesystem::path target)
    : m_target(std::move(target))
    , m_partial(m_target.string() + ".part")
    , m_sink(std::make_unique<Sink>(m_partial, hasGzipSuffix(m_target)))
{
    m_buffer.reserve(kFlushThreshold + 64 * 1024);
}

TextOutput::~TextOutput()
{
    if (m_sink) {
        m_sink->close();
        std::error_code ignored;
        std::filesystem::remove(m_partial, ignored);
    }
}

void TextOutput::write(std::string_view text)
{
    m_buffer.append(text);
    flushIfFull();
}

void TextOutput::flushIfFull()
{
    if (m_buffer.size() >= kFlushThreshold)
        flush();
}

void TextOutput::flush()
{
    m_sink->write(m_buffer);
    m_buffer.clear();
}

void TextOutput::commit()
{
    if (!m_sink)
        throw ExportError(m_target.string() + ": output already committed");
    flush();
    const bool closed = m_sink->close();
    m_sink.reset();
    std::error_code ec;
    if (!closed) {
        std::filesystem::remove(m_partial, ec);
        throw ExportError(m_target.string() + ": could not finish writing (disk full?)");
    }
    std::filesystem::rename(m_partial, m_target, ec);
    if (ec) {
        const std::string reason = ec.message();
        std::filesystem::remove(m_partial, ec);
        throw ExportError(m_target.string() + ": cannot replace the file: " + reason);
    }
}

} // namespace cellvit
