#include "inference/model/cellvit_model.h"

#include "inference/model/cellvit_network.h"
#include "inference/model/conv_blocks.h"
#include "inference/model/device.h"
#include "inference/model/state_dict.h"

#include <torch/nn.h>

#include <optional>

namespace cellvit {

struct CellVitModel::Impl {
    ModelSpec spec;
    model::CellVitNetwork network { nullptr };
    torch::Device device { torch::kCPU };
    torch::Tensor inputTable; // 3×256 on the device: normaliseImage's float for each channel and byte value
    Precision precision = Precision::Float32;
    bool fastKernels = true;
};

CellVitModel::CellVitModel(std::unique_ptr<Impl> impl)
    : m_impl(std::move(impl))
{
}

CellVitModel::~CellVitModel() = default;

namespace {

// H×W×3 uint8 → 1×3×H×W float32 with the checkpoint's mean/std, as torchvision ToTensor + Normalize compute it
// (÷255, −mean, ÷std in float32).
torch::Tensor normaliseOnHost(const torch::Tensor& image, const ModelSpec& spec)
{
    auto x = image.permute({ 2, 0, 1 }).to(torch::kFloat32).div(255.0f);
    auto mean = torch::tensor({ static_cast<float>(spec.normMean[0]), static_cast<float>(spec.normMean[1]),
                                  static_cast<float>(spec.normMean[2]) })
                    .view({ 3, 1, 1 });
    auto stdDev = torch::tensor({ static_cast<float>(spec.normStd[0]), static_cast<float>(spec.normStd[1]),
                                    static_cast<float>(spec.normStd[2]) })
                      .view({ 3, 1, 1 });
    return x.sub(mean).div(stdDev).unsqueeze(0).contiguous();
}

// normaliseOnHost of every byte value in every channel: 3×256 float32 (row = channel).
torch::Tensor inputTableOf(const ModelSpec& spec)
{
    const torch::Tensor ramp
        = torch::arange(256, torch::kInt32).to(torch::kUInt8).view({ 1, 256, 1 }).expand({ 1, 256, 3 });
    return normaliseOnHost(ramp.contiguous(), spec).view({ 3, 256 }).clone();
}

std::unique_ptr<CellVitModel::Impl> makeImpl(const ModelSpec& spec, const InferenceOptions& options)
{
    applyThreadCount(options.threads);
    auto impl = std::make_unique<CellVitModel::Impl>();
    impl->spec = spec;
    impl->device = resolveDevice(options.device);
    impl->precision = options.precision;
    impl->fastKernels = options.fastKernels;
    if (impl->precision == Precision::Float16 && impl->device.is_cpu())
        throw std::invalid_argument("fp16 inference needs a CUDA device; use bf16 or fp32 on the CPU");
    impl->network = model::CellVitNetwork(spec);
    impl->network->eval();
    return impl;
}

torch::ScalarType scalarType(Precision p)
{
    switch (p) {
    case Precision::Float16:
        return torch::kHalf;
    case Precision::BFloat16:
        return torch::kBFloat16;
    default:
        return torch::kFloat32;
    }
}

void moveToTarget(CellVitModel::Impl& impl)
{
    impl.inputTable = inputTableOf(impl.spec).to(impl.device);
    impl.network->to(impl.device);
    if (impl.precision != Precision::Float32) {
        // BatchNorm statistics stay usable in half precision for inference; outputs return as float32.
        impl.network->to(scalarType(impl.precision));
    }
    impl.network->channelsLast = impl.fastKernels;
    if (impl.fastKernels) {
        // Channels-last convolution weights let oneDNN/cuDNN run the decoder without layout reorders.
        torch::NoGradGuard noGrad;
        for (auto& p : impl.network->parameters()) {
            if (p.dim() == 4)
                p.set_data(p.contiguous(at::MemoryFormat::ChannelsLast));
        }
        model::fuseBlocksForInference(*impl.network);
    }
}

ModelSpec specOf(const std::string& arch, const nlohmann::json& config, const std::filesystem::path& source)
{
    try {
        return modelSpecFromConfig(arch, config);
    } catch (const std::invalid_argument& e) {
        throw CheckpointError(source.string() + ": " + e.what());
    }
}

} // namespace

std::unique_ptr<CellVitModel> CellVitModel::fromCheckpoint(
    const Checkpoint& checkpoint, const InferenceOptions& options)
{
    auto impl = makeImpl(specOf(checkpoint.arch, checkpoint.config, checkpoint.source), options);
    model::loadStateDictStrict(*impl->network, checkpoint.stateDict, checkpoint.source.string());
    moveToTarget(*impl);
    return std::unique_ptr<CellVitModel>(new CellVitModel(std::move(impl)));
}

std::unique_ptr<CellVitModel> CellVitModel::load(const std::filesystem::path& path, const InferenceOptions& options)
{
    // The network is built from the header and each tensor is copied into it as it is read: one copy of the
    // weights in memory while loading, not the checkpoint's plus the network's.
    std::unique_ptr<Impl> impl;
    std::optional<model::StreamingStateDictLoader> loader;
    streamCheckpoint(
        path,
        [&](const CheckpointHeader& header) {
            impl = makeImpl(specOf(header.arch, header.config, header.source), options);
            loader.emplace(*impl->network, header);
        },
        [&](const std::string& name, const at::Tensor& tensor) { loader->load(name, tensor); });
    loader->finish();
    moveToTarget(*impl);
    return std::unique_ptr<CellVitModel>(new CellVitModel(std::move(impl)));
}

std::unique_ptr<CellVitModel> CellVitModel::randomlyInitialised(const ModelSpec& spec, const InferenceOptions& options)
{
    auto impl = makeImpl(spec, options);
    moveToTarget(*impl);
    return std::unique_ptr<CellVitModel>(new CellVitModel(std::move(impl)));
}

const ModelSpec& CellVitModel::spec() const
{
    return m_impl->spec;
}

std::string CellVitModel::deviceName() const
{
    return m_impl->device.str();
}

Precision CellVitModel::precision() const
{
    return m_impl->precision;
}

NamedTensors CellVitModel::stateDict() const
{
    return model::orderedStateDict(*m_impl->network);
}

ModelOutputs CellVitModel::forward(const at::Tensor& normalisedBatch, const CancellationCheck& isCancelled) const
{
    c10::InferenceMode inferenceMode;
    auto input = normalisedBatch.to(m_impl->device, scalarType(m_impl->precision))
                     .contiguous(m_impl->fastKernels ? at::MemoryFormat::ChannelsLast : at::MemoryFormat::Contiguous);
    model::NetworkOutputs raw = m_impl->network->forward(input, isCancelled);
    auto toHost = [](const torch::Tensor& t) {
        return t.defined() ? t.to(torch::kCPU, torch::kFloat32).contiguous() : torch::Tensor();
    };
    ModelOutputs out;
    out.nucleiBinaryMap = toHost(raw.nucleiBinaryMap);
    out.hvMap = toHost(raw.hvMap);
    out.distMap = toHost(raw.distMap);
    out.stardistMap = toHost(raw.stardistMap);
    out.stardistMapRefined = toHost(raw.stardistMapRefined);
    out.nucleiTypeMap = toHost(raw.nucleiTypeMap);
    out.tissueTypes = toHost(raw.tissueTypes);
    out.tokens = toHost(raw.tokens);
    return out;
}

at::Tensor CellVitModel::hostBatch(int64_t batch, int64_t height, int64_t width) const
{
    auto options = torch::TensorOptions().dtype(torch::kUInt8);
    if (m_impl->device.is_cuda())
        options = options.pinned_memory(true);
    return torch::empty({ batch, height, width, 3 }, options);
}

SegmentationMaps CellVitModel::segmentationForward(
    const at::Tensor& rgbBatch, const CancellationCheck& isCancelled, int mapUpsampling) const
{
    if (rgbBatch.dim() != 4 || rgbBatch.size(3) != 3 || rgbBatch.scalar_type() != torch::kUInt8)
        throw std::invalid_argument("segmentationForward: expected a B×H×W×3 uint8 batch");
    if (mapUpsampling != 1 && (mapUpsampling != 2 || m_impl->spec.isStarDistFamily()))
        throw std::invalid_argument("segmentationForward: maps can only be upsampled by 2, and only HoVer-Net maps");
    c10::InferenceMode inferenceMode;
    const torch::Device& device = m_impl->device;
    // Each byte through the table of normaliseImage's values: the same floats as the host path on any device (a
    // CUDA division by a scalar multiplies by its reciprocal, which differs in the last bit for some bytes).
    const at::Tensor rgb = rgbBatch.to(device, /*non_blocking=*/rgbBatch.is_pinned());
    std::vector<torch::Tensor> planes;
    for (int64_t channel = 0; channel < 3; ++channel) {
        const torch::Tensor bytes = rgb.select(3, channel).reshape({ -1 }).to(torch::kLong);
        planes.push_back(
            m_impl->inputTable[channel].index_select(0, bytes).view({ rgb.size(0), rgb.size(1), rgb.size(2) }));
    }
    // Stacked channel-last (B×H×W×3) and viewed as B×3×H×W: already the layout the fast kernels want.
    const auto x = torch::stack(planes, 3)
                       .permute({ 0, 3, 1, 2 })
                       .to(scalarType(m_impl->precision))
                       .contiguous(m_impl->fastKernels ? at::MemoryFormat::ChannelsLast : at::MemoryFormat::Contiguous);
    model::NetworkOutputs raw = m_impl->network->forward(x, isCancelled);
    // Argmax in the network's dtype equals argmax of its float32 copy (the widening is exact). Half-precision
    // maps cross as halves and are widened on the host, which gives the same float32 values.
    const auto labels
        = [](const torch::Tensor& logits) { return logits.argmax(1).to(torch::kUInt8).to(torch::kCPU).contiguous(); };
    const auto toHostFloat = [](const torch::Tensor& t) { return t.to(torch::kCPU).to(torch::kFloat32).contiguous(); };
    SegmentationMaps maps;
    maps.tokens = toHostFloat(raw.tokens);
    if (mapUpsampling == 2) {
        // One patch at a time: a batch of upsampled class probabilities would be large on a GPU.
        const auto upsampled = [](const torch::Tensor& patchMaps) {
            namespace F = torch::nn::functional;
            return F::interpolate(patchMaps.unsqueeze(0),
                F::InterpolateFuncOptions()
                    .size(std::vector<int64_t> { patchMaps.size(1) * 2, patchMaps.size(2) * 2 })
                    .mode(torch::kBilinear)
                    .align_corners(false))
                .squeeze(0);
        };
        std::vector<torch::Tensor> np, hv, types;
        for (int64_t i = 0; i < raw.nucleiTypeMap.size(0); ++i) {
            types.push_back(upsampled(raw.nucleiTypeMap[i].to(torch::kFloat32).softmax(0)).argmax(0));
            np.push_back(upsampled(raw.nucleiBinaryMap[i].to(torch::kFloat32).softmax(0)).argmax(0));
            hv.push_back(upsampled(raw.hvMap[i].to(torch::kFloat32)));
        }
        const auto hostLabels = [](const std::vector<torch::Tensor>& t) {
            return torch::stack(t).to(torch::kUInt8).to(torch::kCPU).contiguous();
        };
        maps.nucleiTypeArgmax = hostLabels(types);
        maps.nucleiBinaryArgmax = hostLabels(np);
        maps.hvMap = toHostFloat(torch::stack(hv));
        return maps;
    }
    maps.nucleiTypeArgmax = labels(raw.nucleiTypeMap);
    if (m_impl->spec.isStarDistFamily()) {
        // The sigmoid in float32 as the reference's inference does (after its fp16 forward, if any).
        maps.objectProbability = toHostFloat(raw.distMap).sigmoid().select(1, 0).contiguous();
        maps.rays = toHostFloat(raw.nmsRays());
    } else {
        maps.nucleiBinaryArgmax = labels(raw.nucleiBinaryMap);
        maps.hvMap = toHostFloat(raw.hvMap);
    }
    return maps;
}

at::Tensor CellVitModel::normaliseImage(const uint8_t* rgb, int64_t height, int64_t width, int64_t rowStride) const
{
    const auto image
        = torch::from_blob(const_cast<uint8_t*>(rgb), { height, width, 3 }, { rowStride, 3, 1 }, torch::kUInt8);
    return normaliseOnHost(image, m_impl->spec);
}

} // namespace cellvit
