// `tera batch --prompts FILE --out DIR`: many avatars, batched inference, shards, resume, and
// per-item failure isolation. An item is finished exactly when its folder DIR/<name> exists: its
// files are written into DIR/.partial-<name>-<pid> and the folder is renamed into place last.
#include <CLI/CLI.hpp>
#include <chrono>
#include <filesystem>
#include <iostream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include "cli/common.h"
#include "cli/generation_options.h"
#include "tera/core/atomic_file.h"
#include "tera/core/error.h"
#include "tera/generate/avatar_output.h"
#include "tera/generate/batch_items.h"
#include "tera/generate/generator.h"

namespace tera::cli {
namespace {

namespace fs = std::filesystem;
const std::string kPartialPrefix = ".partial-";  // folders of unfinished items; removed on the next run

// Removes folders left by a killed run for the items of this shard only (other shards may be
// writing into the same --out at the same time).
void remove_stale_partials(const fs::path& out, const std::map<std::string, const BatchItem*>& mine) {
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

// Moves a finished item folder into place; an existing one (a rerun without --resume) is replaced.
void publish(const fs::path& partial, const fs::path& final_dir) {
  if (fs::exists(final_dir)) {
    const fs::path old = final_dir.parent_path() / (kPartialPrefix + final_dir.filename().string() + "-old" + std::to_string(::getpid()));
    fs::rename(final_dir, old);
    fs::rename(partial, final_dir);
    fs::remove_all(old);
  } else {
    fs::rename(partial, final_dir);
  }
}

}  // namespace

Command add_batch_command(CLI::App& app) {
  struct Options {
    std::string prompts, out = "batch", shard = "0/1";
    std::uint64_t seed = 0;
    int batch_size = 4;
    bool resume = false, json = false;
    GenerationCliOptions gen;
  };
  auto o = std::make_shared<Options>();
  CLI::App* sub = app.add_subcommand("batch", "Generate many avatars from a prompt file (text or JSONL)");
  sub->add_option("--prompts", o->prompts, "Text (one prompt per line, # comments) or .jsonl (prompt, seed, name, steps, "
                  "guidance, sampler, views)")->required();
  sub->add_option("--out,-o", o->out, "Output folder: one subfolder per item")->capture_default_str();
  sub->add_option("--seed", o->seed, "Base seed: an item without its own seed uses seed + its index")->capture_default_str();
  sub->add_option("--batch-size", o->batch_size, "Avatars per batched inference")->capture_default_str()->check(CLI::Range(1, 1024));
  sub->add_option("--shard", o->shard, "i/N: this process does items i, i+N, i+2N, ...")->capture_default_str();
  sub->add_flag("--resume", o->resume, "Skip items whose folder is already complete");
  add_generation_options(sub, o->gen);
  sub->add_flag("--json", o->json, "Print the run report JSON on stdout");
  sub->footer("Writes DIR/<name>/ per item and DIR/batch_report.json (batch_report-shard-I-of-N.json with --shard).\n"
              "Exit code 5 when some items failed; the report lists them.");
  return {sub, [o] {
            const auto start = std::chrono::steady_clock::now();
            const Shard shard = parse_shard(o->shard, "--shard");
            OutputOptions out = output_options(o->gen);
            const Device device = parse_device(o->gen.device, "--device");
            if (!o->gen.sampler.empty()) parse_sampler(o->gen.sampler, "--sampler");

            const std::vector<BatchItem> all = read_prompt_file(o->prompts);
            std::vector<const BatchItem*> items;
            std::map<std::string, const BatchItem*> by_name;
            for (const auto& item : all) {
              if (!shard.contains(item.index)) continue;
              items.push_back(&item);
              by_name[item.name] = &item;
            }
            const fs::path out_dir(o->out);
            fs::create_directories(out_dir);
            remove_stale_partials(out_dir, by_name);

            Generator generator(generator_options(o->gen, device));
            const ModelManifest& m = generator.manifest();
            set_output_pose(out, o->gen, generator.avatar_template());
            std::unique_ptr<Renderer> renderer = make_renderer(device);

            std::map<std::size_t, nlohmann::ordered_json> results;  // item index -> report entry
            const auto record = [&](const BatchItem& item, const std::string& status, const std::string& error) {
              nlohmann::ordered_json r{{"index", item.index}, {"line", item.line}, {"name", item.name}, {"status", status}};
              if (!error.empty()) r["error"] = error;
              if (!item.note.empty()) r["note"] = item.note;
              results[item.index] = r;
              if (!error.empty()) spdlog::warn("{} line {} ({}): {}", o->prompts, item.line, item.name, error);
            };
            // Group the items to generate by (steps, sampler): a batch shares its timesteps.
            std::map<std::pair<int, std::string>, std::vector<std::pair<const BatchItem*, GenerateRequest>>> groups;
            for (const BatchItem* item : items) {
              if (!item->note.empty()) spdlog::warn("{} line {}: {}", o->prompts, item->line, item->note);
              if (!item->error.empty()) { record(*item, "failed", item->error); continue; }
              if (o->resume && fs::is_directory(out_dir / item->name)) { record(*item, "skipped", ""); continue; }
              try {
                const std::string label = o->prompts + " line " + std::to_string(item->line);
                GenerateRequest request{generator.tokenize(item->prompt, label), item->seed.value_or(o->seed + item->index),
                                        item->guidance.value_or(o->gen.guidance >= 0.f ? o->gen.guidance : m.default_guidance), {}, {}};
                const int steps = item->steps.value_or(o->gen.steps > 0 ? o->gen.steps : m.default_steps);
                sampling_timesteps(m.schedule.num_train_steps, steps, m.schedule.spacing);  // validates steps
                const std::string sampler = item->sampler.value_or(o->gen.sampler.empty() ? m.default_sampler : o->gen.sampler);
                groups[{steps, sampler}].push_back({item, request});
              } catch (const std::exception& error) {
                record(*item, "failed", error.what());
              }
            }
            std::size_t todo = 0, done = 0;
            for (const auto& [key, list] : groups) todo += list.size();
            Progress progress("batch", todo);
            for (const auto& [key, list] : groups) {
              for (std::size_t first = 0; first < list.size(); first += static_cast<std::size_t>(o->batch_size)) {
                const std::size_t last = std::min(list.size(), first + static_cast<std::size_t>(o->batch_size));
                GenerateSettings settings;
                settings.steps = key.first;
                settings.sampler = parse_sampler(key.second, "sampler");
                settings.assembly.min_opacity = o->gen.min_opacity;
                std::vector<GenerateRequest> requests;
                for (std::size_t i = first; i < last; ++i) requests.push_back(list[i].second);
                StageTimes times;
                std::vector<GeneratedAvatar> avatars;
                try {
                  avatars = generator.generate(requests, settings, &times);
                } catch (const std::exception& error) {
                  for (std::size_t i = first; i < last; ++i) record(*list[i].first, "failed", std::string("generation failed: ") + error.what());
                  done += last - first;
                  progress.advance(done);
                  continue;
                }
                for (std::size_t i = first; i < last; ++i) {
                  const BatchItem& item = *list[i].first;
                  const fs::path partial = out_dir / (kPartialPrefix + item.name + "-" + std::to_string(::getpid()));
                  try {
                    OutputOptions item_out = out;
                    item_out.views = item.views.value_or(o->gen.views);
                    const GenerateRequest& req = list[i].second;
                    AvatarRecord rec{item.prompt, req.seed, settings.steps, req.guidance, key.second, o->gen.min_opacity, times,
                                     generator.load_seconds(), {}};
                    fs::remove_all(partial);
                    write_avatar(partial, avatars[i - first], m, rec, item_out, renderer.get());
                    publish(partial, out_dir / item.name);
                    record(item, "done", "");
                  } catch (const std::exception& error) {
                    std::error_code ignored;
                    fs::remove_all(partial, ignored);
                    record(item, "failed", error.what());
                  }
                  progress.advance(++done);
                }
              }
            }
            std::size_t count_done = 0, skipped = 0, failed = 0;
            nlohmann::ordered_json list = nlohmann::ordered_json::array(), failures = nlohmann::ordered_json::array();
            for (auto& [index, r] : results) {
              const std::string status = r["status"];
              count_done += status == "done";
              skipped += status == "skipped";
              if (status == "failed") {
                ++failed;
                failures.push_back(r);
              }
              list.push_back(r);
            }
            const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
            nlohmann::ordered_json report{{"prompts", o->prompts}, {"shard", o->shard}, {"model", m.name},
                                          {"model_manifest_sha256", m.manifest_sha256}, {"items", items.size()},
                                          {"done", count_done}, {"skipped", skipped}, {"failed", failed},
                                          {"seconds", seconds}, {"failures", failures}, {"results", list}};
            const std::string report_name = shard.count == 1 ? "batch_report.json"
                : "batch_report-shard-" + std::to_string(shard.index) + "-of-" + std::to_string(shard.count) + ".json";
            const std::string text = report.dump(2) + "\n";
            write_file_atomic(out_dir / report_name, text.data(), text.size());
            if (o->json) {
              std::cout << report.dump() << "\n";
            } else {
              std::cout << (out_dir / report_name).string() << ": " << items.size() << " items, " << count_done << " done, "
                        << skipped << " skipped, " << failed << " failed in " << seconds << " s\n";
            }
            if (failed > 0) {
              throw Error(std::to_string(failed) + " of " + std::to_string(items.size()) + " items failed; see " +
                              (out_dir / report_name).string(), ExitCode::kBatchFailures);
            }
          }};
}

}  // namespace tera::cli
