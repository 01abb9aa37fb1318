"""Reads a teacher dataset written by `tera-synth generate` (docs/teacher.md, "Dataset layout")."""
import json
import os
import struct

import numpy as np

from .template import Template

SHARD_HEADER = struct.Struct("<8sIIQIHH")  # magic, version, count, first index, M, layers, channels


class TeacherDataset:
    """Memory-mapped maps float16[N, layers, M, channels] plus attributes and captions per avatar."""

    def __init__(self, folder, limit=None):
        self.folder = folder
        with open(os.path.join(folder, "manifest.json")) as f:
            self.manifest = json.load(f)
        if self.manifest.get("format") != "tera-synth-dataset":
            raise ValueError(f"{folder}/manifest.json: field 'format' is not tera-synth-dataset")
        self.template_path = os.path.join(folder, self.manifest["template"])
        self.template = Template(self.template_path)
        self.layers, self.channels = self.manifest["layers"], self.manifest["channels"]
        self.records = {}
        with open(os.path.join(folder, self.manifest["captions"])) as f:
            for line in f:
                record = json.loads(line)
                self.records[record["index"]] = record
        self.shards = []  # (first index, memmap[count, layers, M, channels])
        shard_dir = os.path.join(folder, "shards")
        for name in sorted(os.listdir(shard_dir)):
            if not name.endswith(".bin") or not os.path.exists(os.path.join(shard_dir, name[:-4] + ".json")):
                continue  # an unfinished shard has no index yet
            path = os.path.join(shard_dir, name)
            with open(path, "rb") as f:
                magic, version, count, first, m, layers, channels = SHARD_HEADER.unpack(f.read(SHARD_HEADER.size))
            if magic != b"TERASHRD" or m != self.template.texel_count or (layers, channels) != (self.layers, self.channels):
                raise ValueError(f"{path}: header does not match the dataset manifest")
            maps = np.memmap(path, np.float16, "r", SHARD_HEADER.size, (count, layers, m, channels))
            self.shards.append((first, maps))
        self.index = [(first + i, s, i) for s, (first, maps) in enumerate(self.shards) for i in range(maps.shape[0])]
        self.index = [entry for entry in self.index if entry[0] in self.records]
        self.index.sort()
        if limit is not None:
            self.index = self.index[:limit]
        if not self.index:
            raise ValueError(f"{folder}: no finished shards")

    def __len__(self):
        return len(self.index)

    def maps(self, i):
        """float32[layers, M, channels] of the i-th avatar."""
        _, shard, slot = self.index[i]
        return np.asarray(self.shards[shard][1][slot], dtype=np.float32)

    def stack(self, ids):
        """float16[len(ids), layers, M, channels] of the given avatars (as stored: half the memory)."""
        out = np.empty((len(ids), self.layers, self.template.texel_count, self.channels), np.float16)
        for k, i in enumerate(ids):
            _, shard, slot = self.index[i]
            out[k] = self.shards[shard][1][slot]
        return out

    def attributes(self, ids):
        return [self.records[self.index[i][0]]["attributes"] for i in ids]

    def record(self, i):
        """The captions.jsonl record of the i-th avatar: attributes and captions."""
        return self.records[self.index[i][0]]
