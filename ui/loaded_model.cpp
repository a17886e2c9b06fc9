#include "ui/loaded_model.h"

#include "inference/model/cellvit_model.h"
#include "inference/model/device.h"

#include <QFile>
#include <QFileInfo>
#include <algorithm>

namespace cellvit {

LoadedModel::LoadedModel(std::unique_ptr<CellVitModel> model, ModelInfo info)
    : m_model(std::move(model))
    , m_info(std::move(info))
{
}

LoadedModel::~LoadedModel() = default;

std::shared_ptr<const LoadedModel> LoadedModel::load(const QString& path, const QString& device)
{
    InferenceOptions options;
    options.device = device.toStdString();
    // All cores but one: the GUI thread keeps a core to itself while the network runs (the test of the
    // event loop's gaps during a run failed with every core busy).
    options.threads = std::max(1, availableCpuCount() - 1);
    auto model = CellVitModel::load(std::filesystem::path(QFile::encodeName(path).toStdString()), options);
    const ModelSpec& spec = model->spec();
    ModelInfo info;
    info.path = QFileInfo(path).absoluteFilePath();
    info.arch = QString::fromStdString(spec.arch);
    info.backbone = QString::fromStdString(spec.backbone);
    info.magnification = spec.magnification;
    info.targetMpp = spec.targetMpp();
    for (const std::string& name : spec.nucleiTypeNames)
        info.classNames << QString::fromStdString(name);
    info.device = QString::fromStdString(model->deviceName());
    return std::shared_ptr<const LoadedModel>(new LoadedModel(std::move(model), std::move(info)));
}

CellTaxonomy LoadedModel::taxonomy() const
{
    std::map<int, std::string> names;
    for (int i = 0; i < m_info.classNames.size(); ++i)
        names[i] = m_info.classNames[i].toStdString();
    return names.empty() ? CellTaxonomy::panNuke() : CellTaxonomy(names);
}

} // namespace cellvit
