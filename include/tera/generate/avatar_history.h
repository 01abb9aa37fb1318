// How an avatar was made beyond one generate call, as avatar.json records it: the text edits
// applied to it ("edits", oldest first) and the interpolation it came from ("interpolation"). With
// the generate fields (prompt, seed, steps, guidance, sampler) they make the avatar again bit for
// bit.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace tera {

// One `tera edit`: the tokens of `parts` re-generated under `prompt`, the others held to the
// latent whose avatar.latent has the digest `source_latent_sha256`.
struct EditRecord {
  std::string prompt;
  std::vector<std::string> parts;
  std::uint64_t seed = 0;
  int steps = 0;
  float guidance = 0.f;
  std::string sampler;
  std::string source_latent_sha256;
};

// One end of an interpolation: an output folder, or a prompt generated with a seed.
struct InterpolationEnd {
  std::string folder;  // empty when made from a prompt
  std::string prompt;  // the folder's prompt, or the prompt itself
  std::uint64_t seed = 0;
  std::string latent_sha256;  // of the end's latent (as avatar.latent would hold it)
};

// One step of `tera interpolate`: latent = (1 - t) a + t b.
struct InterpolationRecord {
  InterpolationEnd a, b;
  double t = 0.0;
  std::string path = "linear";
  // How the steps' t were chosen: "even" or "linear" (tera/generate/path_spacing.h).
  std::string spacing = "linear";
  std::string attribute;  // --attribute: b is a edited toward this text (empty otherwise)
};

struct AvatarHistory {
  std::vector<EditRecord> edits;
  std::optional<InterpolationRecord> interpolation;
};

}  // namespace tera
