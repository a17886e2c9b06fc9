#pragma once
// Random (version 4) UUIDs in the RFC 4122 text form, as QuPath expects in a Feature's "id".

#include <cstdint>
#include <random>
#include <string>
#include <string_view>

namespace cellvit {

class UuidV4Generator {
public:
    UuidV4Generator(); // seeded from std::random_device
    explicit UuidV4Generator(std::uint64_t seed);
    std::string next(); // "xxxxxxxx-xxxx-4xxx-[89ab]xxx-xxxxxxxxxxxx", lower case

private:
    std::mt19937_64 m_engine;
};

// Any RFC 4122 UUID text (8-4-4-4-12 hex digits, either case).
bool isUuidText(std::string_view text);
// Version 4 and the RFC 4122 variant.
bool isUuidV4Text(std::string_view text);

} // namespace cellvit
