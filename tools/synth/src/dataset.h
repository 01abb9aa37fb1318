// The training dataset: avatars baked in shards of float16 maps, a JSON index per shard, the
// template, a manifest and captions.jsonl (layout in docs/teacher.md). Generation is
// deterministic per seed, resumable (finished shards are kept) and multithreaded.
#pragma once

#include <cstdint>
#include <string>

#include "asset_pack.h"
#include "bake.h"

namespace tera::synth {

constexpr std::uint32_t kShardVersion =
    2;  // 2: a twelfth channel per layer, the teacher's part label

struct DatasetOptions {
  std::string out_dir;
  std::uint64_t count = 0;        // avatars in the dataset
  std::uint64_t seed = 0;         // dataset seed; avatar i gets avatar_seed(seed, i)
  std::uint32_t shard_size = 64;  // avatars per shard: small enough to resume cheaply
  int threads = 0;                // 0 = all cores
  int resolution = 256;           // template resolution R
  int captions_per_avatar = 8;    // captions written per avatar
};

struct DatasetSummary {
  std::uint64_t baked = 0;    // avatars baked by this run
  std::uint64_t skipped = 0;  // avatars in shards that were already complete
  double seconds = 0.0;
};

// The seed of avatar `index` in a dataset with seed `seed` (SplitMix64 of both).
std::uint64_t avatar_seed(std::uint64_t seed, std::uint64_t index);

// Writes (or completes) the dataset. Throws UsageError when out_dir holds a dataset made with a
// different seed, resolution or shard size.
DatasetSummary generate_dataset(const AssetPack& pack, const DatasetOptions& options);

// Writes the derived labels (derived_labels) into every caption record of the dataset in out_dir,
// shard by shard and then captions.jsonl, each file atomically; a dataset written before records
// carried labels becomes one that has them. Returns the records relabelled. InputError names the
// file and line of a record it cannot read.
std::size_t relabel_dataset(const std::string& out_dir);

// Reads avatar `slot` of a shard file back into maps (for tests and inspection).
BakedMaps read_shard_avatar(const std::string& shard_path, std::uint32_t slot);

}  // namespace tera::synth
