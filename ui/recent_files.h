#pragma once
// The most recently opened slides, newest first, kept in the application's QSettings.

#include <QString>
#include <QStringList>

namespace cellvit {

class RecentFiles {
public:
    static constexpr int kDefaultMaximum = 10;

    explicit RecentFiles(QString settingsKey = QStringLiteral("recentSlides"), int maximum = kDefaultMaximum);

    QStringList files() const;
    void add(const QString& path); // moves an existing entry to the front
    void remove(const QString& path);
    void clear();

private:
    void store(const QStringList& files) const;

    QString m_key;
    int m_maximum;
};

} // namespace cellvit
