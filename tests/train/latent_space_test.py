#!/usr/bin/python3
"""The structured latent space on real teacher avatars: each token changes only what it owns, the
exported (TorchScript) decoder is the fitted one, and straight paths between avatars leave no holes.

    latent_space_test.py --synth build/tera-synth --shared ../shared --work build/test_latent_space

Fits a small space (the 'tiny' configuration's component counts) on 72 teacher avatars, then:
* locality: for every token, adding noise to it (a part that can be absent made present, its
  next type) changes no decoded value outside the slots, layers and channels its part owns
  (parts.py) — bit for bit, no tolerance: the decoder composes parts by selection, not by blending;
* fidelity: held-out avatars decode with 95 % of their shown skin Gaussians within 1 cm of the
  teacher's (the tiny space has few components; the default's figures are in docs/training.md);
* interpolation: on the straight path between two held-out avatars no step covers less of the
  body than the less covered end (opacity-weighted texel coverage, 0.01 of slack);
* absence: a part whose type says it is not there (no glasses, no hat, bald, no facial hair) shows
  none of its outer slots whatever its coordinates: its type set to absent on every held-out avatar,
  its coordinates moved by noise of 3 standard deviations, nothing is shown on them (alpha 0);
* front to back: glasses, hat and hair made present on every held-out avatar (each its next type after the
  absent one), where two of them (or hair and facial hair) both reach the presence threshold on one outer texel,
  the decoded texel is the one in front's (parts.OUTER_ORDER, the teacher's order), exactly; the check counts such
  texels where the one behind has the higher presence (what the highest presence alone would show) and requires
  some, so that it tests something;
* rounding: the shipped decoder (int8 components, an offset component whose rounding would move the Gaussians by
  more than latent_decoder.WIDE_ERROR stored float16) puts the held-out avatars' skin within ROUNDING_TOLERANCE (rms)
  of the same decoder in float precision, and the int8 components alone would not (so the check can fail);
* reach: with set_reach from the fitting avatars' latents, those latents decode bit for bit as without it (nothing
  they reach is held), the float16 bounds contain every fitting coordinate, a held-out latent whose coordinates are
  pushed 5 times as far from 0 decodes exactly as that latent held at the bounds (and not as the unheld one), and
  no type dimension has a finite bound (a type is the argmax of its dimensions: holding them could change it).
Exit 77 (ctest: skipped) without the MakeHuman assets.
"""
import argparse
import os
import sys

import numpy as np
import torch

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "scripts", "train"))
from avatar_train.dataset import TeacherDataset  # noqa: E402
from avatar_train import latent_decoder  # noqa: E402
from avatar_train.latent_decoder import StructuredDecoder  # noqa: E402
from avatar_train.latent_fit import new_space  # noqa: E402
from avatar_train.parts import OFFSET, OPACITY, OUTER_ORDER, PACKAGE_CHANNELS  # noqa: E402
from fixtures import SKIP, teacher_data, verdict  # noqa: E402

AVATARS, FIT = 72, 64        # teacher avatars generated / used for fitting; the rest are held out
SKIN_TOLERANCE = 0.01        # metres, 95th percentile: the tiny space (12 body components from 64 avatars)
                             # measured 4.6-7.9 mm; a broken decode is off by many centimetres
COVERAGE_SLACK = 0.01        # share of texels an interpolation step may lose against its ends
ROUNDING_TOLERANCE = 2e-4    # metres rms of the skin's offsets against float precision: twice WIDE_ERROR, the most
                             # one int8 component may add (the default package's measure 1.1e-4; all int8, 5.0e-4)


def owned_mask(space, part_name):
    """bool[layers, M, 11]: the decoded values a part's token may change."""
    mask = np.zeros((3, space.texel_count, PACKAGE_CHANNELS), bool)
    part = next(p for p in space.parts if p.name == part_name)
    for f in space.part_fields(part):
        if f.layer == 0 and f.group == "hide":
            mask[0, f.texels, OPACITY] = True
        elif f.layer == 0:
            mask[0, :, list(f.channels)] = True
            if f.group == "offset":  # every outer layer's offsets are relative to the skin's
                mask[1:, :, list(OFFSET)] = True
        else:  # an outer slot: its part may take it from another part or give it up, every channel
            mask[f.layer, f.texels, :] = True
    return mask


def typed(space, t, part, kind):
    """float[type_count]: token t's type dimensions standardised for the one-hot of type KIND."""
    one_hot = np.zeros(part.type_count, np.float32)
    one_hot[kind] = 1.0
    dims = slice(0, part.type_count)
    return torch.from_numpy((one_hot - space.latent_mean[t, dims]) / space.latent_std[t, dims])


def absence_failures(space, decoder, z, rng):
    """Each part with an absent type (Part.absent_type) set to it on every avatar of z (float[N, T, C],
    standardised), its other dimensions moved by noise: the alpha of its outer slots must be 0."""
    failures = []
    for t, part in enumerate(space.parts):
        if part.absent_type < 0:
            continue
        moved = z.clone()
        moved[:, t, :part.type_count] = typed(space, t, part, part.absent_type)
        dims = slice(part.type_count, space.part_dims(part))
        moved[:, t, dims] += torch.from_numpy(rng.standard_normal(tuple(moved[:, t, dims].shape)).astype(np.float32) * 3.0)
        with torch.no_grad():
            maps = decoder.texel_maps(moved)
        shown = 0
        for f in space.part_fields(part):
            if f.layer > 0 and f.group == "presence":
                others = [g.texels for g in space.fields if g.layer == f.layer and g.group == "presence" and g.part is not part]
                own = np.setdiff1d(f.texels, np.concatenate(others)) if others else f.texels
                shown += int((maps[:, f.layer, own, OPACITY] > 0).sum())
        print(f"token {t} ({part.name}) set to '{part.types[part.absent_type]}' and moved: {shown} of its own slots shown")
        if shown:
            failures.append(f"token {part.name}: type '{part.types[part.absent_type]}' still shows {shown} slots")
    return failures


def front_failures(space, decoder, z):
    """Glasses, hat and hair made present on every avatar of z (float[N, T, C], standardised); wherever two parts of
    different rank both reach the threshold on a layer-2 texel, the decoded values are the front one's."""
    made = z.clone()
    for t, part in enumerate(space.parts):
        if part.name in OUTER_ORDER and part.absent_type >= 0:
            made[:, t, :part.type_count] = typed(space, t, part, (part.absent_type + 1) % part.type_count)
    unstandardised = made * decoder.latent_std + decoder.latent_mean
    kinds = decoder.part_types(unstandardised)
    skin_offset = decoder.body_offset(unstandardised, torch.zeros(len(z), dtype=torch.long)).view(len(z), -1, 3)
    layer = 2
    each = []  # (rank, presence float[N, M], values float[N, M, 11]) of each layer-2 slot set
    for slots in decoder.slot_sets:
        if slots.layer == layer:
            p, v = slots(unstandardised, kinds, skin_offset)
            presence = torch.full((len(z), space.texel_count), -1e9)
            values = torch.zeros(len(z), space.texel_count, PACKAGE_CHANNELS)
            presence[:, slots.texels.long()], values[:, slots.texels.long()] = p, v[:, :, :PACKAGE_CHANNELS]
            each.append((space.parts[slots.part_index].outer_rank, presence, values))
    maps = decoder.texel_maps(made)[:, layer]
    ranks = torch.stack([torch.where(p >= decoder.present, torch.full_like(p, r), torch.full_like(p, -1.0))
                         for r, p, _ in each])  # float[S, N, M]: each set's rank where it shows, -1 elsewhere
    presences = torch.stack([p for _, p, _ in each])
    front_rank = ranks.max(0).values
    shown_ranks = [(ranks == r).any(0) for r in sorted({r for r, _, _ in each})]
    several = sum(k.int() for k in shown_ranks) >= 2  # bool[N, M]: parts of two ranks or more show here
    in_front = (ranks == front_rank) & several
    front = torch.where(in_front, presences, torch.full_like(presences, -2e9)).argmax(0)  # int64[N, M]
    expected = torch.stack([v for _, _, v in each])  # float[S, N, M, 11]
    expected = torch.gather(expected, 0, front[None, :, :, None].expand(1, -1, -1, PACKAGE_CHANNELS))[0]
    behind_higher = ((presences >= decoder.present) & (ranks < front_rank) & (presences > torch.where(
        in_front, presences, torch.full_like(presences, -2e9)).max(0).values)).any(0) & several
    checked, reversed_order = int(several.sum()), int(behind_higher.sum())
    wrong = int((several & (maps != expected).any(2)).sum())
    print(f"front to back: {checked} texels shown by parts of two ranks or more ({reversed_order} where one behind has "
          f"the higher presence), {wrong} decoded as another than the one in front")
    failures = []
    if wrong:
        failures.append(f"{wrong} outer texels shown by two parts decode as the one behind")
    if not reversed_order:
        failures.append("no texel where the part behind has the higher presence: the front-to-back check tests nothing")
    return failures


def skin_rounding(decoder, exact, z):
    """-> rms distance, metres, between the skin offsets two decoders give latents z float[B, T, C]."""
    with torch.no_grad():
        a, b = decoder.texel_maps(z)[:, 0, :, 0:3], exact.texel_maps(z)[:, 0, :, 0:3]
    return float((a - b).pow(2).sum(2).mean().sqrt())


def rounding_failures(space, decoder, z):
    exact = StructuredDecoder(space, quantise=False)
    shipped = skin_rounding(decoder, exact, z)
    widths, latent_decoder.WIDE_ERROR = latent_decoder.WIDE_ERROR, {}  # every component int8, as decoders were
    try:
        narrow = skin_rounding(StructuredDecoder(space), exact, z)
    finally:
        latent_decoder.WIDE_ERROR = widths
    print(f"skin offsets against float precision: {shipped * 1000:.3f} mm rms shipped, {narrow * 1000:.3f} mm "
          f"with every component int8")
    failures = []
    if shipped > ROUNDING_TOLERANCE:
        failures.append(f"the shipped decoder's skin lies {shipped * 1000:.3f} mm rms from float precision's")
    if narrow <= ROUNDING_TOLERANCE:
        failures.append(f"int8 components alone put the skin within {narrow * 1000:.3f} mm: the check sees nothing")
    return failures


def reach_failures(space, fit_latents, z):
    """set_reach (fitting latents float32[N, T, C]) against an unheld decoder, on held-out latents z [B, T, C]."""
    failures = []
    plain, held = StructuredDecoder(space), StructuredDecoder(space)
    held.set_reach(fit_latents, space)
    scripted = torch.jit.script(held)
    low, high = held.latent_low.float(), held.latent_high.float()
    fitted = torch.from_numpy(fit_latents)
    if ((fitted < low) | (fitted > high)).any():
        failures.append("a fitting latent's coordinate lies outside the float16 bounds")
    with torch.no_grad():
        if not np.array_equal(scripted.texel_maps(fitted).numpy(), plain.texel_maps(fitted).numpy()):
            failures.append("the fitting avatars' own latents decode differently once held")
        typed_dims = torch.zeros_like(z, dtype=torch.bool)
        for t, part in enumerate(space.parts):
            typed_dims[:, t, :part.type_count] = True
        far = torch.where(typed_dims, z, 5.0 * z)
        bounded = torch.minimum(torch.maximum(far, low), high)
        got = scripted.texel_maps(far).numpy()
        if not np.array_equal(got, plain.texel_maps(bounded).numpy()):
            failures.append("a latent pushed past the bounds does not decode as the one held at them")
        if np.array_equal(got, plain.texel_maps(far).numpy()):
            failures.append("holding the pushed latent changed nothing: the check tests nothing")
        if torch.isfinite(low[typed_dims[0]]).any() or torch.isfinite(high[typed_dims[0]]).any():
            failures.append("a type dimension is held: its argmax could change")
        print(f"reach: {int((far != bounded).sum())} of {far.numel()} pushed coordinates held")
    return failures


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--synth", required=True)
    parser.add_argument("--shared", required=True)
    parser.add_argument("--work", required=True)
    args = parser.parse_args()
    data = teacher_data(args.synth, args.shared, args.work, AVATARS, seed=9)
    if data is None:
        return SKIP
    ds = TeacherDataset(data)
    fit_ids, held = list(range(FIT)), list(range(FIT, AVATARS))
    space = new_space(ds.template, 0.25).fit(ds.stack(fit_ids), ds.attributes(fit_ids))
    eager = StructuredDecoder(space)
    decoder = torch.jit.script(eager)  # what export.py ships
    z = torch.from_numpy(space.encode(ds.stack(held), ds.attributes(held)))
    failures = []
    with torch.no_grad():
        base = decoder.texel_maps(z).numpy()
        if not np.array_equal(base, eager.texel_maps(z).numpy()):
            failures.append("the scripted decoder differs from the fitted one")
        rng = np.random.default_rng(1)
        for t, part in enumerate(space.parts):
            moved = z.clone()
            moved[:, t] += torch.from_numpy(rng.standard_normal(tuple(moved[:, t].shape)).astype(np.float32))
            if part.absent_type >= 0:  # a part that is not there shows nothing whatever its noise: make it there
                moved[:, t, :part.type_count] = typed(space, t, part, (part.absent_type + 1) % part.type_count)
            changed = decoder.texel_maps(moved).numpy() != base
            outside = changed & ~owned_mask(space, part.name)[None]
            print(f"token {t} ({part.name}): {changed.sum()} values changed, {outside.sum()} outside what it owns")
            if not changed.any():
                failures.append(f"token {part.name} changes nothing")
            if outside.any():
                failures.append(f"token {part.name} changes {outside.sum()} values outside what it owns")
    for k, i in enumerate(held):
        teacher = ds.maps(i)
        shown = teacher[0, :, OPACITY] > 0.5
        error = np.percentile(np.linalg.norm(base[k, 0, :, 0:3] - teacher[0, :, 0:3], axis=1)[shown], 95)
        print(f"held-out avatar {i}: 95th percentile of skin position errors {error * 1000:.2f} mm")
        if error > SKIN_TOLERANCE:
            failures.append(f"avatar {i}: skin position error (95th percentile) {error * 1000:.2f} mm > {SKIN_TOLERANCE * 1000} mm")
    failures += rounding_failures(space, decoder, z)
    failures += absence_failures(space, decoder, z, rng)
    failures += reach_failures(space, space.encode(ds.stack(fit_ids), ds.attributes(fit_ids)), z)
    with torch.no_grad():
        failures += front_failures(space, eager, z)
    steps = torch.linspace(0, 1, 9)
    path = (1 - steps)[:, None, None] * z[0] + steps[:, None, None] * z[1]
    with torch.no_grad():
        maps = decoder.texel_maps(path).numpy()
    cover = np.minimum(1.0, maps[:, :, :, OPACITY].sum(1)).mean(1)
    print("interpolation coverage:", np.round(cover, 4).tolist())
    if cover.min() < min(cover[0], cover[-1]) - COVERAGE_SLACK:
        failures.append(f"a hole opens on the path: coverage {cover.min():.4f} against ends {cover[0]:.4f}, {cover[-1]:.4f}")
    return verdict(failures)


if __name__ == "__main__":
    sys.exit(main())
