#include "app/cli/point_evaluation.h"

#include "inference/metrics/cells_json_reader.h"
#include "inference/metrics/coordinate_pairing.h"
#include "inference/metrics/crc_points_reader.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <stdexcept>

namespace cellvit::cli {
namespace fs = std::filesystem;
namespace {

// CRC class index of a predicted class name: the default taxonomy's classes are CRC's four in order, and its
// table maps PanNuke's and older names onto them; -1 when it maps to none (background, a lone "Nucleus").
int crcClassOf(const std::string& name)
{
    metrics::ClassTable table = metrics::defaultTaxonomyTable();
    const int id = table.idOf(name);
    return id >= 1 && id <= static_cast<int>(crcClassNames().size()) ? id - 1 : -1;
}

bool isImageFolder(const fs::path& folder)
{
    return fs::is_regular_file(folder / (folder.filename().string() + "_detection.mat"));
}

struct PredictedPoints {
    std::vector<cv::Point2d> points;
    std::vector<int> crcClass; // -1 = none
};

PredictedPoints readPredictedPoints(const fs::path& file)
{
    std::ifstream in(file);
    if (!in)
        throw std::runtime_error(file.string() + ": cannot open the prediction");
    nlohmann::json j;
    try {
        j = nlohmann::json::parse(in);
    } catch (const std::exception& e) {
        throw std::runtime_error(file.string() + ": not JSON (" + e.what() + ")");
    }
    std::map<int, std::string> names = metrics::cellsJsonTypeNames(j);
    if (names.empty()) // the reference's default: PanNuke ids
        for (const auto& c : metrics::panNukeClasses())
            names[c.id] = c.name;
    const nlohmann::json& cells = j.is_object() && j.contains("cells") ? j["cells"] : j;
    if (!cells.is_array())
        throw std::runtime_error(file.string() + ": no \"cells\" list");
    PredictedPoints p;
    for (const auto& c : cells) {
        if (!c.contains("centroid") || c["centroid"].size() != 2)
            throw std::runtime_error(file.string() + ": a cell has no [x, y] centroid");
        p.points.emplace_back(c["centroid"][0].get<double>(), c["centroid"][1].get<double>());
        const auto name = c.contains("type") ? names.find(c["type"].get<int>()) : names.end();
        p.crcClass.push_back(name == names.end() ? -1 : crcClassOf(name->second));
    }
    return p;
}

fs::path predictionFor(const fs::path& pred, const std::string& image)
{
    if (fs::is_regular_file(pred))
        return pred;
    for (const fs::path& candidate :
        { pred / image / "cells.json", pred / (image + ".json"), pred / (image + "_cells.json") }) {
        if (fs::is_regular_file(candidate))
            return candidate;
    }
    return {};
}

void addPairing(
    PointScores& s, const std::vector<cv::Point2d>& truth, const std::vector<cv::Point2d>& predicted, double radius)
{
    s.truth += truth.size();
    s.predicted += predicted.size();
    s.paired += metrics::pairCoordinates(truth, predicted, radius).paired.size();
}

std::string score(double v)
{
    if (std::isnan(v))
        return "n/a";
    char buffer[16];
    std::snprintf(buffer, sizeof buffer, "%.4f", v);
    return buffer;
}

} // namespace

const std::vector<std::string>& crcClassNames()
{
    static const std::vector<std::string> names { "epithelial", "inflammatory", "fibroblast", "others" };
    return names;
}

bool isPointLabelFolder(const fs::path& folder)
{
    if (!fs::is_directory(folder))
        return false;
    if (isImageFolder(folder))
        return true;
    for (const auto& entry : fs::directory_iterator(folder)) {
        if (entry.is_directory() && isImageFolder(entry.path()))
            return true;
    }
    return false;
}

double PointScores::precision() const
{
    return predicted == 0 ? std::nan("") : double(paired) / predicted;
}
double PointScores::recall() const
{
    return truth == 0 ? std::nan("") : double(paired) / truth;
}
double PointScores::f1() const
{
    return truth + predicted == 0 ? std::nan("") : 2.0 * paired / double(truth + predicted);
}

PointEvaluation evaluatePointLabels(const std::string& name, const fs::path& pred, const fs::path& gt, double radius)
{
    std::vector<fs::path> images;
    if (isImageFolder(gt)) {
        images.push_back(gt);
    } else {
        for (const auto& entry : fs::directory_iterator(gt)) {
            if (entry.is_directory() && isImageFolder(entry.path()))
                images.push_back(entry.path());
        }
        std::sort(images.begin(), images.end());
    }
    if (images.empty())
        throw std::runtime_error(gt.string() + ": no imgN/imgN_detection.mat point labels");

    PointEvaluation e;
    e.name = name;
    e.perClass.resize(crcClassNames().size());
    bool anyClass = false;
    for (const fs::path& folder : images) {
        const std::string image = folder.filename().string();
        const fs::path file = predictionFor(pred, image);
        if (file.empty()) {
            e.unmatched.push_back(image);
            continue;
        }
        const PredictedPoints p = readPredictedPoints(file);
        ++e.images;
        addPairing(
            e.detection, metrics::readMatPoints(folder / (image + "_detection.mat"), "detection"), p.points, radius);
        anyClass = anyClass || std::any_of(p.crcClass.begin(), p.crcClass.end(), [](int c) { return c >= 0; });
        for (size_t k = 0; k < crcClassNames().size(); ++k) {
            std::vector<cv::Point2d> predicted;
            for (size_t i = 0; i < p.points.size(); ++i) {
                if (p.crcClass[i] == static_cast<int>(k))
                    predicted.push_back(p.points[i]);
            }
            const fs::path classFile = folder / (image + "_" + crcClassNames()[k] + ".mat");
            const auto truth = fs::is_regular_file(classFile) ? metrics::readMatPoints(classFile, "detection")
                                                              : std::vector<cv::Point2d> {};
            addPairing(e.perClass[k], truth, predicted, radius);
        }
    }
    if (e.images == 0)
        throw std::runtime_error(pred.string() + ": no prediction pairs with an image of " + gt.string());
    e.typed = anyClass;
    return e;
}

std::string pointEvaluationText(const std::vector<PointEvaluation>& evaluations, double radius)
{
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "%.1f", radius);
    std::string text
        = std::string("point labels, centroids paired within ") + buffer + " px; PQ: not applicable (no outlines)\n";
    auto row = [&](const std::string& label, auto value) {
        std::snprintf(buffer, sizeof buffer, "%-26s", label.c_str());
        text += buffer;
        for (const auto& e : evaluations) {
            std::snprintf(buffer, sizeof buffer, " %14s", value(e).c_str());
            text += buffer;
        }
        text += "\n";
    };
    row("", [](const PointEvaluation& e) { return e.name; });
    row("images", [](const PointEvaluation& e) { return std::to_string(e.images); });
    row("labelled / predicted", [](const PointEvaluation& e) {
        return std::to_string(e.detection.truth) + "/" + std::to_string(e.detection.predicted);
    });
    row("detection precision", [](const PointEvaluation& e) { return score(e.detection.precision()); });
    row("detection recall", [](const PointEvaluation& e) { return score(e.detection.recall()); });
    row("detection F1", [](const PointEvaluation& e) { return score(e.detection.f1()); });
    for (size_t k = 0; k < crcClassNames().size(); ++k) {
        row("F1 " + crcClassNames()[k],
            [k](const PointEvaluation& e) { return e.typed ? score(e.perClass[k].f1()) : std::string("n/a"); });
    }
    for (const auto& e : evaluations) {
        if (!e.unmatched.empty())
            text += e.name + ": " + std::to_string(e.unmatched.size()) + " images without a prediction\n";
    }
    return text;
}

} // namespace cellvit::cli
