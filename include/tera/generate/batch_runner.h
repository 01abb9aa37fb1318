// The batch engine behind `tera batch`: many prompt-file items through one Generator, grouped into
// batched inferences, each item published into its folder atomically, failures isolated per item,
// and a report. An item is finished exactly when its folder OUT/<name> exists: its files are
// written into OUT/.partial-<name>-<pid> and the folder is renamed into place last, so a killed run
// loses only the items in flight and --resume style reruns never duplicate one.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "tera/generate/avatar_output.h"
#include "tera/generate/batch_items.h"
#include "tera/generate/generator.h"
#include "tera/generate/settings.h"

namespace tera {

struct BatchOptions {
  std::filesystem::path out;    // one subfolder per item, and the report
  std::string source;           // the prompt file's name: in messages and the report
  Shard shard;                  // this process does the items of its shard only
  std::uint64_t base_seed = 0;  // an item without its own seed uses base_seed + its index
  int batch_size = 4;           // avatars per batched inference
  bool resume = false;          // skip items whose folder exists
  SettingOverrides overrides;   // the run's settings; an item's own steps, sampler, guidance win
  OutputOptions output;         // an item's own views win
};

struct BatchReport {
  std::size_t items = 0, done = 0, skipped = 0, failed = 0;  // items: those of this shard
  double seconds = 0.0;
  std::filesystem::path file;  // OUT/batch_report.json, or batch_report-shard-I-of-N.json
  std::string json;            // what the file holds (pretty-printed)
  std::string json_line;       // the same on one line
  std::string write_error;     // why `file` could not be written (a full disk), or ""
};

// Progress: done items of total after each finished (or failed) item.
using BatchProgressFn = std::function<void(std::size_t done, std::size_t total)>;

// Runs the items of options.shard, writes the report file and returns it. Items whose line was bad
// (item.error), whose settings do not resolve or whose generation or writing fails are recorded as
// failed and the rest go on; the caller decides what failures mean. `renderer` may be null when no
// item renders views. Throws only when OUT cannot be made; a report file that cannot be written
// (the items are done by then) is told in write_error, so the caller can still show the report.
BatchReport run_batch(Generator& generator, const std::vector<BatchItem>& items,
                      const BatchOptions& options, Renderer* renderer,
                      const BatchProgressFn& progress = {});

// The report's file name for a shard: batch_report.json, or batch_report-shard-I-of-N.json.
std::string batch_report_name(const Shard& shard);

}  // namespace tera
