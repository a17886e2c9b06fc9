#include "inference/metrics/cpm_mask_reader.h"

#include "inference/metrics/annotation_error.h"

#include <cctype>
#include <fstream>
#include <iterator>
#include <limits>
#include <string>

namespace cellvit::metrics {
namespace {

// Minimal non-negative integer scanner over the whole file (millions of lines: no streams per value).
class IntegerScanner {
public:
    explicit IntegerScanner(const std::string& text)
        : m_text(text)
    {
    }

    bool next(long long& value)
    {
        while (m_pos < m_text.size() && std::isspace(static_cast<unsigned char>(m_text[m_pos])))
            ++m_pos;
        if (m_pos >= m_text.size())
            return false;
        if (!std::isdigit(static_cast<unsigned char>(m_text[m_pos])))
            throw std::invalid_argument(
                "unexpected character '" + std::string(1, m_text[m_pos]) + "' at byte " + std::to_string(m_pos));
        value = 0;
        while (m_pos < m_text.size() && std::isdigit(static_cast<unsigned char>(m_text[m_pos]))) {
            value = value * 10 + (m_text[m_pos] - '0');
            if (value > std::numeric_limits<int>::max())
                throw std::invalid_argument("value too large at byte " + std::to_string(m_pos));
            ++m_pos;
        }
        return true;
    }

private:
    const std::string& m_text;
    size_t m_pos = 0;
};

} // namespace

cv::Mat readCpmMask(const std::filesystem::path& file)
{
    std::ifstream in(file, std::ios::binary);
    if (!in)
        throw AnnotationError(file, "cannot open for reading");
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    try {
        IntegerScanner scanner(text);
        long long width = 0, height = 0;
        if (!scanner.next(width) || !scanner.next(height) || width <= 0 || height <= 0)
            throw std::invalid_argument("first line must be 'width height'");
        if (width * height > 1LL << 31)
            throw std::invalid_argument(
                "image of " + std::to_string(width) + "x" + std::to_string(height) + " is too large");
        cv::Mat labels(static_cast<int>(height), static_cast<int>(width), CV_32SC1);
        int* dst = labels.ptr<int>(0);
        const long long count = width * height;
        long long value = 0;
        for (long long k = 0; k < count; ++k) {
            if (!scanner.next(value))
                throw std::invalid_argument("expected " + std::to_string(count) + " labels for " + std::to_string(width)
                    + "x" + std::to_string(height) + ", found " + std::to_string(k));
            dst[k] = static_cast<int>(value);
        }
        if (scanner.next(value))
            throw std::invalid_argument("more labels than width x height = " + std::to_string(count));
        return labels;
    } catch (const std::invalid_argument& e) {
        throw AnnotationError(file, std::string("CPM-15 mask: ") + e.what());
    }
}

} // namespace cellvit::metrics
