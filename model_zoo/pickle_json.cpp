#include "model_zoo/pickle_json.h"

namespace cellvit::pickle {
namespace {

constexpr int kMaxDepth = 32;
// A hostile pickle can make a list hold itself many times; the budget keeps conversion linear-ish.
constexpr int64_t kMaxNodes = 1'000'000;

class ConfigConverter {
public:
    nlohmann::json convert(const Value& v, int depth)
    {
        enter(depth);
        switch (v.kind) {
        case Value::Kind::None:
            return nullptr;
        case Value::Kind::Bool:
            return v.boolean;
        case Value::Kind::Int:
            return v.integer;
        case Value::Kind::Float:
            return v.real;
        case Value::Kind::String:
            return v.text;
        case Value::Kind::List:
        case Value::Kind::Tuple: {
            nlohmann::json array = nlohmann::json::array();
            for (const Value* item : v.items)
                array.push_back(convert(*item, depth + 1));
            return array;
        }
        case Value::Kind::Dict: {
            nlohmann::json object = nlohmann::json::object();
            for (const auto& [key, value] : v.entries)
                object[keyText(*key)] = convert(*value, depth + 1);
            return object;
        }
        default:
            throw PickleError(std::string("config holds a ") + kindName(v.kind) + ", which has no JSON form");
        }
    }

    void flatten(const Value& dict, const std::string& prefix, int depth, nlohmann::json& out)
    {
        enter(depth);
        for (const auto& [key, value] : dict.entries) {
            if (!key->isString())
                throw PickleError(std::string("config key is a ") + kindName(key->kind) + ", expected str");
            const std::string flatKey = prefix + key->text;
            if (value->kind == Value::Kind::Dict)
                flatten(*value, flatKey + ".", depth + 1, out);
            else
                out[flatKey] = convert(*value, depth + 1);
        }
    }

private:
    void enter(int depth)
    {
        if (depth > kMaxDepth)
            throw PickleError("config is nested deeper than " + std::to_string(kMaxDepth) + " levels (or cyclic)");
        if (++m_nodes > kMaxNodes)
            throw PickleError("config has more than " + std::to_string(kMaxNodes) + " values");
    }

    static std::string keyText(const Value& key)
    {
        if (key.isString())
            return key.text;
        if (key.kind == Value::Kind::Int)
            return std::to_string(key.integer);
        throw PickleError(std::string("config dict key is a ") + kindName(key.kind));
    }

    int64_t m_nodes = 0;
};

} // namespace

nlohmann::json flattenedConfig(const Value& dict)
{
    if (dict.kind != Value::Kind::Dict)
        throw PickleError(std::string("config is a ") + kindName(dict.kind) + ", expected a dict");
    nlohmann::json out = nlohmann::json::object();
    ConfigConverter().flatten(dict, "", 0, out);
    return out;
}

} // namespace cellvit::pickle
