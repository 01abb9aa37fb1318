// The model package manifest (models/<name>/manifest.json; spec in docs/model-package.md).
// Reading it validates every field and every file checksum; problems throw tera::ModelError naming
// the file and the JSON field. No LibTorch here: the CLI may include this header.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "tera/decode/map_layout.h"
#include "tera/diffusion/schedule_spec.h"
#include "tera/text/tokenizer_spec.h"

namespace tera {

// The most diffusion steps a package may train with and a run may sample (diffusion models train
// with about 1000): the one bound for the manifest, the options, prompt files and avatar.json.
constexpr int kMaxSteps = 100000;
// The largest guidance scale taken: far beyond what any prompt needs (the packages use 1 to 7), and
// large enough scales push the latent out of range until the decoded avatar is no longer finite.
constexpr float kMaxGuidance = 100.f;
// The most numbers one avatar's latent may have: 16 MiB of float32, far above any compact latent.
constexpr long long kMaxLatentSize = 1LL << 22;

// Manifest format version this build reads.
constexpr int kManifestFormatVersion = 1;

// One token of a token latent: index i of the latent's first dimension belongs to the i-th token.
struct LatentToken {
  std::string name;  // unique, e.g. "hair"; what part-wise editing looks tokens up by
  std::string owns;  // free text: the part of the avatar the token controls
};

struct ModelManifest {
  std::filesystem::path dir;  // the package folder
  int format_version = 0;
  std::string name, description, licence;
  bool test_only = false;
  std::string
      provenance_json;  // the provenance object as compact JSON (training data, steps, metrics)
  TokenizerSpec tokenizer;
  std::string text_encoder_file, denoiser_file, decoder_file, template_file;
  int context_dim = 0;  // D of the text encoder
  // The per-avatar latent's shape, rank 1..4, e.g. [T, C]: T region tokens of C numbers. The
  // runtime treats the latent as an opaque row-major tensor of this shape.
  std::vector<int> latent_shape;
  std::vector<LatentToken> latent_tokens;  // empty, or one per index of latent_shape[0]
  ScheduleSpec schedule;
  int default_steps = 0;
  float default_guidance = 0.f;
  std::string default_sampler;  // "ddim" or "dpm++2m"
  // Flat latent indices that classifier-free guidance leaves alone (sampled from the prompt's
  // prediction, guidance 1): coordinates the denoiser already reads from the prompt directly, which
  // guidance would push past what the prompt says. Sorted, unique; empty: guidance everywhere.
  std::vector<std::size_t> unguided;
  int map_resolution = 0;  // R
  int map_channels = 0;    // K
  std::vector<LayerChannels> layers;
  std::vector<std::string> regions;
  std::map<std::string, std::string> sha256;  // file name -> lower-case hex digest
  std::string manifest_sha256;  // digest of manifest.json itself: names the exact package

  std::filesystem::path file(const std::string& name) const { return dir / name; }
  // Numbers in one avatar's latent: the product of latent_shape.
  std::size_t latent_size() const {
    std::size_t n = 1;
    for (const int d : latent_shape) n *= static_cast<std::size_t>(d);
    return n;
  }
};

// Reads and validates DIR/manifest.json and the checksums of every file it names.
ModelManifest read_manifest(const std::filesystem::path& dir);

// The package folder to use: `requested` when not empty, else the first of
// <exe dir>/../models/default and <exe dir>/models/default that exists. Throws ModelError with a
// clear message when none exists.
std::filesystem::path locate_model(const std::string& requested);

}  // namespace tera
