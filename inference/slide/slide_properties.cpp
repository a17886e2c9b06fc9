#include "inference/slide/slide_properties.h"

#include <charconv>
#include <cmath>

namespace cellvit {

std::optional<double> parseNumber(std::string_view text)
{
    const auto isBlank = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; };
    while (!text.empty() && isBlank(text.front()))
        text.remove_prefix(1);
    while (!text.empty() && isBlank(text.back()))
        text.remove_suffix(1);
    if (!text.empty() && text.front() == '+') // from_chars rejects a leading '+'
        text.remove_prefix(1);
    double value = 0.0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || ec != std::errc() || end != text.data() + text.size() || !std::isfinite(value))
        return std::nullopt;
    return value;
}

std::optional<double> numberProperty(const std::map<std::string, std::string>& properties, const std::string& key)
{
    const auto it = properties.find(key);
    if (it == properties.end())
        return std::nullopt;
    return parseNumber(it->second);
}

} // namespace cellvit
