#!/usr/bin/python3
"""Builds a tiny model package with RANDOM weights for tests: never a default, its avatars are noise.

    /usr/bin/python3 scripts/train/make_test_package.py --out build/test_models/tiny

Needs torch (Debian's python3-torch 1.13: TorchScript exported with the oldest supported torch
loads in every newer LibTorch) and sentencepiece. Writes: manifest.json, tokenizer.model (trained on
a small generated corpus of avatar captions), text_encoder.pt, denoiser.pt, decoder.pt (TorchScript
with the interfaces of docs/model-package.md) and template.bin (a synthetic UV-mapped figure of a
sphere and five cylinders in the teacher's template format, docs/template-format.md).
"""
import argparse
import hashlib
import io
import json
import math
import os
import random
import sys

import numpy as np
import sentencepiece as spm
import torch
import torch.nn as nn
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from avatar_train.template import write_template  # noqa: E402

MAX_TOKENS = 32       # prompt length L including BOS and EOS: captions are short
CONTEXT_DIM = 32      # text feature width D: tiny, the weights are random anyway
LATENT = (4, 16)      # T, C: four region tokens of 16 numbers, the shape of the real token latent in small
# What each latent token owns (latent.tokens in the manifest): one entry per token, in token order.
TOKENS = [
    {"name": "body", "owns": "body shape and skin"},
    {"name": "head", "owns": "face and hair"},
    {"name": "top", "owns": "upper-body garment"},
    {"name": "bottom", "owns": "lower-body garment and shoes"},
]
RESOLUTION = 64       # map resolution R: smallest that still gives a recognisable figure
VOCAB = 100           # sentencepiece vocabulary (at most): the caption corpus below supports ~118

# Channel layout of the decoder output (K = 25): two layers, the outer one with quaternions.
LAYERS = [
    {"name": "body", "offset": 0, "color": 3, "opacity": 6, "log_scale": 7, "rotation": 10, "rotation_kind": "angle",
     "opacity_kind": "logit"},
    {"name": "outer", "offset": 11, "color": 14, "opacity": 17, "log_scale": 18, "rotation": 21,
     "rotation_kind": "quaternion", "opacity_kind": "logit"},
]
CHANNELS = 25


def captions(count, rng):
    """A small corpus of avatar captions for the tokenizer."""
    ages = ["young", "middle-aged", "elderly", "teenage", "adult"]
    people = ["man", "woman", "person", "boy", "girl"]
    builds = ["tall", "short", "slim", "muscular", "heavy", "average"]
    colours = ["red", "blue", "green", "black", "white", "grey", "brown", "yellow", "purple", "orange"]
    hair = ["short", "long", "curly", "straight", "bald", "ponytail", "braided"]
    clothes = ["jacket", "shirt", "suit", "dress", "hoodie", "sweater", "coat", "t-shirt", "jeans", "trousers"]
    extras = ["with glasses", "with a beard", "with a hat", "wearing sneakers", "wearing boots", ""]
    out = []
    for _ in range(count):
        out.append(f"a {rng.choice(builds)} {rng.choice(ages)} {rng.choice(people)} with {rng.choice(hair)} "
                   f"{rng.choice(colours)} hair and a {rng.choice(colours)} {rng.choice(clothes)} {rng.choice(extras)}".strip())
    return out


def train_tokenizer(path, rng):
    model = io.BytesIO()
    spm.SentencePieceTrainer.train(sentence_iterator=iter(captions(2000, rng)), model_writer=model, vocab_size=VOCAB,
                                   model_type="unigram", character_coverage=1.0, hard_vocab_limit=False, pad_id=0, bos_id=1, eos_id=2, unk_id=3,
                                   num_threads=1, minloglevel=2)
    with open(path, "wb") as f:
        f.write(model.getvalue())


# ---------------------------------------------------------------------------------------------
# Synthetic template: charts of the UV square, each a parametric surface (s, t) in [0, 1]^2.
# (u0, v0, u1, v1, kind, params, region(t)); regions: 0 scalp, 1 face, 2 upper body, 3 arms,
# 4 lower body, 5 feet.
CHARTS = [
    (0.0, 0.5, 0.5, 1.0, "sphere", (0.0, 1.58, 0.0, 0.12), lambda t: 0 if t > 0.55 else 1),
    (0.5, 0.5, 1.0, 1.0, "cylinder", (0.0, 0.0, 0.17, 0.9, 1.45), lambda t: 2),
    (0.0, 0.0, 0.25, 0.5, "cylinder", (-0.09, 0.0, 0.07, 0.05, 0.9), lambda t: 5 if t < 0.1 else 4),
    (0.25, 0.0, 0.5, 0.5, "cylinder", (0.09, 0.0, 0.07, 0.05, 0.9), lambda t: 5 if t < 0.1 else 4),
    (0.5, 0.0, 0.75, 0.5, "cylinder", (-0.24, 0.0, 0.045, 0.8, 1.42), lambda t: 3),
    (0.75, 0.0, 1.0, 0.5, "cylinder", (0.24, 0.0, 0.045, 0.8, 1.42), lambda t: 3),
]
GRID = 8  # mesh cells per chart side: a coarse mesh is enough for the triangle lookup


def surface(kind, p, s, t):
    """Point, outward normal and +u tangent of a chart at (s, t)."""
    theta = 2.0 * math.pi * s
    if kind == "cylinder":
        cx, cz, r, y0, y1 = p
        point = np.array([cx + r * math.sin(theta), y0 + t * (y1 - y0), cz + r * math.cos(theta)])
        normal = np.array([math.sin(theta), 0.0, math.cos(theta)])
    else:
        cx, cy, cz, r = p
        phi = math.pi * min(max(t, 1e-3), 1 - 1e-3)  # keep away from the poles, where the frame degenerates
        normal = np.array([math.sin(phi) * math.sin(theta), -math.cos(phi), math.sin(phi) * math.cos(theta)])
        point = np.array([cx, cy, cz]) + r * normal
    tangent = np.array([math.cos(theta), 0.0, -math.sin(theta)])
    tangent -= normal * float(tangent @ normal)
    tangent /= np.linalg.norm(tangent)
    return point, normal, tangent


def build_template(resolution):
    t = {k: [] for k in ["texel", "triangle", "bary", "position", "normal", "tangent", "bitangent", "region"]}
    vertices, triangles = [], []
    chart_base = []
    for (_, _, _, _, kind, p, _) in CHARTS:
        base = len(vertices)
        chart_base.append((base, len(triangles)))
        for j in range(GRID + 1):
            for i in range(GRID + 1):
                vertices.append(surface(kind, p, i / GRID, j / GRID)[0])
        for j in range(GRID):
            for i in range(GRID):
                a, b = base + j * (GRID + 1) + i, base + j * (GRID + 1) + i + 1
                c, d = b + GRID + 1, a + GRID + 1
                triangles += [(a, b, c), (a, c, d)]
    for y in range(resolution):
        for x in range(resolution):
            u, v = (x + 0.5) / resolution, 1.0 - (y + 0.5) / resolution
            for ci, (u0, v0, u1, v1, kind, p, region) in enumerate(CHARTS):
                margin = 1.0 / resolution  # one empty texel around each chart, as UV islands have
                if not (u0 + margin < u < u1 - margin and v0 + margin < v < v1 - margin):
                    continue
                s, tt = (u - u0) / (u1 - u0), (v - v0) / (v1 - v0)
                point, normal, tangent = surface(kind, p, s, tt)
                ci_, cj = min(int(s * GRID), GRID - 1), min(int(tt * GRID), GRID - 1)
                fs, ft = s * GRID - ci_, tt * GRID - cj
                tri = chart_base[ci][1] + 2 * (cj * GRID + ci_)
                if fs >= ft:
                    bary = (1 - fs, fs - ft, ft)
                else:
                    tri, bary = tri + 1, (1 - ft, fs, ft - fs)
                t["texel"].append(y * resolution + x)
                t["triangle"].append(tri)
                t["bary"].append(bary)
                t["position"].append(point)
                t["normal"].append(normal)
                t["tangent"].append(tangent)
                t["bitangent"].append(np.cross(normal, tangent))
                t["region"].append(region(tt))
                break
    return t, np.array(vertices), np.array(triangles)


def write_package_template(path, resolution):
    t, vertices, triangles = build_template(resolution)
    m = len(t["texel"])
    texels = {"texel": t["texel"], "triangle": t["triangle"], "barycentric": t["bary"], "position": t["position"],
              "normal": t["normal"], "tangent": t["tangent"], "bitangent": t["bitangent"], "region": t["region"],
              "bone_index": np.zeros((m, 4), np.uint16), "bone_weight": np.tile([1.0, 0.0, 0.0, 0.0], (m, 1))}
    write_template(path, resolution, texels, vertices, triangles, [("root", -1, (0, 0, 0), (0, 1, 0))])  # one bone, full weight


# ---------------------------------------------------------------------------------------------
class TextEncoder(nn.Module):
    def __init__(self):
        super().__init__()
        self.embed = nn.Embedding(VOCAB, CONTEXT_DIM)
        self.position = nn.Parameter(torch.randn(MAX_TOKENS, CONTEXT_DIM) * 0.02)
        self.mix = nn.Linear(CONTEXT_DIM, CONTEXT_DIM)

    def forward(self, tokens: torch.Tensor, mask: torch.Tensor):
        # tokens, mask: int64[B, L] -> ctx float[B, L, D], pooled float[B, D]
        h = torch.tanh(self.mix(self.embed(tokens) + self.position[: tokens.shape[1]]))
        m = mask.to(h.dtype).unsqueeze(-1)
        pooled = (h * m).sum(1) / m.sum(1).clamp(min=1.0)
        return h, pooled


class Denoiser(nn.Module):
    def __init__(self, hidden: int = 32):
        super().__init__()
        tokens, channels = LATENT
        self.query = nn.Parameter(torch.randn(CONTEXT_DIM) * 0.1)
        self.score_scale = 1.0 / math.sqrt(CONTEXT_DIM)  # dot-product attention scaling
        self.time = nn.Linear(16, hidden)
        self.text = nn.Linear(CONTEXT_DIM, hidden)
        self.token = nn.Parameter(torch.randn(tokens, hidden) * 0.1)  # which token a row is
        self.inp = nn.Linear(channels, hidden)
        self.mid = nn.Linear(hidden, hidden)
        self.out = nn.Linear(hidden, channels)

    def forward(self, x: torch.Tensor, t: torch.Tensor, ctx: torch.Tensor, mask: torch.Tensor):
        # x float[B, T, C], t float[B], ctx float[B, L, D], mask int64[B, L] -> float[B, T, C]
        freqs = torch.exp(-math.log(10000.0) * torch.arange(8, dtype=torch.float32, device=x.device) / 8.0)
        angles = t.unsqueeze(1) * freqs.unsqueeze(0)
        time = self.time(torch.cat([torch.sin(angles), torch.cos(angles)], 1))  # [B, hidden]
        scores = torch.matmul(ctx, self.query) * self.score_scale
        weights = torch.softmax(scores.masked_fill(mask == 0, -1e4), 1)
        text = self.text((weights.unsqueeze(-1) * ctx).sum(1))  # [B, hidden]: the pooled prompt
        h = F.silu(self.inp(x) + self.token + (time + text).unsqueeze(1))  # [B, T, hidden]
        h = F.silu(self.mid(h))
        return self.out(h)


class Decoder(nn.Module):
    def __init__(self, hidden: int = 32):
        super().__init__()
        self.resolution = RESOLUTION
        self.hidden = hidden
        self.grid = 8  # the tokens are spread over a coarse 8x8 grid, then upsampled to R
        self.spread = nn.Linear(LATENT[0] * LATENT[1], hidden * self.grid * self.grid)
        self.conv1 = nn.Conv2d(hidden, 32, 3, padding=1)
        self.conv2 = nn.Conv2d(32, CHANNELS, 3, padding=1)
        scale, bias = torch.zeros(CHANNELS), torch.zeros(CHANNELS)
        for layer in LAYERS:
            o = layer["offset"]
            scale[o:o + 3], bias[o + 2] = 0.004, 0.004 * (layer["name"] == "outer")  # millimetres off the surface
            scale[layer["color"]:layer["color"] + 3], bias[layer["color"]:layer["color"] + 3] = 0.45, 0.5
            scale[layer["opacity"]], bias[layer["opacity"]] = 3.0, 2.0 if layer["name"] == "body" else -3.0
            ls = layer["log_scale"]
            scale[ls:ls + 3], bias[ls:ls + 3] = 0.3, math.log(0.012)  # ~1 cm splats: a texel of R=64
            r = layer["rotation"]
            if layer["rotation_kind"] == "angle":
                scale[r] = 3.0
            else:
                scale[r:r + 4], bias[r] = 0.5, 1.0
        self.register_buffer("scale", scale)
        self.register_buffer("bias", bias)

    def forward(self, z: torch.Tensor):
        # z float[B, T, C] -> maps float[B, K, R, R]
        coarse = self.spread(z.flatten(1)).view(z.shape[0], self.hidden, self.grid, self.grid)
        h = F.interpolate(coarse, size=[self.resolution, self.resolution], mode="nearest")
        raw = torch.tanh(self.conv2(F.silu(self.conv1(h))))
        return raw * self.scale.view(1, -1, 1, 1) + self.bias.view(1, -1, 1, 1)


def sha256(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", required=True, help="package folder to create")
    parser.add_argument("--seed", type=int, default=0, help="seed of the random weights and the corpus")
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    torch.manual_seed(args.seed)
    rng = random.Random(args.seed)
    train_tokenizer(os.path.join(args.out, "tokenizer.model"), rng)
    write_package_template(os.path.join(args.out, "template.bin"), RESOLUTION)
    for name, module in [("text_encoder.pt", TextEncoder()), ("denoiser.pt", Denoiser()), ("decoder.pt", Decoder())]:
        torch.jit.save(torch.jit.script(module.eval()), os.path.join(args.out, name))
    files = ["tokenizer.model", "text_encoder.pt", "denoiser.pt", "decoder.pt", "template.bin"]
    manifest = {
        "format_version": 1,
        "name": "test-random",
        "description": "Tiny package with random weights for the test suite. Its avatars are noise.",
        "licence": "CC0-1.0",
        "test_only": True,
        "provenance": {"training_data": "random weights, test only, never a default", "steps": 0, "metrics": {},
                       "script": "scripts/train/make_test_package.py", "seed": args.seed, "torch": torch.__version__},
        "tokenizer": {"file": "tokenizer.model", "max_length": MAX_TOKENS, "lowercase": True, "bos_id": 1, "eos_id": 2,
                      "pad_id": 0},
        "modules": {"text_encoder": "text_encoder.pt", "denoiser": "denoiser.pt", "decoder": "decoder.pt"},
        "text": {"context_dim": CONTEXT_DIM},
        "latent": {"shape": list(LATENT), "tokens": TOKENS},
        "schedule": {"type": "scaled_linear", "num_train_steps": 1000, "beta_start": 0.00085, "beta_end": 0.012,
                     "prediction": "eps", "timestep_spacing": "trailing"},
        "sampling": {"default_steps": 8, "default_guidance": 3.0, "default_sampler": "dpm++2m"},
        "maps": {"resolution": RESOLUTION, "channels": CHANNELS, "layers": LAYERS},
        "regions": ["scalp", "face", "upper_body", "arms", "lower_body", "feet"],
        "template": "template.bin",
        "sha256": {name: sha256(os.path.join(args.out, name)) for name in files},
    }
    with open(os.path.join(args.out, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=2)
        f.write("\n")
    print(os.path.join(args.out, "manifest.json"))


if __name__ == "__main__":
    main()
