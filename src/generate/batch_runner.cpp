// The batch engine; see include/tera/generate/batch_runner.h.
#include "tera/generate/batch_runner.h"

#include <algorithm>
#include <chrono>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include "tera/core/atomic_file.h"
#include "tera/core/staged_folder.h"

namespace tera {
namespace {

namespace fs = std::filesystem;
const std::string kPartialPrefix =
    ".partial-";  // folders of unfinished items; removed on the next run

using ItemNames = std::set<std::string>;

// Removes folders left by a killed run for the items of this shard only (other shards may be
// writing into the same OUT at the same time).
void remove_stale_partials(const fs::path& out, const ItemNames& mine) {
  for (const auto& entry : fs::directory_iterator(out)) {
    const std::string name = entry.path().filename().string();
    if (name.rfind(kPartialPrefix, 0) != 0 || !entry.is_directory()) continue;
    const std::string rest = name.substr(kPartialPrefix.size());
    const auto dash = rest.rfind('-');
    if (dash != std::string::npos && mine.count(rest.substr(0, dash))) {
      spdlog::info("removing {} left by an interrupted run", entry.path().string());
      fs::remove_all(entry.path());
    }
  }
}

// Moves a finished item folder into place; an existing one (a rerun without resume) is replaced.
void publish(const fs::path& partial, const fs::path& final_dir) {
  replace_folder(partial, final_dir,
                 final_dir.parent_path() / (kPartialPrefix + final_dir.filename().string() +
                                            "-old" + std::to_string(::getpid())));
}

// Whether `dir` holds the item a resumed run would make: avatar.json names its prompt, seed,
// steps, sampler and guidance. Another prompt file's item of the same name (item_000003), or one
// made with other --steps, is not this one.
bool holds_item(const fs::path& dir, const std::string& prompt, const GenerateRequest& request,
                const GenerateSettings& settings) {
  try {
    const nlohmann::json j = nlohmann::json::parse(read_file(dir / "avatar.json"));
    return j.is_object() && j.value("prompt", std::string()) == prompt &&
           j.at("seed").get<std::uint64_t>() == request.seed &&
           j.at("steps").get<int>() == settings.steps &&
           j.at("sampler").get<std::string>() == sampler_name(settings.sampler) &&
           j.at("guidance").get<float>() == request.guidance;
  } catch (const std::exception&) {  // unreadable, not JSON, a field missing: not finished
    return false;
  }
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

  void record(const BatchItem& item, const std::string& status, const std::string& error) {
    nlohmann::ordered_json r{
        {"index", item.index}, {"line", item.line}, {"name", item.name}, {"status", status}};
    if (!error.empty()) r["error"] = error;
    if (!item.note.empty()) r["note"] = item.note;
    results_[item.index] = r;
    if (!error.empty())
      spdlog::warn("{} line {} ({}): {}", options_.source, item.line, item.name, error);
  }

  // Resolves every item's settings; bad ones and (with resume) finished ones are recorded here.
  Groups plan(const std::vector<const BatchItem*>& items) {
    Groups groups;
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
        const std::string label = options_.source + " line " + std::to_string(item->line);
        GenerateRequest request{generator_.tokenize(item->prompt, label),
                                item->seed.value_or(options_.base_seed + item->index),
                                resolve_guidance(manifest_, merged),
                                {},
                                {}};
        const fs::path done = options_.out / item->name;
        if (options_.resume && fs::is_directory(done)) {
          if (holds_item(done, item->prompt, request, settings)) {
            record(*item, "skipped", "");
            continue;
          }
          spdlog::warn(
              "{} line {} ({}): its folder holds another prompt, seed or settings; "
              "generated again",
              options_.source, item->line, item->name);
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
    const fs::path partial =
        options_.out / (kPartialPrefix + item.name + "-" + std::to_string(::getpid()));
    try {
      OutputOptions item_out = options_.output;
      item_out.views = item.views.value_or(options_.output.views);
      const AvatarRecord rec{item.prompt,
                             planned.request.seed,
                             settings.steps,
                             planned.request.guidance,
                             sampler_name(settings.sampler),
                             settings.assembly.min_opacity,
                             times,
                             generator_.load_seconds(),
                             {}};
      fs::remove_all(partial);
      write_avatar(partial, avatar, manifest_, rec, item_out, renderer_);
      publish(partial, options_.out / item.name);
      record(item, "done", "");
    } catch (const std::exception& error) {
      std::error_code ignored;
      fs::remove_all(partial, ignored);
      record(item, "failed", error.what());
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
  ItemNames names;
  for (const auto& item : items) {
    if (!options.shard.contains(item.index)) continue;
    mine.push_back(&item);
    names.insert(item.name);
  }
  fs::create_directories(options.out);
  remove_stale_partials(options.out, names);

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
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  BatchReport report = run.report(mine.size(), seconds);
  write_file_atomic(report.file, report.json.data(), report.json.size());
  return report;
}

}  // namespace tera
