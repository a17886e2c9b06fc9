#pragma once
// The Regions dock: the list of regions with their areas (double-click renames), delete, and GeoJSON
// import/export buttons (the main window does the file work).

#include <QWidget>

class QListView;
class QPushButton;

namespace cellvit {

class RegionEditor;

class RegionPanel : public QWidget {
    Q_OBJECT
public:
    explicit RegionPanel(RegionEditor* editor, QWidget* parent = nullptr);
    QListView* listView() const { return m_list; }

Q_SIGNALS:
    void importRequested();
    void exportRequested();

private:
    void updateButtons();

    RegionEditor* m_editor; // not owned
    QListView* m_list = nullptr;
    QPushButton* m_delete = nullptr;
};

} // namespace cellvit
