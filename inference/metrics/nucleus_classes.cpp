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

std::vector<NucleusClass> defaultTaxonomyClasses()
{
    return { { 1, "Epithelial" }, { 2, "Inflammatory" }, { 3, "Connective" }, { 4, "Other" } };
}

ClassTable defaultTaxonomyTable()
{
    return ClassTable(defaultTaxonomyClasses(),
        { { "Neoplastic", "Epithelial" }, { "Fibroblast", "Connective" }, { "Others", "Other" }, { "Dead", "Other" },
            { "Miscellaneous", "Other" } });
}

ClassTable::ClassTable(std::vector<NucleusClass> classes, std::map<std::string, std::string> aliases)
    : m_classes(std::move(classes))
{
    for (const auto& [alias, name] : aliases)
        m_aliases[lower(alias)] = name;
}

int ClassTable::idOf(const std::string& name)
{
    const auto alias = m_aliases.find(lower(name));
    const std::string key = lower(alias != m_aliases.end() ? alias->second : name);
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
