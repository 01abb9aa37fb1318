#!/usr/bin/python3
"""Does a trained denoiser read a part's colour from its caption? R^2 of the predicted tint.

    .deps/venv/bin/python3 scripts/eval/tint_probe.py --work WORK --data DATA [--count 1024] [--seed 1]

For --count training captions of train.py's work folder, the avatars' latents are noised to a
timestep t and the denoiser predicts x0 (from its v prediction). At t = 999 the latent is almost
pure noise, so the prediction is what the caption alone says. Reported per part (top, hair): the
R^2 of the predicted tint (the part's 3 tint coordinates, docs/structured-latent.md) against the
true one, over captions that name the part's teacher colour and over those that do not, and the
R^2 of the top's type one-hot. The teacher's colour alone explains about 0.89 of a tint's variance,
so a denoiser that follows colour words gets close to that on the naming captions.
"""
import argparse
import json
import os
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "train"))
from avatar_train.diffusion import SCHEDULE_STEPS, load_denoiser, tint_slots  # noqa: E402
from avatar_train.latent_fit import LatentSpace  # noqa: E402
from avatar_train.schedule import cosine_alphas_cumprod  # noqa: E402
from avatar_train.text_features import FeatureStore  # noqa: E402

TIMESTEPS = (999, 900, 700)  # pure noise (the caption alone) to mid noise
BATCH = 128                  # captions per denoiser call


def tint_slice(space, part):
    """(token, channels) of a part's tint: the first 3 coordinates of its tinted colour field."""
    token = space.layout()[part][0]
    start = next(first for tint_token, first in tint_slots(space) if tint_token == token)
    return token, slice(start, start + 3)


def r2(pred, true):
    return float(1 - ((pred - true) ** 2).sum() / ((true - true.mean(0)) ** 2).sum())


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--work", required=True, help="train.py's work folder (space, latents, text, denoiser)")
    parser.add_argument("--data", required=True, help="the teacher dataset it was trained on")
    parser.add_argument("--count", type=int, default=1024)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    torch.set_num_threads(2)
    space = LatentSpace.load(os.path.join(args.work, "space"))
    latents = np.load(os.path.join(args.work, "latents.npy"), mmap_mode="r")
    store = FeatureStore(os.path.join(args.work, "text"))
    with open(os.path.join(args.work, "text", "captions.json")) as f:
        captions = json.load(f)["captions"]
    with open(os.path.join(args.data, "captions.jsonl")) as f:
        attributes = [json.loads(line)["attributes"] for line in f]
    model = load_denoiser(args.work)
    alphas = torch.from_numpy(cosine_alphas_cumprod(SCHEDULE_STEPS)).float()
    rng = np.random.default_rng(args.seed)
    picked = rng.choice(len(store.avatar), args.count, replace=False)
    rows = store.avatar[picked]
    x0 = torch.from_numpy(np.asarray(latents[rows]))

    def names(key, caption, row):
        return attributes[row][key].replace("grey", "gray") in caption.lower().replace("grey", "gray")

    named = {part: np.array([names(key, captions[c], r) for c, r in zip(picked, rows)])
             for part, key in (("top", "top_colour"), ("hair", "hair_colour"))}
    top_token, _, _ = space.layout()["top"]
    top_types = next(p.type_count for p in space.parts if p.name == "top")
    report = {}
    for t in TIMESTEPS:
        noise_rng = np.random.default_rng(args.seed * 1000 + t)
        preds = []
        for s in range(0, len(picked), BATCH):
            ctx, mask = store.batch([int(c) for c in picked[s:s + BATCH]], "cpu")
            x = x0[s:s + BATCH]
            ab = alphas[t]
            noise = torch.from_numpy(noise_rng.standard_normal(tuple(x.shape)).astype(np.float32))
            xt = ab.sqrt() * x + (1 - ab).sqrt() * noise
            with torch.no_grad():
                v = model(xt, torch.full((len(xt),), float(t)), ctx, mask)
            preds.append(ab.sqrt() * xt - (1 - ab).sqrt() * v)
        p, x = torch.cat(preds).numpy(), x0.numpy()
        entry = {}
        for part in ("top", "hair"):
            token, channels = tint_slice(space, part)
            sel = named[part]
            entry[part] = {"named": round(r2(p[sel][:, token, channels], x[sel][:, token, channels]), 3),
                           "unnamed": round(r2(p[~sel][:, token, channels], x[~sel][:, token, channels]), 3),
                           "captions_naming": int(sel.sum())}
        entry["top_type"] = round(r2(p[:, top_token, :top_types], x[:, top_token, :top_types]), 3)
        report[t] = entry
        print(f"t = {t}: top tint R^2 {entry['top']['named']} naming / {entry['top']['unnamed']} not; "
              f"hair tint {entry['hair']['named']} / {entry['hair']['unnamed']}; top type {entry['top_type']}", flush=True)
    print(json.dumps(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
