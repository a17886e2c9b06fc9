#pragma once
// Random (version 4) UUIDs in the RFC 4122 text form, as QuPath expects in a Feature's "id" (Boost.Uuid).

#include <boost/random/mersenne_twister.hpp>
#include <boost/uuid/random_generator.hpp>

#include <string>
#include <string_view>

namespace cellvit {

class UuidV4Generator {
public:
    std::string next(); // "xxxxxxxx-xxxx-4xxx-[89ab]xxx-xxxxxxxxxxxx", lower case

private:
    // One engine seeded from the OS, not a system call per nucleus: an export writes a UUID for each of a
    // million cells.
    boost::uuids::basic_random_generator<boost::random::mt19937> m_generate;
};

// Any RFC 4122 UUID text (8-4-4-4-12 hex digits, either case).
bool isUuidText(std::string_view text);
// Version 4 and the RFC 4122 variant.
bool isUuidV4Text(std::string_view text);

} // namespace cellvit
