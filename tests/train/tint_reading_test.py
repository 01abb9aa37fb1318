#!/usr/bin/python3
"""The denoiser's tint reading (scripts/train/avatar_train/networks.py TintReading):

1. with its output layers at zero (as it starts) the denoiser predicts exactly what the same
   denoiser without a reading predicts, so adding it changes nothing until it learns;
2. the reading's tints enter the prediction only on the tint coordinates they name, scaled by
   -sqrt(1 - alpha-bar(t)) (v = sqrt(ab) noise - sqrt(1 - ab) x0, the tint being x0's share);
3. it scripts for the package (float16 matrices) and the scripted module predicts as the eager one.
Tolerances: 1e-6 absolute where the arithmetic is the same in float32; 1e-3 relative for float16
storage of the matrices (export.py's own bound on it is 1e-3).
"""
import copy
import os
import sys

import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))),
                                "scripts", "train"))
from avatar_train.layers import store_half  # noqa: E402
from avatar_train.networks import TintReading, TokenDenoiser  # noqa: E402
from avatar_train.schedule import cosine_alphas_cumprod  # noqa: E402

TOKENS, CHANNELS, CONTEXT, WIDTH, DEPTH, HEADS = 8, 40, 384, 32, 2, 4  # small, same shapes as the package's
SLOTS = [(5, 12), (2, 3), (6, 20), (6, 30)]  # (token, first channel): a part may have two tints


def inputs(seed):
    g = torch.Generator().manual_seed(seed)
    x = torch.randn(4, TOKENS, CHANNELS, generator=g)
    t = torch.tensor([999.0, 700.0, 120.0, 0.0])
    ctx = torch.randn(4, 9, CONTEXT, generator=g)
    mask = torch.ones(4, 9, dtype=torch.int64)
    mask[1, 5:] = 0
    return x, t, ctx, mask


def main():
    torch.manual_seed(0)
    alphas = torch.from_numpy(cosine_alphas_cumprod(1000))
    failures = []
    plain = TokenDenoiser(TOKENS, CHANNELS, CONTEXT, WIDTH, DEPTH, HEADS)
    torch.nn.init.normal_(plain.out_weight, std=0.1)  # a trained-looking output, not the zero start
    reading = TokenDenoiser(TOKENS, CHANNELS, CONTEXT, WIDTH, DEPTH, HEADS,
                            TintReading(TOKENS, CHANNELS, WIDTH, HEADS, SLOTS, alphas))
    missing = reading.load_state_dict(plain.state_dict(), strict=False).missing_keys
    if any(not key.startswith("tint_reading.") for key in missing):
        failures.append(f"the reading changed the plain denoiser's parameters: {missing}")
    x, t, ctx, mask = inputs(1)
    with torch.no_grad():
        gap = float((reading(x, t, ctx, mask) - plain(x, t, ctx, mask)).abs().max())
    print(f"1. zero reading vs plain denoiser: max difference {gap:.2e}")
    if gap > 1e-6:
        failures.append(f"a reading at its zero start changes the prediction by {gap:.2e}")

    # 2. tints only where they belong: zero the denoiser's own output, give the head weights
    with torch.no_grad():
        reading.out_weight.zero_()
        reading.out_bias.zero_()
        torch.nn.init.normal_(reading.tint_reading.head)
        v, tints = reading.predict(x, t, ctx, mask)
    expected = torch.zeros_like(v)
    share = (1 - alphas.float()[t.long()]).sqrt()
    for i, (token, first) in enumerate(SLOTS):
        expected[:, token, first:first + 3] += -share.view(-1, 1) * tints[:, i]
    gap = float((v - expected).abs().max())
    print(f"2. tints {tuple(tints.shape)} placed on their coordinates: max difference {gap:.2e}, "
          f"|tints| mean {float(tints.abs().mean()):.3f}")
    if tuple(tints.shape) != (4, len(SLOTS), 3) or float(tints.abs().mean()) < 1e-3:
        failures.append(f"the reading's tints are {tuple(tints.shape)}, mean magnitude {float(tints.abs().mean())}")
    if gap > 1e-6:
        failures.append(f"tints reach other coordinates or the wrong scale: {gap:.2e}")

    # 3. scripted with float16 matrices, as export.py writes it
    with torch.no_grad():
        torch.nn.init.normal_(reading.out_weight, std=0.1)
        torch.nn.init.normal_(reading.tint_reading.read_in.weight, std=0.1)
        scripted = torch.jit.script(store_half(copy.deepcopy(reading)))
        x, t, ctx, mask = inputs(2)
        a, b = reading(x, t, ctx, mask), scripted(x, t, ctx, mask)
    change = float((a - b).norm() / a.norm())
    print(f"3. scripted, float16 matrices: relative change {change:.1e}")
    if change > 1e-3:
        failures.append(f"the scripted reading predicts {change:.1e} apart from the eager one")
    for failure in failures:
        print("FAIL:", failure)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
