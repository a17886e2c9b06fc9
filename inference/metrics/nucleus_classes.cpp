#include "inference/metrics/nucleus_classes.h"

#include <algorithm>
#include <cctype>

namespace cellvit::metrics {
namespace {

std::string lower(std::string s)
{
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
    return s;
}

} // namespace

std::vector<NucleusClass> panNukeClasses()
{
    return { { 1, "Neoplastic" }, { 2, "Inflammatory" }, { 3, "Connective" }, { 4, "Dead" }, { 5, "Epithelial" } };
}

ClassTable::ClassTable(std::vector<NucleusClass> classes)
    : m_classes(std::move(classes))
{
}

int ClassTable::idOf(const std::string& name)
{
    const std::string key = lower(name);
    int maxId = 0;
    for (const NucleusClass& c : m_classes) {
        if (lower(c.name) == key)
            return c.id;
        maxId = std::max(maxId, c.id);
    }
    m_classes.push_back({ maxId + 1, name });
    return maxId + 1;
}

std::string ClassTable::nameOf(int id) const
{
    for (const NucleusClass& c : m_classes) {
        if (c.id == id)
            return c.name;
    }
    return "class " + std::to_string(id);
}

} // namespace cellvit::metrics
