// `tera generate --prompt P --out DIR`: one avatar (or --num variations) from a text prompt.
#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <limits>
#include <memory>
#include <spdlog/spdlog.h>

#include "cli/common.h"
#include "cli/generation_options.h"
#include "tera/core/clock.h"
#include "tera/core/error.h"
#include "tera/core/staged_folder.h"
#include "tera/generate/avatar_output.h"
#include "tera/generate/generator.h"

namespace tera::cli {

Command add_generate_command(CLI::App& app) {
  struct Options {
    std::string prompt, out = "avatar", seed;
    int num = 1;
    bool json = false;
    GenerationCliOptions gen;
  };
  auto o = std::make_shared<Options>();
  CLI::App* sub =
      app.add_subcommand("generate", "Generate a 3D Gaussian avatar from a text prompt");
  sub->add_option("--prompt,-p", o->prompt, "What the avatar looks like")->required();
  sub->add_option("--out,-o", o->out, "Output folder (created if missing)")->capture_default_str();
  sub->add_option(
         "--seed", o->seed,
         "Seed of the initial noise (default: random, printed); same seed, same device: same files")
      ->check(seed_text());
  sub->add_option(
         "--num", o->num,
         "Variations in one batched run (seeds seed, seed+1, ...; subfolders variation_NN)")
      ->capture_default_str()
      ->check(CLI::Range(1, 1024));
  add_generation_options(sub, o->gen);
  sub->add_flag("--json", o->json, "Print a JSON summary instead of one line per avatar");
  sub->footer(
      "Writes DIR/avatar.<format> for each --format (ply by default), view_NNN.png, "
      "contact_sheet.png,\n"
      "viewer.html, avatar.latent and avatar.json. Example:\n  tera generate --prompt \"a tall "
      "woman with short grey hair\" "
      "--seed 7 --out avatar");
  return {sub, [o] {
            const auto start = std::chrono::steady_clock::now();
            const std::uint64_t seed = parse_seed(o->seed, "--seed");
            if (seed > std::numeric_limits<std::uint64_t>::max() - (o->num - 1)) {
              throw UsageError("--seed " + o->seed + " with --num " + std::to_string(o->num) +
                               ": the last variation's seed would pass 18446744073709551615 and "
                               "wrap around onto seed 0");
            }
            StagedFolder out(o->out, avatar_folder_layout(), "--out");  // before the model loads
            GenerationSession session = open_generation(o->gen);
            Generator& generator = *session.generator;
            const ModelManifest& m = session.manifest();
            const GenerateSettings& settings = session.settings;
            const float guidance = session.guidance;
            const TokenizedPrompt tokens = generator.tokenize(o->prompt, "--prompt");

            std::vector<GenerateRequest> requests;
            for (int k = 0; k < o->num; ++k)
              requests.push_back({tokens, seed + static_cast<std::uint64_t>(k), guidance, {}, {}});
            StageTimes times;
            std::vector<GeneratedAvatar> avatars;
            {
              Progress progress("sampling", static_cast<std::size_t>(settings.steps));
              avatars = generator.generate(requests, settings, &times, [&progress](int done, int) {
                progress.advance(static_cast<std::size_t>(done));
              });
            }
            std::string json_items;
            for (int k = 0; k < o->num; ++k) {
              char sub_name[32];
              std::snprintf(sub_name, sizeof sub_name, "variation_%02d", k);
              const std::filesystem::path written =
                  o->num == 1 ? out.path() : out.path() / sub_name;
              const std::filesystem::path dir = out.published(written);
              AvatarRecord record{o->prompt,
                                  requests[static_cast<std::size_t>(k)].seed,
                                  settings.steps,
                                  guidance,
                                  sampler_name(settings.sampler),
                                  settings.assembly.min_opacity,
                                  times,
                                  generator.load_seconds(),
                                  {}};
              const auto& avatar = avatars[static_cast<std::size_t>(k)];
              write_avatar(written, avatar, m, record, session.out, session.renderer.get());
              if (o->json) {
                json_items += std::string(json_items.empty() ? "" : ", ") +
                              "{\"dir\": " + json_string(dir.string()) +
                              ", \"seed\": " + std::to_string(record.seed) +
                              ", \"gaussians\": " + std::to_string(avatar.gaussians.size()) + "}";
              } else {
                std::cout << dir.string() << ": " << avatar.gaussians.size() << " Gaussians, seed "
                          << record.seed << ", " << settings.steps << " " << record.sampler
                          << " steps, guidance " << guidance << ", model " << m.name << "\n";
              }
            }
            out.publish();
            const double seconds = seconds_since(start);
            if (o->json) {
              std::printf(
                  "{\"prompt\": %s, \"model\": %s, \"device\": \"%s\", \"steps\": %d, \"sampler\": "
                  "\"%s\", "
                  "\"guidance\": %g, \"avatars\": [%s], \"seconds\": %.3f}\n",
                  json_string(o->prompt).c_str(), json_string(m.name).c_str(),
                  device_name(generator.device()), settings.steps, sampler_name(settings.sampler),
                  static_cast<double>(guidance), json_items.c_str(), seconds);
            }
            spdlog::info("generated {} avatar(s) in {:.2f} s", o->num, seconds);
          }};
}

}  // namespace tera::cli
