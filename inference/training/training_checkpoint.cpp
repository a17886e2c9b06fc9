#include "inference/training/training_checkpoint.h"

#include <torch/serialize.h>
#include <torch/torch.h>

#include <c10/util/string_utils.h>

#include <fstream>
#include <iterator>

namespace cellvit::training {
namespace {

using Json = nlohmann::json;

c10::impl::GenericDict stringKeyedDict()
{
    return c10::impl::GenericDict(c10::StringType::get(), c10::AnyType::get());
}

c10::impl::GenericDict optimizerState(const torch::optim::AdamW& optimizer)
{
    auto state = c10::impl::GenericDict(c10::IntType::get(), c10::AnyType::get());
    auto groups = c10::impl::GenericList(c10::AnyType::get());
    int64_t index = 0;
    for (const auto& group : optimizer.param_groups()) {
        const auto& options = static_cast<const torch::optim::AdamWOptions&>(group.options());
        auto indices = c10::impl::GenericList(c10::AnyType::get());
        for (const auto& parameter : group.params()) {
            const auto found = optimizer.state().find(c10::guts::to_string(parameter.unsafeGetTensorImpl()));
            if (found != optimizer.state().end()) {
                const auto& s = static_cast<const torch::optim::AdamWParamState&>(*found->second);
                auto entry = stringKeyedDict();
                // PyTorch ≥ 1.12 keeps `step` as a float tensor.
                entry.insert("step", torch::tensor(static_cast<double>(s.step()), torch::kFloat32));
                entry.insert("exp_avg", s.exp_avg().contiguous());
                entry.insert("exp_avg_sq", s.exp_avg_sq().contiguous());
                state.insert(index, entry);
            }
            indices.push_back(index++);
        }
        auto g = stringKeyedDict();
        g.insert("lr", options.lr());
        g.insert("betas", c10::ivalue::Tuple::create({ std::get<0>(options.betas()), std::get<1>(options.betas()) }));
        g.insert("eps", options.eps());
        g.insert("weight_decay", options.weight_decay());
        g.insert("amsgrad", options.amsgrad());
        g.insert("foreach", c10::IValue());
        g.insert("maximize", false);
        g.insert("capturable", false);
        g.insert("params", indices);
        groups.push_back(g);
    }
    auto dict = stringKeyedDict();
    dict.insert("state", state);
    dict.insert("param_groups", groups);
    return dict;
}

void restoreOptimizerState(const c10::impl::GenericDict& dict, torch::optim::AdamW& optimizer,
                           const std::filesystem::path& path)
{
    if (!dict.contains("state"))
        return;
    const auto state = dict.at("state").toGenericDict();
    int64_t index = 0;
    for (auto& group : optimizer.param_groups()) {
        for (const auto& parameter : group.params()) {
            if (state.contains(index)) {
                const auto entry = state.at(index).toGenericDict();
                auto restored = std::make_unique<torch::optim::AdamWParamState>();
                restored->step(static_cast<int64_t>(std::llround(entry.at("step").toTensor().item<double>())));
                restored->exp_avg(entry.at("exp_avg").toTensor().clone());
                restored->exp_avg_sq(entry.at("exp_avg_sq").toTensor().clone());
                if (restored->exp_avg().sizes() != parameter.sizes())
                    throw CheckpointError(path.string() + ": optimizer state of parameter "
                                          + std::to_string(index) + " does not match the model");
                optimizer.state()[c10::guts::to_string(parameter.unsafeGetTensorImpl())] = std::move(restored);
            }
            ++index;
        }
    }
    if (!state.empty() && state.size() > static_cast<size_t>(index))
        throw CheckpointError(path.string() + ": optimizer state has more parameters than the model");
}

c10::IValue optionalDouble(const std::optional<double>& value)
{
    return value ? c10::IValue(*value) : c10::IValue();
}

} // namespace

c10::IValue jsonToIValue(const Json& value)
{
    switch (value.type()) {
    case Json::value_t::null:
        return {};
    case Json::value_t::boolean:
        return value.get<bool>();
    case Json::value_t::number_integer:
    case Json::value_t::number_unsigned:
        return value.get<int64_t>();
    case Json::value_t::number_float:
        return value.get<double>();
    case Json::value_t::string:
        return value.get<std::string>();
    case Json::value_t::array: {
        // A generic (Any) list pickles as a plain Python list, not a TorchScript typed list.
        auto list = c10::impl::GenericList(c10::AnyType::get());
        for (const auto& item : value)
            list.push_back(jsonToIValue(item));
        return list;
    }
    case Json::value_t::object: {
        auto dict = stringKeyedDict();
        for (auto it = value.begin(); it != value.end(); ++it)
            dict.insert(it.key(), jsonToIValue(it.value()));
        return dict;
    }
    default:
        throw std::invalid_argument("config value cannot be pickled: " + value.dump());
    }
}

Json ivalueToJson(const c10::IValue& value)
{
    if (value.isNone())
        return nullptr;
    if (value.isBool())
        return value.toBool();
    if (value.isInt())
        return value.toInt();
    if (value.isDouble())
        return value.toDouble();
    if (value.isString())
        return value.toStringRef();
    if (value.isList() || value.isTuple()) {
        Json array = Json::array();
        if (value.isList()) {
            for (const auto& item : value.toListRef())
                array.push_back(ivalueToJson(item));
        } else {
            for (const auto& item : value.toTupleRef().elements())
                array.push_back(ivalueToJson(item));
        }
        return array;
    }
    if (value.isGenericDict()) {
        Json object = Json::object();
        for (const auto& entry : value.toGenericDict())
            object[entry.key().isString() ? entry.key().toStringRef() : ivalueToJson(entry.key()).dump()]
                = ivalueToJson(entry.value());
        return object;
    }
    throw std::invalid_argument("pickled value of type " + value.tagKind() + " has no JSON form");
}

void saveTrainingCheckpoint(const std::filesystem::path& path, const TrainingCheckpoint& c,
                            const torch::optim::AdamW* optimizer)
{
    auto weights = c10::impl::GenericDict(c10::StringType::get(), c10::TensorType::get());
    for (const auto& [name, tensor] : c.modelState)
        weights.insert(name, tensor.detach().cpu().contiguous());

    auto scheduler = stringKeyedDict();
    auto baseLrs = c10::impl::GenericList(c10::AnyType::get());
    baseLrs.push_back(c.baseLearningRate);
    auto lastLr = c10::impl::GenericList(c10::AnyType::get());
    lastLr.push_back(c.learningRate);
    scheduler.insert("gamma", c.gamma);
    scheduler.insert("base_lrs", baseLrs);
    scheduler.insert("last_epoch", static_cast<int64_t>(c.epoch + 1));
    scheduler.insert("verbose", false);
    scheduler.insert("_step_count", static_cast<int64_t>(c.epoch + 2));
    scheduler.insert("_get_lr_called_within_step", false);
    scheduler.insert("_last_lr", lastLr);

    auto dict = stringKeyedDict();
    dict.insert("arch", c.arch);
    dict.insert("epoch", static_cast<int64_t>(c.epoch));
    dict.insert("model_state_dict", weights);
    dict.insert("optimizer_state_dict", optimizer ? optimizerState(*optimizer) : stringKeyedDict());
    dict.insert("scheduler_state_dict", scheduler);
    dict.insert("best_metric", optionalDouble(c.bestMetric));
    dict.insert("best_epoch", c.bestEpoch >= 0 ? c10::IValue(static_cast<int64_t>(c.bestEpoch)) : c10::IValue());
    dict.insert("config", jsonToIValue(c.config));
    dict.insert("wandb_id", c10::IValue());
    dict.insert("logdir", c.logdir);
    dict.insert("run_name", c.runName);
    dict.insert("scaler_state_dict", stringKeyedDict());
    dict.insert("seed", static_cast<int64_t>(c.seed));

    const std::vector<char> bytes = torch::pickle_save(dict);
    auto partial = path;
    partial += ".part";
    {
        std::ofstream out(partial, std::ios::binary | std::ios::trunc);
        out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
        if (!out)
            throw CheckpointError(partial.string() + ": cannot write the checkpoint");
    }
    std::error_code error;
    std::filesystem::rename(partial, path, error);
    if (error)
        throw CheckpointError(path.string() + ": cannot replace the checkpoint (" + error.message() + ")");
}

TrainingCheckpoint loadTrainingCheckpoint(const std::filesystem::path& path, torch::optim::AdamW* optimizer)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw CheckpointError(path.string() + ": cannot open the checkpoint");
    const std::vector<char> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    c10::IValue root;
    try {
        root = torch::pickle_load(bytes);
    } catch (const std::exception& e) {
        throw CheckpointError(path.string() + ": not a checkpoint written by cellvit-train (" + e.what() + ")");
    }
    if (!root.isGenericDict())
        throw CheckpointError(path.string() + ": the checkpoint is not a dictionary");
    const auto dict = root.toGenericDict();
    for (const char* key : { "arch", "epoch", "model_state_dict", "config" })
        if (!dict.contains(key))
            throw CheckpointError(path.string() + ": the checkpoint has no '" + key + "'");

    TrainingCheckpoint c;
    try {
        c.arch = dict.at("arch").toStringRef();
        c.epoch = static_cast<int>(dict.at("epoch").toInt());
        c.config = ivalueToJson(dict.at("config"));
        for (const auto& entry : dict.at("model_state_dict").toGenericDict())
            c.modelState.emplace_back(entry.key().toStringRef(), entry.value().toTensor());
        if (dict.contains("best_metric") && !dict.at("best_metric").isNone())
            c.bestMetric = dict.at("best_metric").toDouble();
        if (dict.contains("best_epoch") && !dict.at("best_epoch").isNone())
            c.bestEpoch = static_cast<int>(dict.at("best_epoch").toInt());
        if (dict.contains("seed"))
            c.seed = static_cast<uint64_t>(dict.at("seed").toInt());
        if (dict.contains("scheduler_state_dict")) {
            const auto scheduler = dict.at("scheduler_state_dict").toGenericDict();
            if (scheduler.contains("gamma"))
                c.gamma = scheduler.at("gamma").toDouble();
            if (scheduler.contains("base_lrs"))
                c.baseLearningRate = scheduler.at("base_lrs").toListRef().at(0).toDouble();
            if (scheduler.contains("_last_lr"))
                c.learningRate = scheduler.at("_last_lr").toListRef().at(0).toDouble();
        }
        if (dict.contains("logdir") && dict.at("logdir").isString())
            c.logdir = dict.at("logdir").toStringRef();
        if (dict.contains("run_name") && dict.at("run_name").isString())
            c.runName = dict.at("run_name").toStringRef();
        if (optimizer && dict.contains("optimizer_state_dict"))
            restoreOptimizerState(dict.at("optimizer_state_dict").toGenericDict(), *optimizer, path);
    } catch (const CheckpointError&) {
        throw;
    } catch (const std::exception& e) {
        throw CheckpointError(path.string() + ": unexpected checkpoint content (" + e.what() + ")");
    }
    return c;
}

} // namespace cellvit::training
