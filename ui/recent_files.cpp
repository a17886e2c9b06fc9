#include "ui/recent_files.h"

#include <QFileInfo>
#include <QSettings>

namespace cellvit {

RecentFiles::RecentFiles(QString settingsKey, int maximum)
    : m_key(std::move(settingsKey))
    , m_maximum(std::max(1, maximum))
{
}

QStringList RecentFiles::files() const
{
    return QSettings().value(m_key).toStringList();
}

void RecentFiles::add(const QString& path)
{
    const QString absolute = QFileInfo(path).absoluteFilePath();
    QStringList list = files();
    list.removeAll(absolute);
    list.prepend(absolute);
    while (list.size() > m_maximum)
        list.removeLast();
    store(list);
}

void RecentFiles::remove(const QString& path)
{
    QStringList list = files();
    list.removeAll(QFileInfo(path).absoluteFilePath());
    store(list);
}

void RecentFiles::clear()
{
    store({});
}

void RecentFiles::store(const QStringList& list) const
{
    QSettings().setValue(m_key, list);
}

} // namespace cellvit
