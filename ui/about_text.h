#pragma once
// The text of Help > About: what the application is and the library versions it runs with.

#include <QString>

namespace cellvit {

QString libraryVersionsHtml(); // Qt, OpenCV, OpenSlide (run-time versions where the library reports one)
QString aboutText();

} // namespace cellvit
