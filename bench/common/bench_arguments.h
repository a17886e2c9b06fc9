#pragma once
// Command-line reading shared by the benchmarks: flags in order, each "--name value" or a bare "--switch".

#include <cstdint>
#include <cstdlib>
#include <iostream>
#include <stdexcept>
#include <string>

namespace cellvit::bench {

class Arguments {
public:
    Arguments(int argc, char** argv)
        : m_argc(argc)
        , m_argv(argv)
    {
    }
    // Moves to the next flag; false when none is left.
    bool next(std::string& flag)
    {
        if (++m_index >= m_argc)
            return false;
        flag = m_flag = m_argv[m_index];
        return true;
    }
    // The value after the current flag (consumed); throws naming the flag when there is none.
    std::string value()
    {
        if (m_index + 1 >= m_argc)
            throw std::invalid_argument(m_flag + " needs a value");
        return m_argv[++m_index];
    }
    int intValue() { return static_cast<int>(integerValue(INT32_MIN, INT32_MAX)); }
    int64_t int64Value() { return integerValue(INT64_MIN, INT64_MAX); }

private:
    // The whole value as an integer in [low, high]; throws naming the flag and the value otherwise.
    int64_t integerValue(int64_t low, int64_t high)
    {
        const std::string text = value();
        try {
            size_t used = 0;
            const long long n = std::stoll(text, &used);
            if (used == text.size() && n >= low && n <= high)
                return n;
        } catch (const std::logic_error&) { // not a number, or out of range
        }
        throw std::invalid_argument(m_flag + " needs an integer, not '" + text + "'");
    }

    int m_argc;
    char** m_argv;
    int m_index = 0;
    std::string m_flag;
};

// Reads the command line with `onFlag(flag, arguments)`, which returns false for a flag it does not know. A missing
// or malformed value or an unknown flag ends the program with "PROGRAM: problem", the usage line and exit status 2,
// instead of an uncaught exception.
template <class OnFlag>
void parseArgumentsOrExit(int argc, char** argv, const std::string& program, const std::string& usage, OnFlag&& onFlag)
{
    try {
        Arguments arguments(argc, argv);
        for (std::string flag; arguments.next(flag);)
            if (!onFlag(flag, arguments))
                throw std::invalid_argument("unknown flag " + flag);
    } catch (const std::invalid_argument& e) {
        std::cerr << program << ": " << e.what() << "\nusage: " << usage << "\n";
        std::exit(2);
    }
}

} // namespace cellvit::bench
