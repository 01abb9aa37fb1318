// BVH reader; see include/tera/pose/bvh.h.
#include "tera/pose/bvh.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <string_view>

#include "tera/core/atomic_file.h"
#include "tera/core/error.h"
#include "tera/core/file_text.h"
#include "tera/core/rotation.h"

namespace tera {
namespace {

constexpr int kMaxDepth = 256;               // deeper nesting is a broken file, not a skeleton
constexpr double kMaxFrameSeconds = 3600.0;  // a frame time above an hour is a broken header

struct Token {
  std::string text;
  std::size_t line = 0;
};

// Splits the text into whitespace-separated tokens with their 1-based lines. "{" and "}" are
// tokens of their own even when glued to a word.
std::vector<Token> tokenize(std::string_view text) {
  std::vector<Token> tokens;
  std::size_t line = 1;
  std::string word;
  const auto flush = [&] {
    if (!word.empty()) tokens.push_back({word, line});
    word.clear();
  };
  for (const char c : text) {
    if (c == '\n') {
      flush();
      ++line;
    } else if (c == ' ' || c == '\t' || c == '\r') {
      flush();
    } else if (c == '{' || c == '}') {
      flush();
      tokens.push_back({std::string(1, c), line});
    } else {
      word += c;
    }
  }
  flush();
  return tokens;
}

class Parser {
 public:
  Parser(std::string_view text, std::string source)
      : tokens_(tokenize(text)), source_(std::move(source)) {}

  BvhMotion parse() {
    BvhMotion m;
    m.source = source_;
    expect_word("HIERARCHY", "the file to start with HIERARCHY");
    if (!at("ROOT")) fail("expected ROOT after HIERARCHY, found '" + peek_text() + "'");
    next();
    joint(m, -1, 0);
    if (at("ROOT")) fail("a second ROOT: tera reads one skeleton per file");
    expect_word("MOTION", "MOTION after the hierarchy");
    expect_word("Frames:", "'Frames: N'");
    const Token frames = next();
    char* end = nullptr;
    const long count = std::strtol(frames.text.c_str(), &end, 10);
    if (*end != '\0' || count < 1 || count > 10000000)
      fail_at(frames.line, "", "'Frames:' expects a positive count, found '" + frames.text + "'");
    m.frames = static_cast<int>(count);
    expect_word("Frame", "'Frame Time: SECONDS'");
    expect_word("Time:", "'Frame Time: SECONDS'");
    const Token time = next();
    m.frame_time = std::strtod(time.text.c_str(), &end);
    if (*end != '\0' || !(m.frame_time > 0.0) || m.frame_time > kMaxFrameSeconds) {
      fail_at(time.line, "", "'Frame Time:' expects seconds > 0, found '" + time.text + "'");
    }
    read_frames(m);
    return m;
  }

 private:
  void joint(BvhMotion& m, int parent, int depth) {
    if (depth > kMaxDepth) fail("joints nested deeper than " + std::to_string(kMaxDepth));
    const Token name = next();
    if (name.text == "{" || name.text == "}")
      fail_at(name.line, "", "expected a joint name, found '" + name.text + "'");
    if (m.find(name.text) >= 0) fail_at(name.line, name.text, "the joint name is used twice");
    BvhJoint j;
    j.name = name.text;
    j.parent = parent;
    j.line = name.line;
    expect_symbol("{", j.name);
    expect_word("OFFSET", "OFFSET x y z", j.name);
    for (float& v : j.offset) v = number(j.name, "OFFSET");
    if (at("CHANNELS")) {
      next();
      const Token n = next();
      char* end = nullptr;
      const long count = std::strtol(n.text.c_str(), &end, 10);
      if (*end != '\0' || count < 0 || count > 6)
        fail_at(n.line, j.name, "CHANNELS expects a count of 0 to 6, found '" + n.text + "'");
      for (long c = 0; c < count; ++c) {
        const Token ch = next();
        j.channels.push_back(channel(ch, j));
      }
    } else if (parent < 0) {
      fail_at(peek_line(), j.name, "the root has no CHANNELS");
    }
    j.first_channel = m.channel_count;
    m.channel_count += j.channels.size();
    const int index = static_cast<int>(m.joints.size());
    m.joints.push_back(j);
    while (!at("}")) {
      if (at("JOINT")) {
        next();
        joint(m, index, depth + 1);
      } else if (at("End")) {
        next();
        expect_word("Site", "'End Site'", m.joints[static_cast<std::size_t>(index)].name);
        expect_symbol("{", m.joints[static_cast<std::size_t>(index)].name + " End Site");
        expect_word("OFFSET", "OFFSET x y z",
                    m.joints[static_cast<std::size_t>(index)].name + " End Site");
        for (int k = 0; k < 3; ++k)
          number(m.joints[static_cast<std::size_t>(index)].name + " End Site", "OFFSET");
        expect_symbol("}", m.joints[static_cast<std::size_t>(index)].name + " End Site");
      } else {
        fail_at(peek_line(), m.joints[static_cast<std::size_t>(index)].name,
                "expected JOINT, End Site or '}', found '" + peek_text() + "'");
      }
    }
    next();  // "}"
  }

  BvhChannel channel(const Token& t, const BvhJoint& j) {
    static const char* const kNames[] = {"Xposition", "Yposition", "Zposition",
                                         "Xrotation", "Yrotation", "Zrotation"};
    for (int k = 0; k < 6; ++k) {
      if (t.text == kNames[k]) {
        const auto c = static_cast<BvhChannel>(k);
        for (const BvhChannel seen : j.channels) {
          if (seen == c) fail_at(t.line, j.name, "channel '" + t.text + "' is listed twice");
        }
        return c;
      }
    }
    fail_at(t.line, j.name,
            "unknown channel '" + t.text +
                "' (expected Xposition, Yposition, Zposition, Xrotation, Yrotation or Zrotation)");
  }

  void read_frames(BvhMotion& m) {
    // Never more than the tokens left: a short file can declare 10^7 frames of hundreds of
    // channels.
    m.values.reserve(
        std::min(static_cast<std::size_t>(m.frames) * m.channel_count, tokens_.size() - pos_));
    for (int f = 0; f < m.frames; ++f) {
      const std::size_t line = peek_line();
      for (std::size_t c = 0; c < m.channel_count; ++c) {
        if (pos_ >= tokens_.size()) {
          fail_at(line, "",
                  "frame " + std::to_string(f + 1) + " of " + std::to_string(m.frames) + " holds " +
                      std::to_string(c) + " values; the hierarchy declares " +
                      std::to_string(m.channel_count) + " channels");
        }
        const Token& t = tokens_[pos_];
        if (t.line != line) {
          fail_at(line, joint_of_channel(m, c),
                  "frame " + std::to_string(f + 1) + " holds " + std::to_string(c) +
                      " values; the hierarchy declares " + std::to_string(m.channel_count) +
                      " channels");
        }
        char* end = nullptr;
        errno = 0;
        const float v = std::strtof(t.text.c_str(), &end);
        if (*end != '\0' || end == t.text.c_str() || !std::isfinite(v)) {
          const bool overflow = *end == '\0' && end != t.text.c_str() && errno == ERANGE;
          fail_at(t.line, joint_of_channel(m, c),
                  "'" + printable(t.text) + "' is " +
                      (overflow ? "beyond float's range" : "not a finite number") + " (frame " +
                      std::to_string(f + 1) + ", value " + std::to_string(c + 1) + ")");
        }
        m.values.push_back(v);
        ++pos_;
      }
      if (pos_ < tokens_.size() && tokens_[pos_].line == line && m.channel_count > 0) {
        fail_at(line, "",
                "frame " + std::to_string(f + 1) + " holds more than the " +
                    std::to_string(m.channel_count) + " values the hierarchy declares");
      }
    }
    if (pos_ < tokens_.size()) {
      fail_at(tokens_[pos_].line, "",
              "more frames than 'Frames: " + std::to_string(m.frames) + "' declares");
    }
  }

  static std::string joint_of_channel(const BvhMotion& m, std::size_t c) {
    for (const BvhJoint& j : m.joints) {
      if (c >= j.first_channel && c < j.first_channel + j.channels.size()) return j.name;
    }
    return "";
  }

  float number(const std::string& joint, const char* what) {
    const Token t = next();
    char* end = nullptr;
    const float v = std::strtof(t.text.c_str(), &end);
    if (*end != '\0' || end == t.text.c_str() || !std::isfinite(v)) {
      fail_at(t.line, joint, std::string(what) + " expects three numbers, found '" + t.text + "'");
    }
    return v;
  }

  bool at(const char* word) const { return pos_ < tokens_.size() && tokens_[pos_].text == word; }
  std::string peek_text() const {
    return pos_ < tokens_.size() ? tokens_[pos_].text : "the end of the file";
  }
  std::size_t peek_line() const { return pos_ < tokens_.size() ? tokens_[pos_].line : last_line(); }
  std::size_t last_line() const { return tokens_.empty() ? 1 : tokens_.back().line; }
  Token next() {
    if (pos_ >= tokens_.size()) fail_at(last_line(), "", "the file ends early");
    return tokens_[pos_++];
  }
  void expect_word(const char* word, const std::string& what, const std::string& joint = "") {
    if (!at(word))
      fail_at(peek_line(), joint, "expected " + what + ", found '" + peek_text() + "'");
    ++pos_;
  }
  void expect_symbol(const char* symbol, const std::string& joint) {
    expect_word(symbol, std::string("'") + symbol + "'", joint);
  }
  [[noreturn]] void fail(const std::string& what) const { fail_at(peek_line(), "", what); }
  [[noreturn]] void fail_at(std::size_t line, const std::string& joint,
                            const std::string& what) const {
    throw InputError(source_ + ": line " + std::to_string(line) +
                     (joint.empty() ? "" : ": joint '" + printable(joint) + "'") + ": " +
                     printable(what));
  }

  std::vector<Token> tokens_;
  std::string source_;
  std::size_t pos_ = 0;
};

}  // namespace

int BvhMotion::find(const std::string& name) const {
  for (std::size_t i = 0; i < joints.size(); ++i) {
    if (joints[i].name == name) return static_cast<int>(i);
  }
  return -1;
}

std::array<float, 4> BvhMotion::local_rotation(int joint, int frame) const {
  const BvhJoint& j = joints[static_cast<std::size_t>(joint)];
  std::array<float, 4> q{1.f, 0.f, 0.f, 0.f};
  const float* v = &values[static_cast<std::size_t>(frame) * channel_count + j.first_channel];
  constexpr float kRadiansPerDegree = 3.14159265358979f / 180.f;  // BVH angles are degrees
  for (std::size_t c = 0; c < j.channels.size(); ++c) {
    const int kind = static_cast<int>(j.channels[c]);
    if (kind < 3) continue;  // a position channel
    float axis[3] = {0.f, 0.f, 0.f};
    axis[kind - 3] = 1.f;
    float r[4], out[4];
    rot::quat_from_axis_angle(axis, v[c] * kRadiansPerDegree, r);
    rot::quat_multiply(q.data(), r, out);  // channels compose left to right: R = R1 * R2 * R3
    std::copy(out, out + 4, q.begin());
  }
  return q;
}

std::array<float, 3> BvhMotion::position_channels(int joint, int frame, bool* present) const {
  const BvhJoint& j = joints[static_cast<std::size_t>(joint)];
  std::array<float, 3> p{0.f, 0.f, 0.f};
  bool any = false;
  const float* v = &values[static_cast<std::size_t>(frame) * channel_count + j.first_channel];
  for (std::size_t c = 0; c < j.channels.size(); ++c) {
    const int kind = static_cast<int>(j.channels[c]);
    if (kind >= 3) continue;
    p[static_cast<std::size_t>(kind)] = v[c];
    any = true;
  }
  if (present) *present = any;
  return p;
}

std::vector<float> BvhMotion::rest_positions() const {
  std::vector<float> out(joints.size() * 3);
  for (std::size_t i = 0; i < joints.size(); ++i) {
    for (std::size_t k = 0; k < 3; ++k) {
      const int p = joints[i].parent;
      out[i * 3 + k] =
          joints[i].offset[k] + (p < 0 ? 0.f : out[static_cast<std::size_t>(p) * 3 + k]);
    }
  }
  return out;
}

BvhMotion parse_bvh(const std::string& text, const std::string& source) {
  return Parser(without_byte_order_mark(text), source).parse();
}

bool is_bvh_path(const std::filesystem::path& path) { return lower_extension(path) == ".bvh"; }

BvhMotion read_bvh(const std::filesystem::path& path) {
  return parse_bvh(read_file(path), path.string());
}

}  // namespace tera
