// `tera poses`: lists the bundled poses, or builds a pose library from a folder of BVH poses.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <spdlog/spdlog.h>

#include "cli/common.h"
#include "cli/generation_options.h"
#include "tera/core/error.h"
#include "tera/decode/avatar_template.h"
#include "tera/model/manifest.h"
#include "tera/pose/bvh_retarget.h"
#include "tera/pose/pose_library.h"

namespace tera::cli {
namespace {

namespace fs = std::filesystem;

// The "description" line of a MakeHuman .meta file next to the BVH, or "".
std::string meta_description(const fs::path& bvh) {
  std::ifstream meta(fs::path(bvh).replace_extension(".meta"));
  std::string line;
  while (std::getline(meta, line)) {
    if (line.rfind("description ", 0) == 0) return line.substr(12);
  }
  return "";
}

}  // namespace

Command add_poses_command(CLI::App& app) {
  struct Options {
    std::string build, out = "poses.json", model, library, source;
    bool json = false;
  };
  auto o = std::make_shared<Options>();
  CLI::App* sub =
      app.add_subcommand("poses", "List the bundled poses, or build a pose library from BVH poses");
  sub->add_option(
      "--build", o->build,
      "Folder of one-frame .bvh poses: write a pose library of their joint rotations on "
      "the model's rig (how data/poses/makehuman.json is made)");
  sub->add_option("--out,-o", o->out, "Library file to write with --build")->capture_default_str();
  sub->add_option("--source", o->source,
                  "With --build: what the poses are and whose, for the library's credit "
                  "(default: 'the BVH poses in FOLDER')");
  sub->add_option("--model,-m", o->model,
                  "Model package whose template rig the poses are bound to (with --build)")
      ->envname("TERA_MODEL");
  sub->add_option("--library", o->library, "List this library instead of the bundled one");
  sub->add_flag("--json", o->json, "Print a JSON summary");
  sub->footer(
      "Examples:\n  tera poses\n"
      "  tera poses --build mocap/ --source \"our studio's captures, CC BY 4.0\" --out "
      "studio.json\n"
      "  tera poses --library studio.json\n"
      "The bundled library is $TERA_POSES, else data/poses/makehuman.json beside the binary or "
      "one folder up.");
  return {
      sub, [o, sub] {
        if (o->build.empty()) {
          for (const char* option : {"--out", "--source"}) {
            if (sub->get_option(option)->count() > 0)
              throw UsageError(std::string(option) + " is for --build (which writes a library)");
          }
          const fs::path path = o->library.empty() ? locate_pose_library() : fs::path(o->library);
          const PoseLibrary library = read_pose_library(path);
          if (o->json) {
            std::string names;
            for (const auto& p : library.poses)
              names += (names.empty() ? "" : ", ") + json_string(p.name);
            std::printf("{\"library\": %s, \"credit\": %s, \"poses\": [%s]}\n",
                        json_string(path.string()).c_str(), json_string(library.credit).c_str(),
                        names.c_str());
            return;
          }
          std::cout << path.string() << " (" << library.credit << ")\n";
          for (const auto& p : library.poses)
            std::printf("  %-12s %s\n", p.name.c_str(), p.description.c_str());
          return;
        }
        const ModelManifest manifest = read_manifest(model_folder(o->model));
        const AvatarTemplate templ = read_avatar_template(manifest.file(manifest.template_file));
        const Skeleton skeleton = skeleton_from_template(templ);
        std::vector<fs::path> files;
        if (!fs::is_directory(o->build)) throw UsageError("--build " + o->build + ": not a folder");
        for (const auto& e : fs::directory_iterator(o->build)) {
          if (is_bvh_path(e.path())) files.push_back(e.path());
        }
        if (files.empty()) throw UsageError("--build " + o->build + ": holds no .bvh files");
        std::sort(files.begin(), files.end());
        PoseLibrary library;
        library.credit =
            "Joint rotations derived by 'tera poses --build' from " +
            (o->source.empty() ? "the BVH poses in " + fs::path(o->build).string() : o->source);
        for (const auto& file : files) {
          const BvhMotion motion = read_bvh(file);
          if (motion.frames > 1) {
            spdlog::warn("{}: holds {} frames; a pose is one, and its first is taken",
                         file.string(), motion.frames);
          }
          const BvhBinding binding = bind_bvh(motion, skeleton);
          const Pose pose = bvh_pose(motion, binding, skeleton, 0);
          library.poses.push_back(
              named_pose(file.stem().string(), meta_description(file), pose, skeleton));
          std::fprintf(stderr,
                       "%s: %s names, %d bones driven, rest joints %.1f mm rms from the rig, %zu "
                       "bones turn\n",
                       file.filename().string().c_str(), binding.naming.c_str(), binding.matched(),
                       1e3 * binding.rest_rms, library.poses.back().rotations.size());
        }
        write_pose_library(o->out, library);
        std::cout << o->out << ": " << library.poses.size() << " poses\n";
      }};
}

}  // namespace tera::cli
