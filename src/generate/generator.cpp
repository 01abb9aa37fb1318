// Generator: the text -> avatar pipeline; see include/tera/generate/generator.h.
#include "tera/generate/generator.h"

#include <chrono>
#include <spdlog/spdlog.h>

#include "core/parallel.h"
#include "model/networks.h"
#include "tera/core/clock.h"
#include "tera/core/error.h"
#include "tera/core/rng.h"
#include "tera/decode/avatar_template.h"
#include "tera/diffusion/inpainting.h"
#include "tera/render/renderer.h"

namespace tera {
namespace {

// The networks' device: resolve_device's answer (the one dispatch point), except that auto runs
// them on the CPU when this build's LibTorch has no CUDA (the renderer may still use CUDA).
Device networks_device(Device requested) {
  const Device device = resolve_device(requested);
  if (device == Device::kCuda && requested == Device::kAuto && !Networks::cuda_usable()) {
    spdlog::info("LibTorch has no CUDA here: the networks run on the CPU");
    return Device::kCpu;
  }
  return device;
}

}  // namespace

struct Generator::Impl {
  ModelManifest manifest;
  std::unique_ptr<Tokenizer> tokenizer;
  AvatarTemplate templ;
  std::unique_ptr<Networks> networks;
  NoiseSchedule schedule;
  int threads = 0;  // CPU threads for the assembly (GeneratorOptions::threads; 0 = every core)
  double load_seconds = 0.0;
};

std::vector<float> initial_noise(std::uint64_t seed, std::size_t latent_size) {
  Rng rng(seed);
  std::vector<float> noise(latent_size);
  for (float& v : noise) v = rng.normal();
  return noise;
}

Generator::Generator(const GeneratorOptions& options) : impl_(std::make_unique<Impl>()) {
  const auto start = std::chrono::steady_clock::now();
  Impl& g = *impl_;
  g.manifest = read_manifest(options.model_dir);
  if (g.manifest.test_only) {
    spdlog::warn("model package '{}' has random weights for tests only: its avatars are noise",
                 g.manifest.name);
  }
  g.tokenizer = std::make_unique<Tokenizer>(g.manifest.dir, g.manifest.tokenizer);
  try {
    g.templ = read_avatar_template(g.manifest.file(g.manifest.template_file));
  } catch (const InputError& error) {
    throw ModelError(std::string(error.what()) + " (manifest field 'template')");
  }
  if (g.templ.resolution != g.manifest.map_resolution) {
    throw ModelError(g.manifest.file(g.manifest.template_file).string() +
                     " (manifest field 'template'): resolution " +
                     std::to_string(g.templ.resolution) + " differs from maps.resolution " +
                     std::to_string(g.manifest.map_resolution));
  }
  g.schedule = make_schedule(g.manifest.schedule);
  g.networks = Networks::load(g.manifest, networks_device(options.device), options.threads);
  g.threads = options.threads;
  g.load_seconds = seconds_since(start);
  spdlog::info("loaded model '{}' on {} in {:.2f} s", g.manifest.name,
               device_name(g.networks->device()), g.load_seconds);
}

Generator::~Generator() = default;

const ModelManifest& Generator::manifest() const { return impl_->manifest; }
Device Generator::device() const { return impl_->networks->device(); }
double Generator::load_seconds() const { return impl_->load_seconds; }
const AvatarTemplate& Generator::avatar_template() const { return impl_->templ; }

TokenizedPrompt Generator::tokenize(const std::string& prompt, const std::string& label) const {
  return impl_->tokenizer->encode(prompt, label);
}

std::vector<GeneratedAvatar> Generator::generate(const std::vector<GenerateRequest>& batch,
                                                 const GenerateSettings& settings,
                                                 StageTimes* times, const StepFn& on_step) {
  Impl& g = *impl_;
  const int b = static_cast<int>(batch.size());
  if (b == 0) return {};
  const std::size_t n = g.manifest.latent_size();
  const std::size_t l = static_cast<std::size_t>(g.manifest.tokenizer.max_length);
  StageTimes local;
  StageTimes& t = times ? *times : local;
  t = StageTimes{};
  t.batch = b;
  t.steps = settings.steps;

  // Classifier-free guidance runs cond and uncond in one batch of 2B: [cond_0..cond_B-1, uncond x
  // B]. The coordinates the package lists as unguided (manifest sampling.unguided) take the cond
  // prediction alone.
  bool guided = false;
  for (const auto& r : batch) guided = guided || r.guidance != 1.f;
  const int rows = guided ? 2 * b : b;
  std::vector<std::int64_t> tokens, mask;
  for (const auto& r : batch) {
    if (r.prompt.tokens.size() != l || r.prompt.mask.size() != l)
      throw Error("generate: a prompt was tokenised for another model");
    tokens.insert(tokens.end(), r.prompt.tokens.begin(), r.prompt.tokens.end());
    mask.insert(mask.end(), r.prompt.mask.begin(), r.prompt.mask.end());
  }
  if (guided) {
    const TokenizedPrompt empty = g.tokenizer->empty_prompt();
    for (int i = 0; i < b; ++i) {
      tokens.insert(tokens.end(), empty.tokens.begin(), empty.tokens.end());
      mask.insert(mask.end(), empty.mask.begin(), empty.mask.end());
    }
  }
  auto start = std::chrono::steady_clock::now();
  g.networks->set_context(tokens, mask, rows);
  t.text = seconds_since(start);

  std::vector<float> x;  // [B, ...latent.shape] row-major
  for (const auto& r : batch) {
    const auto noise = initial_noise(r.seed, n);
    x.insert(x.end(), noise.begin(), noise.end());
  }
  std::vector<unsigned char> guided_here(n, 1);  // 0 where the package leaves guidance out
  for (const std::size_t k : g.manifest.unguided) guided_here[k] = 0;
  // The guided prediction's clean-data estimate is held within the decoder's reach at every step
  // (Networks::reach_low/high; none when the decoder carries none).
  const DenoiseFn denoise = [&](const std::vector<float>& xt, int timestep) {
    std::vector<float> result;
    if (!guided) {
      result = g.networks->denoise(xt, timestep);
    } else {
      std::vector<float> doubled(xt);
      doubled.insert(doubled.end(), xt.begin(), xt.end());
      const std::vector<float> out = g.networks->denoise(doubled, timestep);  // [2B, ...shape]
      result.resize(xt.size());
      for (int i = 0; i < b; ++i) {
        const float w = batch[static_cast<std::size_t>(i)].guidance;
        const float* cond = &out[static_cast<std::size_t>(i) * n];
        const float* uncond = &out[static_cast<std::size_t>(b + i) * n];
        float* dst = &result[static_cast<std::size_t>(i) * n];
        for (std::size_t k = 0; k < n; ++k)
          dst[k] = guided_here[k] ? uncond[k] + w * (cond[k] - uncond[k]) : cond[k];
      }
    }
    if (!g.networks->reach_low().empty()) {
      hold_x0_within(g.schedule.prediction,
                     g.schedule.alphas_cumprod[static_cast<std::size_t>(timestep)], xt.data(),
                     result.data(), g.networks->reach_low(), g.networks->reach_high(),
                     static_cast<std::size_t>(b));
    }
    return result;
  };
  ConstrainFn constrain;
  bool inpainting = false;
  for (const auto& r : batch) inpainting = inpainting || !r.held.empty();
  if (inpainting) {
    HeldLatent held;
    held.row_size = n;
    for (const auto& r : batch) {
      if (r.held.empty()) {
        held.source.insert(held.source.end(), n, 0.f);
        held.held.insert(held.held.end(), n, 0);
      } else {
        if (r.held.size() != n || r.source.size() != n)
          throw Error(
              "generate: an inpainting source or mask does not have the model's latent size " +
              std::to_string(n));
        held.source.insert(held.source.end(), r.source.begin(), r.source.end());
        held.held.insert(held.held.end(), r.held.begin(), r.held.end());
      }
      held.seeds.push_back(r.seed);
    }
    constrain = hold_to_source(std::move(held));
  }
  start = std::chrono::steady_clock::now();
  const std::vector<float> latents = run_sampler(g.schedule, settings.sampler, settings.steps,
                                                 std::move(x), denoise, on_step, constrain);
  t.sampling = seconds_since(start);

  std::vector<GaussianOrigins> origins;
  std::vector<GaussianSet> sets = decode_latents(latents, b, settings.assembly, &t, &origins);
  std::vector<GeneratedAvatar> avatars(static_cast<std::size_t>(b));
  for (int i = 0; i < b; ++i) {
    auto& a = avatars[static_cast<std::size_t>(i)];
    a.gaussians = std::move(sets[static_cast<std::size_t>(i)]);
    a.origins = std::move(origins[static_cast<std::size_t>(i)]);
    a.latent.assign(latents.begin() + static_cast<std::ptrdiff_t>(i * n),
                    latents.begin() + static_cast<std::ptrdiff_t>((i + 1) * n));
  }
  return avatars;
}

std::vector<GaussianSet> Generator::decode_latents(const std::vector<float>& latents, int batch,
                                                   const AssemblyOptions& options,
                                                   StageTimes* times,
                                                   std::vector<GaussianOrigins>* origins) {
  Impl& g = *impl_;
  auto start = std::chrono::steady_clock::now();
  const std::vector<float> maps = g.networks->decode(latents, batch);  // [B, K, R, R]
  const double decode_seconds = seconds_since(start);
  start = std::chrono::steady_clock::now();
  const std::size_t per = static_cast<std::size_t>(g.manifest.map_channels) *
                          g.manifest.map_resolution * g.manifest.map_resolution;
  // Each avatar is assembled on its own (a worker takes every workers-th one): the same Gaussians
  // for any thread count.
  std::vector<GaussianSet> sets(static_cast<std::size_t>(batch));
  if (origins) origins->assign(static_cast<std::size_t>(batch), GaussianOrigins{});
  const int workers = workers_for(static_cast<std::size_t>(batch), g.threads);
  run_workers(workers, [&](int worker) {
    for (int i = worker; i < batch; i += workers) {
      const std::vector<float> one(maps.begin() + static_cast<std::ptrdiff_t>(i * per),
                                   maps.begin() + static_cast<std::ptrdiff_t>((i + 1) * per));
      sets[static_cast<std::size_t>(i)] = assemble_gaussians(
          one, g.manifest.map_channels, g.manifest.map_resolution, g.manifest.layers, g.templ,
          options, origins ? &(*origins)[static_cast<std::size_t>(i)] : nullptr);
    }
  });
  if (times) {
    times->decode = decode_seconds;
    times->assembly = seconds_since(start);
  }
  return sets;
}

}  // namespace tera
