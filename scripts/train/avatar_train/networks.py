"""The three networks of a model package (interfaces in docs/model-package.md) and the encoder
that trains the decoder."""
from typing import List, Tuple

import torch
import torch.nn as nn
import torch.nn.functional as F

from .layers import Attention, ResBlock, timestep_embedding

PATCH = 8  # maps -> latent downsampling (DESIGN.md section 3: the latent is the maps downsampled by 8)


class TextLayer(nn.Module):
    def __init__(self, dim: int, heads: int):
        super().__init__()
        self.norm1 = nn.LayerNorm(dim)
        self.attention = Attention(dim, dim, heads)
        self.norm2 = nn.LayerNorm(dim)
        self.mlp = nn.Sequential(nn.Linear(dim, 4 * dim), nn.GELU(), nn.Linear(4 * dim, dim))

    def forward(self, x: torch.Tensor, mask: torch.Tensor):
        # x float[B, L, D], mask int64[B, L] -> float[B, L, D]
        h = self.norm1(x)
        x = x + self.attention(h, h, mask)
        return x + self.mlp(self.norm2(x))


class TextEncoder(nn.Module):
    """tokens int64[B, L], mask int64[B, L] -> (ctx float[B, L, D], pooled float[B, D])."""

    def __init__(self, vocab: int, max_length: int, dim: int, depth: int, heads: int):
        super().__init__()
        self.embed = nn.Embedding(vocab, dim)
        self.position = nn.Parameter(torch.randn(max_length, dim) * 0.02)
        self.layers = nn.ModuleList([TextLayer(dim, heads) for _ in range(depth)])
        self.norm = nn.LayerNorm(dim)
        self.pool = nn.Linear(dim, dim)

    def forward(self, tokens: torch.Tensor, mask: torch.Tensor) -> Tuple[torch.Tensor, torch.Tensor]:
        x = self.embed(tokens) + self.position[: tokens.shape[1]]
        for layer in self.layers:
            x = layer(x, mask)
        ctx = self.norm(x)
        m = mask.to(ctx.dtype).unsqueeze(-1)
        pooled = self.pool((ctx * m).sum(1) / m.sum(1).clamp(min=1.0))
        return ctx, pooled


class MapEncoder(nn.Module):
    """maps float[B, P, R, R] (normalised, see maps.py) -> latent float[B, C, R/8, R/8]. Training only."""

    def __init__(self, map_channels: int, latent_channels: int, width: int):
        super().__init__()
        self.patch = PATCH
        self.inp = nn.Conv2d(map_channels * PATCH * PATCH, width, 1)
        self.block = ResBlock(width)
        self.norm = nn.GroupNorm(8, width)
        self.out = nn.Conv2d(width, latent_channels, 1)

    def forward(self, maps: torch.Tensor):
        h = self.inp(F.pixel_unshuffle(maps, self.patch))
        h = self.block(h, h)
        return self.out(F.silu(self.norm(h)))


class MapDecoderCore(nn.Module):
    """latent float[B, C, h, w] -> network maps float[B, P, 8h, 8w] (normalised, alpha as logits).

    Each latent cell decodes its 8x8 texel block from local features (sub-pixel convolution),
    on top of a learned per-texel base map that carries what the template fixes."""

    def __init__(self, map_channels: int, latent_channels: int, width: int, depth: int, resolution: int):
        super().__init__()
        self.patch = PATCH
        self.inp = nn.Conv2d(latent_channels, width, 3, padding=1)
        self.blocks = nn.ModuleList([ResBlock(width) for _ in range(depth)])
        self.norm = nn.GroupNorm(8, width)
        self.out = nn.Conv2d(width, map_channels * PATCH * PATCH, 1)
        self.base = nn.Parameter(torch.zeros(1, map_channels, resolution, resolution))

    def forward(self, z: torch.Tensor):
        h = self.inp(z)
        for block in self.blocks:
            h = block(h, h)
        return F.pixel_shuffle(self.out(F.silu(self.norm(h))), self.patch) + self.base


class Decoder(nn.Module):
    """The exported decoder: normalised latent float[B, C, h, w] -> teacher maps float[B, K, R, R].

    Un-normalises the latent with the statistics diffusion was trained on, runs the core and maps
    its channels to the teacher's layout (offsets in metres, colour 0..1, alpha 0..1, log-scales,
    constant angle)."""

    def __init__(self, core: MapDecoderCore, latent_mean, latent_std, source, scale, shift,
                 alpha_channels: List[int], alpha_floor: float):
        super().__init__()
        self.core = core
        self.register_buffer("latent_mean", latent_mean.view(1, -1, 1, 1))
        self.register_buffer("latent_std", latent_std.view(1, -1, 1, 1))
        self.register_buffer("source", source)
        self.register_buffer("scale", scale.view(1, -1, 1, 1))
        self.register_buffer("shift", shift.view(1, -1, 1, 1))
        self.alpha_channels = alpha_channels
        self.alpha_floor = alpha_floor

    def forward(self, z: torch.Tensor):
        net = self.core(z * self.latent_std + self.latent_mean)
        picked = net.index_select(1, self.source)
        maps = picked * self.scale + self.shift
        for c in self.alpha_channels:
            alpha = torch.sigmoid(picked[:, c])
            maps[:, c] = torch.where(alpha < self.alpha_floor, torch.zeros_like(alpha), alpha)
        return maps


class DenoiserStage(nn.Module):
    """A residual block with FiLM, cross-attention to the prompt and self-attention between cells."""

    def __init__(self, width: int, context_dim: int, heads: int):
        super().__init__()
        self.block = ResBlock(width, width)
        self.cross_norm = nn.LayerNorm(width)
        self.cross = Attention(width, context_dim, heads)
        self.self_norm = nn.LayerNorm(width)
        self.self_attention = Attention(width, width, heads)

    def forward(self, h: torch.Tensor, cond: torch.Tensor, ctx: torch.Tensor, mask: torch.Tensor, cells: torch.Tensor):
        # h float[B, W, H, W'], cond float[B, W], ctx float[B, L, D], mask int64[B, L], cells int64[B, H*W']
        h = self.block(h, cond)
        b, c, hh, ww = h.shape
        seq = h.flatten(2).transpose(1, 2)
        seq = seq + self.cross(self.cross_norm(seq), ctx, mask)
        s = self.self_norm(seq)
        seq = seq + self.self_attention(s, s, cells)
        return seq.transpose(1, 2).reshape(b, c, hh, ww)


class Denoiser(nn.Module):
    """x float[B, C, h, w], t float[B], ctx float[B, L, D], mask int64[B, L] -> float[B, C, h, w].

    Works at h/4 x w/4 (pixel-unshuffled latent): stages of residual blocks with FiLM from the
    timestep and the mean prompt feature, cross-attention to the prompt tokens and self-attention
    between cells."""

    def __init__(self, latent_channels: int, context_dim: int, width: int, depth: int, heads: int):
        super().__init__()
        self.unshuffle = 4  # 32x32 latent -> 8x8 cells: cheap enough to train on a CPU
        self.time_dim = width
        self.time = nn.Sequential(nn.Linear(width, width), nn.SiLU(), nn.Linear(width, width))
        self.text = nn.Linear(context_dim, width)
        self.inp = nn.Conv2d(latent_channels * self.unshuffle ** 2, width, 3, padding=1)
        self.stages = nn.ModuleList([DenoiserStage(width, context_dim, heads) for _ in range(depth)])
        self.norm = nn.GroupNorm(8, width)
        self.out = nn.Conv2d(width, latent_channels * self.unshuffle ** 2, 3, padding=1)
        nn.init.zeros_(self.out.weight)
        nn.init.zeros_(self.out.bias)

    def forward(self, x: torch.Tensor, t: torch.Tensor, ctx: torch.Tensor, mask: torch.Tensor):
        weights = mask.to(ctx.dtype).unsqueeze(-1)
        ctx_mean = (ctx * weights).sum(1) / weights.sum(1).clamp(min=1.0)
        cond = self.time(timestep_embedding(t, self.time_dim)) + self.text(ctx_mean)
        h = self.inp(F.pixel_unshuffle(x, self.unshuffle))
        cells = torch.ones(h.shape[0], h.shape[2] * h.shape[3], dtype=torch.int64, device=x.device)
        for stage in self.stages:
            h = stage(h, cond, ctx, mask, cells)
        return F.pixel_shuffle(self.out(F.silu(self.norm(h))), self.unshuffle)
