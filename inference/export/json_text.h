#pragma once
// Appending JSON tokens to a text buffer, for the streaming writers (no DOM per cell).

#include <string>
#include <string_view>

namespace cellvit::json_text {

// Rounded to 2 decimals, trailing zeros dropped ("12.5", "7", never "-0"). QuPath snaps to a 0.01 grid.
void appendFixed2(std::string& out, double value);
// Integral values as integers, others in the shortest form that reads back exactly. Non-finite values
// become the strings "NaN", "Infinity", "-Infinity" (QuPath's convention) or null when nonFiniteAsNull.
void appendNumber(std::string& out, double value, bool nonFiniteAsNull = false);
void appendInt(std::string& out, long long value);
// A quoted, escaped JSON string (UTF-8 kept as is).
void appendString(std::string& out, std::string_view text);
// An object key and its colon: "key":
void appendKey(std::string& out, std::string_view key);

} // namespace cellvit::json_text
