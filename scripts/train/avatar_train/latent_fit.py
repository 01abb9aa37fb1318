"""Fitting the structured latent space to the teacher, and encoding avatars into it.

Closed form, no gradient descent: for every field of every part (a channel group on the part's
slots of one layer, parts.py) the fit keeps one mean per part type (visible texels only: what a
slot holds where the part is absent says nothing) and the principal components of what is left.
An avatar's token for a part is then its type as a one-hot vector followed by the coordinates of
each field's residual along that field's components. A colour field with enough components puts
the part's tint first: the mean colour of its shown slots (3 numbers, what a caption names as "a
red shirt"), then the principal components of what the tint leaves (the pattern, the shading).
The tint is three more basis rows, each 1 on one channel of every slot, so decoding stays
mean + coordinates x basis. Offsets of layers 1 and 2 are fitted
relative to the skin's offset at the same texel, so clothes and hair follow the body's shape
token. Decoding (latent_decoder.py) reverses this exactly up to the dropped components.
"""
import json
import math
import os
import time

import numpy as np

from .parts import GROUP_CHANNELS, LABEL, OFFSET, OPACITY, VISIBLE_ALPHA, Part, default_parts, part_type

MIN_SUPPORT = 2          # avatars that must show a part on a texel before the texel is in its support
STD_FLOOR = 1e-6         # latent dimensions with a smaller spread (padding, fixed parts) are not rescaled
PLACE_TOLERANCE = 0.01   # metres: a decoded Gaussian this close to the teacher's is in place (the floater measure's 1 cm)
PLACEABLE_SHARE = 0.5    # a slot is shown only where the fit places it in at least half the avatars that have it
TINT_MIN_COMPONENTS = 4  # a colour field this wide spends 3 of its components on the tint; narrower ones stay pure PCA


def log(*parts):
    print(time.strftime("%H:%M:%S"), *parts, flush=True)


def wrap_angle(a):
    """Angles to [-pi/2, pi/2): a Gaussian turned by pi about its normal is the same Gaussian."""
    return (a + math.pi / 2) % math.pi - math.pi / 2


class FieldSpec:
    """One fitted block: a channel group of one part on one layer's slots."""

    def __init__(self, part, layer, group, texels, components):
        self.part, self.layer, self.group = part, layer, group
        self.texels = texels                          # int64[S] template texel indices
        self.channels = GROUP_CHANNELS[group]         # teacher channels it reads
        self.components = components
        self.tint = group == "colour" and components >= TINT_MIN_COMPONENTS  # the first 3 coordinates are the tint
        self.mean = None                              # float32[types, S * c]
        self.basis = None                             # float32[k, S * c]: tint rows (if any), then orthonormal PCA rows

    def tint_rows(self):
        """float32[3, S * 3]: row c is 1 on channel c of every slot."""
        return np.tile(np.eye(3, dtype=np.float32), (1, len(self.texels)))

    def coordinates(self, residual, shown):
        """residual float32[N, S*c] (zero on hidden slots), shown bool[N, S] or None -> float32[N, k]."""
        if not self.tint:
            return residual @ self.basis.T
        tint, pattern = split_tint(residual, shown)
        return np.concatenate([tint, pattern @ self.basis[3:].T], 1)

    @property
    def width(self):
        return len(self.texels) * len(self.channels)

    @property
    def key(self):
        return f"{self.part.name}.{self.layer}.{self.group}"


def outer_label(part, layer):
    return dict(part.outer).get(layer)


def field_values(X, field, types, placeable=None):
    """X float16[N, layers, M, 12] -> (values float32[N, S*c], visible bool[N, S] or None).

    Outer groups read only slots where the teacher shows this part; the others are imputed by the
    caller. Presence is 1 where the part is shown, 0 where `placeable` (bool[types, S] of the
    part's slots on that layer, see LatentSpace.fit) says the latent cannot place its Gaussian.
    Hide is 1 where the skin under a shown layer-1 slot is hidden (MakeHuman's garments delete the
    body vertices they cover)."""
    S, layer, part = field.texels, field.layer, field.part
    if layer == 0 and field.group != "hide":
        v = X[:, 0][:, S][..., list(field.channels)].astype(np.float32)
        if field.group == "angle":
            v = wrap_angle(v)
        return v.reshape(len(X), -1), None
    label = outer_label(part, 1 if field.group == "hide" else layer)
    shown_layer = 1 if field.group == "hide" else layer
    shown = (X[:, shown_layer][:, S][..., LABEL] == label) & (X[:, shown_layer][:, S][..., OPACITY] > VISIBLE_ALPHA)
    if placeable is not None and field.group in ("presence", "hide"):
        shown = shown & placeable[types[part.name]]
    if field.group == "hide":  # whether the skin under a shown garment slot is hidden: the garment's own cut
        return (X[:, 0][:, S][..., OPACITY] < VISIBLE_ALPHA).astype(np.float32), shown
    if field.group == "presence":
        return shown.astype(np.float32), None
    v = X[:, layer][:, S][..., list(field.channels)].astype(np.float32)
    if field.group == "offset":
        v -= X[:, 0][:, S][..., list(OFFSET)].astype(np.float32)
    elif field.group == "angle":
        v = wrap_angle(v)
    return v.reshape(len(X), -1), shown


class LatentSpace:
    """Parts, their slots and fitted fields, the token layout and the latent statistics."""

    def __init__(self, parts, resolution, texel_count, texel_index):
        self.parts = parts
        self.resolution, self.texel_count = resolution, texel_count
        self.texel_index = texel_index              # int64[M] y * R + x of every valid texel
        self.fields = []
        self.opacity = {}                           # part name -> alpha of its shown Gaussians
        self.placeable = {}                         # "part.layer" -> bool[types, S]: slots the latent can place
        self.latent_mean = self.latent_std = None   # float32[T, C]

    # ---- token layout ------------------------------------------------------------------------
    def part_fields(self, part):
        return [f for f in self.fields if f.part is part]

    def part_dims(self, part):
        return part.type_count + sum(f.components for f in self.part_fields(part))

    @property
    def channels(self):
        """C: the widest part's dimensions (smaller parts are padded with zeros)."""
        return max(self.part_dims(p) for p in self.parts)

    @property
    def tokens(self):
        return len(self.parts)

    def layout(self):
        """-> {part name: (token, type dims start, [(field key, start, components)])}."""
        out = {}
        for t, part in enumerate(self.parts):
            start, fields = part.type_count, []
            for f in self.part_fields(part):
                fields.append((f.key, start, f.components))
                start += f.components
            out[part.name] = (t, 0, fields)
        return out

    # ---- fitting -----------------------------------------------------------------------------
    def fit(self, X, attributes):
        """X float16[N, layers, M, 12] teacher maps of the fitting set; attributes: N dicts."""
        n = len(X)
        types = {p.name: np.array([part_type(p, a) for a in attributes]) for p in self.parts}
        all_texels = np.arange(self.texel_count)
        supports = {}
        for part in self.parts:
            alphas = []
            for layer, label in part.outer:
                shown = (X[:, layer, :, LABEL] == label) & (X[:, layer, :, OPACITY] > VISIBLE_ALPHA)
                supports[(part.name, layer)] = np.nonzero(shown.sum(0) >= MIN_SUPPORT)[0]
                alphas.append(X[:, layer, :, OPACITY][shown].astype(np.float32))
            if alphas:  # the teacher gives each part one alpha (facial hair 0.95, the rest 1)
                self.opacity[part.name] = float(np.median(np.concatenate(alphas)))
        for part in self.parts:
            for (layer, group), k in part.components.items():
                texels = all_texels if layer == 0 and group != "hide" else supports[(part.name, layer or 1)]
                part.components[(layer, group)] = min(k, n - 1)  # no more directions than avatars
                self.fields.append(FieldSpec(part, layer, group, texels, part.components[(layer, group)]))
        for f in self.fields:  # per part and layer: offset first, so presence knows what it can place
            start = time.time()
            values, shown = field_values(X, f, types, self.placeable_of(f))
            t = types[f.part.name]
            f.mean = type_means(values, shown, t, max(f.part.type_count, 1), len(f.channels))
            residual = values - f.mean[t]
            if shown is not None:  # hidden slots carry their type's mean: no residual to fit
                residual *= np.repeat(shown, len(f.channels), axis=1)
            if f.tint:
                tint, pattern = split_tint(residual, shown)
                f.basis = np.concatenate([f.tint_rows(), principal_components(pattern, f.components - 3)])
                explained = pattern - (pattern @ f.basis[3:].T) @ f.basis[3:]
            else:
                f.basis = principal_components(residual, f.components)
                explained = residual - (residual @ f.basis.T) @ f.basis if f.components else residual
            if f.group == "offset" and f.layer > 0:
                self.placeable[f"{f.part.name}.{f.layer}"] = placeable_slots(explained, shown, t, f.part.type_count)
            log(f"fit {f.key}: {len(f.texels)} slots x {len(f.channels)}, {f.components} components, "
                f"residual rms {np.sqrt(np.mean(explained ** 2)):.5f} of {np.sqrt(np.mean(residual ** 2)):.5f} "
                f"({time.time() - start:.1f} s)")
        z = self.encode_raw(X, attributes)
        self.latent_mean = z.mean(0)
        self.latent_std = np.where(z.std(0) > STD_FLOOR, z.std(0), 1.0).astype(np.float32)
        self.latent_mean[z.std(0) <= STD_FLOOR] = z.mean(0)[z.std(0) <= STD_FLOOR]
        return self

    def placeable_of(self, field):
        layer = 1 if field.group == "hide" else field.layer
        return self.placeable.get(f"{field.part.name}.{layer}")

    # ---- encoding ----------------------------------------------------------------------------
    def encode_raw(self, X, attributes):
        """X float16[N, layers, M, 12] -> float32[N, T, C] unstandardised tokens."""
        n = len(X)
        z = np.zeros((n, self.tokens, self.channels), np.float32)
        types = {p.name: np.array([part_type(p, a) for a in attributes]) for p in self.parts}
        layout = self.layout()
        for t, part in enumerate(self.parts):
            if part.type_count:
                z[np.arange(n), t, types[part.name]] = 1.0
        for f in self.fields:
            if not f.components:
                continue
            values, shown = field_values(X, f, types, self.placeable_of(f))
            residual = values - f.mean[types[f.part.name]]
            if shown is not None:
                residual *= np.repeat(shown, len(f.channels), axis=1)
            token, _, fields = layout[f.part.name]
            start = dict((key, s) for key, s, _ in fields)[f.key]
            z[:, token, start:start + f.components] = f.coordinates(residual, shown)
        return z

    def encode(self, X, attributes):
        """X float16[N, layers, M, 12] -> float32[N, T, C] standardised latents (what diffusion sees)."""
        return (self.encode_raw(X, attributes) - self.latent_mean) / self.latent_std

    # ---- storage -----------------------------------------------------------------------------
    def save(self, stem):
        arrays = {"texel_index": self.texel_index, "latent_mean": self.latent_mean, "latent_std": self.latent_std}
        arrays.update({f"placeable.{key}": mask for key, mask in self.placeable.items()})
        for f in self.fields:
            arrays[f.key + ".texels"], arrays[f.key + ".mean"], arrays[f.key + ".basis"] = f.texels, f.mean, f.basis
        info = {"resolution": self.resolution, "texel_count": self.texel_count, "opacity": self.opacity,
                "parts": [{"name": p.name, "type_attribute": p.type_attribute, "types": list(p.types),
                           "outer": [list(o) for o in p.outer], "layer0": list(p.layer0),
                           "components": [[l, g, k] for (l, g), k in p.components.items()]} for p in self.parts],
                "tinted": [f.key for f in self.fields if f.tint]}
        np.savez(stem + ".tmp.npz", **arrays)
        with open(stem + ".json.tmp", "w") as fh:
            json.dump(info, fh, indent=1)
        os.replace(stem + ".tmp.npz", stem + ".npz")
        os.replace(stem + ".json.tmp", stem + ".json")

    @staticmethod
    def load(stem):
        with open(stem + ".json") as fh:
            info = json.load(fh)
        parts = [Part(p["name"], p["type_attribute"], tuple(p["types"]), tuple(tuple(o) for o in p["outer"]),
                      tuple(p["layer0"]), {(l, g): k for l, g, k in p["components"]}) for p in info["parts"]]
        archive = np.load(stem + ".npz")
        space = LatentSpace(parts, info["resolution"], info["texel_count"], archive["texel_index"])
        space.opacity = info["opacity"]
        space.latent_mean, space.latent_std = archive["latent_mean"], archive["latent_std"]
        space.placeable = {key[len("placeable."):]: archive[key] for key in archive.files if key.startswith("placeable.")}
        for part in parts:
            for (layer, group), k in part.components.items():
                f = FieldSpec(part, layer, group, None, k)
                f.tint = f.key in info.get("tinted", [])  # spaces fitted before tints have none
                f.texels, f.mean, f.basis = (archive[f"{f.key}.{n}"] for n in ("texels", "mean", "basis"))
                space.fields.append(f)
        return space


def type_means(values, shown, types, type_count, channels):
    """Per-type mean of values float32[N, S*c] over shown slots -> float32[types, S*c].

    A slot a type never shows takes the mean over every type (a decoded slot of that type is
    absent anyway; its colour should still be plausible)."""
    width = values.shape[1]
    weight = np.ones_like(values) if shown is None else np.repeat(shown, channels, axis=1).astype(np.float32)
    total, count = (weight * values).sum(0), weight.sum(0)
    overall = np.where(count > 0, total / np.maximum(count, 1), 0.0)
    means = np.empty((type_count, width), np.float32)
    for t in range(type_count):
        rows = types == t
        s, c = (weight[rows] * values[rows]).sum(0), weight[rows].sum(0)
        means[t] = np.where(c > 0, s / np.maximum(c, 1), overall)
    return means


def placeable_slots(error, shown, types, type_count):
    """Which slots the fitted offsets place well enough to show, per type -> bool[types, S].

    error float32[N, S*3]: what the components leave of each avatar's offset residual. A slot of a
    type is placeable when, over the fitting avatars of that type that show it, the decoded
    Gaussian lands within PLACE_TOLERANCE of the teacher's in at least PLACEABLE_SHARE of them.
    The teacher fills surface no ray reaches by handing samples to the nearest free slot, so such
    slots hold a different point of the garment or hair on almost every avatar: no fit can place
    them, and a decoder that showed them would scatter loose Gaussians."""
    miss = np.linalg.norm(error.reshape(len(error), -1, 3), axis=2) > PLACE_TOLERANCE
    placeable = np.ones((max(type_count, 1), shown.shape[1]), bool)
    for t in range(max(type_count, 1)):
        rows = shown[types == t]
        count = rows.sum(0)
        good = (rows & ~miss[types == t]).sum(0)
        placeable[t] = (count == 0) | (good >= PLACEABLE_SHARE * count)
    return placeable


def split_tint(residual, shown):
    """residual float32[N, S*3] of a colour field, shown bool[N, S] or None (every slot) ->
    (tint float32[N, 3]: the mean over shown slots, pattern float32[N, S*3]: the residual less its
    tint on shown slots, 0 elsewhere). An avatar that shows none of the slots has tint 0."""
    n = len(residual)
    per_slot = residual.reshape(n, -1, 3)
    weight = np.ones(per_slot.shape[:2], np.float32) if shown is None else shown.astype(np.float32)
    tint = (per_slot * weight[..., None]).sum(1) / np.maximum(weight.sum(1), 1.0)[:, None]
    pattern = (per_slot - tint[:, None, :]) * weight[..., None]
    return tint.astype(np.float32), pattern.reshape(n, -1).astype(np.float32)


def principal_components(residual, k):
    """The k leading principal directions of residual float32[N, D] (uncentred: residuals of type
    means are centred by construction) -> float32[k, D] orthonormal rows, via the N x N Gram matrix."""
    if k == 0:
        return np.zeros((0, residual.shape[1]), np.float32)
    gram = (residual @ residual.T).astype(np.float64)
    w, v = np.linalg.eigh(gram)
    order = np.argsort(w)[::-1][:k]
    w, v = np.maximum(w[order], 1e-12), v[:, order]
    basis = (v.T @ residual) / np.sqrt(w)[:, None]
    basis /= np.maximum(np.linalg.norm(basis, axis=1, keepdims=True), 1e-12)
    return basis.astype(np.float32)


def new_space(template, components_scale=1.0):
    """An unfitted space over the template with the default parts; components_scale shrinks every
    field's component count (small configurations fit few avatars)."""
    parts = default_parts()
    for part in parts:
        part.components = {key: int(round(k * components_scale)) for key, k in part.components.items()}
    return LatentSpace(parts, template.resolution, template.texel_count, template.texel)
