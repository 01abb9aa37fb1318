// `tera batch` through the real binary: resume after SIGKILL, shards, failure isolation, names.
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <set>
#include <thread>

#include "model/package_fixture.h"
#include "tera/core/run_lock.h"

namespace {

using tera::test::quoted;
using tera::test::run_tera;
using tera::test::test_package;

const std::string kFast = " --size 32 --steps 2 --device cpu --threads 1 ";

// `extra` must name --views (each option once: CLI11 rejects repeats).
std::string batch(const std::filesystem::path& prompts, const std::filesystem::path& out,
                  const std::string& extra) {
  return "batch --model " + quoted(test_package()) + " --prompts " + quoted(prompts) + " --out " +
         quoted(out) + kFast + extra;
}

std::set<std::string> item_folders(const std::filesystem::path& out) {
  std::set<std::string> names;
  for (const auto& e : std::filesystem::directory_iterator(out)) {
    if (e.is_directory()) names.insert(e.path().filename().string());
  }
  return names;
}

void write_prompts(const std::filesystem::path& path, int count) {
  std::ofstream f(path);
  f << "# prompts for the test\n";
  for (int i = 0; i < count; ++i) f << "a person number " << i << " in a red jacket\n\n";
}

// Starts a batch, sends `signal` as soon as one item is finished, then resumes it: every item must
// end up written exactly once, with no partial folder or file left.
void interrupt_and_resume(int signal) {
  tera::test::TempDir dir("batch");
  constexpr int kItems = 16;  // enough that a kill usually lands mid-run on two cores
  write_prompts(dir / "p.txt", kItems);
  const auto out = dir / "out";
  const std::string command = "(exec '" + std::string(TERA_CLI_PATH) + "' " +
                              batch(dir / "p.txt", out, "--views 1 --batch-size 2") + " > " +
                              quoted(dir / "log") + " 2>&1) & echo $!";
  const auto started = tera::test::run_command(command);
  const pid_t pid = static_cast<pid_t>(std::stol(started.output));
  // Kill as soon as at least one item is finished (or give up waiting after 60 s).
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  std::size_t finished_before_kill = 0;
  while (std::chrono::steady_clock::now() < deadline) {
    if (std::filesystem::exists(out)) {
      finished_before_kill = 0;
      for (const auto& name : item_folders(out))
        finished_before_kill += name.rfind("item_", 0) == 0;
      if (finished_before_kill >= 1) break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ::kill(pid, signal);
  tera::test::run_command("while kill -0 " + std::to_string(pid) +
                          " 2>/dev/null; do sleep 0.05; done");
  ASSERT_GE(finished_before_kill, 1u) << tera::read_file(dir / "log");
  // The report is written last: its absence shows the kill landed before the run finished.
  EXPECT_FALSE(std::filesystem::exists(out / "batch_report.json"))
      << "the first run finished before the kill";
  EXPECT_LT(finished_before_kill, static_cast<std::size_t>(kItems));

  const auto r = run_tera(batch(dir / "p.txt", out, "--views 1 --batch-size 2 --resume"));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const auto report = nlohmann::json::parse(tera::read_file(out / "batch_report.json"));
  EXPECT_EQ(report["failed"], 0);
  EXPECT_EQ(report["done"].get<int>() + report["skipped"].get<int>(), kItems);
  EXPECT_GE(report["skipped"].get<std::size_t>(), finished_before_kill);
  std::set<std::string> expected;
  for (int i = 0; i < kItems; ++i) {
    char name[32];
    std::snprintf(name, sizeof name, "item_%06d", i);
    expected.insert(name);
    EXPECT_TRUE(std::filesystem::is_regular_file(out / name / "avatar.json")) << name;
    EXPECT_TRUE(std::filesystem::is_regular_file(out / name / "avatar.ply")) << name;
  }
  EXPECT_EQ(item_folders(out), expected);  // no partial folders left, no extra items
  for (const auto& f : tera::test::files_under(out)) {
    EXPECT_EQ(f.find(".tmp-"), std::string::npos) << f;
    EXPECT_EQ(f.find(".partial-"), std::string::npos) << f;
  }
}

TEST(BatchCli, KilledRunResumesWithEveryItemExactlyOnce) { interrupt_and_resume(SIGKILL); }

// SIGTERM is what schedulers (Slurm, Kubernetes) send before SIGKILL when they preempt a job.
TEST(BatchCli, TerminatedRunResumesWithEveryItemExactlyOnce) { interrupt_and_resume(SIGTERM); }

TEST(BatchCli, ShardsPartitionTheItemsAndWriteTheirOwnReports) {
  tera::test::TempDir dir("batch");
  write_prompts(dir / "p.txt", 7);
  const auto out = dir / "out";
  for (int i = 0; i < 3; ++i) {
    const auto r =
        run_tera(batch(dir / "p.txt", out, "--views 0 --shard " + std::to_string(i) + "/3"));
    ASSERT_EQ(r.exit_code, 0) << r.output;
    const auto report = nlohmann::json::parse(
        tera::read_file(out / ("batch_report-shard-" + std::to_string(i) + "-of-3.json")));
    for (const auto& item : report["results"]) EXPECT_EQ(item["index"].get<int>() % 3, i);
    EXPECT_EQ(report["items"].get<int>(), i == 0 ? 3 : 2);
  }
  EXPECT_EQ(item_folders(out).size(), 7u);
  EXPECT_EQ(run_tera(batch(dir / "p.txt", out, "--views 0 --shard 3/3")).exit_code, 2);
  EXPECT_EQ(run_tera(batch(dir / "p.txt", out, "--views 0 --shard one/3")).exit_code, 2);
}

TEST(BatchCli, BadLinesFailAloneWithExitFiveAndAReport) {
  tera::test::TempDir dir("batch");
  std::ofstream(dir / "p.jsonl", std::ios::binary)
      << "{\"prompt\": \"a woman in a blue coat\", \"seed\": 3, \"name\": \"../../escaped\"}\n"
      << "{\"prompt\": \"missing brace\"\n"
      << "{\"prompt\": \"\\u0020\"}\n"
      << "{\"prompt\": \"a man\", \"name\": \"/abs/path\", \"steps\": 3, \"guidance\": 1.0}\n"
      << "{\"prompt\": \"bad \xff\"}\n"
      << "{\"prompt\": \"a child\", \"views\": 0, \"sampler\": \"ddim\"}\n";
  const auto out = dir / "sub" / "out";
  const auto r = run_tera(batch(dir / "p.jsonl", out, "--views 1"));
  EXPECT_EQ(r.exit_code, 5) << r.output;
  const auto report = nlohmann::json::parse(tera::read_file(out / "batch_report.json"));
  EXPECT_EQ(report["done"], 3);
  EXPECT_EQ(report["failed"], 3);
  std::set<int> failed_lines;
  for (const auto& f : report["failures"]) failed_lines.insert(f["line"].get<int>());
  EXPECT_EQ(failed_lines, (std::set<int>{2, 3, 5}));
  EXPECT_EQ(item_folders(out), (std::set<std::string>{"escaped", "abs_path", "item_000005"}));
  EXPECT_FALSE(std::filesystem::exists(dir / "escaped"));  // nothing outside --out
  EXPECT_FALSE(std::filesystem::exists(dir / "sub" / "escaped"));
  EXPECT_NE(r.output.find("rewritten to 'escaped'"), std::string::npos) << r.output;
  EXPECT_EQ(nlohmann::json::parse(tera::read_file(out / "escaped" / "avatar.json"))["seed"], 3);
  EXPECT_EQ(nlohmann::json::parse(tera::read_file(out / "abs_path" / "avatar.json"))["steps"], 3);
  EXPECT_EQ(nlohmann::json::parse(tera::read_file(out / "item_000005" / "avatar.json"))["sampler"],
            "ddim");
  EXPECT_FALSE(std::filesystem::exists(out / "item_000005" / "view_000.png"));
}

TEST(BatchCli, APromptFileWithoutPromptsAndABadSeedAreRefusedBeforeAnyWork) {
  tera::test::TempDir dir("batch_refused");
  std::ofstream(dir / "none.txt") << "# only a comment\n\n";
  auto r = run_tera(batch(dir / "none.txt", dir / "out", ""));
  EXPECT_EQ(r.exit_code, 4) << r.output;
  EXPECT_NE(r.output.find("holds no prompts"), std::string::npos) << r.output;
  std::ofstream(dir / "one.txt") << "a man\n";
  r = run_tera("batch --model " + quoted(test_package()) + " --prompts - --out " +
               quoted(dir / "out") + kFast + "--views 0 < " + quoted(dir / "one.txt"));
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find("not from standard input"), std::string::npos) << r.output;
  for (const char* bad : {"--seed -1", "--seed 18446744073709551616", "--shard 0/2000000"}) {
    r = run_tera(batch(dir / "one.txt", dir / "out", bad));
    EXPECT_EQ(r.exit_code, 2) << bad << ": " << r.output;
  }
  EXPECT_FALSE(std::filesystem::exists(dir / "out"));
}

// --resume skips a folder only when it holds this item: another prompt file's item_000001 is
// generated again, not reported as done.
TEST(BatchCli, ResumeGeneratesAgainAFolderOfAnotherPromptOrSeed) {
  tera::test::TempDir dir("batch_resume_other");
  std::ofstream(dir / "first.txt") << "a man\na woman\n";
  std::ofstream(dir / "second.txt") << "a man\nan old man\n";
  const auto out = dir / "out";
  ASSERT_EQ(run_tera(batch(dir / "first.txt", out, "--views 0")).exit_code, 0);
  auto r = run_tera(batch(dir / "second.txt", out, "--views 0 --resume --json"));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  auto report = nlohmann::json::parse(tera::read_file(out / "batch_report.json"));
  EXPECT_EQ(report["skipped"], 1);  // item 0: the same prompt and seed
  EXPECT_EQ(report["done"], 1);
  EXPECT_EQ(nlohmann::json::parse(tera::read_file(out / "item_000001" / "avatar.json"))["prompt"],
            "an old man");
  EXPECT_NE(r.output.find("(item_000001): generated again: it was made with another prompt"),
            std::string::npos)
      << r.output;
  r = run_tera(batch(dir / "second.txt", out, "--views 0 --resume --seed 7"));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("it was made with another seed"), std::string::npos) << r.output;
  report = nlohmann::json::parse(tera::read_file(out / "batch_report.json"));
  EXPECT_EQ(report["skipped"], 0) << "another --seed makes other avatars";
  EXPECT_EQ(report["done"], 2);
  std::ofstream(dir / "third.jsonl") << "{\"prompt\": \"a man\", \"seed\": 7}\n"
                                     << "{\"prompt\": \"an old man\", \"seed\": 8, \"steps\": 3}\n";
  r = run_tera(batch(dir / "third.jsonl", out, "--views 0 --resume"));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  report = nlohmann::json::parse(tera::read_file(out / "batch_report.json"));
  EXPECT_EQ(report["skipped"], 1) << "the same prompt, seed and settings";
  EXPECT_EQ(report["done"], 1) << "3 steps where the folder's avatar had 2";
  EXPECT_NE(r.output.find("it was made with another --steps"), std::string::npos) << r.output;
  EXPECT_EQ(nlohmann::json::parse(tera::read_file(out / "item_000001" / "avatar.json"))["steps"],
            3);
}

// --resume keeps renders only when they are the ones asked for: another --size, --framing,
// --background or --views makes the item again, with a warning that names the option.
TEST(BatchCli, ResumeGeneratesAgainRendersOfOtherPictureSettings) {
  tera::test::TempDir dir("batch_resume_pictures");
  std::ofstream(dir / "p.txt") << "a man\n";
  const auto out = dir / "out";
  // kFast names --size 32 already, and CLI11 rejects repeats: these runs name --size themselves.
  const auto run = [&](const std::string& size, const std::string& extra) {
    return run_tera("batch --model " + quoted(test_package()) + " --prompts " +
                    quoted(dir / "p.txt") + " --out " + quoted(out) +
                    " --steps 2 --device cpu --threads 1 --resume --size " + size + " " + extra);
  };
  const auto report = [&] {
    return nlohmann::json::parse(tera::read_file(out / "batch_report.json"));
  };
  ASSERT_EQ(run("32", "--views 1").exit_code, 0);
  const auto pictures =
      nlohmann::json::parse(tera::read_file(out / "item_000000" / "avatar.json"))["pictures"];
  EXPECT_EQ(pictures["width"], 32);
  EXPECT_EQ(pictures["framing"], "full");
  auto r = run("32", "--views 1");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_EQ(report()["skipped"], 1) << "the same picture settings: finished";
  const struct {
    const char* size;
    const char* extra;
    const char* named;
  } changes[] = {{"48", "--views 1", "--size"},
                 {"48", "--views 1 --framing head", "--framing"},
                 {"48", "--views 1 --framing head --background black", "--background"},
                 {"48", "--views 2 --framing head --background black", "--views"}};
  for (const auto& change : changes) {
    r = run(change.size, change.extra);
    ASSERT_EQ(r.exit_code, 0) << change.extra << ": " << r.output;
    EXPECT_EQ(report()["done"], 1) << change.named << " makes other renders";
    EXPECT_NE(r.output.find("generated again: its renders are"), std::string::npos) << r.output;
    EXPECT_NE(r.output.find(change.named), std::string::npos) << r.output;
    ASSERT_EQ(run(change.size, change.extra).exit_code, 0);  // now finished as asked
    EXPECT_EQ(report()["skipped"], 1) << change.named;
  }
}

// Off a terminal (a cluster job's log) the progress is a plain line per tenth of the items done,
// not a redrawn bar; --quiet shows none.
TEST(BatchCli, ProgressOffATerminalIsOneLinePerTenthDone) {
  tera::test::TempDir dir("batch_progress");
  write_prompts(dir / "p.txt", 3);
  auto r = run_tera(batch(dir / "p.txt", dir / "out", "--views 0 --batch-size 1"));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  for (const char* line :
       {"batch: 1/3 done (33 %)", "batch: 2/3 done (66 %)", "batch: 3/3 done (100 %)"}) {
    EXPECT_NE(r.output.find(line), std::string::npos) << line << " in " << r.output;
  }
  EXPECT_EQ(r.output.find('\r'), std::string::npos) << "no bar redrawn in a log";
  r = run_tera("--quiet " + batch(dir / "p.txt", dir / "out", "--views 0 --batch-size 1"));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_EQ(r.output.find("done ("), std::string::npos) << r.output;
}

// A report that cannot be written (a full disk; here a folder in its place) is exit 1 naming it,
// after the summary has been printed: the items are done and stay.
TEST(BatchCli, AReportThatCannotBeWrittenIsAnErrorAfterTheSummary) {
  tera::test::TempDir dir("batch_report_blocked");
  write_prompts(dir / "p.txt", 2);
  std::filesystem::create_directories(dir / "out" / "batch_report.json" / "x");
  const auto r = run_tera(batch(dir / "p.txt", dir / "out", "--views 0 --json"));
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_NE(r.output.find("\"done\":2"), std::string::npos) << "the JSON summary: " << r.output;
  EXPECT_NE(r.output.find("batch_report.json"), std::string::npos) << r.output;
  EXPECT_EQ(item_folders(dir / "out").size(), 3u) << "two items and the blocking folder";
}

// A second run of one shard into one folder while the first runs (a resubmitted job) is refused,
// naming the holder; other shards run beside it. The staging folder of a live run stays, whatever
// its layout (an unsharded --resume started beside a sharded run must not take a live item's
// folder), and a lock file that is a link is refused rather than written through.
TEST(BatchCli, OneShardRunsOnceAtATimeAndLiveStagingFoldersStay) {
  tera::test::TempDir dir("batch_lock");
  write_prompts(dir / "p.txt", 2);
  const auto out = dir / "out";
  std::filesystem::create_directories(out);
  {
    const tera::RunLock first(out / ".batch_report-shard-1-of-2.json.lock", "the first run");
    const auto r = run_tera(batch(dir / "p.txt", out, "--views 0 --shard 1/2"));
    EXPECT_EQ(r.exit_code, 1) << r.output;
    EXPECT_NE(r.output.find("--shard 1/2 into " + out.string() + " is already running (process " +
                            std::to_string(::getpid())),
              std::string::npos)
        << r.output;
    EXPECT_TRUE(item_folders(out).empty());
    EXPECT_EQ(run_tera(batch(dir / "p.txt", out, "--views 0 --shard 0/2")).exit_code, 0)
        << "another shard runs beside it";
  }
  const auto live = out / (".item_000001.partial-" + std::to_string(::getpid()));
  std::filesystem::create_directories(live);
  auto r = run_tera(batch(dir / "p.txt", out, "--views 0 --resume"));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_TRUE(std::filesystem::exists(live)) << "a running process's staging folder";
  EXPECT_TRUE(std::filesystem::exists(out / "item_000001" / "avatar.latent"));

  std::ofstream(dir / "victim.txt") << "the user's";
  std::filesystem::create_directories(dir / "linked");
  std::filesystem::create_symlink(dir / "victim.txt", dir / "linked" / ".batch_report.json.lock");
  r = run_tera(batch(dir / "p.txt", dir / "linked", "--views 0"));
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_NE(r.output.find("is a symbolic link"), std::string::npos) << r.output;
  EXPECT_EQ(tera::read_file(dir / "victim.txt"), "the user's");
}

TEST(BatchCli, DefaultSeedsFollowTheItemIndexAndRerunsReplaceItems) {
  tera::test::TempDir dir("batch");
  write_prompts(dir / "p.txt", 2);
  ASSERT_EQ(run_tera(batch(dir / "p.txt", dir / "out", "--views 0 --seed 100")).exit_code, 0);
  EXPECT_EQ(
      nlohmann::json::parse(tera::read_file(dir / "out" / "item_000001" / "avatar.json"))["seed"],
      101);
  const std::string first = tera::read_file(dir / "out" / "item_000001" / "avatar.latent");
  ASSERT_EQ(run_tera(batch(dir / "p.txt", dir / "out", "--views 0 --seed 200")).exit_code, 0);
  EXPECT_EQ(
      nlohmann::json::parse(tera::read_file(dir / "out" / "item_000001" / "avatar.json"))["seed"],
      201);
  EXPECT_NE(tera::read_file(dir / "out" / "item_000001" / "avatar.latent"), first);
  EXPECT_EQ(item_folders(dir / "out").size(), 2u);
}

}  // namespace
