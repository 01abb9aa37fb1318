// Prompt-file parsing, shards and name sanitising of `tera batch`.
#include <gtest/gtest.h>

#include <fstream>
#include <set>

#include "support/test_support.h"
#include "tera/core/error.h"
#include "tera/generate/batch_items.h"

namespace {

TEST(BatchItems, SanitisedNamesNeverLeaveTheOutputFolder) {
  EXPECT_EQ(tera::sanitize_item_name("../../x"), "x");
  EXPECT_EQ(tera::sanitize_item_name("/etc/passwd"), "etc_passwd");
  EXPECT_EQ(tera::sanitize_item_name("a/../b"), "a_b");
  EXPECT_EQ(tera::sanitize_item_name("..\\..\\win"), "win");
  EXPECT_EQ(tera::sanitize_item_name(".hidden"), "hidden");
  EXPECT_EQ(tera::sanitize_item_name("red jacket: v2"), "red_jacket__v2");
  EXPECT_EQ(tera::sanitize_item_name("ok-name_1.0"), "ok-name_1.0");
  EXPECT_EQ(tera::sanitize_item_name("../.."), "");
  EXPECT_EQ(tera::sanitize_item_name(std::string(300, 'a')).size(), 100u);
  EXPECT_EQ(tera::sanitize_item_name(std::string("nul\0byte", 8)), "nul_byte");
  EXPECT_EQ(tera::sanitize_item_name("tab\there\n"), "tab_here_");
  EXPECT_EQ(tera::sanitize_item_name("trailing..."), "trailing");
}

TEST(BatchItems, WindowsDeviceNamesAreRewritten) {
  for (const char* device :
       {"CON", "con", "Nul", "aux", "PRN", "COM1", "lpt9", "nul.txt", "con.tar.gz"}) {
    const std::string clean = tera::sanitize_item_name(device);
    EXPECT_EQ(clean.substr(0, clean.find('.')),
              std::string(device).substr(0, std::string(device).find('.')) + "_")
        << device;
  }
  for (const char* fine : {"CONSOLE", "COM0", "COM10", "LPT", "icon", "nully"})
    EXPECT_EQ(tera::sanitize_item_name(fine), fine);
}

TEST(BatchItems, ShardSyntaxIsValidated) {
  const auto s = tera::parse_shard("2/5", "--shard");
  EXPECT_EQ(s.index, 2u);
  EXPECT_EQ(s.count, 5u);
  EXPECT_EQ(tera::parse_shard("999999/1000000", "--shard").count, 1000000u);
  for (const char* bad : {"5/5", "1/0", "-1/3", "1", "a/b", "1/2/3", "1/2x", "", "/3", "1/",
                          "1/18446744073709551617", "0/1000001", " 1/2", "+1/2"}) {
    EXPECT_THROW(tera::parse_shard(bad, "--shard"), tera::UsageError) << bad;
  }
}

TEST(BatchItems, ShardsPartitionTheItems) {
  for (std::size_t n : {1u, 2u, 3u, 7u}) {
    std::multiset<std::size_t> seen;
    for (std::size_t i = 0; i < n; ++i) {
      const tera::Shard shard{i, n};
      for (std::size_t item = 0; item < 50; ++item) {
        if (shard.contains(item)) seen.insert(item);
      }
    }
    ASSERT_EQ(seen.size(), 50u) << n;  // every item once, in exactly one shard
    for (std::size_t item = 0; item < 50; ++item) EXPECT_EQ(seen.count(item), 1u);
  }
}

TEST(BatchItems, TextFileSkipsBlankLinesAndComments) {
  tera::test::TempDir dir("prompts");
  std::ofstream(dir / "p.txt")
      << "# header\n\na red jacket\n   \n  # indented comment\nA blue coat  \n";
  const auto items = tera::read_prompt_file(dir / "p.txt");
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(items[0].prompt, "a red jacket");
  EXPECT_EQ(items[0].line, 3u);
  EXPECT_EQ(items[0].name, "item_000000");
  EXPECT_EQ(items[1].prompt, "A blue coat");
  EXPECT_EQ(items[1].index, 1u);
  EXPECT_TRUE(items[1].error.empty());
}

TEST(BatchItems, JsonlBadLinesBecomeFailedItemsAndTheRestParse) {
  tera::test::TempDir dir("prompts");
  std::ofstream(dir / "p.jsonl") << "{\"prompt\": \"a\", \"seed\": 5, \"name\": \"../../escape\", "
                                    "\"steps\": 3, \"guidance\": 2.5}\n"
                                 << "{not json\n"
                                 << "{\"prompt\": \"b\", \"colour\": \"red\"}\n"
                                 << "{\"prompt\": \"c\", \"name\": \"escape\"}\n"
                                 << "{\"prompt\": \"d\", \"seed\": -1}\n"
                                 << "{\"prompt\": \"\"}\n"
                                 << "{\"prompt\": \"e\", \"views\": 2, \"sampler\": \"ddim\"}\n"
                                 << "{\"prompt\": \"f\", \"name\": \"batch_report.json\"}\n"
                                 << "{\"prompt\": \"g\", \"seed\": 1, \"seed\": 2}\n"
                                 << "{\"prompt\": \"h\", \"x\": {\"a\": 1}, \"y\": {\"a\": 2}}\n";
  const auto items = tera::read_prompt_file(dir / "p.jsonl");
  ASSERT_EQ(items.size(), 10u);
  EXPECT_EQ(
      items[8].error,
      "the key 'seed' is given twice in one object (the top-level object)");  // JSON would keep
                                                                              // either one
  EXPECT_NE(items[9].error.find("unknown field 'x'"), std::string::npos)
      << "a key repeated in two nested objects is not a repeat: " << items[9].error;
  EXPECT_NE(items[7].error.find("reserved"), std::string::npos);
  EXPECT_TRUE(items[0].error.empty());
  EXPECT_EQ(items[0].name, "escape");
  EXPECT_NE(items[0].note.find("rewritten"), std::string::npos);
  EXPECT_EQ(*items[0].seed, 5u);
  EXPECT_EQ(*items[0].steps, 3);
  EXPECT_FLOAT_EQ(*items[0].guidance, 2.5f);
  EXPECT_NE(items[1].error.find("JSON"), std::string::npos);
  EXPECT_NE(items[2].error.find("colour"), std::string::npos);
  EXPECT_NE(items[3].error.find("already used by line 1"), std::string::npos);
  EXPECT_NE(items[4].error.find("seed"), std::string::npos);
  EXPECT_NE(items[5].error.find("prompt"), std::string::npos);
  EXPECT_TRUE(items[6].error.empty());
  EXPECT_EQ(*items[6].views, 2);
  EXPECT_EQ(*items[6].sampler, "ddim");
}

TEST(BatchItems, NonUtf8LineFailsAloneAndMissingFileThrows) {
  tera::test::TempDir dir("prompts");
  std::ofstream(dir / "p.txt", std::ios::binary) << "good one\nbad \xff\xfe line\nanother\n";
  const auto items = tera::read_prompt_file(dir / "p.txt");
  ASSERT_EQ(items.size(), 3u);
  EXPECT_TRUE(items[0].error.empty());
  EXPECT_NE(items[1].error.find("UTF-8"), std::string::npos);
  EXPECT_TRUE(items[2].error.empty());
  EXPECT_THROW(tera::read_prompt_file(dir / "missing.txt"), tera::InputError);
}

}  // namespace

namespace {

TEST(BatchItems, FileWithoutPromptsAndJsonFilesAreRefused) {
  tera::test::TempDir dir("prompts_none");
  for (const char* name : {"empty.txt", "comments.txt", "empty.jsonl"}) {
    std::ofstream(dir / name) << (std::string(name) == "comments.txt" ? "# a\n\n  # b\n" : "");
    try {
      tera::read_prompt_file(dir / name);
      ADD_FAILURE() << name << " was read as a prompt file";
    } catch (const tera::InputError& error) {
      EXPECT_NE(std::string(error.what()).find("holds no prompts"), std::string::npos)
          << error.what();
      EXPECT_NE(std::string(error.what()).find(name), std::string::npos) << error.what();
    }
  }
  std::ofstream(dir / "p.json") << "{\"prompt\": \"a man\"}\n";
  EXPECT_THROW(tera::read_prompt_file(dir / "p.json"), tera::InputError);
}

TEST(BatchItems, JsonlExtensionInAnyCaseAndByteOrderMarkAreRead) {
  tera::test::TempDir dir("prompts_case");
  std::ofstream(dir / "p.JSONL") << "\xEF\xBB\xBF{\"prompt\": \"a man\", \"seed\": 3}\n";
  const auto jsonl = tera::read_prompt_file(dir / "p.JSONL");
  ASSERT_EQ(jsonl.size(), 1u);
  EXPECT_EQ(jsonl[0].error, "");
  EXPECT_EQ(jsonl[0].prompt, "a man");  // read as JSON, not as the literal line
  EXPECT_EQ(*jsonl[0].seed, 3u);
  std::ofstream(dir / "p.txt") << "\xEF\xBB\xBF"
                                  "a woman\n";
  const auto text = tera::read_prompt_file(dir / "p.txt");
  ASSERT_EQ(text.size(), 1u);
  EXPECT_EQ(text[0].prompt, "a woman");  // no byte order mark inside the prompt
}

}  // namespace
