#!/usr/bin/python3
"""Locality and effect of `tera edit`, smoothness of `tera interpolate`, on the files tera writes.

    .deps/venv/bin/python3 scripts/eval/edit_locality.py --tera build/tera --model models/default \\
        --out eval/edit [--sheet docs/edit-sequence.png] [--strip docs/interpolate-strip.png]

1. Five source avatars (`tera generate`), ten edits of each (`tera edit --part P`): two top
   colours, bottom colour, shoes, hair colour, hair length, facial hair, glasses, hat, build; each
   edit asks for a value the attribute reader does not read on the source.
2. Locality: every Gaussian of the source and of the edit is given its texel and layer (the .ply
   keeps assembly's order: layer by layer, texels in template order, nearly transparent ones left
   out; the script decodes avatar.latent with the package's decoder.pt to know which were kept, and
   checks count and colours against the .ply). A Gaussian is *inside* the edited part when its
   texel and layer are among the part's slots (decoder.pt's slot sets), or it is the skin under a
   garment part's layer-1 slots (the garment decides whether that skin shows); the face owns every
   skin colour. Outside the part, a Gaussian counts as changed when it is in one avatar only, moves
   > 1 mm or changes colour by > 2/255 in a channel. The body token owns every position (outer
   layers sit on the skin), so for body edits every Gaussian is outside, and only colour and
   presence are compared.
3. Effect: the attribute reader (attribute_reader.py) reads the edited .ply; the edit followed when
   it reads the asked value (shoes: the reader has no shoe attribute, not counted).
4. Interpolation: `tera interpolate` between consecutive sources, 9 steps (--spacing: even, the
   default, or linear). Per step pair, the mean
   displacement of the Gaussians both steps have (same texel and layer); smoothness is the largest
   over the smallest of these along the path (target < 2). The same for the mean colour change (the
   largest channel's), and the Gaussians shown in only one of the two steps. Steps where a part's
   type (argmax of its type dimensions) switches are named. Per step, the opacity-weighted texel coverage (mean over
   texels of min(1, sum of the layers' alphas); reconstruction.py's no-holes check).
Writes <out>/edit_locality.json and prints the tables. --no-edits: steps 1 and 4 only.
"""
import argparse
import json
import os
import subprocess
import sys

import numpy as np
import torch
from PIL import Image, ImageDraw

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from attribute_features import SH_C0, read_ply  # noqa: E402
from attribute_reader import DEFAULT_READER, Reader  # noqa: E402

MOVED = 1e-3             # metres: a Gaussian further than 1 mm from where it was has moved
RECOLOURED = 2.0 / 255   # a colour channel further than 2/255 from what it was has changed
CHANNELS = 11            # the package's channels per layer (docs/model-package.md)
OFFSET, COLOUR, ALPHA = 0, 3, 6   # first channel of each group within a layer
PLY_COLOUR_TOLERANCE = 1e-5       # colour from the .ply's float32 f_dc vs the decoded map: rounding only
PATH_STEPS = 9           # avatars on each interpolation path, as in reconstruction.py's interpolation check
SEED_EDIT = 100          # edit seeds: SEED_EDIT + index of the edit, so each run makes the same edits

SOURCES = [
    ("a woman with long red hair in a blue t-shirt", 1),
    ("a bald old man with a grey beard in a navy suit", 2),
    ("a young man with short black hair, glasses and a white shirt", 3),
    ("a woman with a blonde bob in a green jacket and black trousers", 4),
    ("a heavyset man in a red hoodie wearing a cap", 5),
]
TOP_COLOURS = ["red", "blue", "green", "yellow", "black", "white", "orange", "purple", "pink", "grey"]
BOTTOM_COLOURS = ["black", "blue", "grey", "khaki", "white", "navy", "brown"]
HAIR_COLOURS = ["blonde", "black", "red", "grey", "pink", "blue", "brown", "white"]
SHOES = ["white trainers", "black boots", "brown shoes"]
BUILDS = ["muscular", "heavyset", "slim"]


def other(values, current, k=0):
    """The k-th value of `values` that is not `current`."""
    return [v for v in values if v != current][k]


def edits_for(read, index):
    """[(part, prompt, attribute or None, asked value)] for a source the reader read as `read`."""
    long_hair = read["hair_length"] == "long"
    bearded = read["facial_hair"] != "none"
    top1, top2 = other(TOP_COLOURS, read["top_colour"], index), other(TOP_COLOURS, read["top_colour"], index + 3)
    bottom, hair = other(BOTTOM_COLOURS, read["bottom_colour"], index), other(HAIR_COLOURS, read["hair_colour"], index)
    build = other(BUILDS, read["build"])
    return [
        ("top", f"a {top1} t-shirt", "top_colour", top1),
        ("top", f"a {top2} jacket", "top_colour", top2),
        ("bottom", f"{bottom} trousers", "bottom_colour", bottom),
        ("shoes", SHOES[index % len(SHOES)], None, None),
        ("hair", f"{hair} hair", "hair_colour", hair),
        ("hair", "short hair" if long_hair else "long hair", "hair_length", "short" if long_hair else "long"),
        ("face", "clean-shaven" if bearded else "a full beard", "facial_hair", "none" if bearded else "beard"),
        ("glasses", "no glasses" if read["glasses"] == "yes" else "wearing glasses", "glasses",
         "no" if read["glasses"] == "yes" else "yes"),
        ("hat", "no hat" if read["hat"] == "yes" else "wearing a hat", "hat", "no" if read["hat"] == "yes" else "yes"),
        ("body", f"a {build} build", "build", build),
    ]


def tera(args, *arguments):
    subprocess.run([args.tera, "-q", *arguments, "--model", args.model], check=True, stdout=subprocess.DEVNULL)


class Package:
    """decoder.pt and what it says about slots and types."""

    def __init__(self, model):
        self.decoder = torch.jit.load(os.path.join(model, "decoder.pt"))
        manifest = json.load(open(os.path.join(model, "manifest.json")))
        self.parts = [t["name"] for t in manifest["latent"]["tokens"]]
        self.shape = manifest["latent"]["shape"]
        self.layers = len(manifest["maps"]["layers"])
        self.texels = int(self.decoder.texel_index.shape[0])
        index = self.decoder.texel_index.numpy()
        if not (np.diff(index) > 0).all():
            raise ValueError("decoder.pt texel_index is not increasing: its texels are not in the template's order")
        self.type_tokens, self.type_counts = list(self.decoder.type_tokens), list(self.decoder.type_counts)
        self.slots = {}  # part -> bool[layers, M]
        for _, s in self.decoder.slot_sets.named_children():
            part = self.parts[int(s.part_index)]
            mask = self.slots.setdefault(part, np.zeros((self.layers, self.texels), bool))
            mask[int(s.layer), s.texels.numpy()] = True
            if int(s.layer) == 1 and int(s.hide.k) > 0:
                mask[0, s.texels.numpy()] = True  # the skin this garment hides or shows

    def region(self, parts):
        """bool[layers, M]: the (layer, texel) the edited parts own; body: every one."""
        mask = np.zeros((self.layers, self.texels), bool)
        for p in parts:
            if p == "body":
                mask[:] = True
            else:
                mask |= self.slots.get(p, np.zeros_like(mask))
            if p == "face":
                mask[0] = True  # the face owns every skin colour
        return mask

    def maps(self, latents):
        """float32[B, T, C] -> float32[B, layers, M, 11]."""
        with torch.no_grad():
            grid = self.decoder(torch.from_numpy(np.array(latents, np.float32))).numpy()
        flat = grid.reshape(grid.shape[0], grid.shape[1], -1)[:, :, self.decoder.texel_index.numpy()]
        return flat.reshape(grid.shape[0], self.layers, CHANNELS, self.texels).transpose(0, 1, 3, 2)

    def types(self, latent):
        """Each part's type index (argmax of its type dimensions, unstandardised) of one latent."""
        z = latent * self.decoder.latent_std.numpy() + self.decoder.latent_mean.numpy()
        return [int(np.argmax(z[t, :c])) if c > 1 else 0 for t, c in zip(self.type_tokens, self.type_counts)]


def read_latent(path):
    data = open(path, "rb").read()
    rank = int(np.frombuffer(data, "<u4", 1, 12)[0])
    shape = np.frombuffer(data, "<u4", rank, 16).astype(int)
    return np.frombuffer(data, "<f4", int(np.prod(shape)), 16 + 4 * rank).reshape(shape)


def gaussians(package, folder):
    """A written avatar's Gaussians keyed by layer * M + texel: (keys int[N], xyz [N, 3], rgb [N, 3])."""
    meta = json.load(open(os.path.join(folder, "avatar.json")))
    maps = package.maps(read_latent(os.path.join(folder, "avatar.latent"))[None])[0]
    kept = maps[:, :, ALPHA] >= meta["min_opacity"]
    keys = np.flatnonzero(kept.reshape(-1))
    g = read_ply(os.path.join(folder, "avatar.ply"))
    rgb = 0.5 + SH_C0 * g["f_dc"].astype(np.float64)
    if len(keys) != len(rgb):
        raise ValueError(f"{folder}: the .ply holds {len(rgb)} Gaussians, the decoded latent keeps {len(keys)}")
    decoded = np.clip(maps[:, :, COLOUR:COLOUR + 3].reshape(-1, 3)[keys], 0.0, 1.0)
    if np.abs(decoded - rgb).max() > PLY_COLOUR_TOLERANCE:
        raise ValueError(f"{folder}: the .ply's colours do not follow the decoded latent's order")
    return keys, g["xyz"].astype(np.float64), rgb


def locality(package, source, edited, parts):
    """Outside the parts: Gaussians, changed ones; inside: Gaussians, changed ones."""
    ks, xs, cs = source
    ke, xe, ce = edited
    region = package.region(parts).reshape(-1)
    colour_only = "body" in parts
    if colour_only:
        region = np.zeros_like(region)
    common, i_s, i_e = np.intersect1d(ks, ke, return_indices=True)
    changed = np.abs(cs[i_s] - ce[i_e]).max(1) > RECOLOURED
    if not colour_only:
        changed |= np.linalg.norm(xs[i_s] - xe[i_e], axis=1) > MOVED
    only = np.setxor1d(ks, ke)  # in one avatar only
    outside_common, outside_only = ~region[common], ~region[only]
    return {"outside": int(outside_common.sum() + outside_only.sum()),
            "outside_changed": int((changed & outside_common).sum() + outside_only.sum()),
            "inside": int((~outside_common).sum() + (~outside_only).sum()),
            "inside_changed": int((changed & ~outside_common).sum() + (~outside_only).sum()),
            "measure": "colour and presence" if colour_only else "position, colour and presence"}


def smoothness(package, folders):
    """Per step pair the mean displacement of shared Gaussians; per step the coverage; type switches."""
    steps = [gaussians(package, f) for f in folders]
    latents = np.stack([read_latent(os.path.join(f, "avatar.latent")) for f in folders])
    coverage = [float(np.minimum(1.0, m[:, :, ALPHA].sum(0)).mean()) for m in package.maps(latents)]
    types = [package.types(z) for z in latents]
    displacement, recolouring, appearing, switches = [], [], [], []
    for k in range(len(steps) - 1):
        (ka, xa, ca), (kb, xb, cb) = steps[k], steps[k + 1]
        _, ia, ib = np.intersect1d(ka, kb, return_indices=True)
        displacement.append(float(np.linalg.norm(xa[ia] - xb[ib], axis=1).mean()))
        recolouring.append(float(np.abs(ca[ia] - cb[ib]).max(1).mean()))
        appearing.append(int(len(np.setxor1d(ka, kb))))
        switches.append([package.parts[t] for t, (a, b) in enumerate(zip(types[k], types[k + 1])) if a != b and
                         package.type_counts[t] > 1])
    calm = [d for d, s in zip(displacement, switches) if not s]
    return {"mean_displacement_m": displacement, "mean_colour_change": recolouring, "shown_or_hidden": appearing,
            "type_switches": switches, "coverage": coverage,
            "ratio": max(displacement) / min(displacement),
            "ratio_without_switch_steps": max(calm) / min(calm) if len(calm) > 1 else None,
            "colour_ratio": max(recolouring) / min(recolouring)}


def tile(path, caption, size):
    image = Image.open(path).convert("RGB").resize((size, size))
    ImageDraw.Draw(image).text((6, 6), caption, fill=(0, 0, 0))
    return image


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tera", default="build/tera")
    parser.add_argument("--model", default="models/default")
    parser.add_argument("--reader", default=DEFAULT_READER)
    parser.add_argument("--out", required=True)
    parser.add_argument("--sheet", help="write the edit sequence of the first source (front views) here")
    parser.add_argument("--strip", help="copy the first interpolation's strip (one front view per step) here")
    parser.add_argument("--spacing", default="even", choices=["even", "linear"],
                        help="tera interpolate --spacing: steps that move the avatar equally far, or evenly in t")
    parser.add_argument("--no-edits", action="store_true", help="the sources and the interpolation paths only")
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    package, reader = Package(args.model), Reader.load(args.reader)

    sources = []
    for i, (prompt, seed) in enumerate(SOURCES):
        folder = os.path.join(args.out, f"source_{i}")
        tera(args, "generate", "--prompt", prompt, "--seed", str(seed), "--views", "1", "--size", "320", "--out", folder)
        sources.append((folder, reader.read_ply(os.path.join(folder, "avatar.ply")), gaussians(package, folder)))

    items = []
    for i, (folder, read, source) in enumerate([] if args.no_edits else sources):
        for j, (part, prompt, attribute, asked) in enumerate(edits_for(read, i)):
            out = os.path.join(args.out, f"edit_{i}_{j}")
            tera(args, "edit", folder, "--prompt", prompt, "--part", part, "--seed", str(SEED_EDIT + 10 * i + j),
                 "--views", "0", "--no-viewer", "--out", out)
            item = {"source": i, "part": part, "prompt": prompt, "attribute": attribute, "asked": asked,
                    "source_read": read.get(attribute) if attribute else None}
            item.update(locality(package, source, gaussians(package, out), [part]))
            if attribute:
                item["read"] = reader.read_ply(os.path.join(out, "avatar.ply"))[attribute]
                item["followed"] = item["read"] == asked
            items.append(item)
            print(f"{out}: {part:8s} {prompt!r:28s} outside changed {item['outside_changed']}/{item['outside']}"
                  f"  read {item.get('read')} (asked {asked})", flush=True)

    table = {}
    for part in package.parts:
        rows = [it for it in items if it["part"] == part]
        if not rows:
            continue
        followed = [it["followed"] for it in rows if it["attribute"]]
        table[part] = {"edits": len(rows), "outside": sum(r["outside"] for r in rows),
                       "outside_changed": sum(r["outside_changed"] for r in rows),
                       "worst_edit_outside_changed_share": max(r["outside_changed"] / max(1, r["outside"]) for r in rows),
                       "inside_changed_share": sum(r["inside_changed"] for r in rows) / max(1, sum(r["inside"] for r in rows)),
                       "measure": rows[0]["measure"],
                       "followed": sum(followed), "read": len(followed)}
    all_followed = [it["followed"] for it in items if it["attribute"]]

    paths = []
    for i in range(len(sources) - 1):
        out = os.path.join(args.out, f"path_{i}")
        tera(args, "interpolate", sources[i][0], sources[i + 1][0], "--steps", str(PATH_STEPS), "--views", "1", "--size", "256",
             "--spacing", args.spacing, "--no-viewer", "--out", out)
        path = smoothness(package, [os.path.join(out, f"step_{k:02d}") for k in range(PATH_STEPS)])
        path["pair"] = [i, i + 1]
        path["spacing"] = args.spacing
        path["t"] = [json.load(open(os.path.join(out, f"step_{k:02d}", "avatar.json")))["interpolation"]["t"]
                     for k in range(PATH_STEPS)]
        paths.append(path)
        print(f"{out}: displacement ratio {path['ratio']:.2f} (without type-switch steps "
              f"{path['ratio_without_switch_steps']:.2f}), colour-change ratio {path['colour_ratio']:.2f}, "
              f"switches {path['type_switches']}, shown/hidden per step {path['shown_or_hidden']}, "
              f"lowest coverage {min(path['coverage']):.4f}, t {[round(t, 4) for t in path['t']]}", flush=True)

    report = {"items": items, "parts": table,
              "effect": {"followed": sum(all_followed), "read": len(all_followed)}, "interpolation": paths}
    with open(os.path.join(args.out, "edit_locality.json"), "w") as f:
        json.dump(report, f, indent=1)

    print("\n| part | edits | Gaussians outside (sum) | changed outside | worst edit | changed inside | effect (reader) |")
    print("|---|---|---|---|---|---|---|")
    for part, r in table.items():
        effect = f"{r['followed']}/{r['read']}" if r["read"] else "n/a"
        print(f"| {part} | {r['edits']} | {r['outside']:,} | {r['outside_changed']:,} ({100 * r['outside_changed'] / max(1, r['outside']):.3f} %) "
              f"| {100 * r['worst_edit_outside_changed_share']:.3f} % | {100 * r['inside_changed_share']:.1f} % | {effect} |")
    e = report["effect"]
    if e["read"]:
        print(f"\neffect: {e['followed']}/{e['read']} = {e['followed'] / e['read']:.3f}")

    if args.sheet:
        chain, folder = [("source", os.path.join(sources[0][0], "view_000.png"))], sources[0][0]
        for k, (part, prompt) in enumerate([("top", "a black leather jacket"), ("hair", "short blonde hair"),
                                            ("glasses", "wearing glasses"), ("hat", "wearing a hat"), ("bottom", "blue jeans")]):
            out = os.path.join(args.out, f"chain_{k}")
            tera(args, "edit", folder, "--prompt", prompt, "--part", part, "--seed", str(SEED_EDIT + k), "--views", "1",
                 "--size", "320", "--no-viewer", "--out", out)
            chain.append((f"+ {prompt}", os.path.join(out, "view_000.png")))
            folder = out
        size = 256
        sheet = Image.new("RGB", (size * len(chain), size), "white")
        for k, (caption, png) in enumerate(chain):
            sheet.paste(tile(png, caption, size), (k * size, 0))
        sheet.save(args.sheet, optimize=True)
    if args.strip:
        Image.open(os.path.join(args.out, "path_0", "interpolation_strip.png")).convert("RGB").save(args.strip, optimize=True)


if __name__ == "__main__":
    main()
