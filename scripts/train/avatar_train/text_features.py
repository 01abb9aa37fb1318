"""Prompt features of the frozen text encoder, computed once per caption and kept on disk.

The denoiser trains on MiniLM's token features (ctx) of each avatar's captions; the encoder is
frozen, so they are computed once (minilm.encode_prompts, the same module and tokeniser the
runtime uses) and stored trimmed to each caption's tokens: a float16 row store [rows, 384] plus
per caption its first row, its token count and its avatar. Captions are encoded in chunks written
atomically, so an interrupted stage resumes at the chunk it was in.
"""
import hashlib
import json
import os
import time

import numpy as np
import torch

from . import minilm

CHUNK = 4096  # captions per chunk file: a few minutes of encoding on 2 cores


def log(*parts):
    print(time.strftime("%H:%M:%S"), *parts, flush=True)


def encode_chunks(captions, folder, encoder=None, tokenizer=None):
    """Encodes captions (list of str) into folder/chunk-NNNN.npz, skipping finished chunks."""
    os.makedirs(folder, exist_ok=True)
    for start in range(0, len(captions), CHUNK):
        path = os.path.join(folder, f"chunk-{start // CHUNK:04d}.npz")
        if os.path.exists(path):
            continue
        if encoder is None:
            encoder, tokenizer = minilm.load_encoder(), minilm.load_tokenizer()
        began = time.time()
        part = captions[start:start + CHUNK]
        features = minilm.encode_prompts(encoder, tokenizer, part)
        lengths = features["mask"].sum(1).numpy()
        rows = np.concatenate([features["ctx"][i, :n].numpy() for i, n in enumerate(lengths)])
        np.savez(path[:-4] + ".tmp.npz", rows=rows, lengths=lengths)
        os.replace(path[:-4] + ".tmp.npz", path)
        log(f"text features: captions {start + len(part)} of {len(captions)} ({len(part) / (time.time() - began):.0f}/s)")


class FeatureStore:
    """The stored features of one or more folders (build), their captions in turn: caption i -> (ctx float16[n_i,
    384], avatar row)."""

    def __init__(self, *folders):
        avatars, rows, lengths, self.captions = [], [], [], []
        for folder in folders:
            with open(os.path.join(folder, "captions.json")) as f:
                meta = json.load(f)
            avatars.append(np.asarray(meta["avatar"], np.int64))
            self.captions += meta["captions"]
            for k in range((len(avatars[-1]) + CHUNK - 1) // CHUNK):
                with np.load(os.path.join(folder, f"chunk-{k:04d}.npz")) as chunk:
                    rows.append(chunk["rows"])
                    lengths.append(chunk["lengths"])
        self.avatar = np.concatenate(avatars)                       # [captions] row in the latent array
        self.rows = np.concatenate(rows)
        self.lengths = np.concatenate(lengths).astype(np.int64)
        self.first = np.concatenate([[0], np.cumsum(self.lengths)[:-1]])
        self.by_avatar = {}
        for i, a in enumerate(self.avatar):
            self.by_avatar.setdefault(int(a), []).append(i)
        empty = np.load(os.path.join(folders[0], "empty.npz"))
        self.empty = empty["rows"]  # float16[2, 384]: [CLS] [SEP], the unconditional prompt

    def batch(self, captions, device):
        """Caption indices (-1: the empty prompt) -> (ctx float[B, L, 384], mask int64[B, L])."""
        parts = [self.empty if c < 0 else self.rows[self.first[c]:self.first[c] + self.lengths[c]] for c in captions]
        return padded(parts, device)

    def fingerprint(self):
        """A hex digest of the captions, their avatars and token counts: features of the same captions by the same
        frozen encoder are the same, so it names what a fit on this store learns from (draws.keep_member)."""
        digest = hashlib.sha256("\n".join(self.captions).encode())
        digest.update(self.avatar.tobytes())
        digest.update(self.lengths.tobytes())
        return digest.hexdigest()

    def batch_of(self, values, captions, device):
        """values float32[rows] (one per stored token row), caption indices (no -1) -> float[B, L], the captions'
        values padded as batch() pads their features (0 on padding)."""
        parts = [values[self.first[c]:self.first[c] + self.lengths[c], None] for c in captions]
        return padded(parts, device)[0][:, :, 0]


def padded(parts, device):
    """Captions' token features [float16[n_i, D]] -> (ctx float[B, L, D], mask int64[B, L]), padded
    to the longest caption; padding has mask 0."""
    length = max(len(p) for p in parts)
    ctx = np.zeros((len(parts), length, parts[0].shape[1]), np.float32)
    mask = np.zeros((len(parts), length), np.int64)
    for i, p in enumerate(parts):
        ctx[i, :len(p)] = p
        mask[i, :len(p)] = 1
    return torch.from_numpy(ctx).to(device), torch.from_numpy(mask).to(device)


def build(folder, captions, avatar_rows):
    """Writes the features of captions (avatar_rows[i]: caption i's row in the latent array) and of
    the empty prompt into folder; resumable."""
    os.makedirs(folder, exist_ok=True)
    meta_path = os.path.join(folder, "captions.json")
    if os.path.exists(meta_path):
        with open(meta_path) as f:
            if json.load(f)["captions"] != captions:
                raise ValueError(f"{meta_path}: the stored features belong to other captions; remove {folder}")
    else:
        with open(meta_path + ".tmp", "w") as f:
            json.dump({"captions": captions, "avatar": [int(a) for a in avatar_rows]}, f)
        os.replace(meta_path + ".tmp", meta_path)
    encoder, tokenizer = minilm.load_encoder(), minilm.load_tokenizer()
    empty = minilm.encode_prompts(encoder, tokenizer, [""])
    np.savez(os.path.join(folder, "empty.npz"), rows=empty["ctx"][0, :int(empty["mask"][0].sum())].numpy())
    encode_chunks(captions, folder, encoder, tokenizer)
