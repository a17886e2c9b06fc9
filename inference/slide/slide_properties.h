#pragma once
// Reading numbers out of slide property strings ("0.499", "20") independently of the C locale.

#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace cellvit {

// The whole of `text` (surrounding blanks allowed) as a finite number, else nullopt.
// std::stod is not used because QCoreApplication sets the C locale from the environment.
std::optional<double> parseNumber(std::string_view text);

// parseNumber of properties[key]; nullopt when the key is missing or not a number.
std::optional<double> numberProperty(const std::map<std::string, std::string>& properties, const std::string& key);

} // namespace cellvit
