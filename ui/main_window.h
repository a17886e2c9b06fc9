#pragma once
// The main window of CellViT Studio: the slide viewer in the centre, an overview dock, File/View/Help
// menus, recent files, drag-and-drop and a status bar with cursor position and zoom.

#include "ui/recent_files.h"

#include <QMainWindow>
#include <functional>

class QLabel;
class QMenu;

namespace cellvit {

class SlideOverview;
class SlideView;

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    // Shows an error to the user; a modal QMessageBox by default, replaceable so tests never block.
    using ErrorReporter = std::function<void(QWidget* parent, const QString& title, const QString& message)>;

    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;

    // Opens a slide and shows it. On failure reports the error (file and reason) and keeps the slide
    // that was open. Returns whether the new slide is shown.
    bool openSlide(const QString& path);
    QString currentSlidePath() const { return m_currentPath; }

    SlideView* slideView() const { return m_view; }
    SlideOverview* overview() const { return m_overview; }
    void setErrorReporter(ErrorReporter reporter);

protected:
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;

private:
    void createMenus();
    void createStatusBar();
    void showOpenDialog();
    void showAbout();
    void rebuildRecentMenu();
    void showCursor(const QPointF& level0, const QPointF& micrometres, bool micrometresKnown);
    void showMagnification();

    SlideView* m_view = nullptr; // owned by the Qt parent chain, like every widget below
    SlideOverview* m_overview = nullptr;
    QMenu* m_recentMenu = nullptr;
    QLabel* m_positionLabel = nullptr;
    QLabel* m_micrometreLabel = nullptr;
    QLabel* m_zoomLabel = nullptr;
    RecentFiles m_recent;
    QString m_currentPath;
    ErrorReporter m_reportError;
};

} // namespace cellvit
