// The batch engine; see include/tera/generate/batch_runner.h.
#include "tera/generate/batch_runner.h"

#include <algorithm>
#include <chrono>
#include <limits>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <spdlog/spdlog.h>

#include "core/json_text.h"
#include "generate/picture_json.h"
#include "tera/core/atomic_file.h"
#include "tera/core/clock.h"
#include "tera/core/error.h"
#include "tera/core/run_lock.h"
#include "tera/core/staged_folder.h"

namespace tera {
namespace {

namespace fs = std::filesystem;

// What an item's folder may hold: the files write_avatar writes. Anything else is the user's, and
// replacing the folder would delete it, so that item fails instead.
OutputLayout item_layout() { return {avatar_file_patterns()}; }
const std::string kItemFolder = "the item's folder";  // how errors name an item's folder

// Why `dir` does not hold the item a resumed run would make, or "" when it does: avatar.json names
// its prompt, seed, settings, model package, pose and picture settings, and every file this run
// would write is there. Another prompt file's item of the same name (item_000003), one made with
// other --steps, by another package, without the --format now asked for or with renders of
// another --size, is not this one.
std::string why_not_finished(const fs::path& dir, const std::string& prompt,
                             const GenerateRequest& request, const GenerateSettings& settings,
                             const OutputOptions& output, const ModelManifest& manifest) {
  if (!fs::is_regular_file(dir / "avatar.json")) return "it has no avatar.json";
  nlohmann::json j;
  std::string problem;
  try {
    problem = parse_json(read_file(dir / "avatar.json"), j);
  } catch (const std::exception& error) {  // an I/O error, named with the file
    return std::string("its avatar.json cannot be read: ") + error.what();
  }
  if (!problem.empty()) return "its avatar.json is " + problem;
  if (!j.is_object()) return "its avatar.json is not a JSON object";
  try {
    const std::pair<const char*, bool> checks[] = {
        {"prompt", j.at("prompt").get<std::string>() == prompt},
        {"seed", j.at("seed").get<std::uint64_t>() == request.seed},
        {"--steps", j.at("steps").get<int>() == settings.steps},
        {"--sampler", j.at("sampler").get<std::string>() == sampler_name(settings.sampler)},
        {"--guidance", j.at("guidance").get<float>() == request.guidance},
        {"--min-opacity", j.at("min_opacity").get<float>() == settings.assembly.min_opacity},
        {"--pose", j.value("pose", std::string()) == (output.pose ? output.pose->name : "")},
        {"model package",
         j.at("model").at("manifest_sha256").get<std::string>() == manifest.manifest_sha256}};
    for (const auto& [what, same] : checks) {
      if (!same) return std::string("it was made with another ") + what;
    }
    const bool empty_avatar = j.value("gaussians", 0) == 0;
    const std::string pictures = pictures_differ(j, output, empty_avatar);
    if (!pictures.empty()) return pictures;
    for (const std::string& name : avatar_file_names(output, empty_avatar)) {
      if (!fs::is_regular_file(dir / name)) return "it lacks " + name;
    }
  } catch (const nlohmann::json::exception&) {  // a field missing or of another type
    return "its avatar.json lacks a field or holds one of another type";
  }
  return {};
}

// One item ready to generate.
struct Planned {
  const BatchItem* item;
  GenerateRequest request;
};
// Items that share (steps, sampler), with those settings resolved: a batched inference visits the
// same timesteps for all.
struct Group {
  GenerateSettings settings;
  std::vector<Planned> items;
};
using Groups = std::map<std::pair<int, std::string>, Group>;

class BatchRun {
 public:
  BatchRun(Generator& generator, const BatchOptions& options, Renderer* renderer)
      : generator_(generator),
        options_(options),
        renderer_(renderer),
        manifest_(generator.manifest()) {}

  // The label errors about an item's prompt carry ("p.txt line 3"); the report names the line.
  std::string line_label(const BatchItem& item) const {
    return options_.source + " line " + std::to_string(item.line);
  }

  void record(const BatchItem& item, const std::string& status, std::string error) {
    const std::string repeated = line_label(item) + ": ";  // said once, by the warning below
    if (error.rfind(repeated, 0) == 0) error.erase(0, repeated.size());
    nlohmann::ordered_json r{
        {"index", item.index}, {"line", item.line}, {"name", item.name}, {"status", status}};
    if (!error.empty()) r["error"] = error;
    if (!item.note.empty()) r["note"] = item.note;
    results_[item.index] = r;
    if (!error.empty())
      spdlog::warn("{} line {} ({}): {}", options_.source, item.line, item.name, error);
  }

  // The run's output options with the item's own views.
  OutputOptions item_output(const BatchItem& item) const {
    OutputOptions out = options_.output;
    out.views = item.views.value_or(options_.output.views);
    return out;
  }

  // Resolves every item's settings; bad ones and (with resume) finished ones are recorded here.
  Groups plan(const std::vector<const BatchItem*>& items) {
    Groups groups;
    const std::set<std::string> staged = folders_with_staging(options_.out);  // one listing
    for (const BatchItem* item : items) {
      if (!item->note.empty())
        spdlog::warn("{} line {}: {}", options_.source, item->line, item->note);
      if (!item->error.empty()) {
        record(*item, "failed", item->error);
        continue;
      }
      try {
        SettingOverrides own;
        own.steps = item->steps;
        own.sampler = item->sampler;
        own.guidance = item->guidance;
        const SettingOverrides merged = own.over(options_.overrides);
        const GenerateSettings settings = GenerateSettings::resolve(manifest_, merged);
        const std::string label = line_label(*item);
        if (!item->seed && item->index > std::numeric_limits<std::uint64_t>::max() -
                                             options_.base_seed) {  // would wrap onto seed 0
          throw UsageError("seed", "--seed " + std::to_string(options_.base_seed) +
                                       " + the item's index " + std::to_string(item->index) +
                                       " passes 18446744073709551615; give the item a seed");
        }
        GenerateRequest request{generator_.tokenize(item->prompt, label),
                                item->seed.value_or(options_.base_seed + item->index),
                                resolve_guidance(manifest_, merged),
                                {},
                                {}};
        const fs::path done = options_.out / item->name;
        check_replaceable(done, item_layout(), kItemFolder);  // before any work is spent on it
        if (staged.count(item->name))  // a killed run's staging folder, also of a skipped item
          clean_up_after_ended_runs(done);
        if (options_.resume && fs::is_directory(done)) {
          const std::string why = why_not_finished(done, item->prompt, request, settings,
                                                   item_output(*item), manifest_);
          if (why.empty()) {
            record(*item, "skipped", "");
            continue;
          }
          spdlog::warn("{} line {} ({}): generated again: {}", options_.source, item->line,
                       item->name, why);
        }
        Group& group = groups[{settings.steps, sampler_name(settings.sampler)}];
        group.settings = settings;
        group.items.push_back({item, request});
      } catch (const std::exception& error) {
        record(*item, "failed", error.what());
      }
    }
    return groups;
  }

  // Generates one batch of a group and publishes each item.
  void run_batch_of(const std::vector<Planned>& batch, const GenerateSettings& settings) {
    std::vector<GenerateRequest> requests;
    for (const Planned& p : batch) requests.push_back(p.request);
    StageTimes times;
    std::vector<GeneratedAvatar> avatars;
    try {
      avatars = generator_.generate(requests, settings, &times);
    } catch (const std::exception& error) {
      for (const Planned& p : batch)
        record(*p.item, "failed", std::string("generation failed: ") + error.what());
      return;
    }
    for (std::size_t i = 0; i < batch.size(); ++i)
      write_item(batch[i], avatars[i], settings, times);
  }

  void write_item(const Planned& planned, const GeneratedAvatar& avatar,
                  const GenerateSettings& settings, const StageTimes& times) {
    const BatchItem& item = *planned.item;
    try {
      // Written beside the item's folder and put in its place whole (tera/core/staged_folder.h);
      // a killed run's staging folder of the same item was removed by plan().
      StagedFolder folder(options_.out / item.name, item_layout(), kItemFolder, false);
      const OutputOptions item_out = item_output(item);
      const AvatarRecord rec{item.prompt,
                             planned.request.seed,
                             settings.steps,
                             planned.request.guidance,
                             sampler_name(settings.sampler),
                             settings.assembly.min_opacity,
                             times,
                             generator_.load_seconds(),
                             {}};
      write_avatar(folder.path(), avatar, manifest_, rec, item_out, renderer_);
      folder.publish();
      record(item, "done", "");
    } catch (const std::exception& error) {
      record(item, "failed", as_published(error.what()));  // names OUT/item/..., not the staging
    }
  }

  BatchReport report(std::size_t item_count, double seconds) const {
    BatchReport r;
    r.items = item_count;
    r.seconds = seconds;
    nlohmann::ordered_json list = nlohmann::ordered_json::array(),
                           failures = nlohmann::ordered_json::array();
    for (const auto& [index, entry] : results_) {
      const std::string status = entry["status"];
      r.done += status == "done";
      r.skipped += status == "skipped";
      if (status == "failed") {
        ++r.failed;
        failures.push_back(entry);
      }
      list.push_back(entry);
    }
    const nlohmann::ordered_json json{{"prompts", options_.source},
                                      {"shard", std::to_string(options_.shard.index) + "/" +
                                                    std::to_string(options_.shard.count)},
                                      {"model", manifest_.name},
                                      {"model_manifest_sha256", manifest_.manifest_sha256},
                                      {"items", item_count},
                                      {"done", r.done},
                                      {"skipped", r.skipped},
                                      {"failed", r.failed},
                                      {"seconds", seconds},
                                      {"failures", failures},
                                      {"results", list}};
    r.json = json.dump(2) + "\n";
    r.json_line = json.dump();
    r.file = options_.out / batch_report_name(options_.shard);
    return r;
  }

 private:
  Generator& generator_;
  const BatchOptions& options_;
  Renderer* renderer_;
  const ModelManifest& manifest_;
  std::map<std::size_t, nlohmann::ordered_json> results_;  // item index -> report entry
};

}  // namespace

std::string batch_report_name(const Shard& shard) {
  if (shard.count == 1) return "batch_report.json";
  return "batch_report-shard-" + std::to_string(shard.index) + "-of-" +
         std::to_string(shard.count) + ".json";
}

BatchReport run_batch(Generator& generator, const std::vector<BatchItem>& items,
                      const BatchOptions& options, Renderer* renderer,
                      const BatchProgressFn& progress) {
  const auto start = std::chrono::steady_clock::now();
  std::vector<const BatchItem*> mine;
  for (const auto& item : items) {
    if (options.shard.contains(item.index)) mine.push_back(&item);
  }
  fs::create_directories(options.out);
  const RunLock lock(options.out / ("." + batch_report_name(options.shard) + ".lock"),
                     options.shard.count == 1 ? "a batch into " + options.out.string()
                                              : "--shard " + std::to_string(options.shard.index) +
                                                    "/" + std::to_string(options.shard.count) +
                                                    " into " + options.out.string());

  BatchRun run(generator, options, renderer);
  const Groups groups = run.plan(mine);
  std::size_t todo = 0, done = 0;
  for (const auto& [key, group] : groups) todo += group.items.size();
  const std::size_t size = static_cast<std::size_t>(std::max(1, options.batch_size));
  for (const auto& [key, group] : groups) {
    const std::vector<Planned>& list = group.items;
    for (std::size_t first = 0; first < list.size(); first += size) {
      const std::vector<Planned> batch(
          list.begin() + static_cast<std::ptrdiff_t>(first),
          list.begin() + static_cast<std::ptrdiff_t>(std::min(list.size(), first + size)));
      run.run_batch_of(batch, group.settings);
      done += batch.size();
      if (progress) progress(done, todo);
    }
  }
  const double seconds = seconds_since(start);
  BatchReport report = run.report(mine.size(), seconds);
  // A run killed while writing its report left these; under the shard's lock no other run writes
  // this shard's report, so every one of them is left over.
  remove_temp_files_of_ended_runs(report.file, lock.held());
  try {
    write_file_atomic(report.file, report.json.data(), report.json.size());
  } catch (const Error& error) {  // names the file and the reason: "No space left on device"
    report.write_error = error.what();
  }
  return report;
}

}  // namespace tera
