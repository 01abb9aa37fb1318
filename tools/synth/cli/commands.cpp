#include "commands.h"

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <spdlog/spdlog.h>

#include "asset_pack.h"
#include "template.h"
#include "tera/core/clock.h"

namespace tera::synth::cli {
namespace {

struct Options {
  std::string shared;
  std::string pack;
  std::string out;
  int resolution = 256;  // template resolution; 256 is the smallest the design allows
};

Options& options() {
  static Options o;
  return o;
}

std::map<std::string, std::function<void()>>& actions() {
  static std::map<std::string, std::function<void()>> a;
  return a;
}

void add_source_options(CLI::App* cmd) {
  cmd->add_option("--shared", options().shared,
                  "MakeHuman assets folder (the project's shared folder)");
  cmd->add_option("--pack", options().pack,
                  "asset pack written by 'tera-synth pack' (faster than --shared)");
}

}  // namespace

void register_commands(CLI::App& app) {
  auto& o = options();
  auto* pack = app.add_subcommand("pack", "write the asset pack from the MakeHuman files");
  pack->add_option("--shared", o.shared, "MakeHuman assets folder")->required();
  pack->add_option("--out", o.out, "pack file to write")->required();
  actions()["pack"] = [] {
    const auto start = std::chrono::steady_clock::now();
    const AssetPack p = load_pack_from_shared(options().shared);
    write_pack(p, options().out);
    spdlog::info("{} targets, {} modifiers, {} proxies, {} bones in {:.1f} s", p.targets.size(),
                 p.modifiers.size(), p.proxies.size(), p.skeleton.bones.size(),
                 seconds_since(start));
    std::printf("%s\n", options().out.c_str());
  };

  auto* tmpl =
      app.add_subcommand("template", "rasterise the body's UV layout into the template file");
  add_source_options(tmpl);
  tmpl->add_option("--res", o.resolution, "map resolution R (>= 256)")
      ->check(CLI::Range(256, 4096));
  tmpl->add_option("--out", o.out, "template file to write")->required();
  actions()["template"] = [] {
    const AssetPack p = load_assets(options().shared, options().pack);
    const Template t = build_template(p, options().resolution);
    write_template(t, options().out);
    spdlog::info("{} of {} texels cover the body", t.texel_count(), t.resolution * t.resolution);
    std::printf("%s\n", options().out.c_str());
  };
  register_avatar_commands(app, actions());
}

void run_selected(CLI::App& app) {
  for (auto* sub : app.get_subcommands()) {
    const auto it = actions().find(sub->get_name());
    if (it != actions().end()) it->second();
  }
}

}  // namespace tera::synth::cli
