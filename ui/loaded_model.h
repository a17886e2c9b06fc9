#pragma once
// A loaded checkpoint for the desktop application. Keeps the LibTorch-facing CellVitModel out of every
// header moc reads: callers see only plain descriptions.

#include "inference/export/cell_classes.h"

#include <QString>
#include <QStringList>
#include <memory>

namespace cellvit {

class CellVitModel;

struct ModelInfo {
    QString path;
    QString arch; // CellViT256, CellViTSAM, ...
    QString backbone;
    int magnification = 40;
    double targetMpp = 0.25;
    QStringList classNames; // index = type id, [0] = background
    QString device; // "cpu", "cuda:0"
};

class LoadedModel {
public:
    // Loads on the best device ("auto": CUDA when available). Throws std::exception whose message names
    // the file and the problem (missing, not a checkpoint, unknown architecture, ...).
    static std::shared_ptr<const LoadedModel> load(const QString& path, const QString& device = QStringLiteral("auto"));
    ~LoadedModel();

    const ModelInfo& info() const { return m_info; }
    const CellVitModel& model() const { return *m_model; }
    CellTaxonomy taxonomy() const;

private:
    LoadedModel(std::unique_ptr<CellVitModel> model, ModelInfo info);
    std::unique_ptr<CellVitModel> m_model;
    ModelInfo m_info;
};

} // namespace cellvit
