#pragma once
// Nucleus class ids and names (PanNuke by default), and the name -> id lookup that the readers use
// for class names found in annotation files.

#include <string>
#include <vector>

namespace cellvit::metrics {

struct NucleusClass {
    int id;
    std::string name;
};

// PanNuke classes 1..5: Neoplastic, Inflammatory, Connective, Dead, Epithelial.
std::vector<NucleusClass> panNukeClasses();

class ClassTable {
public:
    explicit ClassTable(std::vector<NucleusClass> classes = panNukeClasses());

    // Id of a class name (case-insensitive); an unknown name gets the next free id (> every known id).
    int idOf(const std::string& name);
    // Name of an id, or "class <id>".
    std::string nameOf(int id) const;
    const std::vector<NucleusClass>& classes() const { return m_classes; }

private:
    std::vector<NucleusClass> m_classes;
};

} // namespace cellvit::metrics
