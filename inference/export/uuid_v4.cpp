#include "inference/export/uuid_v4.h"

#include <cctype>
#include <cstdint>

namespace cellvit {

namespace {

std::uint64_t randomSeed()
{
    std::random_device device;
    return (static_cast<std::uint64_t>(device()) << 32) ^ device();
}

} // namespace

UuidV4Generator::UuidV4Generator()
    : m_engine(randomSeed())
{
}

UuidV4Generator::UuidV4Generator(std::uint64_t seed)
    : m_engine(seed)
{
}

std::string UuidV4Generator::next()
{
    std::uint64_t hi = m_engine();
    std::uint64_t lo = m_engine();
    hi = (hi & ~0xF000ull) | 0x4000ull; // version 4 (bits 12..15 of time_hi)
    lo = (lo & 0x3FFFFFFFFFFFFFFFull) | 0x8000000000000000ull; // variant 10xx
    static const char hex[] = "0123456789abcdef";
    std::string out(36, '-');
    int pos = 0;
    auto put = [&](std::uint64_t value, int nibbles) {
        for (int i = nibbles - 1; i >= 0; --i) {
            if (pos == 8 || pos == 13 || pos == 18 || pos == 23)
                ++pos;
            out[pos++] = hex[(value >> (4 * i)) & 0xF];
        }
    };
    put(hi, 16);
    put(lo, 16);
    return out;
}

bool isUuidText(std::string_view text)
{
    if (text.size() != 36)
        return false;
    for (size_t i = 0; i < text.size(); ++i) {
        const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
        if (dash ? text[i] != '-' : !std::isxdigit(static_cast<unsigned char>(text[i])))
            return false;
    }
    return true;
}

bool isUuidV4Text(std::string_view text)
{
    if (!isUuidText(text) || text[14] != '4')
        return false;
    const char variant = static_cast<char>(std::tolower(static_cast<unsigned char>(text[19])));
    return variant == '8' || variant == '9' || variant == 'a' || variant == 'b';
}

} // namespace cellvit
