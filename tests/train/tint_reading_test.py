#!/usr/bin/python3
"""The denoiser's prompt reading (scripts/train/avatar_train/networks.py PromptReading):

1. with its output layers at zero (as it starts) the denoiser predicts exactly what the same
   denoiser without a reading predicts, so adding it changes nothing until it learns;
2. what it reads (tints, type one-hots) enters the prediction only on the coordinates it names,
   scaled by -sqrt(1 - alpha-bar(t)) (v = sqrt(ab) noise - sqrt(1 - ab) x0, the reading being x0's share);
3. it scripts for the package (float16 matrices) and the scripted module predicts as the eager one;
4. with its own PromptMixer (config read_mixer) it reads through the mixer: a changed word changes
   what it reads, a changed padding word (mask 0) does not, the mixer's keys and values are added to
   the shared ones (with them at zero it reads what the reading without a mixer reads), and it
   scripts as in 3.
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
from avatar_train.networks import PromptMixer, PromptReading, TokenDenoiser  # noqa: E402
from avatar_train.schedule import cosine_alphas_cumprod  # noqa: E402
from fixtures import verdict  # noqa: E402

TOKENS, CHANNELS, CONTEXT, WIDTH, DEPTH, HEADS = 8, 40, 384, 32, 2, 4  # small, same shapes as the package's
SLOTS = [(5, 12, 3), (2, 3, 3), (6, 20, 3), (6, 30, 3), (5, 0, 12)]  # (token, first channel, count):
# a part may have two tints, and a type one-hot


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
                            PromptReading(TOKENS, CHANNELS, WIDTH, HEADS, SLOTS, alphas))
    missing = reading.load_state_dict(plain.state_dict(), strict=False).missing_keys
    if any(not key.startswith("reading.") for key in missing):
        failures.append(f"the reading changed the plain denoiser's parameters: {missing}")
    x, t, ctx, mask = inputs(1)
    with torch.no_grad():
        gap = float((reading(x, t, ctx, mask) - plain(x, t, ctx, mask)).abs().max())
    print(f"1. zero reading vs plain denoiser: max difference {gap:.2e}")
    if gap > 1e-6:
        failures.append(f"a reading at its zero start changes the prediction by {gap:.2e}")

    # 2. readings only where they belong: zero the denoiser's own output, give the head weights
    with torch.no_grad():
        reading.out_weight.zero_()
        reading.out_bias.zero_()
        torch.nn.init.normal_(reading.reading.head)
        v, read = reading.predict(x, t, ctx, mask)
    expected = torch.zeros_like(v)
    share = (1 - alphas.float()[t.long()]).sqrt()
    p = 0
    for token, first, count in SLOTS:
        expected[:, token, first:first + count] += -share.view(-1, 1) * read[:, p:p + count]
        p += count
    gap = float((v - expected).abs().max())
    print(f"2. {tuple(read.shape)} read, placed on their coordinates: max difference {gap:.2e}, "
          f"|read| mean {float(read.abs().mean()):.3f}")
    if tuple(read.shape) != (4, p) or float(read.abs().mean()) < 1e-3:
        failures.append(f"the reading gives {tuple(read.shape)}, mean magnitude {float(read.abs().mean())}")
    if gap > 1e-6:
        failures.append(f"the reading reaches other coordinates or the wrong scale: {gap:.2e}")
    with torch.no_grad():
        truth = reading.reading.true_coordinates(x)
    gap = float((truth - torch.cat([x[:, token, first:first + count] for token, first, count in SLOTS], 1)).abs().max())
    print(f"   true coordinates taken from the same places: max difference {gap:.2e}")
    if gap > 0:
        failures.append(f"true_coordinates reads other coordinates than the prior writes: {gap:.2e}")

    # 3. scripted with float16 matrices, as export.py writes it
    with torch.no_grad():
        torch.nn.init.normal_(reading.out_weight, std=0.1)
        torch.nn.init.normal_(reading.reading.read_in.weight, std=0.1)
        scripted = torch.jit.script(store_half(copy.deepcopy(reading)))
        x, t, ctx, mask = inputs(2)
        a, b = reading(x, t, ctx, mask), scripted(x, t, ctx, mask)
    change = float((a - b).norm() / a.norm())
    print(f"3. scripted, float16 matrices: relative change {change:.1e}")
    if change > 1e-3:
        failures.append(f"the scripted reading predicts {change:.1e} apart from the eager one")

    # 4. the reading's own pass over the prompt
    torch.manual_seed(3)
    mixed = TokenDenoiser(TOKENS, CHANNELS, CONTEXT, WIDTH, DEPTH, HEADS,
                          PromptReading(TOKENS, CHANNELS, WIDTH, HEADS, SLOTS, alphas, PromptMixer(CONTEXT, 16, WIDTH, HEADS)))
    with torch.no_grad():
        torch.nn.init.normal_(mixed.reading.head)
        x, t, ctx, mask = inputs(4)
        read = mixed.predict(x, t, ctx, mask)[1]
        other_word, padding = ctx.clone(), ctx.clone()
        other_word[:, 2] += 1.0
        padding[1, 6] += 1.0  # prompt 1 is padded from word 5
        moved = float((mixed.predict(x, t, other_word, mask)[1] - read).abs().min(dim=1).values.min())
        unmoved = float((mixed.predict(x, t, padding, mask)[1] - read).abs().max())
        scripted = torch.jit.script(store_half(copy.deepcopy(mixed)))
        change = float((scripted(x, t, ctx, mask) - mixed(x, t, ctx, mask)).norm() / mixed(x, t, ctx, mask).norm())
        silent, unmixed = copy.deepcopy(mixed), copy.deepcopy(mixed)
        for layer in (silent.reading.mixer.keys, silent.reading.mixer.values):
            torch.nn.init.zeros_(layer.weight)
            torch.nn.init.zeros_(layer.bias)
        unmixed.reading.mixer = None
        added = float((silent.predict(x, t, ctx, mask)[1] - unmixed.predict(x, t, ctx, mask)[1]).abs().max())
    print(f"4. mixer: a changed word moves every prompt's reading by at least {moved:.2e}, a changed padding "
          f"word by {unmoved:.2e}; with its keys and values at zero it reads {added:.1e} apart from the reading "
          f"without it; scripted, float16 matrices: relative change {change:.1e}")
    if added > 1e-6:
        failures.append(f"with the mixer's keys and values at zero, the reading differs from the plain one by {added:.1e}")
    if moved < 1e-4:
        failures.append(f"with a mixer, a changed word leaves a reading unchanged ({moved:.2e})")
    if unmoved > 1e-6:
        failures.append(f"with a mixer, a padding word changes the reading by {unmoved:.2e}")
    if change > 1e-3:
        failures.append(f"the scripted mixer reading predicts {change:.1e} apart from the eager one")
    return verdict(failures)


if __name__ == "__main__":
    sys.exit(main())
