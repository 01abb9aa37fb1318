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
7. drawing (config draw, export; draws.py): on a drawn group's coordinates x0 is the exact denoiser of a mixture,
   one of the group's candidates N(m_k, v_k) with the chance p_k its chooser reads from the prompt (softmax of
   networks.Chooser's logits, float16 matrices as exported, sharpened where the prompt names the group to p^s): at
   t = 999 x0 = sum p_k m_k (but for the likelihood's sqrt(ab) share: 5e-3); at t = 20 from x_t next to candidate j it is m_j + k_j (x_t - sqrt(ab)
   m_j), k_j = sqrt(ab) v_j / (ab v_j + 1 - ab) (1e-4); the parts of one group (a top and a bottom) share one
   draw; other coordinates are predicted as without drawing; sampling with it (DDIM, 100 steps, 4000 noises)
   draws candidate k with frequency p_k to 0.03 (four standard errors of a frequency of 0.5 from 4000 draws is
   0.032), and a colour around its candidate's mean (to 0.05) with its variance (to 20 %: a variance from about
   1000 draws is estimated to about 4.5 %; DDIM's 100 steps add their own error), the candidates of the row its
   condition picks (a garment's colour has one row per outfit: here the hat picks the colour's row, from the
   prediction); it scripts as in 3.
8. the named gate (networks.sharpened, as PromptReading.log_chances): chances that lie further than the bound
   (KL divergence, nats) from the group's shares over the training avatars are sharpened to p^s, renormalised;
   chances at the shares, or nearer than the bound, stay as read; padding keeps no chance.
9. a drawn group on coordinates the reading does not read, one of whose candidates is the denoiser's own prediction
   (draws.OWN_PREDICTION: a top's stripes): with (nearly) every chance on that candidate x0 there is the network's
   own (1e-4, recovered from v), and with an own guidance g it is pushed from the candidate's mean m to
   m + (1 + (g - 1)(1 - ab)) (own - m) (1e-4); with every chance on its Gaussian candidate, that Gaussian's exact
   denoiser (1e-4);
   at t = 999 with chances between, their mean of the two (5e-3, as in 7); where the prompt leaves the group open
   (the named gate of 8 closed) the own candidate has no chance, however much is read for it, and x0 is the
   Gaussian's exact denoiser (1e-4); other coordinates as without drawing.
10. a part a named drawn group needs shown (PromptReading.keep_shown, config draw_shown: a named hair colour keeps
   the hair): where the group is named and the prompt reads the part's absent type (bald) at a share below the
   bound, x0 on that type's coordinate is its value where the type is another (1e-4, recovered from v), at every t;
   where the group is open, or the share read is at the bound or above, the prediction is the one without the rule
   (1e-6); other coordinates never move (1e-6); it scripts as in 3 (1e-4: float16 matrices, and x0 at t = 0
   recovered from v). The empty prompt ([CLS] [SEP], guidance's unconditional input) is never held, even where its
   group reads named and any share is below the bound (1e-6), while the other prompts then are (1e-4).
11. choosers read together (networks.Choosers, config chooser_members): one member reads exactly what that chooser
   reads alone (bit for bit); two read the mean of their logits (1e-6), chances between the two members' whose log
   is the mean of theirs less a constant per group (1e-5); scripted, as eager (1e-6).
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
from avatar_train.networks import Chooser, Choosers, PromptMixer, PromptReading, TokenDenoiser, sharpened  # noqa: E402
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
    failures += check_draw(alphas)
    failures += check_named_gate()
    failures += check_own(alphas)
    failures += check_shown(alphas)
    failures += check_choosers()
    return verdict(failures)


DRAW_SLOTS = [(5, 12, 3), (5, 0, 4), (6, 0, 4), (3, 0, 2)]  # a tint, a top's and a bottom's outfit, a hat
OUTFITS, HATS, COLOURS = 4, 2, 3  # candidates of the three groups


def draw_setup():
    """Drawn groups as draws.fit_chances writes them: the outfit (top and bottom one-hots, standardised), the hat,
    and the top's colour (its tint: 3 classes with a spread each, one set of candidates per hat, picked by the
    prediction's hat: a condition, as a garment's colour has its outfit)."""
    share = torch.tensor([0.5, 0.3, 0.15, 0.05])
    onehot = (torch.eye(OUTFITS) - share) / (share * (1 - share)).sqrt()  # standardised one-hots
    hat_share = torch.tensor([0.8, 0.2])
    hat = (torch.eye(HATS) - hat_share) / (hat_share * (1 - hat_share)).sqrt()
    places = list(range(3, 11)) + [11, 12] + [0, 1, 2]  # outfit (top, bottom), hat, tint: indices among the P read
    group = [0] * 8 + [1] * 2 + [2] * 3
    size = max(OUTFITS, HATS, COLOURS)
    means = torch.zeros(HATS, size, len(places))  # rows: the colour's condition, the hat
    variance = torch.zeros(HATS, size, len(places))
    means[:, :OUTFITS, :4], means[:, :OUTFITS, 4:8] = onehot, onehot
    means[:, :HATS, 8:10] = hat
    colours = torch.tensor([[-1.5, -1.2, -1.0], [0.2, 0.4, 0.3], [1.8, -0.6, -1.4]])
    means[0, :COLOURS, 10:13], means[1, :COLOURS, 10:13] = colours, colours + torch.tensor([0.4, -0.3, 0.2])
    variance[:, :COLOURS, 10:13] = torch.tensor([[0.04, 0.05, 0.03], [0.09, 0.06, 0.1], [0.05, 0.02, 0.08]])
    condition = torch.tensor([[-1, -1], [-1, -1], [11, 12]])  # the colour's rows: the hat's coordinates read
    member = torch.zeros(3, len(places))
    for q, k in enumerate(group):
        member[k, q] = 1.0
    valid = torch.zeros(3, size)
    valid[0, :OUTFITS], valid[1, :HATS], valid[2, :COLOURS] = 1.0, 1.0, 1.0
    shares = torch.zeros(3, size)  # log shares over the training avatars, 0 on padding
    shares[0, :OUTFITS], shares[1, :HATS], shares[2, :COLOURS] = share.log(), hat_share.log(), -np.log(COLOURS)
    return {"places": torch.tensor(places), "group": torch.tensor(group), "means": means, "variance": variance,
            "member": member, "valid": valid, "shares": shares, "own": torch.zeros(3, size), "condition": condition,
            "condition_mean": torch.stack([hat_share] * 3), "condition_std": torch.stack([(hat_share * (1 - hat_share)).sqrt()] * 3)}


def draw_chooser(size):
    """A chooser of the three groups with random weights (its head and bias spread the chances), float16-stored."""
    torch.manual_seed(13)
    chooser = Chooser(CONTEXT, 16, HEADS, 3, size).eval()
    with torch.no_grad():
        torch.nn.init.normal_(chooser.head, std=0.2)  # logits of about 1: chances well inside (0, 1)
        torch.nn.init.normal_(chooser.bias, std=0.5)
        torch.nn.init.normal_(chooser.query, std=1.0)
    return store_half(chooser)


def draw_chances(chooser, ctx, mask, setup, sharpen):
    """The chances of the groups' candidates from the chooser's logits, sharpened here apart from networks.py (every
    group counts as named: the test's bound lies below any divergence): float[B, G, K]."""
    p = torch.softmax(chooser(ctx, mask).masked_fill(setup["valid"] == 0, float("-inf")), 2) ** sharpen
    p = torch.nan_to_num(p) * setup["valid"]
    return p / p.sum(2, keepdim=True)


def drawing_denoiser(seed, slots):
    """A small denoiser that reads slots, its reading's head and query and its output spread (parts read
    differently), with the drawn groups of draw_setup (places as indices in x[b].flatten(), as draws.py writes them)
    and their chooser, the groups not yet set on it -> (model, setup, chooser)."""
    torch.manual_seed(seed)
    cfg = {"width": WIDTH, "depth": 1, "heads": HEADS, "tint_reading": 1.0, "read_mixer": 0}
    model = diffusion.make_denoiser(cfg, TOKENS, CHANNELS, CONTEXT, slots).eval()
    setup = draw_setup()
    chooser = draw_chooser(setup["valid"].shape[1])
    with torch.no_grad():
        torch.nn.init.normal_(model.reading.head, std=0.3)
        torch.nn.init.normal_(model.reading.query, std=1.0)
        torch.nn.init.normal_(model.out_weight, std=0.1)
    setup["places"] = model.reading.places[setup["places"]]
    return model, setup, chooser


def hat_row(free, x, t, ctx, mask, alphas):
    """int64[B]: the hat the network alone predicts for x at t (its x0 on the hat's coordinates, unstandardised,
    largest), which picks the colour's row of candidates."""
    ab = alphas.float()[t.long()].view(-1, 1)
    hat = free.reading.places[11:13]
    x0 = ab.sqrt() * x.reshape(x.shape[0], -1)[:, hat] - (1 - ab).sqrt() * free(x, t, ctx, mask).reshape(x.shape[0], -1)[:, hat]
    share = torch.tensor([0.8, 0.2])
    return (x0 * (share * (1 - share)).sqrt() + share).argmax(1)


def check_draw(alphas):
    model, setup, chooser = drawing_denoiser(9, DRAW_SLOTS)
    sharpen, temperature = 2.0, 0.5
    with torch.no_grad():
        free = copy.deepcopy(model)
        x, t, ctx, mask = inputs(11)
        model.reading.set_draws(setup, chooser, sharpen, temperature, -1.0)  # KL >= 0 > -1: every group named
        # the candidates as stored (float16): what the expectations below are computed from
        setup["means"], setup["variance"] = model.reading.draw_means.float(), model.reading.draw_variance.float()
        v = model(x, t, ctx, mask)
        v_free = free(x, t, ctx, mask)
        places = setup["places"]
        ab = alphas.float()[t.long()].view(-1, 1)
        p = draw_chances(chooser, ctx, mask, setup, sharpen)
        wide = p.index_select(1, setup["group"])  # float[B, Q, K]
        row = hat_row(free, x, t, ctx, mask, alphas)  # the colour's candidates: the network's own hat picks the row
        expected = torch.einsum("bqk,bkq->bq", wide, setup["means"][row])
        x_at = x.reshape(4, -1).index_select(1, places)
        x0 = ab.sqrt() * x_at - (1 - ab).sqrt() * v.reshape(4, -1).index_select(1, places)
        at_999 = float((x0[0] - expected[0]).abs().max())
        others = torch.ones(v.numel() // 4, dtype=torch.bool)
        others[places] = False
        undrawn = float((v - v_free).reshape(4, -1)[:, others].abs().max())
        # low noise: x_t next to outfit 2, hat 1 and colour 0 gives those (the colour's Gaussian posterior mean)
        a20 = alphas.float()[20]
        pick = [2] * 8 + [1] * 2 + [0] * 3
        near = x.clone().reshape(4, -1)
        near[:, places] = a20.sqrt() * setup["means"][0, pick, torch.arange(len(pick))] + (1 - a20).sqrt() * 0.3 * torch.randn(4, len(pick))
        row = hat_row(free, near.view_as(x), torch.full((4,), 20.0), ctx, mask, alphas)
        target = setup["means"][row][:, pick, torch.arange(len(pick))]  # float[B, Q]
        var = temperature * setup["variance"][row][:, pick, torch.arange(len(pick))]
        v_near = model(near.view_as(x), torch.full((4,), 20.0), ctx, mask).reshape(4, -1).index_select(1, places)
        x0_near = a20.sqrt() * near[:, places] - (1 - a20).sqrt() * v_near
        exact = target + a20.sqrt() * var / (a20 * var + 1 - a20) * (near[:, places] - a20.sqrt() * target)
        at_20 = float((x0_near - exact).abs().max())
        scripted = torch.jit.script(store_half(copy.deepcopy(model)))
        change = float((scripted(x, t, ctx, mask) - v).norm() / v.norm())
        # sampling: DDIM on the drawn coordinates, one prompt, 4000 noises
        n = 4000
        prompt_chances = model.reading.read_chances(ctx[:1], mask[:1]).expand(n, -1, -1)
        hat_one = torch.zeros(n, len(model.reading.places))  # a prediction whose hat is hat 1: the colour's row 1
        hat_one[:, 11:13] = (torch.tensor([0.0, 1.0]) - setup["condition_mean"][2]) / setup["condition_std"][2]
        z = torch.randn(n, len(pick), generator=torch.Generator().manual_seed(12))
        steps = torch.linspace(999, 0, 101).round().long()
        for now, nxt in zip(steps[:-1], steps[1:]):
            a_now, a_next = alphas.float()[now], alphas.float()[nxt]
            signal, noise = a_now.sqrt().view(1, 1).expand(n, 1), (1 - a_now).sqrt().view(1, 1).expand(n, 1)
            no_body = torch.zeros(n, 0)  # no value bound to a body (check 11)
            x0_hat = model.reading.draw(z, signal, noise, prompt_chances, hat_one, torch.zeros_like(z), no_body)
            eps = (z - a_now.sqrt() * x0_hat) / (1 - a_now).sqrt()
            z = a_next.sqrt() * x0_hat + (1 - a_next).sqrt() * eps
    means = setup["means"][1]
    top = ((z[:, None, :4] - means[None, :OUTFITS, :4]) ** 2).sum(2).argmin(1)
    bottom = ((z[:, None, 4:8] - means[None, :OUTFITS, 4:8]) ** 2).sum(2).argmin(1)
    hat = ((z[:, None, 8:10] - means[None, :HATS, 8:10]) ** 2).sum(2).argmin(1)
    colour = ((z[:, None, 10:13] - means[None, :COLOURS, 10:13]) ** 2).sum(2).argmin(1)
    frequency = [torch.bincount(c, minlength=k).float() / n for c, k in ((top, OUTFITS), (hat, HATS), (colour, COLOURS))]
    gap = max(float((f - p[0, g, :len(f)]).abs().max()) for g, f in enumerate(frequency))
    apart = float((top != bottom).float().mean())
    commonest = int(frequency[2].argmax())
    spread = z[colour == commonest][:, 10:13].var(0) / (temperature * setup["variance"][1, commonest, 10:13])
    off_row = float((z[colour == commonest][:, 10:13].mean(0) - means[commonest, 10:13]).abs().max())
    print(f"7. drawn groups: at t = 999 x0 is the chances' mean to {at_999:.1e}, at t = 20 the nearest candidate's "
          f"Gaussian to {at_20:.1e}; other coordinates {undrawn:.1e} apart from not drawing; scripted: relative change "
          f"{change:.1e}; sampled frequencies {[[round(float(v), 3) for v in f] for f in frequency]} against chances "
          f"{[[round(float(v), 3) for v in p[0, g, :len(f)]] for g, f in enumerate(frequency)]}; top and bottom apart "
          f"in {apart:.1%}; the commonest colour's sampled variance / its candidate's: "
          f"{[round(float(s), 2) for s in spread]}, its mean {off_row:.3f} from its candidate's on the hat's row "
          f"(the other row's lies 0.4 away)")
    failures = []
    if at_999 > 5e-3 or at_20 > 1e-4:
        failures.append(f"drawn coordinates are not the mixture's denoiser: t = 999 {at_999:.1e}, t = 20 {at_20:.1e}")
    if undrawn > 1e-6:
        failures.append(f"drawing changes other coordinates by {undrawn:.1e}")
    if change > 1e-3:
        failures.append(f"the scripted drawing predicts {change:.1e} apart from the eager one")
    if gap > 0.03 or apart > 0:
        failures.append(f"sampling draws candidates {gap:.3f} from their chances; top and bottom apart {apart:.1%}")
    if off_row > 0.05:  # 1000 draws of a spread of at most 0.3 give a mean to about 0.01
        failures.append(f"a drawn colour lies {off_row:.3f} from its candidate on the row its condition picks")
    if float((spread - 1).abs().max()) > 0.2:
        failures.append(f"a drawn colour spreads by {spread.tolist()} of its candidate's variance")
    return failures


def check_own(alphas):
    """9: a group whose second candidate is the denoiser's own prediction (draws.OWN_PREDICTION: a top's stripes), on
    coordinates the reading does not read (as a pattern's are not)."""
    torch.manual_seed(21)
    cfg = {"width": WIDTH, "depth": 1, "heads": HEADS, "tint_reading": 1.0, "read_mixer": 0}
    model = diffusion.make_denoiser(cfg, TOKENS, CHANNELS, CONTEXT, DRAW_SLOTS).eval()
    with torch.no_grad():
        torch.nn.init.normal_(model.reading.head, std=0.3)
        torch.nn.init.normal_(model.out_weight, std=0.1)
    places = [7 * CHANNELS + c for c in range(30, 34)]  # token 7, which DRAW_SLOTS does not read
    means, variance = torch.zeros(1, 2, 4), torch.zeros(1, 2, 4)
    means[0, 0], variance[0, 0] = torch.tensor([0.5, -0.4, 0.3, 0.1]), torch.tensor([0.05, 0.02, 0.08, 0.04])
    means[0, 1] = torch.tensor([0.2, -0.1, 0.05, 0.3])  # the own candidate's mean: where its push starts
    setup = {"places": torch.tensor(places), "group": torch.zeros(4, dtype=torch.int64), "means": means,
             "variance": variance, "member": torch.ones(1, 4), "valid": torch.ones(1, 2),
             "shares": torch.tensor([[0.8, 0.2]]).log(), "own": torch.tensor([[0.0, 1.0]]),
             "condition": torch.tensor([[-1]]), "condition_mean": torch.zeros(1, 1), "condition_std": torch.ones(1, 1)}
    x, t, ctx, mask = inputs(17)
    ab = alphas.float()[t.long()].view(-1, 1)
    x_at = x.reshape(4, -1)[:, places]
    failures, gaps = [], {}
    with torch.no_grad():
        v_free = model(x, t, ctx, mask).reshape(4, -1)
        own = ab.sqrt() * x_at - (1 - ab).sqrt() * v_free[:, places]  # the network's own x0 there
        for name, bias, named, guidance in (("own", [-40.0, 40.0], -1.0, 1.0), ("pushed", [-40.0, 40.0], -1.0, 3.0),
                                            ("Gaussian", [40.0, -40.0], -1.0, 3.0), ("mixed", [0.0, 0.0], -1.0, 1.0),
                                            ("open", [-40.0, 40.0], 1e9, 3.0)):
            torch.manual_seed(13)
            chooser = Chooser(CONTEXT, 16, HEADS, 1, 2).eval()  # one group of two values
            torch.nn.init.normal_(chooser.head, std=0.2)
            torch.nn.init.normal_(chooser.query, std=1.0)
            chooser.bias.copy_(torch.tensor([bias]))  # +-40: one candidate has every chance but e^-80
            chooser = store_half(chooser)
            drawing = copy.deepcopy(model)
            drawing.reading.set_draws(setup, chooser, 1.0, 1.0, named, guidance)  # named -1: every group; 1e9: none
            v = drawing(x, t, ctx, mask).reshape(4, -1)
            x0 = ab.sqrt() * x_at - (1 - ab).sqrt() * v[:, places]
            m, var = drawing.reading.draw_means.float()[0, 0], drawing.reading.draw_variance.float()[0, 0]
            if name == "own":
                gaps[name] = float((x0 - own).abs().max())
            elif name == "pushed":  # from the own candidate's mean m, by 1 + (g - 1)(1 - ab)
                m_own = drawing.reading.draw_means.float()[0, 1]
                gaps[name] = float((x0 - (m_own + (1 + 2.0 * (1 - ab)) * (own - m_own))).abs().max())
            elif name in ("Gaussian", "open"):  # open: the own candidate's chance is withdrawn, the Gaussian has it all
                exact = m + ab.sqrt() * var / (ab * var + 1 - ab) * (x_at - ab.sqrt() * m)
                gaps[name] = float((x0 - exact).abs().max())
            else:  # at t = 999: the chances' mean of the two, but for the likelihood's sqrt(ab) share
                p = drawing.reading.read_chances(ctx[:1], mask[:1]).exp()[0, 0]
                gaps[name] = float((x0[0] - (p[0] * m + p[1] * own[0])).abs().max())
            others = torch.ones(v.shape[1], dtype=torch.bool)
            others[places] = False
            gaps[name + " elsewhere"] = float((v - v_free)[:, others].abs().max())
    print(f"9. a candidate that is the denoiser's own prediction, on coordinates not read: x0 {gaps['own']:.1e} from "
          f"the network's own where it has every chance ({gaps['pushed']:.1e} from it pushed by a guidance of 3), "
          f"{gaps['Gaussian']:.1e} from the Gaussian's exact denoiser "
          f"where that has; at t = 999 with chances between, {gaps['mixed']:.1e} from their mean; where the prompt "
          f"leaves the group open, {gaps['open']:.1e} from the Gaussian's though the own candidate reads every chance; "
          f"other coordinates {max(v for k, v in gaps.items() if k.endswith('elsewhere')):.1e} apart from not drawing")
    if gaps["own"] > 1e-4 or gaps["pushed"] > 1e-4 or gaps["Gaussian"] > 1e-4 or gaps["mixed"] > 5e-3 or \
            gaps["open"] > 1e-4:
        failures.append(f"a drawn group with the denoiser's own prediction as a candidate: {gaps}")
    if max(v for k, v in gaps.items() if k.endswith("elsewhere")) > 1e-6:
        failures.append(f"drawing coordinates not read changes others: {gaps}")
    return failures


def check_shown(alphas):
    """10: the drawn groups of 7 and a part of three types on token 2 that the reading reads (its first type absent,
    as bald is the hair's), which the tint group (standing for the hair's colour) needs shown."""
    model, setup, chooser = drawing_denoiser(23, DRAW_SLOTS + [(2, 0, 3)])
    absent_place, absent_read, mean, std = 2 * CHANNELS, 13, 0.2, 0.4  # the part's absent type, standardised
    absent = -mean / std  # the one-hot's 0 standardised: where the type is another
    x, t, ctx, mask = inputs(29)
    ab = alphas.float()[t.long()].view(-1, 1)
    failures, gaps = [], {}
    with torch.no_grad():
        plain = copy.deepcopy(model)
        _, coordinates = plain.predict(x, t, ctx, mask)
        share = coordinates[:, absent_read] * std + mean  # float[B]: the absent type's share as read
        bound = float(share.median())
        below = share < bound
        for name, named in (("named", -1.0), ("open", 1e9)):
            drawing = copy.deepcopy(model)
            drawing.reading.set_draws(setup, chooser, 1.0, 1.0, named)  # -1: every group named; 1e9: none
            without = drawing(x, t, ctx, mask).reshape(4, -1)
            drawing.reading.set_shown([2], [absent_place], [mean], [std], bound)
            v = drawing(x, t, ctx, mask).reshape(4, -1)
            x0 = ab.view(-1).sqrt() * x.reshape(4, -1)[:, absent_place] - (1 - ab.view(-1)).sqrt() * v[:, absent_place]
            kept = below if name == "named" else torch.zeros_like(below)
            gaps[name + " kept"] = float((x0[kept] - absent).abs().max()) if kept.any() else 0.0
            gaps[name + " left"] = float((v[~kept, absent_place] - without[~kept, absent_place]).abs().max())
            others = torch.ones(v.shape[1], dtype=torch.bool)
            others[absent_place] = False
            gaps[name + " elsewhere"] = float((v - without)[:, others].abs().max())
            if name == "named":
                scripted = torch.jit.script(store_half(copy.deepcopy(drawing)))
                half = store_half(copy.deepcopy(drawing))
                gaps["scripted"] = float((scripted(x, t, ctx, mask) - half(x, t, ctx, mask)).abs().max())
        # the empty prompt ([CLS] [SEP], guidance's unconditional input) never holds, even named and below any bound
        empty = mask.clone()
        empty[2, 2:] = 0
        drawing = copy.deepcopy(model)
        drawing.reading.set_draws(setup, chooser, 1.0, 1.0, -1.0)
        without = drawing(x, t, ctx, empty).reshape(4, -1)
        drawing.reading.set_shown([2], [absent_place], [mean], [std], 1e9)
        v = drawing(x, t, ctx, empty).reshape(4, -1)
        x0 = ab.view(-1).sqrt() * x.reshape(4, -1)[:, absent_place] - (1 - ab.view(-1)).sqrt() * v[:, absent_place]
        worded = torch.tensor([True, True, False, True])
        gaps["empty left"] = float((v[2] - without[2]).abs().max())
        gaps["worded kept"] = float((x0[worded] - absent).abs().max())
    print(f"10. a part a named group needs shown: rows {below.tolist()} read its absent type below the bound "
          f"{bound:.3f}; there x0 is the shown value to {gaps['named kept']:.1e}; elsewhere, and wherever the group is "
          f"open, the prediction without the rule to {max(gaps['named left'], gaps['open left']):.1e}; other "
          f"coordinates {max(gaps['named elsewhere'], gaps['open elsewhere']):.1e}; scripted {gaps['scripted']:.1e}; "
          f"the empty prompt as without the rule to {gaps['empty left']:.1e} where the others are held to "
          f"{gaps['worded kept']:.1e}")
    if not (below.any() and (~below).any()):
        failures.append(f"the shown test's shares do not straddle the bound: {share.tolist()}")
    if gaps["named kept"] > 1e-4 or gaps["named left"] > 1e-6 or gaps["open left"] > 1e-6:
        failures.append(f"keeping a part shown: {gaps}")
    if gaps["empty left"] > 1e-6 or gaps["worded kept"] > 1e-4:
        failures.append(f"the empty prompt held, or a worded one not: {gaps}")
    if max(gaps["named elsewhere"], gaps["open elsewhere"]) > 1e-6 or gaps["scripted"] > 1e-4:
        failures.append(f"keeping a part shown moves other coordinates or scripts apart: {gaps}")
    return failures


def check_named_gate():
    """8: three prompts' chances of a group of 3 values (and one padding slot) against shares (0.6, 0.3, 0.1): at the
    shares (KL 0), a little off them (KL 0.02) and far off (KL 1.4); bound 0.5, sharpening 3."""
    valid = torch.tensor([[1.0, 1.0, 1.0, 0.0]])
    shares = torch.tensor([[0.6, 0.3, 0.1, 1.0]]).log() * valid  # 0 on padding, as draws.value_shares writes it
    p = torch.tensor([[[0.6, 0.3, 0.1, 0.0]], [[0.5, 0.35, 0.15, 0.0]], [[0.05, 0.15, 0.8, 0.0]]])
    read = (p.clamp(min=1e-30).log() + (valid - 1.0) * 1e9)  # float[B, 1, K] log chances, about -1e9 on padding
    divergence = (p * (read - shares)).nan_to_num().sum(2).squeeze(1)
    got = sharpened(read, shares, torch.tensor(3.0), torch.tensor(0.5), valid, torch.zeros(1, 4)).exp()
    cubed = p[2] ** 3 / (p[2] ** 3).sum()
    as_read = float((got[:2] - p[:2]).abs().max())
    sharp = float((got[2] - cubed).abs().max())
    print(f"8. named gate: divergences {[round(float(d), 3) for d in divergence]} against the bound 0.5; below it the "
          f"chances stay as read to {as_read:.1e}, above it they are the cubed chances to {sharp:.1e}; padding "
          f"{float(got[:, :, 3].max()):.1e}")
    failures = []
    if not (divergence[0] < 1e-6 and divergence[1] < 0.5 < divergence[2]):
        failures.append(f"the gate test's chances do not straddle the bound: {divergence.tolist()}")
    if as_read > 1e-6 or sharp > 1e-6 or float(got[:, :, 3].max()) > 0:
        failures.append(f"the named gate: as read {as_read:.1e}, sharpened {sharp:.1e} off")
    return failures


def check_choosers():
    """11: Choosers of one and of two float16-stored random choosers against the members read alone."""
    torch.manual_seed(5)
    first, second = draw_chooser(4), draw_chooser(4)
    with torch.no_grad():
        torch.nn.init.normal_(second.bias, std=0.5)  # draw_chooser reseeds: a second member that reads otherwise
        torch.nn.init.normal_(second.head, std=0.2)
    _, _, ctx, mask = inputs(11)
    with torch.no_grad():
        alone, other = first(ctx, mask), second(ctx, mask)
        one = Choosers([first])(ctx, mask)
        pair = Choosers([first, second])
        both = pair(ctx, mask)
        scripted = torch.jit.script(pair)(ctx, mask)
    mean_gap = float((both - (alone + other) / 2).abs().max())
    log_p = torch.log_softmax(both, 2)
    mean_log = (torch.log_softmax(alone, 2) + torch.log_softmax(other, 2)) / 2
    offset = log_p - mean_log  # float[B, G, K]: the same for every value of a group
    constant = float((offset - offset.mean(2, keepdim=True)).abs().max())
    members_gap = float((alone - other).abs().max())
    script_gap = float((scripted - both).abs().max())
    print(f"11. choosers read together: one member as alone {float((one - alone).abs().max()):.1e}; two, their mean "
          f"logits to {mean_gap:.1e} (the members differ by {members_gap:.2f}), log chances their mean less a "
          f"constant to {constant:.1e}; scripted {script_gap:.1e}")
    failures = []
    if not torch.equal(one, alone):
        failures.append("one member's Choosers does not read exactly as its chooser alone")
    if members_gap < 0.1:
        failures.append(f"the two members read alike ({members_gap:.2e}): the mean tests nothing")
    if mean_gap > 1e-6 or constant > 1e-5 or script_gap > 1e-6:
        failures.append(f"two members: mean logits {mean_gap:.1e}, log chances {constant:.1e}, "
                        f"scripted {script_gap:.1e}")
    return failures


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
