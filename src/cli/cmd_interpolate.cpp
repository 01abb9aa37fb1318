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
#include "tera/core/clock.h"
#include "tera/core/error.h"
#include "tera/core/staged_folder.h"
#include "tera/generate/latent_edits.h"

namespace tera::cli {

Command add_interpolate_command(CLI::App& app) {
  struct Options {
    std::string a, b, out = "interpolation", seed_a, seed_b, attribute, part = "auto", seed,
                      spacing = "even";
    int steps = 5;
    double amount = 1.0;
    bool json = false;
    GenerationCliOptions gen;
  };
  auto o = std::make_shared<Options>();
  CLI::App* sub = app.add_subcommand(
      "interpolate", "Avatars along a path between two avatars, or toward a text edit");
  sub->add_option(
         "a", o->a,
         "An output folder (avatar.json + avatar.latent), or a prompt (generated with --seed-a)")
      ->required();
  sub->add_option("b", o->b,
                  "The other end: an output folder or a prompt (--seed-b); not with --attribute");
  sub->add_option("--steps,-n", o->steps, "Avatars along the path, both ends included")
      ->capture_default_str()
      ->check(CLI::Range(1, 1000));
  sub->add_option("--spacing", o->spacing,
                  "even: every step moves the avatar about as far (a type switch gets a step of "
                  "its own); linear: steps evenly in t")
      ->capture_default_str();
  sub->add_option("--seed-a", o->seed_a, "Seed when A is a prompt (default: random, printed)")
      ->check(seed_text());
  sub->add_option("--seed-b", o->seed_b, "Seed when B is a prompt (default: random, printed)")
      ->check(seed_text());
  sub->add_option(
      "--attribute", o->attribute,
      "Blend toward A edited by this text (tera edit with --part, --seed) instead of toward B");
  sub->add_option("--amount", o->amount,
                  "How far toward the edit: 0 = A, 1 = the edit; the steps go from 0 to it")
      ->capture_default_str()
      ->check(finite_number())
      ->check(CLI::Range(0.0, 1.0));
  sub->add_option("--part", o->part,
                  "With --attribute: the parts to edit, or auto (as for tera edit)")
      ->capture_default_str();
  sub->add_option("--seed", o->seed, "With --attribute: the edit's seed (default: random, printed)")
      ->check(seed_text());
  sub->add_option("--out,-o", o->out,
                  "Output folder: step_00, step_01, ... and interpolation_strip.png")
      ->capture_default_str();
  add_generation_options(sub, o->gen, "--sampler-steps");
  sub->add_flag("--json", o->json, "Print a JSON summary");
  sub->footer(
      "The path is linear in the latent; by default its steps are spaced so that each moves the "
      "avatar about as far (docs/editing.md). Examples:\n"
      "  tera interpolate avatar_a avatar_b --steps 6 --out blend\n"
      "  tera interpolate avatar --attribute \"long hair\" --amount 0.5 --steps 3 --seed 2 --out "
      "longer");
  return {
      sub,
      [o] {
        const auto start = std::chrono::steady_clock::now();
        if (o->attribute.empty() && o->b.empty())
          throw UsageError("interpolate: give the other end B, or --attribute TEXT");
        if (!o->attribute.empty() && !o->b.empty())
          throw UsageError("interpolate: give the other end B, or --attribute TEXT, not both");
        if (o->attribute.empty() && o->amount != 1.0)
          throw UsageError(
              "--amount: only with --attribute (between A and B the steps span the whole path)");
        const PathSpacing spacing = parse_path_spacing(o->spacing, "--spacing");
        for (const std::string& end : {o->a, o->b}) {
          std::error_code error;  // a loop or a prompt: no folder to protect (read later)
          if (!end.empty() && std::filesystem::is_directory(end, error))
            refuse_replacing_input(o->out, end, "--out");
        }
        StagedFolder out(o->out,
                         {{"interpolation_strip\\.png"}, {"step_[0-9]+"}, avatar_file_patterns()},
                         "--out");
        GenerationSession session = open_generation(o->gen);
        Generator& generator = *session.generator;
        InterpolationRequest request;
        request.spacing = spacing_used(spacing, o->steps);  // what avatar.json records
        request.guidance = session.guidance;
        request.settings = session.settings;
        request.attribute = o->attribute;
        request.a = interpolation_source(generator, o->a, parse_seed(o->seed_a, "--seed-a"),
                                         request.guidance, request.settings, "A");
        if (o->attribute.empty()) {
          try {
            request.b = interpolation_source(generator, o->b, parse_seed(o->seed_b, "--seed-b"),
                                             request.guidance, request.settings, "B");
          } catch (const ModelError&) {
            // A read with the package loaded, so no one package loads both ends: the advice of
            // B's own error (load B's package) would fail on A.
            if (request.a.end.folder.empty()) throw;  // A is a prompt: B's package will do
            throw ModelError("A " + o->a + " was made with the package loaded ('" +
                             generator.manifest().name + "') and B " + o->b +
                             " with another (its avatar.json's model.manifest_sha256): the two "
                             "ends of an interpolation come from one package, so make one end "
                             "again with the other's");
          }
        } else {
          EditRequest edit;
          edit.prompt = o->attribute;
          edit.part = o->part;
          edit.seed = parse_seed(o->seed, "--seed");
          edit.guidance = request.guidance;
          edit.settings = request.settings;
          request.b = edited_end(generator, request.a, edit);
        }
        request.positions = path_positions(generator, request.a.latent, request.b.latent, o->steps,
                                           o->amount, request.spacing, request.settings.assembly);
        const InterpolationEnd& a = request.a.end;
        const InterpolationEnd& b = request.b.end;
        std::string json_items;
        const auto report_step = [&](const InterpolationStep& step) {
          json_items += std::string(json_items.empty() ? "" : ", ") +
                        "{\"dir\": " + json_string(out.published(step.dir).string()) +
                        ", \"t\": " + std::to_string(step.t) +
                        ", \"gaussians\": " + std::to_string(step.gaussians) + "}";
          if (!o->json)
            std::cout << out.published(step.dir).string() << ": t = " << step.t << ", "
                      << step.gaussians << " Gaussians\n";
        };
        const std::filesystem::path strip_written = write_interpolation(
            generator, request, out.path(), session.out, session.renderer.get(), report_step);
        out.publish();
        const std::string strip =
            strip_written.empty() ? "" : out.published(strip_written).string();
        if (!strip.empty() && !o->json) std::cout << strip << "\n";
        const double seconds = seconds_since(start);
        if (o->json) {
          std::printf(
              "{\"a\": {\"prompt\": %s, \"seed\": %llu}, \"b\": {\"prompt\": %s, \"seed\": %llu}, "
              "\"attribute\": %s, \"amount\": %g, \"path\": \"linear\", \"spacing\": \"%s\", "
              "\"steps\": [%s], \"strip\": %s, \"seconds\": %.3f}\n",
              json_string(a.prompt).c_str(), static_cast<unsigned long long>(a.seed),
              json_string(b.prompt).c_str(), static_cast<unsigned long long>(b.seed),
              o->attribute.empty() ? "null" : json_string(o->attribute).c_str(), o->amount,
              path_spacing_name(request.spacing), json_items.c_str(),
              strip.empty() ? "null" : json_string(strip).c_str(), seconds);
        } else if (a.folder.empty() || (b.folder.empty() && o->attribute.empty())) {
          std::cout << "seeds: A " << a.seed << ", B " << b.seed << "\n";
        }
        spdlog::info("interpolated {} avatars in {:.2f} s", o->steps, seconds);
      },
      {{"steps", "--sampler-steps"}, {"path steps", "--steps"}, {"A", "A (with --attribute)"}}};
}

}  // namespace tera::cli
