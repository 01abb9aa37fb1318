#include "dataset.h"

#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "binary_io.h"
#include "captions.h"
#include "half.h"
#include "template.h"
#include "tera/core/atomic_file.h"
#include "tera/core/clock.h"
#include "tera/core/error.h"
#include "tera/core/rng.h"

namespace fs = std::filesystem;

namespace tera::synth {
namespace {

constexpr char kShardMagic[8] = {'T', 'E', 'R', 'A', 'S', 'H', 'R', 'D'};  // identifies shard files

std::string shard_stem(std::uint64_t shard) {
  char name[32];
  std::snprintf(name, sizeof(name), "shard-%05llu", static_cast<unsigned long long>(shard));
  return name;
}

void write_text_atomic(const fs::path& path, const std::string& text) {
  write_file_atomic(path, text.data(), text.size());
}

// Checks or writes the manifest so that a resumed run continues the same dataset.
void prepare_manifest(const DatasetOptions& o, const Template& t) {
  const fs::path manifest = fs::path(o.out_dir) / "manifest.json";
  nlohmann::json j = {
      {"format", "tera-synth-dataset"},
      {"version", kShardVersion},
      {"seed", o.seed},
      {"count", o.count},
      {"shard_size", o.shard_size},
      {"resolution", o.resolution},
      {"texel_count", t.texel_count()},
      {"layers", kMapLayers},
      {"channels", kMapChannels},
      {"layer_names", {"skin", "garment", "hair_hat_face_extras"}},
      {"channel_names",
       {"offset_t", "offset_b", "offset_n", "r", "g", "b", "opacity", "log_scale_a", "log_scale_b",
        "log_scale_n", "angle", "part"}},
      {"part_names",
       {"none", "skin", "top", "bottom", "shoes", "hat", "hair", "facial_hair", "glasses"}},
      {"template", "template.bin"},
      {"dtype", "float16"},
      {"captions", "captions.jsonl"}};
  if (fs::exists(manifest)) {
    const auto old = nlohmann::json::parse(read_file_text(manifest.string()));
    for (const char* key : {"version", "seed", "shard_size", "resolution"}) {
      if (old.value(key, nlohmann::json()) != j[key]) {
        throw UsageError(manifest.string() + ": existing dataset has a different " + key +
                         "; use another --out");
      }
    }
  }
  write_text_atomic(manifest, j.dump(2) + "\n");
  write_template(t, (fs::path(o.out_dir) / "template.bin").string());
}

// Bakes one shard: the .bin first, then its .json index (the index marks a finished shard).
void write_shard(const Baker& baker, const Template& t, const DatasetOptions& o,
                 std::uint64_t shard) {
  const std::uint64_t first = shard * o.shard_size;
  const std::uint64_t count = std::min<std::uint64_t>(o.shard_size, o.count - first);
  const std::size_t m = t.texel_count();
  ByteWriter bin;
  for (char c : kShardMagic) bin.put<char>(c);
  bin.put<std::uint32_t>(kShardVersion);
  bin.put<std::uint32_t>(static_cast<std::uint32_t>(count));
  bin.put<std::uint64_t>(first);
  bin.put<std::uint32_t>(static_cast<std::uint32_t>(m));
  bin.put<std::uint16_t>(kMapLayers);
  bin.put<std::uint16_t>(kMapChannels);
  nlohmann::json index = {{"shard", shard},
                          {"first_index", first},
                          {"count", count},
                          {"avatars", nlohmann::json::array()}};
  std::string captions;
  for (std::uint64_t k = 0; k < count; ++k) {
    const std::uint64_t i = first + k;
    const std::uint64_t seed = avatar_seed(o.seed, i);
    const Attributes a = sample_attributes(seed);
    const BakedMaps maps = baker.bake(a);
    const std::size_t offset = bin.bytes().size();
    std::vector<std::uint16_t> halves(maps.values.size());
    for (std::size_t h = 0; h < halves.size(); ++h) halves[h] = float_to_half(maps.values[h]);
    const auto* raw = reinterpret_cast<const std::uint8_t*>(halves.data());
    bin.bytes().insert(bin.bytes().end(), raw, raw + halves.size() * sizeof(std::uint16_t));
    index["avatars"].push_back(
        {{"index", i}, {"seed", seed}, {"offset", offset}, {"bytes", bin.bytes().size() - offset}});
    nlohmann::json line = {{"index", i},
                           {"seed", seed},
                           {"shard", shard},
                           {"slot", k},
                           {"attributes", to_json(a)},
                           {"labels", derived_labels(a)},
                           {"captions", make_captions(a, seed, o.captions_per_avatar)}};
    captions += line.dump() + "\n";
  }
  const fs::path dir = fs::path(o.out_dir) / "shards";
  write_file_atomic(dir / (shard_stem(shard) + ".bin"), bin.bytes().data(), bin.bytes().size());
  write_text_atomic(dir / (shard_stem(shard) + ".captions.jsonl"), captions);
  write_text_atomic(dir / (shard_stem(shard) + ".json"), index.dump() + "\n");
}

}  // namespace

std::uint64_t avatar_seed(std::uint64_t seed, std::uint64_t index) {
  Rng rng(seed ^ (index * 0x9E3779B97F4A7C15ull));  // golden-ratio spacing keeps streams apart
  return rng.next_u64();
}

DatasetSummary generate_dataset(const AssetPack& pack, const DatasetOptions& o) {
  if (o.count == 0) throw UsageError("--count must be at least 1");
  if (o.shard_size == 0) throw UsageError("--shard-size must be at least 1");
  const auto start = std::chrono::steady_clock::now();
  fs::create_directories(fs::path(o.out_dir) / "shards");
  const Template t = build_template(pack, o.resolution);
  prepare_manifest(o, t);
  const std::uint64_t shards = (o.count + o.shard_size - 1) / o.shard_size;
  std::vector<std::uint64_t> todo;
  DatasetSummary summary;
  for (std::uint64_t s = 0; s < shards; ++s) {
    if (fs::exists(fs::path(o.out_dir) / "shards" / (shard_stem(s) + ".json"))) {
      summary.skipped += std::min<std::uint64_t>(o.shard_size, o.count - s * o.shard_size);
    } else {
      todo.push_back(s);
    }
  }
  const int threads = std::max(
      1, o.threads > 0 ? o.threads : static_cast<int>(std::thread::hardware_concurrency()));
  std::atomic<std::size_t> next{0};
  std::atomic<std::uint64_t> baked{0};
  std::mutex error_mutex;
  std::string first_error;
  std::vector<std::thread> pool;
  for (int w = 0; w < threads; ++w) {
    pool.emplace_back([&] {
      try {
        const Baker baker(pack, t);
        for (std::size_t j = next++; j < todo.size(); j = next++) {
          write_shard(baker, t, o, todo[j]);
          baked += std::min<std::uint64_t>(o.shard_size, o.count - todo[j] * o.shard_size);
        }
      } catch (const std::exception& e) {
        std::lock_guard<std::mutex> lock(error_mutex);
        if (first_error.empty()) first_error = e.what();
        next = todo.size();
      }
    });
  }
  for (auto& th : pool) th.join();
  if (!first_error.empty()) throw Error("dataset generation failed: " + first_error);
  // captions.jsonl: every shard's captions in index order.
  std::string all;
  for (std::uint64_t s = 0; s < shards; ++s)
    all += read_file_text(
        (fs::path(o.out_dir) / "shards" / (shard_stem(s) + ".captions.jsonl")).string());
  write_text_atomic(fs::path(o.out_dir) / "captions.jsonl", all);
  summary.baked = baked;
  summary.seconds = seconds_since(start);
  return summary;
}

std::size_t relabel_dataset(const std::string& out_dir) {
  const fs::path all_path = fs::path(out_dir) / "captions.jsonl";
  if (!fs::exists(all_path))
    throw InputError(all_path.string() + ": not found: " + out_dir +
                     " is not a tera-synth dataset");
  std::string all;
  std::size_t records = 0;
  for (std::uint64_t s = 0;; ++s) {
    const fs::path file = fs::path(out_dir) / "shards" / (shard_stem(s) + ".captions.jsonl");
    if (!fs::exists(file)) break;
    std::istringstream in(read_file_text(file.string()));
    std::string text, line;
    for (std::size_t number = 1; std::getline(in, line); ++number) {
      if (line.empty()) continue;
      nlohmann::json record = nlohmann::json::parse(line, nullptr, false);
      if (record.is_discarded() || !record.is_object() || !record.contains("attributes")) {
        throw InputError(file.string() + ": line " + std::to_string(number) +
                         ": not a caption record (no 'attributes')");
      }
      try {
        record["labels"] = derived_labels(attributes_from_json(record["attributes"]));
      } catch (const Error& e) {
        throw InputError(file.string() + ": line " + std::to_string(number) + ": " + e.what());
      }
      text += record.dump() + "\n";
      ++records;
    }
    write_text_atomic(file, text);
    all += text;
  }
  write_text_atomic(all_path, all);
  return records;
}

BakedMaps read_shard_avatar(const std::string& path, std::uint32_t slot) {
  const auto bytes = read_file_bytes(path);
  ByteReader r(bytes.data(), bytes.size(), path);
  char magic[8];
  for (char& c : magic) c = r.get<char>("magic");
  if (std::string(magic, 8) != std::string(kShardMagic, 8))
    r.fail("not a tera-synth shard (magic 'TERASHRD' expected)");
  const auto version = r.get<std::uint32_t>("version");
  if (version != kShardVersion)
    r.fail("shard version " + std::to_string(version) + ", expected " +
           std::to_string(kShardVersion));
  const auto count = r.get<std::uint32_t>("count");
  r.get<std::uint64_t>("first index");
  const auto m = r.get<std::uint32_t>("texel count");
  const auto layers = r.get<std::uint16_t>("layers");
  const auto channels = r.get<std::uint16_t>("channels");
  if (layers != kMapLayers || channels != kMapChannels) r.fail("unexpected layer or channel count");
  if (slot >= count)
    throw UsageError(path + ": slot " + std::to_string(slot) + " but the shard holds " +
                     std::to_string(count));
  const std::size_t per = static_cast<std::size_t>(m) * layers * channels;
  const std::size_t header = r.position();
  // Divided, not multiplied: texel count x avatars from a hostile header can overflow 64 bits.
  const std::size_t maps_bytes = bytes.size() - header;
  if (per == 0 || maps_bytes % (per * 2) != 0 || maps_bytes / (per * 2) != count) {
    r.fail("shard size does not match its header: " + std::to_string(count) + " avatars of " +
           std::to_string(m) + " texels need " + std::to_string(count) + " x " +
           std::to_string(per * 2) + " bytes, found " + std::to_string(maps_bytes) +
           " (truncated?)");
  }
  BakedMaps maps;
  maps.values.resize(per);
  const std::uint8_t* p = bytes.data() + header + per * 2 * slot;
  for (std::size_t i = 0; i < per; ++i)
    maps.values[i] = half_to_float(static_cast<std::uint16_t>(p[2 * i] | (p[2 * i + 1] << 8)));
  return maps;
}

}  // namespace tera::synth
