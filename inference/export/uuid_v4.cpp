#include "inference/export/uuid_v4.h"

#include <boost/uuid/string_generator.hpp>
#include <boost/uuid/uuid_io.hpp>

#include <stdexcept>

namespace cellvit {

std::string UuidV4Generator::next()
{
    return boost::uuids::to_string(m_generate());
}

namespace {

// Boost's string_generator also takes braces and dash-less text; QuPath ids are the 36-character form only.
bool hasCanonicalLayout(std::string_view text)
{
    if (text.size() != 36)
        return false;
    for (size_t i : { 8, 13, 18, 23 })
        if (text[i] != '-')
            return false;
    return true;
}

} // namespace

bool isUuidText(std::string_view text)
{
    if (!hasCanonicalLayout(text))
        return false;
    try {
        boost::uuids::string_generator()(text.begin(), text.end());
        return true;
    } catch (const std::runtime_error&) {
        return false;
    }
}

bool isUuidV4Text(std::string_view text)
{
    if (!isUuidText(text))
        return false;
    const auto id = boost::uuids::string_generator()(text.begin(), text.end());
    return id.version() == boost::uuids::uuid::version_random_number_based
        && id.variant() == boost::uuids::uuid::variant_rfc_4122;
}

} // namespace cellvit
