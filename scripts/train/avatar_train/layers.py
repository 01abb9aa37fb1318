"""Building blocks of the denoiser; every module here is TorchScript-compatible in torch 1.13 (no
scaled_dot_product_attention, no torch.compile)."""
import math

import torch
import torch.nn as nn


class Attention(nn.Module):
    """Multi-head attention of queries over keys with a key mask (1 = attend)."""

    def __init__(self, dim: int, context_dim: int, heads: int):
        super().__init__()
        self.heads = heads
        self.head_dim = dim // heads
        self.query = nn.Linear(dim, dim)
        self.key = nn.Linear(context_dim, dim)
        self.value = nn.Linear(context_dim, dim)
        self.out = nn.Linear(dim, dim)

    def forward(self, x: torch.Tensor, context: torch.Tensor, mask: torch.Tensor):
        # x float[B, N, dim], context float[B, L, context_dim], mask int64[B, L] -> float[B, N, dim]
        b, n, d = x.shape
        l = context.shape[1]
        q = self.query(x).view(b, n, self.heads, self.head_dim).transpose(1, 2)
        k = self.key(context).view(b, l, self.heads, self.head_dim).transpose(1, 2)
        v = self.value(context).view(b, l, self.heads, self.head_dim).transpose(1, 2)
        scores = torch.matmul(q, k.transpose(-1, -2)) / math.sqrt(self.head_dim)
        scores = scores.masked_fill(mask[:, None, None, :] == 0, -1e4)  # -1e4: exp underflows to 0 in float32
        h = torch.matmul(torch.softmax(scores, dim=-1), v).transpose(1, 2).reshape(b, n, d)
        return self.out(h)


def timestep_embedding(t: torch.Tensor, dim: int):
    """t float[B] (0..T-1) -> float[B, dim] sinusoidal features (periods from 1 to 10^4 steps)."""
    half = dim // 2
    freqs = torch.exp(-math.log(10000.0) * torch.arange(half, dtype=torch.float32, device=t.device) / half)
    angles = t[:, None].float() * freqs[None, :]
    return torch.cat([torch.sin(angles), torch.cos(angles)], dim=1)
