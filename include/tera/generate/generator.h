// Text -> avatar generation: tokenizer, text encoder, sampler loop with classifier-free guidance,
// decoder and Gaussian assembly. LibTorch stays behind this interface.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "tera/core/device.h"
#include "tera/core/gaussian_set.h"
#include "tera/decode/assembly.h"
#include "tera/diffusion/sampler.h"
#include "tera/generate/settings.h"
#include "tera/model/manifest.h"
#include "tera/text/tokenizer.h"

namespace tera {

// Wall-clock seconds per stage of one generate() call (a whole batch).
struct StageTimes {
  double text = 0.0;      // text encoder (cond and uncond)
  double sampling = 0.0;  // every sampler step, denoiser included
  double decode = 0.0;    // decoder
  double assembly = 0.0;  // maps + template -> Gaussians
  int steps = 0;
  int batch = 0;
};

// One avatar to generate.
struct GenerateRequest {
  TokenizedPrompt prompt;  // from Generator::tokenize
  std::uint64_t seed = 0;  // names the initial noise (tera::Rng on the CPU)
  float guidance = 1.f;    // classifier-free guidance scale; 1 = no guidance
  // Masked inpainting (tera/diffusion/inpainting.h), for edits: when `held` is not empty, its
  // entries that are 1 are held to `source` and re-noised from `seed` at every step.
  std::vector<float> source = {};  // [latent_size] or empty
  std::vector<char> held = {};     // [latent_size] or empty
};

struct GeneratedAvatar {
  GaussianSet gaussians;
  std::vector<float> latent;  // [...latent.shape] row-major: the sampled latent
  GaussianOrigins origins;    // texel and layer of every Gaussian (what posing needs)
};

struct GeneratorOptions {
  std::filesystem::path model_dir;  // a model package folder (locate_model finds the default)
  Device device =
      Device::kAuto;  // kAuto: CUDA when this build and its LibTorch have it, else the CPU
  int threads =
      0;  // CPU threads: LibTorch's (0 = its default) and the batch's assembly (0 = every core)
};

class Generator {
 public:
  // Reads and validates the package, loads tokenizer, template and networks (dry run included).
  explicit Generator(const GeneratorOptions& options);
  ~Generator();
  Generator(const Generator&) = delete;
  Generator& operator=(const Generator&) = delete;

  const ModelManifest& manifest() const;
  Device device() const;                          // where the networks run
  double load_seconds() const;                    // time the constructor took
  const AvatarTemplate& avatar_template() const;  // the package's UV template (rig included)

  // Throws UsageError naming `label` for empty or non-UTF-8 prompts.
  TokenizedPrompt tokenize(const std::string& prompt, const std::string& label) const;
  // Generates every request in one batched pass. on_step(done, total) after each sampler step.
  std::vector<GeneratedAvatar> generate(const std::vector<GenerateRequest>& batch,
                                        const GenerateSettings& settings,
                                        StageTimes* times = nullptr, const StepFn& on_step = {});
  // Decodes and assembles given latents: [B, ...latent.shape] flattened row-major. `origins`, when
  // given, receives each set's GaussianOrigins.
  std::vector<GaussianSet> decode_latents(const std::vector<float>& latents, int batch,
                                          const AssemblyOptions& options,
                                          StageTimes* times = nullptr,
                                          std::vector<GaussianOrigins>* origins = nullptr);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// The initial noise x_T of one avatar: latent_size standard normals from tera::Rng(seed).
// They fill the latent in row-major order over latent.shape; the seed -> values mapping does not
// depend on the shape.
std::vector<float> initial_noise(std::uint64_t seed, std::size_t latent_size);  // [latent_size]

}  // namespace tera
