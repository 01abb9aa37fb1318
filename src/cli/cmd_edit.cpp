// `tera edit AVATAR --prompt P --part PART --out DIR`: a local text edit of a generated avatar.
#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <memory>
#include <spdlog/spdlog.h>

#include "cli/common.h"
#include "cli/generation_options.h"
#include "tera/core/clock.h"
#include "tera/core/staged_folder.h"
#include "tera/generate/avatar_folder.h"
#include "tera/generate/latent_edits.h"

namespace tera::cli {

Command add_edit_command(CLI::App& app) {
  struct Options {
    std::string avatar, prompt, part = "auto", out = "edited", seed;
    bool json = false;
    GenerationCliOptions gen;
  };
  auto o = std::make_shared<Options>();
  CLI::App* sub = app.add_subcommand(
      "edit", "Edit one part of a generated avatar by text (the rest stays as it was)");
  sub->add_option(
         "avatar", o->avatar,
         "Output folder of tera generate, edit or interpolate (avatar.json + avatar.latent)")
      ->required();
  sub->add_option("--prompt,-p", o->prompt, "What the edited part should look like")->required();
  sub->add_option(
         "--part", o->part,
         "Parts to re-generate, comma-separated: body, face, hair, hat, glasses, top, bottom, "
         "shoes "
         "(the model's latent.tokens), or auto: the parts the prompt names (docs/editing.md)")
      ->capture_default_str();
  sub->add_option("--out,-o", o->out, "Output folder (created if missing)")->capture_default_str();
  sub->add_option("--seed", o->seed,
                  "Seed of the edit's noise (default: random, printed); same source, seed and "
                  "settings: same files")
      ->check(seed_text());
  add_generation_options(sub, o->gen);
  sub->add_flag("--json", o->json, "Print a JSON summary");
  sub->footer(
      "Writes what generate writes; avatar.json records the edit (and earlier ones) so it can be "
      "made again.\n"
      "Example:\n  tera edit avatar --prompt \"a blue jacket\" --part top --seed 3 --out "
      "avatar_blue");
  return {sub, [o] {
            const auto start = std::chrono::steady_clock::now();
            const std::uint64_t seed = parse_seed(o->seed, "--seed");
            refuse_replacing_input(o->out, o->avatar, "--out");  // before the model loads
            StagedFolder out(o->out, avatar_folder_layout(), "--out");
            GenerationSession session = open_generation(o->gen);
            const ModelManifest& m = session.manifest();
            const AvatarFolder source = read_avatar_folder(o->avatar, m);
            EditRequest request;
            request.prompt = o->prompt;
            request.part = o->part;
            request.seed = seed;
            request.guidance = session.guidance;
            request.settings = session.settings;
            EditedAvatar edited;
            {
              Progress progress("editing", static_cast<std::size_t>(request.settings.steps));
              edited = edit_avatar(
                  *session.generator, source, request, nullptr,
                  [&progress](int done, int) { progress.advance(static_cast<std::size_t>(done)); });
            }
            write_avatar(out.path(), edited.avatar, m, edited.record, session.out,
                         session.renderer.get());
            out.publish();
            std::string parts, parts_json;
            for (const auto& p : edited.parts) {
              parts += (parts.empty() ? "" : ",") + p;
              parts_json += (parts_json.empty() ? "" : ", ") + json_string(p);
            }
            const double seconds = seconds_since(start);
            if (o->json) {
              std::printf(
                  "{\"dir\": %s, \"source\": %s, \"prompt\": %s, \"parts\": [%s], \"seed\": %llu, "
                  "\"edits\": %zu, "
                  "\"gaussians\": %zu, \"seconds\": %.3f}\n",
                  json_string(o->out).c_str(), json_string(o->avatar).c_str(),
                  json_string(o->prompt).c_str(), parts_json.c_str(),
                  static_cast<unsigned long long>(seed), edited.record.history.edits.size(),
                  edited.avatar.gaussians.size(), seconds);
            } else {
              std::cout << o->out << ": " << edited.avatar.gaussians.size() << " Gaussians, edited "
                        << parts << " of " << o->avatar << ", seed " << seed << ", edit "
                        << edited.record.history.edits.size() << " of its history\n";
            }
            spdlog::info("edited in {:.2f} s", seconds);
          }};
}

}  // namespace tera::cli
