#pragma once
// Nucleus class ids and names (PanNuke by default), and the name -> id lookup that the readers use
// for class names found in annotation files.

#include <map>
#include <string>
#include <vector>

namespace cellvit::metrics {

struct NucleusClass {
    int id;
    std::string name;
};

// PanNuke classes 1..5: Neoplastic, Inflammatory, Connective, Dead, Epithelial.
std::vector<NucleusClass> panNukeClasses();

// The default model's classes (the training taxonomy, datasets' defaultNucleusTypeNames() after Background):
// 1 Epithelial, 2 Inflammatory, 3 Connective (spindle-shaped: fibroblast, muscle, endothelium), 4 Other.
std::vector<NucleusClass> defaultTaxonomyClasses();

class ClassTable {
public:
    // aliases: other names of a class (alias -> class name, both case-insensitive).
    explicit ClassTable(
        std::vector<NucleusClass> classes = panNukeClasses(), std::map<std::string, std::string> aliases = {});

    // Id of a class name or alias (case-insensitive); an unknown name gets the next free id (> every known id).
    int idOf(const std::string& name);
    // Name of an id, or "class <id>".
    std::string nameOf(int id) const;
    const std::vector<NucleusClass>& classes() const { return m_classes; }

private:
    std::vector<NucleusClass> m_classes;
    std::map<std::string, std::string> m_aliases; // lower-case alias -> class name
};

// defaultTaxonomyClasses() reached also by the names other taxonomies give its classes, so that their
// predictions are scored on it: Neoplastic -> Epithelial (tumour cells of carcinomas are epithelial),
// Fibroblast -> Connective, Others / Dead / Miscellaneous -> Other (the bundled stage-3 model names its classes
// Epithelial, Inflammatory, Fibroblast, Others; PanNuke models use PanNuke's).
ClassTable defaultTaxonomyTable();

} // namespace cellvit::metrics
