#include "inference/metrics/imagescope_xml_reader.h"

#include "inference/metrics/annotation_error.h"

#include <QFile>
#include <QXmlStreamReader>

namespace cellvit::metrics {
namespace {

double numberAttribute(const QXmlStreamReader& xml, const char* name, const std::filesystem::path& file)
{
    const QStringView text = xml.attributes().value(QLatin1String(name));
    bool ok = false;
    const double value = text.toDouble(&ok);
    if (!ok)
        throw AnnotationError(file,
            "line " + std::to_string(xml.lineNumber()) + ": Vertex attribute " + name + " is missing or not a number");
    return value;
}

} // namespace

ImageScopeAnnotation readImageScopeXml(const std::filesystem::path& file)
{
    QFile device(QString::fromStdString(file.string()));
    if (!device.open(QIODevice::ReadOnly))
        throw AnnotationError(file, "cannot open for reading");

    ImageScopeAnnotation out;
    QXmlStreamReader xml(&device);
    bool sawRoot = false;
    bool inRegion = false;
    while (!xml.atEnd()) {
        const QXmlStreamReader::TokenType token = xml.readNext();
        if (token == QXmlStreamReader::StartElement) {
            const QStringView name = xml.name();
            if (!sawRoot) {
                if (name != QLatin1String("Annotations"))
                    throw AnnotationError(file,
                        "not an ImageScope annotation file (root element <" + name.toString().toStdString() + ">)");
                sawRoot = true;
                const QStringView mpp = xml.attributes().value(QLatin1String("MicronsPerPixel"));
                bool ok = false;
                const double value = mpp.toDouble(&ok);
                if (ok && value > 0.0)
                    out.micronsPerPixel = value;
            } else if (name == QLatin1String("Region")) {
                out.polygons.instances.push_back({ { PolygonPart {} }, 0, std::nullopt });
                inRegion = true;
            } else if (name == QLatin1String("Vertex")) {
                if (!inRegion)
                    throw AnnotationError(
                        file, "line " + std::to_string(xml.lineNumber()) + ": Vertex outside a Region");
                out.polygons.instances.back().parts.front().outer.emplace_back(
                    numberAttribute(xml, "X", file), numberAttribute(xml, "Y", file));
            }
        } else if (token == QXmlStreamReader::EndElement && xml.name() == QLatin1String("Region")) {
            inRegion = false;
        }
    }
    if (xml.hasError())
        throw AnnotationError(
            file, "line " + std::to_string(xml.lineNumber()) + ": " + xml.errorString().toStdString());
    if (!sawRoot)
        throw AnnotationError(file, "empty XML document");
    return out;
}

} // namespace cellvit::metrics
