// Hostile inputs through the real binary: batch names that try to leave --out, a 100k-line prompt
// file with bad lines, altered or escaping model packages, and a file-size limit mid-write.
#include <gtest/gtest.h>

#include <set>

#include "model/package_fixture.h"
#include "tera/core/atomic_file.h"
#include "tera/generate/batch_items.h"
#include "tera/io/gaussian_io.h"

namespace {

namespace fs = std::filesystem;
using tera::test::copy_package;
using tera::test::quoted;
using tera::test::run_tera;
using tera::test::test_package;

const std::string kFast = " --size 32 --steps 2 --device cpu --threads 1 --views 0 ";

std::string batch(const fs::path& prompts, const fs::path& out, const std::string& extra = "") {
  return "batch --model " + quoted(test_package()) + " --prompts " + quoted(prompts) + " --out " +
         quoted(out) + kFast + extra;
}

std::string generate(const fs::path& model, const fs::path& out) {
  return "generate --model " + quoted(model) + " --prompt 'a man in a blue coat' --seed 1 --out " +
         quoted(out) + kFast;
}

// Every path under `root` (files and folders), absolute.
std::set<fs::path> paths_under(const fs::path& root) {
  std::set<fs::path> paths;
  for (const auto& e : fs::recursive_directory_iterator(root)) paths.insert(e.path());
  return paths;
}

bool inside(const fs::path& path, const fs::path& folder) {
  const auto relative = fs::relative(path, folder).string();
  return !relative.empty() && relative.rfind("..", 0) != 0;
}

TEST(HostileInputs, BatchNamesNeverLeaveTheOutputFolder) {
  tera::test::TempDir dir("hostile");
  const std::string long_name(5000, 'x');
  const std::vector<std::string> names = {"../../up",
                                          "/abs/olute",
                                          std::string("nul\\u0000byte"),
                                          long_name,
                                          "CON",
                                          "nul.txt",
                                          ".",
                                          "..",
                                          "batch_report.json",
                                          ".partial-item_000000-1",
                                          "~",
                                          "dir/../../../../etc"};
  {
    std::ofstream f(dir / "p.jsonl", std::ios::binary);
    for (const auto& name : names)
      f << "{\"prompt\": \"a person\", \"name\": \"" << name << "\"}\n";
  }
  const auto out = dir / "nested" / "out";
  const auto r = run_tera(batch(dir / "p.jsonl", out));
  EXPECT_EQ(r.exit_code, 5) << r.output;  // ".", ".." and the report's name fail alone
  for (const auto& path : paths_under(dir.path())) {
    if (path == dir / "p.jsonl" || path == dir / "nested") continue;
    EXPECT_TRUE(inside(path, out)) << path << " was written outside --out";
  }
  std::set<std::string> folders;
  for (const auto& e : fs::directory_iterator(out)) {
    if (!e.is_directory()) continue;
    const std::string name = e.path().filename().string();
    folders.insert(name);
    EXPECT_LE(name.size(), 100u) << name;
    EXPECT_NE(name[0], '.') << "hidden folder left behind: " << name;
    EXPECT_EQ(name.find('\0'), std::string::npos);
  }
  const std::set<std::string> expected = {"up",
                                          "abs_olute",
                                          "nul_byte",
                                          std::string(100, 'x'),
                                          "CON_",
                                          "nul_.txt",
                                          "partial-item_000000-1",
                                          "_",
                                          "dir_etc"};
  EXPECT_EQ(folders, expected);
  const auto report = nlohmann::json::parse(tera::read_file(out / "batch_report.json"));
  std::set<int> failed_lines;
  for (const auto& f : report["failures"]) failed_lines.insert(f["line"].get<int>());
  EXPECT_EQ(failed_lines, (std::set<int>{7, 8, 9}));  // ".", "..", "batch_report.json"
}

TEST(HostileInputs, HundredThousandLinePromptFileWithBadLinesMixedIn) {
  tera::test::TempDir dir("hostile");
  constexpr int kLines = 100000;  // a cluster-sized prompt file
  constexpr int kShard = 10000;   // --shard 0/10000: items 0, 10000, ... 90000 are generated
  int bad_lines = 0;
  {
    std::ofstream f(dir / "p.jsonl", std::ios::binary);
    for (int i = 0; i < kLines; ++i) {
      const int in_shard = i % kShard == 0 ? i / kShard : -1;
      if (in_shard == 3 || (in_shard < 0 && i % 7 == 0)) {
        f << "{\"prompt\": \"unterminated\n";  // malformed JSON
        ++bad_lines;
      } else if (in_shard == 5 || (in_shard < 0 && i % 11 == 0)) {
        f << "{\"prompt\": \"bad \xff\xfe bytes\"}\n";  // not UTF-8
        ++bad_lines;
      } else if (in_shard == 7 || (in_shard < 0 && i % 13 == 0)) {
        f << "{\"prompt\": \"a child\", \"steps\": -4, \"seed\": \"many\"}\n";  // values of the
                                                                                // wrong kind
        ++bad_lines;
      } else {
        f << "{\"prompt\": \"person " << i << " in a green hat\"}\n";
      }
    }
  }
  // The library reads every line and marks each bad one, with nothing thrown.
  const auto items = tera::read_prompt_file(dir / "p.jsonl");
  ASSERT_EQ(items.size(), static_cast<std::size_t>(kLines));
  int marked = 0;
  for (const auto& item : items) marked += item.error.empty() ? 0 : 1;
  EXPECT_EQ(marked, bad_lines);

  const auto out = dir / "out";
  const auto r = run_tera(batch(dir / "p.jsonl", out, "--shard 0/" + std::to_string(kShard)));
  EXPECT_EQ(r.exit_code, 5) << r.output.substr(0, 2000);
  const auto report = nlohmann::json::parse(
      tera::read_file(out / ("batch_report-shard-0-of-" + std::to_string(kShard) + ".json")));
  EXPECT_EQ(report["items"], kLines / kShard);
  EXPECT_EQ(report["done"], kLines / kShard - 3);
  std::set<int> failed_lines;
  for (const auto& f : report["failures"]) failed_lines.insert(f["line"].get<int>());
  EXPECT_EQ(failed_lines, (std::set<int>{3 * kShard + 1, 5 * kShard + 1, 7 * kShard + 1}));
}

// Flips one bit in the middle of a file.
void alter_one_byte(const fs::path& path) {
  std::string bytes = tera::read_file(path);
  bytes[bytes.size() / 2] = static_cast<char>(bytes[bytes.size() / 2] ^ 0x01);
  tera::write_file_atomic(path, bytes.data(), bytes.size());
}

TEST(HostileInputs, APackageFileAlteredByOneByteIsRefusedBeforeAnythingLoads) {
  tera::test::TempDir dir("hostile");
  for (const char* file :
       {"text_encoder.pt", "denoiser.pt", "decoder.pt", "tokenizer.model", "template.bin"}) {
    const auto package = copy_package(dir, std::string("altered-") + file);
    alter_one_byte(package / file);
    const auto out = dir / (std::string("out-") + file);
    const auto r = run_tera(generate(package, out));
    EXPECT_EQ(r.exit_code, 3) << file << ": " << r.output;
    EXPECT_NE(r.output.find(std::string("sha256.") + file), std::string::npos) << r.output;
    EXPECT_NE(r.output.find("checksum mismatch"), std::string::npos) << r.output;
    EXPECT_FALSE(fs::exists(out)) << "nothing is written for a refused package";
  }
}

TEST(HostileInputs, AManifestNamingFilesOutsideItsPackageIsRefused) {
  tera::test::TempDir dir("hostile");
  struct Case {
    std::string field;
    std::function<void(nlohmann::json&)> edit;
  };
  const std::vector<Case> cases = {
      {"modules.denoiser", [](auto& j) { j["modules"]["denoiser"] = "../tiny/denoiser.pt"; }},
      {"modules.decoder", [](auto& j) { j["modules"]["decoder"] = "/etc/passwd"; }},
      {"template", [](auto& j) { j["template"] = ".."; }},
      {"tokenizer.file", [](auto& j) { j["tokenizer"]["file"] = "sub/tokenizer.model"; }},
  };
  int n = 0;
  for (const auto& c : cases) {
    const auto package = copy_package(dir, "escape-" + std::to_string(n), c.edit);
    const auto out = dir / ("out-" + std::to_string(n++));
    const auto r = run_tera(generate(package, out));
    EXPECT_EQ(r.exit_code, 3) << c.field << ": " << r.output;
    EXPECT_NE(r.output.find("'" + c.field + "'"), std::string::npos) << r.output;
    EXPECT_NE(r.output.find("plain file name inside the package"), std::string::npos) << r.output;
    EXPECT_FALSE(fs::exists(out));
  }
}

TEST(HostileInputs, AFileSizeLimitMidWriteLeavesNoPartialFileAndKeepsTheOldOne) {
  tera::test::TempDir dir("hostile");
  // 20k Gaussians of SH degree 3: a 5 MB .ply, far over the 256 kB limit below.
  tera::write_gaussians(tera::test::random_gaussians(20000, 3, 1), dir / "in.ply");
  tera::write_file_atomic(dir / "out.ply", "previous", 8);
  // dash's ulimit -f counts 512-byte blocks: 512 blocks = 256 kB.
  const auto r =
      tera::test::run_command("ulimit -f 512; '" + std::string(TERA_CLI_PATH) + "' convert " +
                              quoted(dir / "in.ply") + " " + quoted(dir / "out.ply"));
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_NE(r.output.find((dir / "out.ply").string()), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("File too large"), std::string::npos) << r.output;
  EXPECT_EQ(tera::read_file(dir / "out.ply"), "previous");
  EXPECT_EQ(tera::test::files_under(dir.path()), (std::vector<std::string>{"in.ply", "out.ply"}));

  // A batch under the same limit: every item fails alone, naming the file, and no partial item
  // folder is left.
  {
    std::ofstream f(dir / "p.txt");
    f << "a woman in a red coat\na man in a blue hat\n";
  }
  const auto out = dir / "out";
  const auto b = tera::test::run_command("ulimit -f 512; '" + std::string(TERA_CLI_PATH) + "' " +
                                         batch(dir / "p.txt", out, "--format ply,splat,spz,glb"));
  EXPECT_EQ(b.exit_code, 5) << b.output;
  EXPECT_NE(b.output.find("File too large"), std::string::npos) << b.output;
  for (const auto& f : tera::test::files_under(out)) {
    EXPECT_EQ(f.find(".partial-"), std::string::npos) << f;
    EXPECT_EQ(f.find(".tmp-"), std::string::npos) << f;
  }
}

}  // namespace
