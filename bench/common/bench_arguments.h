#pragma once
// Command-line reading shared by the benchmarks: flags in order, each "--name value" or a bare "--switch".

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
    int intValue() { return std::stoi(value()); }

private:
    int m_argc;
    char** m_argv;
    int m_index = 0;
    std::string m_flag;
};

} // namespace cellvit::bench
