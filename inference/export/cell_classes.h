#pragma once
// Class names and display colours of a checkpoint's nucleus taxonomy. Names come from the checkpoint (type id ->
// name); colours from the reference colour table (cellvit-facts §2.5), continued for ids it does not cover.

#include <array>
#include <map>
#include <string>

namespace cellvit {

using Rgb = std::array<int, 3>;

struct CellClass {
    std::string name;
    Rgb color {};
};

// Reference colour of a type id: PanNuke ids 0..5, the v2 table's continuation 6..10, then a fixed
// golden-ratio hue sequence so that every id has a stable, distinct colour.
Rgb referenceTypeColor(int typeId);

class CellTaxonomy {
public:
    CellTaxonomy() = default;
    explicit CellTaxonomy(std::map<int, std::string> typeNames, std::map<int, Rgb> colors = {});
    // PanNuke: 0 Background, 1 Neoplastic, 2 Inflammatory, 3 Connective, 4 Dead, 5 Epithelial.
    static CellTaxonomy panNuke();

    // Ids without a name get "Type <id>"; ids without an own colour (e.g. a user-defined classifier's) get the
    // reference colour.
    CellClass classOf(int typeId) const;
    const std::map<int, std::string>& typeNames() const { return m_typeNames; }
    const std::map<int, Rgb>& colors() const { return m_colors; }

private:
    std::map<int, std::string> m_typeNames;
    std::map<int, Rgb> m_colors;
};

} // namespace cellvit
