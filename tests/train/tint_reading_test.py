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
5. holding the tints (config hold, export): on the held coordinates the prediction's x0 is the exact
   denoiser of x0 ~ N(read, s2), read + k (x_t - sqrt(ab) read) with k = sqrt(ab) s2 / (ab s2 + 1 - ab)
   and s2 the fitted spread capped at 1 (times a temperature; a coordinate is held only where its spread
   is below a bound, elsewhere the network predicts it; what is read may be pushed from the empty
   prompt's reading e to e + g (read - e)); at t = 999 that is what is read (but for k x_t, k <= sqrt(ab(999))
   / (1 - ab(999)) = 4.9e-5 on the cosine schedule); every other coordinate is
   predicted as without holding; it scripts as in 3.
6. the spread's fit (diffusion.fit_spread) on coordinates of known spread around what is read finds it.
Tolerances: 1e-6 absolute where the arithmetic is the same in float32; 1e-3 relative for float16
storage of the matrices (export.py's own bound on it is 1e-3); 1e-4 absolute for an x0 recovered from
a held v (v divides by sqrt(1 - ab), 0.006 at t = 0, and x0 multiplies by it again: float32 rounding of
numbers of about 1 grows to about 1e-5); 25 % for a fitted spread (300 steps of 64 draws estimate a
variance to about 10 %: one draw's squared error has a relative spread of sqrt(2)).
"""
import copy
import os
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))),
                                "scripts", "train"))
from avatar_train import diffusion  # noqa: E402
from avatar_train.layers import store_half  # noqa: E402
from avatar_train.networks import PromptMixer, PromptReading, TokenDenoiser  # noqa: E402
from avatar_train.schedule import cosine_alphas_cumprod  # noqa: E402
from fixtures import verdict  # noqa: E402

TOKENS, CHANNELS, CONTEXT, WIDTH, DEPTH, HEADS = 8, 40, 384, 32, 2, 4  # small, same shapes as the package's
SLOTS = [(5, 12, 3), (2, 3, 3), (6, 20, 3), (6, 30, 3), (5, 0, 12)]  # (token, first channel, count):
# a part may have two tints, and a type one-hot
GROUPS = ["tint"] * 12 + ["type"] * 12  # each coordinate's group, as diffusion.reading_slots names them


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
    failures += check_hold(mixed, alphas)
    failures += check_spread_fit(alphas)
    return verdict(failures)


def check_hold(model, alphas):
    held = copy.deepcopy(model)
    with torch.no_grad():
        torch.nn.init.normal_(held.reading.spread_weight, std=1.0)  # some spreads above 1: the cap is used
        held.reading.spread_bias.fill_(-0.5)
        torch.nn.init.normal_(held.out_weight, std=0.1)  # the network's own share, which holding replaces
        free = copy.deepcopy(held)
        held.reading.hold_coordinates(GROUPS, ["tint"], below=2.0)  # every spread is below 2: all tints held
        x, t, ctx, mask = inputs(5)
        v, read = held.predict(x, t, ctx, mask)
        v_free = free(x, t, ctx, mask)
        keys, values = held.text_keys(ctx), held.text_values(ctx)
        s2 = held.reading.log_spread(held.reading.read(ctx, keys, values, mask)).exp().clamp(max=1.0)
        ab = alphas.float()[t.long()].view(-1, 1)
        places = held.reading.places
        x_at = x.reshape(4, -1).index_select(1, places)
        x0 = ab.sqrt() * x_at - (1 - ab).sqrt() * v.reshape(4, -1).index_select(1, places)
        exact = read + ab.sqrt() * s2 / (ab * s2 + 1 - ab) * (x_at - ab.sqrt() * read)
        tints = torch.tensor([g == "tint" for g in GROUPS])
        gap = float((x0 - exact)[:, tints].abs().max())
        at_999 = float((x0[0] - read[0])[tints].abs().max())
        others = torch.ones(v.numel() // 4, dtype=torch.bool)
        others[places[tints]] = False
        unheld = float((v - v_free).reshape(4, -1)[:, others].abs().max())
        capped = float((held.reading.log_spread(held.reading.read(ctx, keys, values, mask)) > 0).float().mean())
        scripted = torch.jit.script(store_half(copy.deepcopy(held)))
        change = float((scripted(x, t, ctx, mask) - v).norm() / v.norm())
        gated = copy.deepcopy(held)
        gated.reading.hold_coordinates(GROUPS, ["tint"], below=0.5, temperature=0.25)
        empty = torch.randn(read.shape[1], generator=torch.Generator().manual_seed(8))  # what "" would read
        gated.reading.guide_reading(empty, 1.5)
        v_gated = gated(x, t, ctx, mask).reshape(4, -1).index_select(1, places)
        x0_gated = ab.sqrt() * x_at - (1 - ab).sqrt() * v_gated
        cold, guided = 0.25 * s2, empty + 1.5 * (read - empty)
        exact_cold = guided + ab.sqrt() * cold / (ab * cold + 1 - ab) * (x_at - ab.sqrt() * guided)
        below = (s2 < 0.5) & tints
        above = (s2 >= 0.5) & tints
        gate_in = float((x0_gated - exact_cold)[below].abs().max())
        gate_out = float((v_gated - v_free.reshape(4, -1).index_select(1, places))[above].abs().max())
    print(f"5. held tints: x0 against the Gaussian's exact denoiser, max difference {gap:.1e} ({capped:.0%} of "
          f"spreads capped at 1); at t = 999 x0 is the reading to {at_999:.1e}; other coordinates {unheld:.1e} apart "
          f"from not holding; scripted, float16 matrices: relative change {change:.1e}")
    failures = []
    # at t = 999, k = sqrt(ab) s2 / (ab s2 + 1 - ab) <= sqrt(ab) / (1 - ab): x0 is the reading but for k x_t
    bound = float(alphas[999].sqrt() / (1 - alphas[999])) * float(x[0].abs().max() + read[0].abs().max()) + 1e-6
    if gap > 1e-4 or at_999 > bound:
        failures.append(f"held coordinates are not the reading's Gaussian: {gap:.1e}, at t = 999 {at_999:.1e}")
    if unheld > 1e-6:
        failures.append(f"holding the tints changes other coordinates by {unheld:.1e}")
    if capped == 0:
        failures.append("no spread above 1 drawn: the cap is untested")
    if change > 1e-3:
        failures.append(f"the scripted held reading predicts {change:.1e} apart from the eager one")
    print(f"   held below a spread of 0.5 at temperature 0.25, guided 1.5 from the empty prompt's reading: "
          f"{int(below.sum())} coordinates drawn from N(e + 1.5 (read - e), 0.25 s2) to {gate_in:.1e}, "
          f"{int(above.sum())} left to the network to {gate_out:.1e}")
    if below.sum() == 0 or above.sum() == 0:
        failures.append("the gate's test drew spreads all on one side of 0.5")
    if gate_in > 1e-4 or gate_out > 1e-6:
        failures.append(f"holding below a spread: {gate_in:.1e} from the cold Gaussian, {gate_out:.1e} from the network")
    return failures


class FixedPrompts:
    """A FeatureStore's interface over fixed random prompts, one avatar each."""

    def __init__(self, count, seed):
        g = torch.Generator().manual_seed(seed)
        self.ctx = torch.randn(count, 6, CONTEXT, generator=g)
        self.avatar = np.arange(count)

    def batch(self, captions, device):
        return self.ctx[captions].to(device), torch.ones(len(captions), 6, dtype=torch.int64, device=device)


def check_spread_fit(alphas):
    import json
    import tempfile
    torch.manual_seed(6)
    cfg = {"width": WIDTH, "depth": 1, "heads": HEADS, "tint_reading": 1.0, "read_mixer": 0,
           "spread_steps": 300, "batch": 64}
    model = diffusion.make_denoiser(cfg, TOKENS, CHANNELS, CONTEXT, SLOTS)  # its head at zero: it reads 0
    count = 512
    rng = np.random.default_rng(6)
    latents = rng.standard_normal((count, TOKENS, CHANNELS)).astype(np.float32)  # spread 1 where not scaled
    token, first, n = SLOTS[0]
    latents[:, token, first:first + n] *= 0.5  # the first tint: spread 0.25 around what is read
    with tempfile.TemporaryDirectory() as work:
        np.savez(os.path.join(work, "denoiser.npz"), **{k: v.numpy() for k, v in model.state_dict().items()})
        with open(os.path.join(work, "denoiser.json"), "w") as f:
            json.dump({"tokens": TOKENS, "channels": CHANNELS, "context_dim": CONTEXT,
                       "reading_slots": [list(s) for s in SLOTS], **cfg}, f)
        metrics = {}
        diffusion.fit_spread(cfg, latents, FixedPrompts(count, 7), work, 0, torch.device("cpu"), metrics)
        fitted = diffusion.load_denoiser(work)
    prompts = FixedPrompts(count, 7)
    ctx, mask = prompts.batch(list(range(count)), "cpu")
    with torch.no_grad():
        spread = fitted.reading.log_spread(fitted.reading.read(ctx, fitted.text_keys(ctx), fitted.text_values(ctx),
                                                               mask)).exp().mean(0)
    small, unit = float(spread[:3].mean()), float(spread[3:].mean())
    print(f"6. fitted spread: {small:.3f} where the coordinates spread by 0.25, {unit:.3f} where by 1 "
          f"(loss {metrics['spread']['loss_first']:.3f} -> {metrics['spread']['loss_last']:.3f})")
    if abs(small - 0.25) > 0.25 * 0.25 or abs(unit - 1.0) > 0.25:
        return [f"the spread's fit finds {small:.3f} and {unit:.3f} for spreads of 0.25 and 1"]
    return []


if __name__ == "__main__":
    sys.exit(main())
