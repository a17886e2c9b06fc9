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

namespace {

// Float32 probabilities and HV maps of a HoVer-Net decoder, before the argmax.
struct ProbabilityMaps {
    torch::Tensor nuclei; // B×2×H×W softmax
    torch::Tensor types; // B×C×H×W softmax
    torch::Tensor hv; // B×2×H×W
};

ProbabilityMaps probabilitiesOf(const model::NetworkOutputs& raw)
{
    return { raw.nucleiBinaryMap.to(torch::kFloat32).softmax(1), raw.nucleiTypeMap.to(torch::kFloat32).softmax(1),
             raw.hvMap.to(torch::kFloat32) };
}

// The mean of the maps of `x` and its three mirror images, each mirrored back. Mirroring left-right turns the
// horizontal HV component (channel 0, x − centroid x) into its negative, top-bottom the vertical one.
ProbabilityMaps flipAveragedMaps(model::CellVitNetworkImpl& network, const torch::Tensor& x,
    const model::NetworkOutputs& unmirrored, const CancellationCheck& isCancelled)
{
    ProbabilityMaps sum = probabilitiesOf(unmirrored);
    const std::vector<std::vector<int64_t>> mirrors { { 3 }, { 2 }, { 2, 3 } };
    for (const auto& dims : mirrors) {
        const auto input = x.flip(dims).contiguous(x.suggest_memory_format());
        ProbabilityMaps maps = probabilitiesOf(network.forward(input, isCancelled));
        maps.hv = maps.hv.flip(dims);
        for (const int64_t dim : dims)
            maps.hv.select(1, dim == 3 ? 0 : 1).neg_();
        sum.nuclei.add_(maps.nuclei.flip(dims));
        sum.types.add_(maps.types.flip(dims));
        sum.hv.add_(maps.hv);
    }
    for (torch::Tensor* t : { &sum.nuclei, &sum.types, &sum.hv })
        t->div_(double(mirrors.size() + 1));
    return sum;
}

// Bilinear ×2 of one patch's C×H×W maps, pixel centres aligned (OpenCV's INTER_LINEAR).
torch::Tensor upsampledTwice(const torch::Tensor& patchMaps)
{
    namespace F = torch::nn::functional;
    return F::interpolate(patchMaps.unsqueeze(0),
        F::InterpolateFuncOptions()
            .size(std::vector<int64_t> { patchMaps.size(1) * 2, patchMaps.size(2) * 2 })
            .mode(torch::kBilinear)
            .align_corners(false))
        .squeeze(0);
}

} // namespace

SegmentationMaps CellVitModel::segmentationForward(
    const at::Tensor& rgbBatch, const CancellationCheck& isCancelled, const MapOptions& mapOptions) const
{
    if (rgbBatch.dim() != 4 || rgbBatch.size(3) != 3 || rgbBatch.scalar_type() != torch::kUInt8)
        throw std::invalid_argument("segmentationForward: expected a B×H×W×3 uint8 batch");
    if (mapOptions.upsampling != 1 && (mapOptions.upsampling != 2 || m_impl->spec.isStarDistFamily()))
        throw std::invalid_argument("segmentationForward: maps can only be upsampled by 2, and only HoVer-Net maps");
    if (mapOptions.flipAveraging && m_impl->spec.isStarDistFamily())
        throw std::invalid_argument("segmentationForward: flip averaging needs a HoVer-Net decoder (a STARDIST / "
                                    "CPP-Net ray map does not mirror channel by channel)");
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
    if (mapOptions.upsampling == 2 || mapOptions.flipAveraging) {
        ProbabilityMaps probabilities = mapOptions.flipAveraging
            ? flipAveragedMaps(*m_impl->network, x, raw, isCancelled)
            : probabilitiesOf(raw);
        if (mapOptions.upsampling == 2) {
            // One patch at a time, reduced to labels: a batch of upsampled class probabilities would be large on a
            // GPU.
            std::vector<torch::Tensor> nuclei, types, hv;
            for (int64_t i = 0; i < probabilities.types.size(0); ++i) {
                nuclei.push_back(upsampledTwice(probabilities.nuclei[i]).argmax(0));
                types.push_back(upsampledTwice(probabilities.types[i]).argmax(0));
                hv.push_back(upsampledTwice(probabilities.hv[i]));
            }
            const auto hostLabels = [](const std::vector<torch::Tensor>& t) {
                return torch::stack(t).to(torch::kUInt8).to(torch::kCPU).contiguous();
            };
            maps.nucleiTypeArgmax = hostLabels(types);
            maps.nucleiBinaryArgmax = hostLabels(nuclei);
            maps.hvMap = toHostFloat(torch::stack(hv));
            return maps;
        }
        maps.nucleiTypeArgmax = labels(probabilities.types);
        maps.nucleiBinaryArgmax = labels(probabilities.nuclei);
        maps.hvMap = toHostFloat(probabilities.hv);
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
