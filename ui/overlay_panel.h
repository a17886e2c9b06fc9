#pragma once
// The Overlay dock: show/hide all nuclei (H), opacity, fill, and per class a visibility toggle and a colour button
// (the colour is remembered for the taxonomy).

#include <QWidget>

class QCheckBox;
class QSlider;
class QToolButton;
class QVBoxLayout;

namespace cellvit {

class CellLayer;

class OverlayPanel : public QWidget {
    Q_OBJECT
public:
    explicit OverlayPanel(CellLayer* layer, QWidget* parent = nullptr);
    QSlider* opacitySlider() const { return m_opacity; }
    QCheckBox* classToggle(int typeId) const; // nullptr for a class not listed
    QToolButton* colorButton(int typeId) const; // opens a colour dialog for the class

private:
    void chooseColor(int typeId);
    void rebuildClassToggles();
    void syncFromLayer();

    CellLayer* m_layer; // not owned
    QCheckBox* m_show = nullptr;
    QCheckBox* m_fill = nullptr;
    QSlider* m_opacity = nullptr;
    QVBoxLayout* m_classes = nullptr;
    std::vector<int> m_listedClasses;
};

} // namespace cellvit
