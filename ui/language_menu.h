#pragma once
// View ▸ Language: the choice between the system's language and English, German or French, stored in the
// settings and applied at the next start.

class QMenu;
class QWidget;

namespace cellvit {

// A "Language" submenu owned by `parent`; choosing an entry stores it and says it applies after a restart.
QMenu* createLanguageMenu(QWidget* parent);

} // namespace cellvit
