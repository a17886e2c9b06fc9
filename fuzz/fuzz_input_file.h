#pragma once
// The readers under test take a path: each input is written to one scratch file per process (in /dev/shm when
// present, so the fuzzer is not disk-bound). Error messages must name that file, which the targets check.

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <unistd.h>

namespace cellvit::fuzz {

class FuzzInputFile {
public:
    explicit FuzzInputFile(const char* suffix)
    {
        const char* dir = std::filesystem::is_directory("/dev/shm") ? "/dev/shm" : "/tmp";
        m_path = std::filesystem::path(dir) / ("cellvit-fuzz-" + std::to_string(getpid()) + suffix);
    }
    ~FuzzInputFile()
    {
        std::error_code ec;
        std::filesystem::remove(m_path, ec);
    }
    FuzzInputFile(const FuzzInputFile&) = delete;
    FuzzInputFile& operator=(const FuzzInputFile&) = delete;

    const std::filesystem::path& write(const uint8_t* data, size_t size)
    {
        std::FILE* f = std::fopen(m_path.c_str(), "wb");
        if (!f || (size > 0 && std::fwrite(data, 1, size, f) != size) || std::fclose(f) != 0)
            std::abort(); // the harness itself is broken, not the reader
        return m_path;
    }

    // A reader error that does not say which file it is about is a finding too.
    void expectNamed(const char* message) const
    {
        if (std::string(message).find(m_path.string()) == std::string::npos) {
            std::fprintf(stderr, "error message does not name the file: %s\n", message);
            std::abort();
        }
    }

private:
    std::filesystem::path m_path;
};

} // namespace cellvit::fuzz
