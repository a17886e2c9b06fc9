#include "inference/store/slide_identity.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QFileInfo>
#include <QStandardPaths>
#include <stdexcept>

namespace cellvit {

QString slideIdentity(const std::filesystem::path& slide)
{
    const QFileInfo info(QString::fromStdString(slide.string()));
    if (!info.exists() || !info.isFile())
        throw std::runtime_error(slide.string() + ": no such slide file");
    QCryptographicHash hash(QCryptographicHash::Sha256);
    hash.addData(info.absoluteFilePath().toUtf8());
    hash.addData(QByteArray::number(info.size()));
    hash.addData(QByteArray::number(info.lastModified().toMSecsSinceEpoch()));
    return QString::fromLatin1(hash.result().toHex().left(32));
}

std::filesystem::path defaultStoreFolder()
{
    return std::filesystem::path(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation).toStdString())
        / "projects";
}

std::filesystem::path storePathForSlide(const std::filesystem::path& slide, const std::filesystem::path& storeFolder)
{
    return storeFolder / (slideIdentity(slide).toStdString() + ".cellvit.sqlite");
}

} // namespace cellvit
