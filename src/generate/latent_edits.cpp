// Editing and interpolating in the latent; see include/tera/generate/latent_edits.h.
#include "tera/generate/latent_edits.h"

#include <cstdio>
#include <filesystem>
#include <spdlog/spdlog.h>

#include "tera/core/error.h"
#include "tera/generate/edit_parts.h"
#include "tera/generate/latent_io.h"
#include "tera/render/image.h"

namespace tera {

EditedAvatar edit_avatar(Generator& generator, const AvatarFolder& source,
                         const EditRequest& request, StageTimes* times, const StepFn& on_step) {
  const ModelManifest& m = generator.manifest();
  EditedAvatar edited;
  edited.parts = resolve_edit_parts(request.part, request.prompt, m, "part");
  GenerateRequest r;
  r.prompt = generator.tokenize(request.prompt, "prompt");
  r.seed = request.seed;
  r.guidance = request.guidance;
  r.source = source.latent.values;
  r.held = held_entries(m, edited.parts);
  StageTimes local;
  StageTimes& t = times ? *times : local;
  std::vector<GeneratedAvatar> avatars = generator.generate({r}, request.settings, &t, on_step);
  edited.avatar = std::move(avatars[0]);

  AvatarRecord& record = edited.record;
  record.prompt = source.prompt;
  record.seed = source.seed;
  record.steps = source.steps;
  record.guidance = source.guidance;
  record.sampler = source.sampler;
  record.min_opacity = request.settings.assembly.min_opacity;
  record.times = t;
  record.load_seconds = generator.load_seconds();
  record.history = source.history;
  record.history.edits.push_back(
      EditRecord{request.prompt, edited.parts, request.seed, request.settings.steps,
                 request.guidance, sampler_name(request.settings.sampler), source.latent_sha256});
  return edited;
}

InterpolationSource interpolation_source(Generator& generator, const std::string& text,
                                         std::uint64_t seed, float guidance,
                                         const GenerateSettings& settings,
                                         const std::string& label) {
  const ModelManifest& m = generator.manifest();
  InterpolationSource source;
  std::error_code error;  // a prompt is no path: only a loop or a refusal is worth naming
  const std::filesystem::file_status status = std::filesystem::status(text, error);
  if (error == std::errc::too_many_symbolic_link_levels || error == std::errc::permission_denied)
    throw InputError(text + ": " + error.message());
  if (status.type() == std::filesystem::file_type::directory) {
    source.folder = read_avatar_folder(text, m);
    source.latent = source.folder.latent.values;
    source.end = InterpolationEnd{text, source.folder.prompt, source.folder.seed,
                                  source.folder.latent_sha256};
    return source;
  }
  if (!error && status.type() != std::filesystem::file_type::not_found) {
    throw InputError(text +
                     ": a file, not an avatar folder (give the folder 'tera generate' wrote, "
                     "which holds avatar.json and avatar.latent, or a prompt)");
  }
  const bool one_word = text.find_first_of(" \t") == std::string::npos;
  if (one_word && text.find_first_of("/\\~") != std::string::npos) {
    throw InputError(text + ": no such avatar folder (a prompt would have a space: '" + text +
                     "' reads as a path)");
  }
  if (one_word) {
    spdlog::warn("{}: '{}' is not a folder; generating it as a one-word prompt", label, text);
  }
  const GenerateRequest request{generator.tokenize(text, label), seed, guidance, {}, {}};
  GeneratedAvatar avatar = std::move(generator.generate({request}, settings)[0]);
  source.latent = std::move(avatar.latent);
  source.end =
      InterpolationEnd{"", text, seed, latent_sha256(Latent{m.latent_shape, source.latent})};
  return source;
}

std::vector<double> interpolation_positions(int steps, double amount) {
  if (steps < 1)
    throw UsageError("path steps",
                     "expected at least 1 avatar along the path, got " + std::to_string(steps));
  if (steps == 1) return {amount};
  std::vector<double> t(static_cast<std::size_t>(steps));
  for (int k = 0; k < steps; ++k) t[static_cast<std::size_t>(k)] = amount * k / (steps - 1);
  return t;
}

std::vector<float> interpolate_latent(const std::vector<float>& a, const std::vector<float>& b,
                                      double t) {
  if (a.size() != b.size())
    throw Error("interpolate_latent: latents of " + std::to_string(a.size()) + " and " +
                std::to_string(b.size()) + " values");
  std::vector<float> out(a.size());
  for (std::size_t k = 0; k < a.size(); ++k)
    out[k] = static_cast<float>((1.0 - t) * a[k] + t * b[k]);
  return out;
}

InterpolationSource edited_end(Generator& generator, const InterpolationSource& a,
                               const EditRequest& request) {
  if (a.end.folder.empty()) {
    throw UsageError(
        "A",
        "a blend toward an edit starts from an output folder (tera generate's), got the prompt '" +
            a.end.prompt + "'");
  }
  EditedAvatar edited = edit_avatar(generator, a.folder, request);
  InterpolationSource end;
  end.latent = std::move(edited.avatar.latent);
  end.end = InterpolationEnd{"", request.prompt, request.seed,
                             latent_sha256(Latent{generator.manifest().latent_shape, end.latent})};
  return end;
}

std::filesystem::path write_interpolation(
    Generator& generator, const InterpolationRequest& request, const std::filesystem::path& out,
    const OutputOptions& options, Renderer* renderer,
    const std::function<void(const InterpolationStep&)>& on_step) {
  const ModelManifest& m = generator.manifest();
  const std::size_t steps = request.positions.size();
  std::vector<float> latents;  // [steps, ...latent.shape]
  for (const double t : request.positions) {
    const std::vector<float> z = interpolate_latent(request.a.latent, request.b.latent, t);
    latents.insert(latents.end(), z.begin(), z.end());
  }
  StageTimes times;
  times.batch = static_cast<int>(steps);
  std::vector<GaussianOrigins> origins;
  std::vector<GaussianSet> sets = generator.decode_latents(
      latents, static_cast<int>(steps), request.settings.assembly, &times, &origins);
  const InterpolationEnd& a = request.a.end;
  const std::size_t n = m.latent_size();
  for (std::size_t k = 0; k < steps; ++k) {
    char name[32];
    std::snprintf(name, sizeof name, "step_%02zu", k);
    const std::filesystem::path dir = out / name;
    GeneratedAvatar avatar{
        sets[k],
        std::vector<float>(latents.begin() + static_cast<std::ptrdiff_t>(k * n),
                           latents.begin() + static_cast<std::ptrdiff_t>((k + 1) * n)),
        std::move(origins[k])};
    AvatarRecord record{a.prompt,
                        a.seed,
                        request.settings.steps,
                        request.guidance,
                        sampler_name(request.settings.sampler),
                        request.settings.assembly.min_opacity,
                        times,
                        generator.load_seconds(),
                        {}};
    if (!a.folder.empty()) {
      record.steps = request.a.folder.steps;
      record.guidance = request.a.folder.guidance;
      record.sampler = request.a.folder.sampler;
    }
    record.history.interpolation = InterpolationRecord{a,
                                                       request.b.end,
                                                       request.positions[k],
                                                       "linear",
                                                       path_spacing_name(request.spacing),
                                                       request.attribute};
    write_avatar(dir, avatar, m, record, options, renderer);
    if (on_step) on_step({dir, request.positions[k], avatar.gaussians.size()});
  }
  if (!renderer) return {};
  const std::filesystem::path strip = out / "interpolation_strip.png";
  write_png(strip, front_strip(sets, options, *renderer));
  return strip;
}

}  // namespace tera
