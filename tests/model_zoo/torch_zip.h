#pragma once
// Wraps a pickle and raw storages into a PyTorch zip archive like torch.save does (records
// `<name>/data.pkl`, `<name>/data/<key>`, `<name>/version`), using LibTorch's own writer.

#include <caffe2/serialize/inline_container.h>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace cellvit::test {

inline void writeTorchZip(const std::filesystem::path& path, const std::string& pickle,
    const std::map<std::string, std::string>& storages = {})
{
    caffe2::serialize::PyTorchStreamWriter writer(path.string());
    writer.writeRecord("data.pkl", pickle.data(), pickle.size());
    for (const auto& [key, bytes] : storages)
        writer.writeRecord("data/" + key, bytes.data(), bytes.size());
    writer.writeEndOfFile();
}

template <typename T> std::string storageBytes(const std::vector<T>& values)
{
    return std::string(reinterpret_cast<const char*>(values.data()), values.size() * sizeof(T));
}

} // namespace cellvit::test
