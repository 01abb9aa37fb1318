"""The denoiser of a model package (interface in docs/model-package.md): a transformer over the
latent's part tokens that cross-attends to the prompt's token features.

    denoiser(x: float[B, T, C], t: float[B], ctx: float[B, L, D], mask: int64[B, L]) -> float[B, T, C]

Each token is one part of the avatar (parts.py), so each has its own input and output
projection; the timestep and the prompt's mean feature modulate every block (adaptive layer
norm); self-attention lets parts agree (a suit's top and bottom), cross-attention reads the words
that describe each part (the prompt's keys and values are projected once and shared by every
block). With tint slots (config `tint_reading`), each part also reads the prompt once, free of the
noise (TintReading), and the reading's tint is the prediction's prior for the part's tint
coordinates (docs/training.md). Everything here scripts under torch 1.13; the exported matrices
are stored as float16 (layers.store_half) and every use casts them to float32.
"""
from typing import List, Optional, Tuple

import torch
import torch.nn as nn
import torch.nn.functional as F

from .layers import Attention, ContextAttention, Linear, timestep_embedding


class TokenBlock(nn.Module):
    def __init__(self, width: int, heads: int):
        super().__init__()
        self.norm1 = nn.LayerNorm(width, elementwise_affine=False)
        self.self_attention = Attention(width, heads)
        self.cross_norm = nn.LayerNorm(width)
        self.cross = ContextAttention(width, heads)
        self.norm2 = nn.LayerNorm(width, elementwise_affine=False)
        self.mlp = nn.Sequential(Linear(width, 4 * width), nn.GELU(), Linear(4 * width, width))
        self.modulation = Linear(width, 6 * width)
        nn.init.zeros_(self.modulation.weight)  # starts as a plain pre-norm block with zero gates
        nn.init.zeros_(self.modulation.bias)

    def forward(self, h: torch.Tensor, cond: torch.Tensor, keys: torch.Tensor, values: torch.Tensor, mask: torch.Tensor,
                everywhere: torch.Tensor):
        # h float[B, T, W], cond float[B, W], keys and values float[B, L, W], mask int64[B, L],
        # everywhere int64[B, T] -> float[B, T, W]
        shift1, scale1, gate1, shift2, scale2, gate2 = self.modulation(F.silu(cond)).unsqueeze(1).chunk(6, dim=2)
        x = self.norm1(h) * (1.0 + scale1) + shift1
        h = h + gate1 * self.self_attention(x, everywhere)
        h = h + self.cross(self.cross_norm(h), keys, values, mask)
        x = self.norm2(h) * (1.0 + scale2) + shift2
        return h + gate2 * self.mlp(x)


class TintReading(nn.Module):
    """Each part reads the prompt once with a learned query, free of the noise; the reading joins the
    part's token, and a head turns it into the part's tints (a caption's "red shirt" as 3 numbers),
    trained on the true tints by an auxiliary loss. The tints are the x0 the denoiser corrects on
    those coordinates: v = sqrt(ab) noise - sqrt(1 - ab) x0, so the reading's tint enters v scaled by
    sqrt(1 - ab), and at high noise, where an avatar commits to its colours, it is the prediction."""

    def __init__(self, tokens: int, channels: int, width: int, heads: int, tint_slots: List[Tuple[int, int]],
                 alphas_cumprod: torch.Tensor):
        # tint_slots: (token, first channel) of each tint, 3 channels each; alphas_cumprod float[T]
        super().__init__()
        self.query = nn.Parameter(torch.randn(tokens, width) * 0.02)
        self.reader = ContextAttention(width, heads)
        self.read_in = Linear(width, width)
        nn.init.zeros_(self.read_in.weight)  # starts as the plain denoiser
        nn.init.zeros_(self.read_in.bias)
        self.head = nn.Parameter(torch.zeros(len(tint_slots), width, 3))
        placement = torch.zeros(len(tint_slots), 3, tokens, channels)  # tint i, colour k -> its coordinate
        for i, (token, first) in enumerate(tint_slots):
            for k in range(3):
                placement[i, k, token, first + k] = 1.0
        self.register_buffer("placement", placement)                   # float[n, 3, T, C]
        self.register_buffer("tokens", torch.tensor([token for token, _ in tint_slots], dtype=torch.int64))  # int64[n]
        self.register_buffer("noise_share", (1.0 - alphas_cumprod.float()).sqrt())  # float[T]: sqrt(1 - ab)

    def forward(self, keys: torch.Tensor, values: torch.Tensor, mask: torch.Tensor):
        # keys and values float[B, L, W], mask int64[B, L] ->
        # (what joins the tokens float[B, T, W], tints float[B, n, 3])
        queries = self.query.float().unsqueeze(0).expand(keys.shape[0], -1, -1)
        read = self.reader(queries, keys, values, mask)
        tints = torch.einsum("bnw,nwk->bnk", read.index_select(1, self.tokens), self.head.float())
        return self.read_in(read), tints

    def true_tints(self, x0: torch.Tensor):
        # x0 float[B, T, C] -> its tints float[B, n, 3] (what the head learns to read)
        return torch.einsum("btc,nktc->bnk", x0, self.placement)

    def prior(self, tints: torch.Tensor, t: torch.Tensor):
        # tints float[B, n, 3], t float[B] (integer timesteps) -> the tints' share of v, float[B, T, C]
        share = self.noise_share[t.long().clamp(0, self.noise_share.shape[0] - 1)].view(-1, 1, 1)
        return share * torch.einsum("bnk,nktc->btc", tints, self.placement)


class TokenDenoiser(nn.Module):
    def __init__(self, tokens: int, channels: int, context_dim: int, width: int, depth: int, heads: int,
                 tint_reading: Optional[TintReading] = None):
        super().__init__()
        self.width = width
        self.inp_weight = nn.Parameter(torch.randn(tokens, channels, width) / channels ** 0.5)
        self.inp_bias = nn.Parameter(torch.zeros(tokens, width))
        self.token_embedding = nn.Parameter(torch.randn(tokens, width) * 0.02)
        self.time = nn.Sequential(Linear(width, width), nn.SiLU(), Linear(width, width))
        self.text_pool = Linear(context_dim, width)
        self.text_keys = Linear(context_dim, width)    # shared by every block's cross-attention: the
        self.text_values = Linear(context_dim, width)  # prompt's projection is the costly part on a CPU
        self.blocks = nn.ModuleList([TokenBlock(width, heads) for _ in range(depth)])
        self.out_norm = nn.LayerNorm(width)
        self.out_weight = nn.Parameter(torch.zeros(tokens, width, channels))  # zero: starts by predicting 0
        self.out_bias = nn.Parameter(torch.zeros(tokens, channels))
        self.tint_reading = tint_reading

    def forward(self, x: torch.Tensor, t: torch.Tensor, ctx: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        # x float[B, T, C], t float[B], ctx float[B, L, D], mask int64[B, L] -> float[B, T, C]
        return self.predict(x, t, ctx, mask)[0]

    def predict(self, x: torch.Tensor, t: torch.Tensor, ctx: torch.Tensor, mask: torch.Tensor):
        # x float[B, T, C], t float[B], ctx float[B, L, D], mask int64[B, L] ->
        # (v float[B, T, C], the reading's tints float[B, n, 3], or float[B, 0, 3] without a reading)
        weights = mask.to(ctx.dtype).unsqueeze(-1)
        pooled = (ctx * weights).sum(1) / weights.sum(1).clamp(min=1.0)
        cond = self.time(timestep_embedding(t, self.width)) + self.text_pool(pooled)
        keys, values = self.text_keys(ctx), self.text_values(ctx)
        h = torch.einsum("btc,tcw->btw", x, self.inp_weight.float()) + self.inp_bias + self.token_embedding.float()
        tints = torch.zeros(x.shape[0], 0, 3, device=x.device)
        if self.tint_reading is not None:
            read, tints = self.tint_reading(keys, values, mask)
            h = h + read
        everywhere = torch.ones(h.shape[0], h.shape[1], dtype=torch.int64, device=h.device)
        for block in self.blocks:
            h = block(h, cond, keys, values, mask, everywhere)
        v = torch.einsum("btw,twc->btc", self.out_norm(h), self.out_weight.float()) + self.out_bias
        if self.tint_reading is not None:
            v = v - self.tint_reading.prior(tints, t)
        return v, tints
