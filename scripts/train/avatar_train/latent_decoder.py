"""The package's decoder: structured latent -> the teacher's map layout (docs/model-package.md).

    decoder(z: float[B, T, C]) -> float[B, LAYERS * 11, R, R]

Exactly the inverse of latent_fit.py up to the dropped components: each part's type is the
largest of its one-hot dimensions; each field is its type's mean plus its coordinates times its
components; layers 1 and 2 show, per texel, the frontmost part whose presence reaches 0.5 (glasses,
then the hat, then hair, then the rest, as the teacher bakes them: parts.OUTER_ORDER), among parts of
one rank the one with the highest presence, and never a part whose type says it is not there (no
glasses, no hat, bald, no facial hair: the teacher shows none of its slots then, whatever the
coordinates say); the skin is hidden where the shown garment says so. Components are stored as int8 with one
scale per component, but for an offset component whose rounding would move the Gaussians by more than
WIDE_ERROR at its coordinate's spread (the body's size, which int8 rounding turned into a crackle of the skin),
stored as float16; means as float16 (export.py states what that costs). Texel indices are stored as int32.

Every fitted coordinate is first held within the reach of the training avatars' latents (set_reach): a
sampled latent can overshoot where guidance pushes it (a long-haired avatar in a hat has its hair's second
offset coordinate at -9 to -12, where the teacher's lie between -6.3 and -3.9), and a coordinate past
anything the components were fitted on scatters the part's Gaussians off the head (docs/structured-latent.md).
"""
import math
from typing import List, Tuple

import numpy as np
import torch
import torch.nn as nn

from .parts import LAYERS, PACKAGE_CHANNELS, VISIBLE_ALPHA

PRESENT = VISIBLE_ALPHA  # a decoded presence at or above this shows the part
# The most an offset component's int8 rounding may add at one standard deviation of its coordinate, metres (rms over the
# slots): 0.1 mm, a sixtieth of the skin's ~6 mm texel spacing. The body's first offset component (its size) added
# 0.54 mm rms, which rendered as a crackle of the skin and read as glasses' rims; the next largest adds 0.05 mm.
# Other channel groups are never widened: their rounding adds at most 3e-3 of a colour or log-scale unit, below a
# step of an 8-bit colour.
WIDE_ERROR = {"offset": 1e-4}
UNIFORM_ROUNDING_STD = 1.0 / math.sqrt(12.0)  # rounding to a step of 1 errs by a uniform [-1/2, 1/2]: this std


def outward(bound: np.ndarray, towards: float) -> np.ndarray:
    """float32 bounds -> float16, each moved one float16 step towards `towards` where rounding moved it inward, so
    that every value within the float32 bound stays within the float16 one."""
    rounded = bound.astype(np.float16)
    inward = rounded < bound if towards > 0 else rounded > bound
    return np.where(inward, np.nextafter(rounded, np.float16(towards)), rounded)


class FieldDecoder(nn.Module):
    """One fitted field: type means float16[types, D] + coordinates [B, k] x components [k, D], the components int8
    with a scale each, but those listed in `wide`, float16."""

    def __init__(self, mean, basis, token: int, start: int, quantise: bool, spread=None, wide_error: float = math.inf):
        # mean float32[types, D], basis float32[k, D]; spread float32[k]: the coordinates' standard deviations (None:
        # never widen); wide_error: the rounding error, at that spread, above which a component is stored float16
        super().__init__()
        self.token, self.start, self.k = token, start, int(basis.shape[0])
        self.register_buffer("mean", torch.from_numpy(mean).to(torch.float16))
        basis = torch.from_numpy(basis)
        if quantise and self.k:
            scale = basis.abs().max(1).values.clamp(min=1e-12) / 127.0
            error = scale * torch.from_numpy(np.asarray(spread, np.float32)) * UNIFORM_ROUNDING_STD \
                if spread is not None else torch.zeros(self.k)
            wide = error > wide_error
        else:
            scale, wide = torch.ones(self.k), torch.full((self.k,), not quantise)
        narrow_rows, wide_rows = (~wide).nonzero().view(-1), wide.nonzero().view(-1)
        self.register_buffer("narrow", narrow_rows)  # int64[k - w]: the components stored int8
        self.register_buffer("wide", wide_rows)  # int64[w]: the components stored float16
        self.register_buffer("basis_q", torch.round(basis[narrow_rows] / scale[narrow_rows, None]).to(torch.int8))
        self.register_buffer("scale", scale[narrow_rows].float())
        self.register_buffer("basis_wide", basis[wide_rows].to(torch.float16))

    def forward(self, z: torch.Tensor, kind: torch.Tensor) -> torch.Tensor:
        # z float[B, T, C], kind int64[B] type index -> float[B, D]
        out = self.mean.float()[kind]
        if self.k > 0:
            coords = z[:, self.token, self.start:self.start + self.k]
            out = out + (coords.index_select(1, self.narrow) * self.scale) @ self.basis_q.float()
            if self.wide.shape[0] > 0:
                out = out + coords.index_select(1, self.wide) @ self.basis_wide.float()
        return out


class SlotSet(nn.Module):
    """A part's slots on layer 1 or 2: every channel group decoded there, composed into [B, S, 12]
    (the package's 11 channels plus whether the skin under it is hidden)."""

    def __init__(self, part_index: int, layer: int, texels, opacity: float, fields: List[FieldDecoder],
                 absent_type: int = -1, rank: int = 0):
        super().__init__()
        self.part_index, self.layer, self.opacity = part_index, layer, opacity
        self.absent_type = absent_type  # the part's type that shows none of its slots (Part.absent_type; -1: none)
        self.rank = rank  # where shown parts overlap, the higher rank shows (Part.outer_rank)
        self.register_buffer("texels", torch.from_numpy(texels).int())  # int32[S]: the template texels of the slots
        # offset, colour, presence, log_scale, angle, hide (a zero field where the part hides nothing)
        self.offset, self.colour, self.presence, self.log_scale, self.angle, self.hide = fields

    def forward(self, z: torch.Tensor, kinds: torch.Tensor, skin_offset: torch.Tensor) -> Tuple[torch.Tensor, torch.Tensor]:
        # z float[B, T, C], kinds int64[B, P], skin_offset float[B, M, 3] -> (presence [B, S], values [B, S, 12])
        b, s = z.shape[0], self.texels.shape[0]
        kind = kinds[:, self.part_index]
        offset = self.offset(z, kind).view(b, s, 3) + skin_offset[:, self.texels.long()]
        opacity = torch.full((b, s, 1), self.opacity, dtype=z.dtype, device=z.device)
        values = torch.cat([offset, self.colour(z, kind).view(b, s, 3), opacity, self.log_scale(z, kind).view(b, s, 3),
                            self.angle(z, kind).view(b, s, 1), self.hide(z, kind).view(b, s, 1)], 2)
        presence = self.presence(z, kind)
        absent = (kind == self.absent_type).unsqueeze(1)  # bool[B, 1]
        return presence.masked_fill(absent, -1e9), values


class StructuredDecoder(nn.Module):
    def __init__(self, space, quantise: bool = True):
        super().__init__()
        layout = space.layout()
        self.resolution, self.texel_count = space.resolution, space.texel_count
        self.layer_count, self.channels, self.present = LAYERS, PACKAGE_CHANNELS, PRESENT
        self.register_buffer("texel_index", torch.from_numpy(space.texel_index).int())  # int32[M]: y * R + x per texel
        self.register_buffer("latent_mean", torch.from_numpy(space.latent_mean).float())
        self.register_buffer("latent_std", torch.from_numpy(space.latent_std).float())
        # float16[T, C]: the standardised latent's bounds (set_reach); infinite (nothing held) until set
        self.register_buffer("latent_low", torch.full(tuple(space.latent_mean.shape), -math.inf, dtype=torch.float16))
        self.register_buffer("latent_high", torch.full(tuple(space.latent_mean.shape), math.inf, dtype=torch.float16))
        self.type_tokens = [layout[p.name][0] for p in space.parts]
        self.type_counts = [p.type_count for p in space.parts]
        self.face_index = [p.name for p in space.parts].index("face")

        def decoder_of(f):
            token, _, fields = layout[f.part.name]
            start = dict((key, s) for key, s, _ in fields)[f.key]
            spread = space.latent_std[token, start:start + f.basis.shape[0]]
            return FieldDecoder(f.mean, f.basis, token, start, quantise, spread, WIDE_ERROR.get(f.group, math.inf))

        by_key = {f.key: f for f in space.fields}
        self.body_offset = decoder_of(by_key["body.0.offset"])
        self.body_log_scale = decoder_of(by_key["body.0.log_scale"])
        self.body_angle = decoder_of(by_key["body.0.angle"])
        self.skin_colour = decoder_of(by_key["face.0.colour"])
        sets = []
        for index, part in enumerate(space.parts):
            for layer, _ in part.outer:
                fields = [decoder_of(by_key[f"{part.name}.{layer}.{g}"])
                          for g in ("offset", "colour", "presence", "log_scale", "angle")]
                hide_key = f"{part.name}.0.hide"
                texels = by_key[f"{part.name}.{layer}.offset"].texels
                if layer == 1 and hide_key in by_key:
                    fields.append(decoder_of(by_key[hide_key]))
                else:
                    fields.append(FieldDecoder(np.zeros((max(part.type_count, 1), len(texels)), np.float32), np.zeros((0, len(texels)), np.float32),
                                               0, 0, quantise))
                sets.append(SlotSet(index, layer, texels, space.opacity[part.name], fields, part.absent_type,
                                    part.outer_rank))
        self.slot_sets = nn.ModuleList(sets)

    @torch.jit.ignore
    def set_reach(self, latents: np.ndarray, space):
        """Holds every fitted coordinate within [min, max] of latents float32[N, T, C] (standardised: the
        training avatars' own), rounded outward to float16; type dimensions and padding are never held (a
        type is the argmax of its dimensions, and a held tie would change it)."""
        layout = space.layout()
        low = np.full(self.latent_low.shape, -np.inf, np.float16)
        high = np.full(self.latent_high.shape, np.inf, np.float16)
        for part in space.parts:
            token = layout[part.name][0]
            used = slice(part.type_count, space.part_dims(part))
            low[token, used] = outward(latents[:, token, used].min(0), -np.inf)
            high[token, used] = outward(latents[:, token, used].max(0), np.inf)
        self.latent_low.copy_(torch.from_numpy(low))
        self.latent_high.copy_(torch.from_numpy(high))

    def part_types(self, z: torch.Tensor) -> torch.Tensor:
        # z float[B, T, C] unstandardised -> int64[B, P]: each part's type (0 for parts without one)
        kinds: List[torch.Tensor] = []
        for token, count in zip(self.type_tokens, self.type_counts):
            if count > 1:
                kinds.append(z[:, token, :count].argmax(1))
            else:
                kinds.append(torch.zeros(z.shape[0], dtype=torch.long, device=z.device))
        return torch.stack(kinds, 1)

    def texel_maps(self, latent: torch.Tensor) -> torch.Tensor:
        # latent float[B, T, C] (standardised) -> float[B, LAYERS, M, 11]
        held = torch.minimum(torch.maximum(latent, self.latent_low.float()), self.latent_high.float())
        z = held * self.latent_std + self.latent_mean
        b, m = z.shape[0], self.texel_count
        kinds = self.part_types(z)
        zero = torch.zeros(b, dtype=torch.long, device=z.device)
        skin_offset = self.body_offset(z, zero).view(b, m, 3)
        skin = torch.cat([skin_offset, self.skin_colour(z, kinds[:, self.face_index]).view(b, m, 3), torch.ones(b, m, 1, dtype=z.dtype, device=z.device),
                          self.body_log_scale(z, zero).view(b, m, 3), self.body_angle(z, zero).view(b, m, 1)], 2)
        layers: List[torch.Tensor] = [skin]
        hidden = torch.zeros(b, m, dtype=torch.bool, device=z.device)
        for layer in range(1, self.layer_count):
            presence = torch.full((b, m), -1e9, dtype=z.dtype, device=z.device)
            rank = torch.full((b, m), -1, dtype=torch.long, device=z.device)  # the shown part's rank; -1: none shown
            values = torch.zeros(b, m, self.channels + 1, dtype=z.dtype, device=z.device)
            for slots in self.slot_sets:
                if slots.layer == layer:
                    p, v = slots(z, kinds, skin_offset)
                    texels = slots.texels.long()
                    current, current_rank = presence[:, texels], rank[:, texels]
                    own_rank = torch.where(p >= self.present, torch.full_like(current_rank, slots.rank),
                                           torch.full_like(current_rank, -1))
                    better = (own_rank > current_rank) | ((own_rank == current_rank) & (p > current))
                    presence[:, texels] = torch.where(better, p, current)
                    rank[:, texels] = torch.where(better, own_rank, current_rank)
                    values[:, texels] = torch.where(better.unsqueeze(2), v, values[:, texels])
            shown = presence >= self.present
            values[:, :, 6] = torch.where(shown, values[:, :, 6], torch.zeros_like(values[:, :, 6]))
            if layer == 1:
                hidden = shown & (values[:, :, self.channels] >= self.present)
            layers.append(values[:, :, :self.channels])
        layers[0][:, :, 6] = torch.where(hidden, torch.zeros_like(layers[0][:, :, 6]), layers[0][:, :, 6])
        return torch.stack(layers, 1)

    def forward(self, latent: torch.Tensor) -> torch.Tensor:
        # latent float[B, T, C] -> maps float[B, LAYERS * 11, R, R] (zero outside the template's texels)
        maps = self.texel_maps(latent)
        b = maps.shape[0]
        k = self.layer_count * self.channels
        flat = maps.permute(0, 1, 3, 2).reshape(b, k, self.texel_count)
        grid = torch.zeros(b, k, self.resolution * self.resolution, dtype=maps.dtype, device=maps.device)
        grid[:, :, self.texel_index.long()] = flat
        return grid.view(b, k, self.resolution, self.resolution)
