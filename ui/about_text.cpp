#include "ui/about_text.h"

#include "inference/model/device.h"

#include <QCoreApplication>
#include <opencv2/core/version.hpp>
#include <openslide.h>

namespace cellvit {

QString libraryVersionsHtml()
{
    return QCoreApplication::translate(
        "cellvit::AboutText", "<p>Qt %1 (built with %2)<br>OpenCV %3<br>OpenSlide %4<br>LibTorch %5%6</p>")
        .arg(QString::fromLatin1(qVersion()), QStringLiteral(QT_VERSION_STR), QStringLiteral(CV_VERSION),
            QString::fromLatin1(openslide_get_version()), QString::fromStdString(libtorchVersion()),
            cudaAvailable() ? QCoreApplication::translate("cellvit::AboutText", " (CUDA available)") : QString());
}

QString aboutText()
{
    return QCoreApplication::translate("cellvit::AboutText",
               "<h3>CellViT Studio %1</h3>"
               "<p>Nuclei segmentation and classification for whole-slide histology images, "
               "a C++ implementation of CellViT.</p>")
               .arg(QCoreApplication::applicationVersion())
        + libraryVersionsHtml();
}

} // namespace cellvit
