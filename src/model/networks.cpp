// LibTorch implementation of Networks: loads TorchScript, checks shapes, runs inference.
#include "model/networks.h"

#include <torch/csrc/jit/runtime/graph_executor.h>
#include <torch/script.h>
#include <torch/torch.h>

#include <optional>

#include "tera/core/error.h"

namespace tera {
namespace {

std::string shape_text(const at::Tensor& t) {
  std::string s = "[";
  for (int64_t i = 0; i < t.dim(); ++i) s += (i ? ", " : "") + std::to_string(t.size(i));
  return s + "]";
}

class TorchNetworks final : public Networks {
 public:
  TorchNetworks(const ModelManifest& m, torch::Device device) : m_(m), device_(device) {
    text_ = load_module(m.text_encoder_file, "modules.text_encoder");
    denoiser_ = load_module(m.denoiser_file, "modules.denoiser");
    decoder_ = load_module(m.decoder_file, "modules.decoder");
    reach_low_ = optional_buffer(decoder_, "latent_low", m.decoder_file, "modules.decoder");
    reach_high_ = optional_buffer(decoder_, "latent_high", m.decoder_file, "modules.decoder");
    if (reach_low_.empty() != reach_high_.empty())
      fail(m.decoder_file, "modules.decoder", "has one of latent_low and latent_high, not both");
  }

  void dry_run() {
    constexpr int kBatch = 2;  // batch 2 catches modules traced or written for batch 1 only
    const int64_t l = m_.tokenizer.max_length;
    std::vector<std::int64_t> tokens(static_cast<std::size_t>(kBatch * l), m_.tokenizer.pad_id),
        mask(tokens.size(), 0);
    for (int b = 0; b < kBatch; ++b) {
      tokens[static_cast<std::size_t>(b * l)] = m_.tokenizer.bos_id;
      tokens[static_cast<std::size_t>(b * l + 1)] = m_.tokenizer.eos_id;
      mask[static_cast<std::size_t>(b * l)] = mask[static_cast<std::size_t>(b * l + 1)] = 1;
    }
    set_context(tokens, mask, kBatch);
    const std::vector<float> x(static_cast<std::size_t>(kBatch) * m_.latent_size(), 0.f);
    denoise(x, m_.schedule.num_train_steps - 1);
    decode(x, kBatch);
  }

  void set_context(const std::vector<std::int64_t>& tokens, const std::vector<std::int64_t>& mask,
                   int batch) override {
    torch::NoGradGuard no_grad;
    const int64_t l = m_.tokenizer.max_length;
    auto t = torch::from_blob(const_cast<std::int64_t*>(tokens.data()), {batch, l}, torch::kInt64)
                 .to(device_);
    mask_ = torch::from_blob(const_cast<std::int64_t*>(mask.data()), {batch, l}, torch::kInt64)
                .to(device_);
    const auto out = run(text_, {t, mask_}, m_.text_encoder_file, "modules.text_encoder");
    if (!out.isTuple() || out.toTuple()->elements().size() != 2) {
      fail(m_.text_encoder_file, "modules.text_encoder",
           "must return a tuple (ctx [B, L, D], pooled [B, D])");
    }
    ctx_ = out.toTuple()->elements()[0].toTensor();
    const auto pooled = out.toTuple()->elements()[1].toTensor();
    expect(ctx_, {batch, l, m_.context_dim}, m_.text_encoder_file, "text.context_dim", "ctx");
    expect(pooled, {batch, m_.context_dim}, m_.text_encoder_file, "text.context_dim", "pooled");
    batch_ = batch;
  }

  std::vector<float> denoise(const std::vector<float>& x, int timestep) override {
    torch::NoGradGuard no_grad;
    const std::vector<int64_t> shape = latent_shape(batch_);  // [B, ...latent.shape]
    if (x.size() != static_cast<std::size_t>(batch_) * m_.latent_size())
      throw Error("denoise: input size does not match the context batch");
    auto xt = torch::from_blob(const_cast<float*>(x.data()), shape, torch::kFloat32).to(device_);
    auto t = torch::full({batch_}, static_cast<float>(timestep),
                         torch::TensorOptions().dtype(torch::kFloat32).device(device_));
    const auto out = run(denoiser_, {xt, t, ctx_, mask_}, m_.denoiser_file, "modules.denoiser");
    if (!out.isTensor())
      fail(m_.denoiser_file, "modules.denoiser",
           "must return one tensor [B, ...latent.shape], like its input x");
    const auto y = out.toTensor();
    expect(y, shape, m_.denoiser_file, "latent.shape", "output");
    return to_vector(y);
  }

  std::vector<float> decode(const std::vector<float>& z, int batch) override {
    torch::NoGradGuard no_grad;
    if (z.size() != static_cast<std::size_t>(batch) * m_.latent_size())
      throw Error("decode: input size does not match the batch");
    auto zt = torch::from_blob(const_cast<float*>(z.data()), latent_shape(batch), torch::kFloat32)
                  .to(device_);
    const auto out = run(decoder_, {zt}, m_.decoder_file, "modules.decoder");
    if (!out.isTensor())
      fail(m_.decoder_file, "modules.decoder", "must return one tensor [B, K, R, R]");
    const auto y = out.toTensor();
    expect(y, {batch, m_.map_channels, m_.map_resolution, m_.map_resolution}, m_.decoder_file,
           "maps", "output");
    return to_vector(y);
  }

  const std::vector<float>& reach_low() const override { return reach_low_; }
  const std::vector<float>& reach_high() const override { return reach_high_; }
  Device device() const override { return device_.is_cuda() ? Device::kCuda : Device::kCpu; }

 private:
  // [batch, ...latent.shape]: the latent is opaque to the runtime, only its shape matters.
  std::vector<int64_t> latent_shape(int64_t batch) const {
    std::vector<int64_t> shape = {batch};
    shape.insert(shape.end(), m_.latent_shape.begin(), m_.latent_shape.end());
    return shape;
  }

  [[noreturn]] void fail(const std::string& file, const std::string& field,
                         const std::string& what) const {
    throw ModelError(m_.file(file).string() + " (manifest field '" + field + "'): " + what);
  }

  torch::jit::Module load_module(const std::string& file, const std::string& field) {
    try {
      auto module = torch::jit::load(m_.file(file).string(), device_);
      module.eval();
      return module;
    } catch (const c10::Error& error) {
      fail(file, field, std::string("cannot load TorchScript: ") + error.what_without_backtrace());
    }
  }

  // A module's buffer `name` of latent.shape as float32 values; empty when the module has none.
  std::vector<float> optional_buffer(const torch::jit::Module& module, const std::string& name,
                                     const std::string& file, const std::string& field) const {
    if (!module.hasattr(name)) return {};
    const c10::IValue value = module.attr(name);
    if (!value.isTensor()) fail(file, field, name + " must be a tensor");
    const at::Tensor t = value.toTensor();
    const std::vector<int64_t> shape(m_.latent_shape.begin(), m_.latent_shape.end());
    if (t.sizes().vec() != shape)
      fail(file, field, name + " has shape " + shape_text(t) + ", not the manifest's latent.shape");
    return to_vector(t.to(torch::kFloat32));
  }
  c10::IValue run(torch::jit::Module& module, std::vector<c10::IValue> inputs,
                  const std::string& file, const std::string& field) {
    // On CUDA the graph executor profiles the first runs of every new input shape and compiles
    // fused kernels for it (NVRTC), seconds per shape, which a one-shot `tera generate` never earns
    // back: the modules run as written there instead.
    std::optional<torch::jit::GraphOptimizerEnabledGuard> as_written;
    if (device_.is_cuda()) as_written.emplace(false);
    try {
      return module.forward(std::move(inputs));
    } catch (const c10::Error& error) {
      fail(file, field, std::string("forward failed: ") + error.what_without_backtrace());
    } catch (const std::exception& error) {
      fail(file, field, std::string("forward failed: ") + error.what());
    }
  }

  void expect(const at::Tensor& t, const std::vector<int64_t>& shape, const std::string& file,
              const std::string& field, const std::string& what) const {
    if (t.scalar_type() != torch::kFloat32) fail(file, field, what + " must be float32");
    if (t.sizes().vec() != shape) {
      std::string want = "[";
      for (std::size_t i = 0; i < shape.size(); ++i)
        want += (i ? ", " : "") + std::to_string(shape[i]);
      fail(file, field,
           what + " has shape " + shape_text(t) + ", the manifest implies " + want + "]");
    }
  }

  static std::vector<float> to_vector(const at::Tensor& t) {
    const auto cpu = t.to(torch::kCPU).contiguous();
    return std::vector<float>(cpu.data_ptr<float>(), cpu.data_ptr<float>() + cpu.numel());
  }

  ModelManifest m_;
  torch::Device device_;
  torch::jit::Module text_, denoiser_, decoder_;
  std::vector<float> reach_low_, reach_high_;  // the decoder's latent_low / latent_high, or empty
  at::Tensor ctx_, mask_;
  int batch_ = 0;
};

}  // namespace

bool Networks::cuda_usable() { return torch::cuda::is_available(); }

std::unique_ptr<Networks> Networks::load(const ModelManifest& manifest, Device device,
                                         int threads) {
  if (threads > 0) {
    at::set_num_threads(threads);
  }
  if (device == Device::kAuto)
    throw Error("Networks::load: the device must be resolved first (kCpu or kCuda)");
  if (device == Device::kCuda && !cuda_usable()) {
    throw UsageError("device",
                     "cuda was asked for, but this build's LibTorch sees no CUDA device (a "
                     "CPU-only LibTorch, or "
                     "no driver); use cpu, or build against a CUDA LibTorch (docs/gpu.md)");
  }
  const torch::Device torch_device =
      device == Device::kCuda ? torch::Device(torch::kCUDA) : torch::Device(torch::kCPU);
  auto networks = std::make_unique<TorchNetworks>(manifest, torch_device);
  networks->dry_run();
  return networks;
}

}  // namespace tera
