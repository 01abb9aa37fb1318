// `tera interpolate A B --steps N --out DIR`: avatars along the line between two latents, and
// `tera interpolate A --attribute TEXT --amount X`: a blend toward a text edit of A.
#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <memory>
#include <spdlog/spdlog.h>

#include "cli/common.h"
#include "cli/generation_options.h"
#include "tera/core/error.h"
#include "tera/generate/latent_edits.h"

namespace tera::cli {

Command add_interpolate_command(CLI::App& app) {
  struct Options {
    std::string a, b, out = "interpolation", seed_a, seed_b, attribute, part = "auto", seed;
    int steps = 5;
    double amount = 1.0;
    bool json = false;
    GenerationCliOptions gen;
  };
  auto o = std::make_shared<Options>();
  CLI::App* sub = app.add_subcommand("interpolate", "Avatars along a path between two avatars, or toward a text edit");
  sub->add_option("a", o->a, "An output folder (avatar.json + avatar.latent), or a prompt (generated with --seed-a)")->required();
  sub->add_option("b", o->b, "The other end: an output folder or a prompt (--seed-b); not with --attribute");
  sub->add_option("--steps,-n", o->steps, "Avatars along the path, both ends included")->capture_default_str()->check(CLI::Range(1, 1000));
  sub->add_option("--seed-a", o->seed_a, "Seed when A is a prompt (default: random, printed)");
  sub->add_option("--seed-b", o->seed_b, "Seed when B is a prompt (default: random, printed)");
  sub->add_option("--attribute", o->attribute, "Blend toward A edited by this text (tera edit with --part, --seed) instead of toward B");
  sub->add_option("--amount", o->amount, "How far toward the edit: 0 = A, 1 = the edit; the steps go from 0 to it")
      ->capture_default_str()->check(CLI::Range(0.0, 1.0));
  sub->add_option("--part", o->part, "With --attribute: the parts to edit, or auto (as for tera edit)")->capture_default_str();
  sub->add_option("--seed", o->seed, "With --attribute: the edit's seed (default: random, printed)");
  sub->add_option("--out,-o", o->out, "Output folder: step_00, step_01, ... and interpolation_strip.png")->capture_default_str();
  add_generation_options(sub, o->gen, "--sampler-steps");
  sub->add_flag("--json", o->json, "Print a JSON summary");
  sub->footer("The path is linear in the latent (docs/editing.md). Examples:\n"
              "  tera interpolate avatar_a avatar_b --steps 6 --out blend\n"
              "  tera interpolate avatar --attribute \"long hair\" --amount 0.5 --steps 3 --seed 2 --out longer");
  return {sub, [o] {
            namespace fs = std::filesystem;
            const auto start = std::chrono::steady_clock::now();
            if (o->attribute.empty() == o->b.empty()) throw UsageError("interpolate: give the other end B, or --attribute TEXT, not both");
            if (o->attribute.empty() && o->amount != 1.0) throw UsageError("--amount: only with --attribute (between A and B the steps span the whole path)");
            GenerationSession session = open_generation(o->gen);
            Generator& generator = *session.generator;
            const ModelManifest& m = session.manifest();
            const OutputOptions& out = session.out;
            const GenerateSettings& settings = session.settings;
            const float guidance = session.guidance;
            const std::vector<double> positions = interpolation_positions(o->steps, o->amount);

            const InterpolationSource a = interpolation_source(generator, o->a, parse_seed(o->seed_a, "--seed-a"), guidance, settings, "A");
            InterpolationSource b;
            if (o->attribute.empty()) {
              b = interpolation_source(generator, o->b, parse_seed(o->seed_b, "--seed-b"), guidance, settings, "B");
            } else {
              if (a.end.folder.empty()) throw UsageError("--attribute: A must be an output folder (tera generate's), got the prompt '" + o->a + "'");
              EditRequest edit;
              edit.prompt = o->attribute;
              edit.part = o->part;
              edit.seed = parse_seed(o->seed, "--seed");
              edit.guidance = guidance;
              edit.settings = settings;
              EditedAvatar edited = edit_avatar(generator, a.folder, edit);
              b.latent = std::move(edited.avatar.latent);
              b.end = InterpolationEnd{"", o->attribute, edit.seed, latent_sha256(Latent{m.latent_shape, b.latent})};
            }

            std::vector<float> latents;  // [steps, ...latent.shape]
            for (const double t : positions) {
              const std::vector<float> z = interpolate_latent(a.latent, b.latent, t);
              latents.insert(latents.end(), z.begin(), z.end());
            }
            StageTimes times;
            times.batch = o->steps;
            std::vector<GaussianOrigins> origins;
            std::vector<GaussianSet> sets = generator.decode_latents(latents, o->steps, settings.assembly, &times, &origins);
            Renderer* renderer = session.renderer.get();
            std::string json_items;
            const std::size_t n = m.latent_size();
            for (std::size_t k = 0; k < positions.size(); ++k) {
              char name[32];
              std::snprintf(name, sizeof name, "step_%02zu", k);
              const fs::path dir = fs::path(o->out) / name;
              GeneratedAvatar avatar{sets[k], std::vector<float>(latents.begin() + static_cast<std::ptrdiff_t>(k * n),
                                                                 latents.begin() + static_cast<std::ptrdiff_t>((k + 1) * n)),
                                     std::move(origins[k])};
              AvatarRecord record{a.end.prompt, a.end.seed, settings.steps, guidance, sampler_name(settings.sampler), settings.assembly.min_opacity,
                                  times, generator.load_seconds(), {}};
              if (!a.end.folder.empty()) {
                record.steps = a.folder.steps;
                record.guidance = a.folder.guidance;
                record.sampler = a.folder.sampler;
              }
              record.history.interpolation = InterpolationRecord{a.end, b.end, positions[k], "linear", o->attribute};
              write_avatar(dir, avatar, m, record, out, renderer);
              json_items += std::string(json_items.empty() ? "" : ", ") + "{\"dir\": " + json_string(dir.string()) +
                            ", \"t\": " + std::to_string(positions[k]) + ", \"gaussians\": " + std::to_string(avatar.gaussians.size()) + "}";
              if (!o->json) std::cout << dir.string() << ": t = " << positions[k] << ", " << avatar.gaussians.size() << " Gaussians\n";
            }
            std::string strip;
            if (renderer) {
              strip = (fs::path(o->out) / "interpolation_strip.png").string();
              write_png(strip, front_strip(sets, out, *renderer));
              if (!o->json) std::cout << strip << "\n";
            }
            const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
            if (o->json) {
              std::printf("{\"a\": {\"prompt\": %s, \"seed\": %llu}, \"b\": {\"prompt\": %s, \"seed\": %llu}, \"path\": \"linear\", "
                          "\"steps\": [%s], \"strip\": %s, \"seconds\": %.3f}\n",
                          json_string(a.end.prompt).c_str(), static_cast<unsigned long long>(a.end.seed), json_string(b.end.prompt).c_str(),
                          static_cast<unsigned long long>(b.end.seed), json_items.c_str(), strip.empty() ? "null" : json_string(strip).c_str(),
                          seconds);
            } else if (a.end.folder.empty() || (b.end.folder.empty() && o->attribute.empty())) {
              std::cout << "seeds: A " << a.end.seed << ", B " << b.end.seed << "\n";
            }
            spdlog::info("interpolated {} avatars in {:.2f} s", o->steps, seconds);
          },
          {{"steps", "--sampler-steps"}, {"path steps", "--steps"}}};
}

}  // namespace tera::cli
