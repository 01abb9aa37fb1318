// `tera batch --prompts FILE --out DIR`: many avatars, batched inference, shards, resume, and
// per-item failure isolation. The engine is the library's (tera/generate/batch_runner.h): this
// file parses the options and prints the outcome.
#include <CLI/CLI.hpp>
#include <filesystem>
#include <iostream>
#include <memory>

#include "cli/common.h"
#include "cli/generation_options.h"
#include "tera/core/error.h"
#include "tera/generate/batch_runner.h"

namespace tera::cli {

Command add_batch_command(CLI::App& app) {
  struct Options {
    std::string prompts, out = "batch", shard = "0/1", seed = "0";
    int batch_size = 4;
    bool resume = false, json = false;
    GenerationCliOptions gen;
  };
  auto o = std::make_shared<Options>();
  CLI::App* sub =
      app.add_subcommand("batch", "Generate many avatars from a prompt file (text or JSONL)");
  sub->add_option("--prompts", o->prompts,
                  "Text (one prompt per line, # comments) or .jsonl (prompt, seed, name, steps, "
                  "guidance, sampler, views)")
      ->required();
  sub->add_option("--out,-o", o->out, "Output folder: one subfolder per item")
      ->capture_default_str();
  sub->add_option("--seed", o->seed,
                  "Base seed: an item without its own seed uses seed + its index")
      ->capture_default_str()
      ->check(seed_text());
  sub->add_option("--batch-size", o->batch_size, "Avatars per batched inference")
      ->capture_default_str()
      ->check(CLI::Range(1, 1024));
  sub->add_option("--shard", o->shard, "i/N: this process does items i, i+N, i+2N, ...")
      ->capture_default_str();
  sub->add_flag("--resume", o->resume, "Skip items whose folder is already complete");
  add_generation_options(sub, o->gen);
  sub->add_flag("--json", o->json, "Print the run report JSON on stdout");
  sub->footer(
      "Writes DIR/<name>/ per item and DIR/batch_report.json (batch_report-shard-I-of-N.json with "
      "--shard).\n"
      "Exit code 5 when some items failed; the report lists them. Examples:\n"
      "  tera batch --prompts prompts.txt --seed 100 --out avatars\n"
      "  tera batch --prompts prompts.jsonl --shard 3/16 --resume --out /shared/avatars");
  return {sub, [o] {
            if (o->prompts == "-") {  // resume and shards read the file again: it must stay
              throw UsageError(
                  "--prompts -: prompts are read from a file, not from standard input (a resumed "
                  "or sharded run reads the same file again); write them to one first");
            }
            BatchOptions batch;
            batch.shard = parse_shard(o->shard, "--shard");
            batch.out = o->out;
            batch.source = o->prompts;
            batch.base_seed = parse_seed(o->seed, "--seed");
            batch.batch_size = o->batch_size;
            batch.resume = o->resume;
            check_folder_can_be_made(o->out, "--out");  // before any work
            std::error_code error;  // a symlink loop is named, not thrown as a filesystem_error
            const auto status = std::filesystem::status(o->out, error);
            if (error && error != std::errc::no_such_file_or_directory)
              throw UsageError("--out " + o->out + ": " + error.message());
            if (std::filesystem::exists(status) && !std::filesystem::is_directory(status))
              throw UsageError("--out " + o->out + ": exists and is not a folder");
            const std::vector<BatchItem> items =
                read_prompt_file(o->prompts);  // a missing file fails before the model loads
            GenerationSession session = open_generation(o->gen, true);
            batch.overrides = session.overrides;
            batch.output = session.out;
            std::unique_ptr<Progress> progress;
            const BatchReport report =
                run_batch(*session.generator, items, batch, session.renderer.get(),
                          [&progress](std::size_t done, std::size_t total) {
                            if (!progress) progress = std::make_unique<Progress>("batch", total);
                            progress->advance(done);
                          });
            progress.reset();
            if (o->json) {
              std::cout << report.json_line << "\n";
            } else {
              std::cout << (report.write_error.empty() ? report.file.string()
                                                       : "batch (its report was not written)")
                        << ": " << report.items << " items, " << report.done << " done, "
                        << report.skipped << " skipped, " << report.failed << " failed in "
                        << report.seconds << " s\n";
            }
            if (!report.write_error.empty()) throw Error(report.write_error);  // exit 1
            if (report.failed > 0) {
              throw Error(std::to_string(report.failed) + " of " + std::to_string(report.items) +
                              " items failed; see " + report.file.string(),
                          ExitCode::kBatchFailures);
            }
          }};
}

}  // namespace tera::cli
