"""Building blocks of the denoiser; every module here is TorchScript-compatible in torch 1.13 (no
scaled_dot_product_attention, no torch.compile)."""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F


class Linear(nn.Linear):
    """nn.Linear that computes in float32 whatever its weights are stored in: the package stores the
    denoiser's matrices as float16 (half the file; store_half), and a CPU has no float16 matmul."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        # x float[..., in_features] -> float[..., out_features]
        return F.linear(x, self.weight.float(), self.bias.float())


def store_half(module: nn.Module) -> nn.Module:
    """Stores every parameter of two or more dimensions (the matrices) as float16, in place; vectors
    (biases, norms) stay float32. Only for modules that cast what they use (Linear above)."""
    for parameter in module.parameters():
        if parameter.dim() >= 2:
            parameter.data = parameter.data.half()
    return module


def attend(q: torch.Tensor, k: torch.Tensor, v: torch.Tensor, mask: torch.Tensor, heads: int):
    """Multi-head scaled dot-product attention with a key mask (1 = attend).
    q float[B, N, D], k and v float[B, L, D], mask int64[B, L] -> float[B, N, D]."""
    b, n, d = q.shape
    l = k.shape[1]
    hd = d // heads
    q = q.view(b, n, heads, hd).transpose(1, 2)
    k = k.view(b, l, heads, hd).transpose(1, 2)
    v = v.view(b, l, heads, hd).transpose(1, 2)
    scores = torch.matmul(q, k.transpose(-1, -2)) / math.sqrt(hd)
    scores = scores.masked_fill(mask[:, None, None, :] == 0, -1e4)  # -1e4: exp underflows to 0 in float32
    return torch.matmul(torch.softmax(scores, dim=-1), v).transpose(1, 2).reshape(b, n, d)


class Attention(nn.Module):
    """Multi-head self-attention (queries, keys and values from the same sequence)."""

    def __init__(self, dim: int, heads: int):
        super().__init__()
        self.heads = heads
        self.query = Linear(dim, dim)
        self.key = Linear(dim, dim)
        self.value = Linear(dim, dim)
        self.out = Linear(dim, dim)

    def forward(self, x: torch.Tensor, mask: torch.Tensor):
        # x float[B, N, dim], mask int64[B, N] -> float[B, N, dim]
        return self.out(attend(self.query(x), self.key(x), self.value(x), mask, self.heads))


class ContextAttention(nn.Module):
    """Multi-head cross-attention to keys and values computed once for every block (the prompt's
    token features, projected by the caller): each block brings only its queries and output."""

    def __init__(self, dim: int, heads: int):
        super().__init__()
        self.heads = heads
        self.query = Linear(dim, dim)
        self.out = Linear(dim, dim)

    def forward(self, x: torch.Tensor, keys: torch.Tensor, values: torch.Tensor, mask: torch.Tensor):
        # x float[B, N, dim], keys and values float[B, L, dim], mask int64[B, L] -> float[B, N, dim]
        return self.out(attend(self.query(x), keys, values, mask, self.heads))


def timestep_embedding(t: torch.Tensor, dim: int):
    """t float[B] (0..T-1) -> float[B, dim] sinusoidal features (periods from 1 to 10^4 steps)."""
    half = dim // 2
    freqs = torch.exp(-math.log(10000.0) * torch.arange(half, dtype=torch.float32, device=t.device) / half)
    angles = t[:, None].float() * freqs[None, :]
    return torch.cat([torch.sin(angles), torch.cos(angles)], dim=1)
