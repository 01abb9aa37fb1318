#!/usr/bin/python3
"""The exported text encoder (text_encoder.pt, float16-stored weights, loaded with torch.jit.load)
agrees with an independent float64 numpy BERT forward that reads model.safetensors itself.

    text_encoder_test.py --python .deps/venv/bin/python3

On 200 prompts (tests/train/prompt_corpus.py), tokenised by the reference tokenizer (so that this
test sees the encoder alone), padded to L = 64 in batches of 16. Cosine deficits 1 - cos are about
half the squared relative error, so they are small numbers:
* exported module: pooled 1 - cos <= 1e-4 for every prompt (the brief's bar), and ctx rows of real
  tokens 1 - cos <= 1e-5. Measured: ~2e-7 and ~5e-7, i.e. float16 rounding of the weights
  (2^-11 relative) leaves features within ~0.06 % (pooled) and ~0.1 % (a token) of float64;
* the same module with float32 storage: 1 - cos <= 1e-9 for pooled and ctx. Measured ~3e-13 (float32
  arithmetic); a wrong formula shows at once: tanh-approximated GELU gives 1.3e-6, LayerNorm eps 1e-5
  instead of 1e-12 gives 5e-7, anything grosser far more. The float16 bars alone could not see those;
* the file is at most 50 MB (float16: ~45 MB), the interface has the manifest's shapes, the
  features of real tokens do not depend on the padding after them (<= 1e-5), and
  export_text_encoder returns the manifest fields.
"""
import json
import math
import os
import struct
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import venv_support  # noqa: E402

sys.argv = venv_support.enter_venv(sys.argv)

import numpy as np  # noqa: E402
import torch  # noqa: E402
from tokenizers import Tokenizer  # noqa: E402

import prompt_corpus  # noqa: E402
from avatar_train import minilm  # noqa: E402
from fixtures import verdict  # noqa: E402

SENTENCES = 200
LENGTH = 64
BATCH = 16
BOUNDS = {"exported, float16 storage": (1e-4, 1e-5), "float32 storage": (1e-9, 1e-9)}  # 1 - cos: pooled, ctx
MAX_FILE_MB = 50


# --- float64 reference, written apart from avatar_train.minilm -------------------------------

def load_tensors(path):
    with open(path, "rb") as f:
        header_size = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(header_size))
        blob = f.read()
    out = {}
    for name, info in header.items():
        if name != "__metadata__" and info["dtype"] == "F32":
            a, b = info["data_offsets"]
            out[name] = np.frombuffer(blob[a:b], "<f4").astype(np.float64).reshape(info["shape"])
    return out


_erf = np.frompyfunc(math.erf, 1, 1)


def layer_norm(x, gamma, beta, eps):
    mean = x.mean(-1, keepdims=True)
    var = ((x - mean) ** 2).mean(-1, keepdims=True)
    return (x - mean) / np.sqrt(var + eps) * gamma + beta


def reference_forward(w, cfg, ids):
    """One unpadded sentence (ids with [CLS]/[SEP]) -> (ctx [n, D], mean-pooled [D]) in float64."""
    n, heads = len(ids), cfg["num_attention_heads"]
    eps = cfg["layer_norm_eps"]
    x = (w["embeddings.word_embeddings.weight"][ids] + w["embeddings.position_embeddings.weight"][:n]
         + w["embeddings.token_type_embeddings.weight"][0])
    x = layer_norm(x, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"], eps)
    for i in range(cfg["num_hidden_layers"]):
        p = f"encoder.layer.{i}."

        def dense(v, name):
            return v @ w[p + name + ".weight"].T + w[p + name + ".bias"]

        def split(v):
            return v.reshape(n, heads, -1).transpose(1, 0, 2)

        q, k, v = (split(dense(x, "attention.self." + s)) for s in ("query", "key", "value"))
        s = q @ k.transpose(0, 2, 1) / math.sqrt(q.shape[-1])
        s = np.exp(s - s.max(-1, keepdims=True))
        a = (s / s.sum(-1, keepdims=True)) @ v
        x = layer_norm(x + dense(a.transpose(1, 0, 2).reshape(n, -1), "attention.output.dense"),
                       w[p + "attention.output.LayerNorm.weight"], w[p + "attention.output.LayerNorm.bias"], eps)
        h = dense(x, "intermediate.dense")
        h = 0.5 * h * (1.0 + _erf(h / math.sqrt(2.0)).astype(np.float64))
        x = layer_norm(x + dense(h, "output.dense"), w[p + "output.LayerNorm.weight"], w[p + "output.LayerNorm.bias"],
                       eps)
    return x, x.mean(0)


def cosine(a, b):
    return float(np.dot(a, b) / (np.linalg.norm(a) * np.linalg.norm(b)))


def run(module, ids_list):
    """Pads to LENGTH in batches of BATCH -> [(ctx [n, D], pooled [D])] as float64 numpy."""
    out = []
    for start in range(0, len(ids_list), BATCH):
        chunk = ids_list[start:start + BATCH]
        tokens = torch.zeros(len(chunk), LENGTH, dtype=torch.int64)
        mask = torch.zeros(len(chunk), LENGTH, dtype=torch.int64)
        for r, ids in enumerate(chunk):
            tokens[r, :len(ids)] = torch.tensor(ids)
            mask[r, :len(ids)] = 1
        with torch.no_grad():
            ctx, pooled = module(tokens, mask)
        out += [(ctx[r, :len(ids)].double().numpy(), pooled[r].double().numpy()) for r, ids in enumerate(chunk)]
    return out


def main():
    torch.set_num_threads(2)
    failures = []
    directory = minilm.model_dir()
    cfg = json.load(open(os.path.join(directory, "config.json")))
    reference_tok = Tokenizer.from_file(os.path.join(directory, "tokenizer.json"))
    reference_tok.no_truncation()
    reference_tok.no_padding()
    prompts = prompt_corpus.prompts(SENTENCES, seed=99)
    ids_list = [[101] + reference_tok.encode(p, add_special_tokens=False).ids[:LENGTH - 2] + [102] for p in prompts]

    with tempfile.TemporaryDirectory() as staging:
        start = time.time()
        fields = minilm.export_text_encoder(staging)
        print(f"export_text_encoder: {time.time() - start:.1f} s")
        expected = {"file": "tokenizer.model", "max_length": 64, "lowercase": False, "bos_id": 101, "eos_id": 102,
                    "pad_id": 0}
        if fields["tokenizer"] != expected or fields["text"] != {"context_dim": 384}:
            failures.append(f"manifest fields: {fields['tokenizer']} {fields['text']}")
        path = os.path.join(staging, "text_encoder.pt")
        megabytes = os.path.getsize(path) / 1e6
        print(f"text_encoder.pt: {megabytes:.1f} MB, tokenizer.model: "
              f"{os.path.getsize(os.path.join(staging, 'tokenizer.model')) / 1e6:.2f} MB")
        if megabytes > MAX_FILE_MB:
            failures.append(f"text_encoder.pt is {megabytes:.1f} MB (at most {MAX_FILE_MB})")
        exported = torch.jit.load(path).eval()

    # Interface: shapes for B = 2, and padding after the real tokens changes nothing.
    tokens = torch.tensor([ids + [0] * (LENGTH - len(ids)) for ids in ids_list[:2]])
    mask = (torch.arange(LENGTH)[None, :] < torch.tensor([[len(ids_list[0])], [len(ids_list[1])]])).long()
    with torch.no_grad():
        ctx, pooled = exported(tokens, mask)
        n = len(ids_list[0])
        ctx_short, pooled_short = exported(tokens[:1, :n], mask[:1, :n])
    if tuple(ctx.shape) != (2, LENGTH, 384) or tuple(pooled.shape) != (2, 384) or ctx.dtype != torch.float32:
        failures.append(f"shapes: ctx {tuple(ctx.shape)} {ctx.dtype}, pooled {tuple(pooled.shape)}")
    padding_effect = float((pooled[0] - pooled_short[0]).abs().max())
    print(f"padding 64 vs none: pooled differs by at most {padding_effect:.2e}")
    if padding_effect > 1e-5:
        failures.append(f"padding changes the features by {padding_effect:.2e}")

    weights = load_tensors(os.path.join(directory, "model.safetensors"))
    start = time.time()
    reference = [reference_forward(weights, cfg, ids) for ids in ids_list]
    print(f"float64 numpy reference: {len(ids_list)} sentences in {time.time() - start:.1f} s")
    fp32 = minilm.load_encoder(directory, storage=torch.float32)
    for name, module in (("exported, float16 storage", exported), ("float32 storage", fp32)):
        got = run(module, ids_list)
        pooled_cos = [cosine(g[1], r[1]) for g, r in zip(got, reference)]
        ctx_cos = [cosine(g[0][t], r[0][t]) for g, r in zip(got, reference) for t in range(len(r[0]))]
        norm_err = max(abs(np.linalg.norm(g[1]) / np.linalg.norm(r[1]) - 1) for g, r in zip(got, reference))
        print(f"{name}: pooled cosine min 1 - {1 - min(pooled_cos):.1e} (mean 1 - {1 - np.mean(pooled_cos):.1e}); "
              f"ctx rows cosine min 1 - {1 - min(ctx_cos):.1e} over {len(ctx_cos)} tokens; "
              f"pooled norm relative error max {norm_err:.1e}")
        pooled_bound, ctx_bound = BOUNDS[name]
        if 1 - min(pooled_cos) > pooled_bound:
            failures.append(f"{name}: pooled 1 - cos {1 - min(pooled_cos):.1e} > {pooled_bound:.0e}")
        if 1 - min(ctx_cos) > ctx_bound:
            failures.append(f"{name}: ctx 1 - cos {1 - min(ctx_cos):.1e} > {ctx_bound:.0e}")

    return verdict(failures)


if __name__ == "__main__":
    sys.exit(main())
