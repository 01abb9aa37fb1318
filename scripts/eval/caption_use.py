#!/usr/bin/python3
"""How much does a trained denoiser use its caption for each part's colours and types?

    .deps/venv/bin/python3 scripts/eval/caption_use.py --work WORK [--count 384] [--seed 1]

For --count training captions of train.py's work folder, noises their avatars' latents to a few
timesteps and compares the denoiser's loss (v-prediction, the training target) on a part's colour
coordinates and on its type one-hot, given the right caption against the same captions shuffled
between avatars. A denoiser that ignores the words for a part has the same loss both ways
(docs/model-development.md uses it for the loss emphasis on caption-named coordinates).
"""
import argparse
import os
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "train"))
from avatar_train.diffusion import SCHEDULE_STEPS, caption_coordinates, load_denoiser  # noqa: E402
from avatar_train.latent_fit import LatentSpace  # noqa: E402
from avatar_train.schedule import cosine_alphas_cumprod  # noqa: E402
from avatar_train.text_features import FeatureStore  # noqa: E402

TIMESTEPS = (500, 800, 950)           # mid to high noise: where a sample's colours are decided
PARTS = ("top", "bottom", "hair")     # the parts whose colours prompts name most


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--work", required=True, help="train.py's work folder (denoiser, latents, text features, space)")
    parser.add_argument("--count", type=int, default=384, help="training captions used")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    torch.manual_seed(args.seed)
    rng = np.random.default_rng(args.seed)
    denoiser = load_denoiser(args.work)
    space = LatentSpace.load(os.path.join(args.work, "space"))
    latents = np.load(os.path.join(args.work, "latents.npy"), mmap_mode="r")
    store = FeatureStore(os.path.join(args.work, "text"))
    picked = rng.choice(len(store.avatar), args.count, replace=False)
    ctx, mask = store.batch([int(c) for c in picked], torch.device("cpu"))
    x0 = torch.from_numpy(np.array(latents[store.avatar[picked]])).float()
    shuffled = torch.from_numpy(rng.permutation(args.count))
    alphas = torch.from_numpy(cosine_alphas_cumprod(SCHEDULE_STEPS)).float()
    for t in TIMESTEPS:
        ab = alphas[t]
        noise = torch.randn_like(x0)
        xt = ab.sqrt() * x0 + (1 - ab).sqrt() * noise
        v = ab.sqrt() * noise - (1 - ab).sqrt() * x0
        steps = torch.full((args.count,), float(t))
        with torch.no_grad():
            right = denoiser(xt, steps, ctx, mask)
            wrong = denoiser(xt, steps, ctx[shuffled], mask[shuffled])
        for name in PARTS:
            token, types, colour = caption_coordinates(space, name)
            for what, idx in (("colour", colour), ("type", types)):
                loss = [float(((p[:, token, idx] - v[:, token, idx]) ** 2).mean()) for p in (right, wrong)]
                print(f"t = {t:4d}  {name:7s} {what:7s} loss {loss[0]:.3f} with its caption, {loss[1]:.3f} shuffled")


if __name__ == "__main__":
    main()
