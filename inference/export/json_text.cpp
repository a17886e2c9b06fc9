#include "inference/export/json_text.h"

#include <charconv>
#include <cmath>
#include <cstdio>

namespace cellvit::json_text {

void appendFixed2(std::string& out, double value)
{
    if (!std::isfinite(value)) {
        appendNumber(out, value);
        return;
    }
    const double rounded = std::round(value * 100.0) / 100.0;
    char buf[64];
    auto [end, ec] = std::to_chars(buf, buf + sizeof(buf), rounded, std::chars_format::fixed, 2);
    if (ec != std::errc()) {
        appendNumber(out, rounded);
        return;
    }
    char* last = end;
    while (last[-1] == '0')
        --last;
    if (last[-1] == '.')
        --last;
    std::string_view text(buf, static_cast<size_t>(last - buf));
    if (text == "-0")
        text = "0";
    out.append(text);
}

void appendNumber(std::string& out, double value, bool nonFiniteAsNull)
{
    if (!std::isfinite(value)) {
        if (nonFiniteAsNull)
            out += "null";
        else
            out += std::isnan(value) ? "\"NaN\"" : (value > 0 ? "\"Infinity\"" : "\"-Infinity\"");
        return;
    }
    if (value == std::trunc(value) && std::abs(value) < 1e15) {
        appendInt(out, static_cast<long long>(value));
        return;
    }
    char buf[64];
    auto [end, ec] = std::to_chars(buf, buf + sizeof(buf), value);
    out.append(buf, ec == std::errc() ? end : buf);
}

void appendInt(std::string& out, long long value)
{
    char buf[32];
    auto [end, ec] = std::to_chars(buf, buf + sizeof(buf), value);
    out.append(buf, end);
}

void appendString(std::string& out, std::string_view text)
{
    out += '"';
    for (const char ch : text) {
        const auto c = static_cast<unsigned char>(ch);
        switch (c) {
        case '"':
            out += "\\\"";
            break;
        case '\\':
            out += "\\\\";
            break;
        case '\n':
            out += "\\n";
            break;
        case '\r':
            out += "\\r";
            break;
        case '\t':
            out += "\\t";
            break;
        case '\b':
            out += "\\b";
            break;
        case '\f':
            out += "\\f";
            break;
        default:
            if (c < 0x20) {
                char esc[8];
                std::snprintf(esc, sizeof(esc), "\\u%04x", c);
                out += esc;
            } else {
                out += ch;
            }
        }
    }
    out += '"';
}

void appendKey(std::string& out, std::string_view key)
{
    appendString(out, key);
    out += ':';
}

} // namespace cellvit::json_text
