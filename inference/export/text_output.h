#pragma once
// Buffered text output to a plain or gzip file (gzip when the name ends with ".gz"). The text goes to
// "<name>.part" and replaces the target only on commit(), so a cancelled or failed export never leaves a
// truncated file behind.

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

namespace cellvit {

bool hasGzipSuffix(const std::filesystem::path& path);

class TextOutput {
public:
    explicit TextOutput(std::filesystem::path target); // throws ExportError when the file cannot be created
    ~TextOutput(); // without commit(): removes the partial file
    TextOutput(const TextOutput&) = delete;
    TextOutput& operator=(const TextOutput&) = delete;

    void write(std::string_view text);
    std::string& buffer() { return m_buffer; } // append here, then call flushIfFull()
    void flushIfFull();
    void commit(); // flushes, closes, renames onto the target; throws ExportError on I/O failure

private:
    class Sink;
    void flush();

    std::filesystem::path m_target;
    std::filesystem::path m_partial;
    std::unique_ptr<Sink> m_sink;
    std::string m_buffer;
};

} // namespace cellvit
