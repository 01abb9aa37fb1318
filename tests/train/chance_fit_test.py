#!/usr/bin/python3
"""The fit of drawn groups (scripts/train/avatar_train/draws.py fit_chances) on a small made-up space:

1. the groups: "outfit" joins the top's and the bottom's type one-hots, "hair_colour" is the hair's tint,
   "top_pattern" the top colour field's coordinates past its tint; the places drawn are those coordinates' indices
   in the flattened latent; a plain top's pattern candidates are the cells' means (per outfit), a striped top's is
   the denoiser's own prediction (draws.OWN_PREDICTION), no other group has one;
2. each candidate's mean and variance are those of the training avatars with that value, exactly (1e-5: float32
   sums); a bald avatar is left out of the hair colour's candidates (its hair tint is 0, not a colour); the top's
   colour has one row of candidates per outfit (its tint is relative to the outfit's mean colour), each the mean
   of the plain-topped avatars of that outfit and colour (draws.FITTED_ON: the made-up striped tops' tints lie
   STRIPES_SHIFT = 1 further, so a mean over 20-40 avatars of a cell, about 30 % striped, that kept them would lie
   near 0.3 away; the test asks for at least 0.1 from it and 1e-5 from the plain tops' mean); where fewer than
   CELL_MIN are, the outfit's offset plus the colour's
   value fitted over every avatar (draws.additive_cells): the made-up tint is 2 x colour + 0.7 x outfit plus noise
   of spread 0.2, so the sparse cell's candidate lies within 0.2 of 2 x 2 + 0.7 x 2 = 5.4 on each coordinate (its
   fitted terms come from 45 to 130 avatars each: their sum's standard error is near 0.035, and 0.2 is over 5 of
   it) where that colour's mean over every outfit lies about 1.0 away; its variance is the colour's pooled variance
   within its cells (to 1e-5: float32), not its variance over every outfit, which holds the outfits' offsets;
   its condition is the top's outfit one-hot; each value's share (the named gate's reference) is its count among
   the training avatars that have one, plus one, over their total (a bald avatar has no hair colour);
3. the chooser learns what the prompts say: each prompt is its avatar's values' word vectors (random, norm
   about 20) plus noise (0.5 per dimension, norm about 10), and after 300 steps of 64 the chance read highest is
   the avatar's value for >= 95 % of 200 new prompts (two words' vectors lie about 28 apart, so the words are
   told apart nearly always: what is tested is that the fit finds them, each group's query the word of its own
   attribute), and through the exported reading (set_draws, read_chances) the same; trained with noise on its prompt
   features (config chooser_noise 0.25: about 0.28 per dimension here, beside the prompts' own 0.5) it still does, and
   its weights differ from the noiseless fit's of the same seed (by more than 1e-4: the noise is applied);
4. an attribute that is neither a part type nor a colour is refused, naming it;
5. a body attribute's coordinates (draws.telling_coordinates) are those whose values lie furthest apart within an
   outfit: of 8 made-up coordinates, the two that move with the value (by 1 and 0.6 of their noise of spread 1,
   over 900 avatars: their ratios of between to within sums of squares, near 0.45 and 0.17, lie far above the
   others', near 0.01) are kept, in order, and not the one that moves with the outfit alone by 3, though the value
   goes with the outfit (value k is 4 times as likely in outfit k), so that its values' means over every outfit lie
   about 3 apart: a ratio over all avatars together would keep it first;
6. a group's shares count only the avatars draws.SHARES_AMONG names: facial hair's over the men (10 made-up men with
   4 none, 3 stubble, 1 moustache and 2 beards, and 20 women with none give shares (5, 4, 2, 3) / 14, where every
   avatar would give (25, 4, 2, 3) / 34), and a group it does not name (the hair's colour) counts every avatar.
7. config chooser_noise as a list, one per chooser (chooser_members 2, [0, 0.25]): the first chooser is the
   noiseless single chooser of the same seed, bit for bit, the second's weights lie apart from it (by more than
   1e-4), and a list of another length than chooser_members is refused, naming chooser_noise; so is a
   chooser_noise_words that is neither "all" nor "colours" (tests/train/colour_tokens_test.py checks "colours").
8. the stage resumes by chooser (draws.keep_member): after that pair, three choosers [0, 0.25, 0] train the third
   alone, the first two resumed bit for bit, and the three equal three trained in an empty folder bit for bit; a
   chooser asked otherwise trains again ([0, 0] after them resumes the first alone), and so does every chooser when
   any other setting changes (draw_sharpen: the key holds every setting but the count and the noise).
"""
import hashlib
import json
import os
import shutil
import sys
import tempfile

import numpy as np
import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))),
                                "scripts", "train"))
from avatar_train import diffusion, draws  # noqa: E402
from avatar_train.latent_fit import FieldSpec, LatentSpace  # noqa: E402
from avatar_train.parts import Part  # noqa: E402
from fixtures import verdict  # noqa: E402

CONTEXT, WIDTH, HEADS = 384, 32, 4
COLOURS = ("black", "blonde", "red")
OUTFITS = ("a", "b", "c")
NOISE = 0.2  # the spread of the made-up top tints around an outfit's offset plus a colour's value
STRIPES_SHIFT = 1.0  # a striped top's tint lies this far from a plain one's of its colour (its stripes' own colour)


def made_up_space():
    """Three parts (hair: style 'none'/'short', a tinted colour field; top and bottom: outfit a/b/c)."""
    hair = Part("hair", "hair_style", ("none", "short01"), ((2, 6),), ())
    top = Part("top", "outfit", OUTFITS, ((1, 2),), ())
    bottom = Part("bottom", "outfit", OUTFITS, ((1, 3),), ())
    space = LatentSpace([hair, top, bottom], 4, 4, np.arange(4))
    space.fields = [FieldSpec(hair, 2, "colour", np.arange(2), 5), FieldSpec(top, 1, "colour", np.arange(2), 5),
                    FieldSpec(bottom, 1, "colour", np.arange(2), 2)]
    space.latent_mean = np.zeros((len(space.parts), space.channels), np.float32)
    space.latent_std = np.ones((len(space.parts), space.channels), np.float32)
    return space


class Prompts:
    """A FeatureStore's interface: caption i is avatar i's words (one vector per named value) plus noise."""

    def __init__(self, avatars, words, seed):
        g = torch.Generator().manual_seed(seed)
        self.avatar = np.asarray(avatars)
        self.ctx = words + 0.5 * torch.randn(words.shape, generator=g)
        self.rows = self.ctx.reshape(-1, self.ctx.shape[2]).numpy()  # the token feature rows (config chooser_noise)

    def batch(self, captions, device):
        return self.ctx[captions].to(device), torch.ones(len(captions), self.ctx.shape[1], dtype=torch.int64)

    def fingerprint(self):  # what a chooser kept by the chances stage was trained on (draws.keep_member)
        return hashlib.sha256(self.rows.tobytes() + self.avatar.tobytes()).hexdigest()


def main():
    torch.manual_seed(0)
    rng = np.random.default_rng(0)
    space = made_up_space()
    layout = space.layout()
    channels = space.channels
    count = 600
    colour = rng.integers(0, len(COLOURS), count)
    outfit = rng.integers(0, len(OUTFITS), count)
    bald = rng.random(count) < 0.2
    top_colour = rng.integers(0, len(COLOURS), count)
    sparse = np.flatnonzero((outfit == 2) & (top_colour == 2))
    top_colour[sparse[3:]] = 0  # outfit c in red: 3 avatars at most, fewer than CELL_MIN
    records = [{"attributes": {"hair_style": "none" if bald[i] else "short01", "outfit": OUTFITS[outfit[i]],
                               "hair_colour": COLOURS[colour[i]], "top_colour": COLOURS[top_colour[i]]},
                "labels": {key: "x" for key in ("gender", "age_group", "build", "height", "hair_length", "skin_tone",
                                                "shoes", "top_garment", "bottom_garment")}
                | {"hair_style": "none" if bald[i] else "short01"}} for i in range(count)]
    pattern = rng.random(count) < 0.3  # striped tops; the others plain
    for i, r in enumerate(records):
        r["attributes"].update({k: "x" for k in ("facial_hair", "glasses", "bottom_colour", "eye_colour")}
                               | {"hat": False, "top_pattern": "stripes" if pattern[i] else "plain"})
    latents = rng.standard_normal((count, len(space.parts), channels)).astype(np.float32)
    share = np.bincount(outfit, minlength=len(OUTFITS)) / count
    for part in ("top", "bottom"):  # standardised one-hots, as latent_fit encodes a part's type
        latents[:, layout[part][0], :len(OUTFITS)] = (np.eye(len(OUTFITS))[outfit] - share) / np.sqrt(share * (1 - share))
        space.latent_mean[layout[part][0], :len(OUTFITS)] = share
        space.latent_std[layout[part][0], :len(OUTFITS)] = np.sqrt(share * (1 - share))
    top_token, _, top_fields = layout["top"]
    top_tint = top_fields[0][1]
    latents[:, top_token, top_tint:top_tint + 3] *= NOISE  # the top's tints: an outfit's offset plus a colour's value
    latents[:, top_token, top_tint:top_tint + 3] += 2.0 * top_colour[:, None] + 0.7 * outfit[:, None]
    latents[pattern, top_token, top_tint:top_tint + 3] += STRIPES_SHIFT
    hair_token, _, hair_fields = layout["hair"]
    tint = hair_fields[0][1]  # the hair colour field's first channel: its tint
    latents[:, hair_token, tint:tint + 3] += 2.0 * colour[:, None]  # colours apart in the tint
    latents[bald, hair_token, tint:tint + 3] = 0.0
    vocabulary = torch.randn(len(COLOURS) + len(OUTFITS), CONTEXT)  # a word per value, norm about sqrt(384)
    words = torch.stack([torch.stack([vocabulary[colour[i]], vocabulary[len(COLOURS) + outfit[i]]]) for i in range(count)])
    train = np.arange(400)
    cfg = {"width": WIDTH, "depth": 1, "heads": HEADS, "tint_reading": 1.0, "read_mixer": 0, "batch": 64,
           "chance_steps": 300, "draw": ["outfit", "hair_colour", "top_colour", "top_pattern"], "chooser_width": 32,
           "chooser_heads": 4}
    slots = [(hair_token, tint, 3)] + [(layout[p][0], 0, 3) for p in ("top", "bottom")] + [(top_token, top_tint, 3)]
    model = diffusion.make_denoiser(cfg, len(space.parts), channels, CONTEXT, slots)
    failures = []
    groups = draws.draw_groups(space, cfg["draw"])
    names = [(a, o, len(c)) for a, o, c in groups]
    print(f"1. groups: {names}")
    if names != [("outfit", "top", 6), ("hair_colour", "hair", 3), ("top_colour", "top", 3), ("top_pattern", "top", 2)]:
        failures.append(f"groups {names}: expected the outfit over top and bottom (6), the hair's tint (3), the "
                        "top's (3) and the top colour's 2 coordinates past its tint")
    expected_places = [t * channels + c for _, _, coordinates in groups for t, c in coordinates]
    if groups[-1][2] != [(top_token, top_tint + 3), (top_token, top_tint + 4)]:
        failures.append(f"the top's pattern coordinates are {groups[-1][2]}, not its colour field's past the tint")
    with tempfile.TemporaryDirectory() as work:
        np.savez(os.path.join(work, "denoiser.npz"), **{k: v.numpy() for k, v in model.state_dict().items()})
        with open(os.path.join(work, "denoiser.json"), "w") as f:
            json.dump({"tokens": len(space.parts), "channels": channels, "context_dim": CONTEXT,
                       "reading_slots": [list(s) for s in slots], **cfg}, f)
        metrics = {}
        draws.fit_chances(cfg, latents, Prompts(train, words[train], 1), records, space, work, 0,
                          torch.device("cpu"), metrics)
        fitted, chooser = draws.load_chances(work)
        model = diffusion.load_denoiser(work)
        reading = model.reading
        noisy_metrics = {}  # the same fit with noise on the prompt features (config chooser_noise)
        os.remove(os.path.join(work, draws.CHANCES_FILE))
        draws.fit_chances({**cfg, "chooser_noise": 0.25}, latents, Prompts(train, words[train], 1), records, space,
                          work, 0, torch.device("cpu"), noisy_metrics)
        _, noisy = draws.load_chances(work)
        os.remove(os.path.join(work, draws.CHANCES_FILE))
        draws.fit_chances({**cfg, "chooser_members": 2, "chooser_noise": [0.0, 0.25]}, latents,
                          Prompts(train, words[train], 1), records, space, work, 0, torch.device("cpu"), {})
        _, pair = draws.load_chances(work)
        refused_noise = ""
        try:
            draws.fit_chances({**cfg, "chooser_members": 2, "chooser_noise": [0.25]}, latents,
                              Prompts(train, words[train], 1), records, space, work, 0, torch.device("cpu"), {})
            failures.append("a chooser_noise list shorter than chooser_members was accepted")
        except ValueError as error:
            refused_noise = str(error)
        try:
            draws.fit_chances({**cfg, "chooser_noise": 0.25, "chooser_noise_words": "nouns"}, latents,
                              Prompts(train, words[train], 1), records, space, work, 0, torch.device("cpu"), {})
            failures.append("config chooser_noise_words 'nouns' was accepted")
        except ValueError as error:
            refused_noise += f"; {error}"
        failures += resume_failures(cfg, latents, Prompts(train, words[train], 1), records, space, work, pair)
    failures += member_noise_failures(chooser, pair, refused_noise)
    hair_q = [q for q in range(len(fitted["group"])) if int(fitted["group"][q]) == 1]
    expected = np.stack([latents[train][(colour[train] == k) & ~bald[train], hair_token, tint:tint + 3].mean(0)
                         for k in range(len(COLOURS))])
    variance = np.stack([latents[train][(colour[train] == k) & ~bald[train], hair_token, tint:tint + 3].var(0)
                         for k in range(len(COLOURS))])
    gap = max(float(np.abs(fitted["means"][:, :3, hair_q].numpy() - expected).max()),  # the same on every row
              float(np.abs(fitted["variance"][:, :3, hair_q].numpy() - variance).max()))
    top_q = [q for q in range(len(fitted["group"])) if int(fitted["group"][q]) == 2]
    top_x = latents[train][:, top_token, top_tint:top_tint + 3]
    cell_gap, fallbacks, sparse_gap, mixed_gap = 0.0, 0, [], np.inf
    plain = ~pattern[train]  # a top colour's candidates are its plain tops' (draws.FITTED_ON)
    for r in range(len(OUTFITS)):
        for k in range(len(COLOURS)):
            cell = (outfit[train] == r) & (top_colour[train] == k) & plain
            if cell.sum() < draws.CELL_MIN:
                fallbacks += 1
                cells = [top_x[(outfit[train] == o) & (top_colour[train] == k) & plain] for o in range(len(OUTFITS))]
                pooled = sum((len(c) - 1) * c.var(0, ddof=1) for c in cells if len(c) >= 2) / sum(
                    len(c) - 1 for c in cells if len(c) >= 2)  # within this colour's cells, every outfit's
                sparse_gap = [float(np.abs(fitted["means"][r, k, top_q].numpy() - (2.0 * k + 0.7 * r)).max()),
                              float(np.abs(fitted["variance"][r, k, top_q].numpy() - pooled).max()),
                              float(np.abs(pooled - NOISE ** 2).max())]
                continue
            cell_gap = max(cell_gap, float(np.abs(fitted["means"][r, k, top_q].numpy() - top_x[cell].mean(0)).max()))
            every = (outfit[train] == r) & (top_colour[train] == k)  # striped tops too
            mixed_gap = min(mixed_gap, float(np.abs(fitted["means"][r, k, top_q].numpy() - top_x[every].mean(0)).max()))
    pattern_q = [q for q in range(len(fitted["group"])) if int(fitted["group"][q]) == 3]
    pattern_x = latents[train][:, top_token, top_tint + 3:top_tint + 5]
    pattern_gap = max(float(np.abs(fitted["means"][r, 0, pattern_q].numpy()
                                   - pattern_x[(outfit[train] == r) & ~pattern[train]].mean(0)).max())
                      for r in range(len(OUTFITS)))
    own = fitted["own"].tolist()
    print(f"   places {'as' if fitted['places'].tolist() == expected_places else 'NOT as'} latent indices; the plain "
          f"top's pattern candidates per outfit {pattern_gap:.1e} from the cells' means; own prediction {own[3][:2]} "
          f"(plain, stripes)")
    if fitted["places"].tolist() != expected_places:
        failures.append(f"the drawn places {fitted['places'].tolist()} are not the coordinates' latent indices")
    if pattern_gap > 1e-5 or own[3][:2] != [0.0, 1.0] or max(map(max, own[:3])) > 0:
        failures.append(f"the top pattern's candidates: plain {pattern_gap:.1e} from its cells' means; own {own}")
    condition = fitted["condition"][2].tolist()
    print(f"   top colour candidates per outfit: {cell_gap:.1e} from the cells' means; {fallbacks} cell below "
          f"{draws.CELL_MIN} avatars, its mean {sparse_gap[0]:.3f} from the made-up 5.4 and its variance "
          f"{sparse_gap[1]:.1e} from the colour's pooled variance within its cells ({sparse_gap[2]:.3f} from the "
          f"noise's {NOISE ** 2:.2f}); condition {condition}")
    print(f"   the candidates lie at least {mixed_gap:.2f} from the means over striped and plain tops together")
    if mixed_gap < 0.1:  # a plain cell of 20-40 avatars lies near 0.3 x STRIPES_SHIFT from its mixed mean
        failures.append(f"a top colour's candidate lies {mixed_gap:.2f} from its cell's mean over striped and plain "
                        "tops: the striped tops' tints were not left out")
    if cell_gap > 1e-5 or fallbacks != 1:
        failures.append(f"the top colour's candidates per outfit are {cell_gap:.1e} from the cells' means "
                        f"({fallbacks} fallbacks, 1 expected)")
    if fallbacks == 1 and (sparse_gap[0] > 0.2 or sparse_gap[1] > 1e-5):
        failures.append(f"the sparse cell's candidate is {sparse_gap[0]:.3f} from the outfit's offset plus the "
                        f"colour's value (bound 0.2) and its variance {sparse_gap[1]:.1e} from the colour's pooled "
                        "variance within its cells")
    if condition != [3, 4, 5] or fitted["condition"][:2].max() >= 0 or fitted["condition"][3].tolist() != [3, 4, 5]:
        failures.append(f"conditions {fitted['condition'].tolist()}: the top's colour should read the top's outfit "
                        "(coordinates 3-5), the others none")
    onehots = fitted["means"][0, :3, :6].numpy() * np.tile(np.sqrt(share * (1 - share)), 2) + np.tile(share, 2)
    print(f"2. hair colour candidates: means and variances {gap:.1e} from the non-bald training avatars'; "
          f"outfit candidates, unstandardised: {onehots.round(3).tolist()}")
    if float(np.abs(onehots - np.tile(np.eye(len(OUTFITS)), 2)).max()) > 1e-5:
        failures.append(f"the outfit's candidates are not the top's and bottom's one-hots: {onehots.tolist()}")
    if gap > 1e-5:
        failures.append(f"candidate means or variances differ from the training avatars' by {gap:.1e}")
    if float(fitted["variance"][:, :3, :6].abs().max()) > 1e-5:
        failures.append("a type one-hot's candidate has a variance")
    counted = [np.bincount(outfit[train], minlength=len(OUTFITS)),
               np.bincount(colour[train][~bald[train]], minlength=len(COLOURS)),
               np.bincount(top_colour[train], minlength=len(COLOURS)),
               np.bincount(pattern[train].astype(int), minlength=2)]
    share_gap = max(float(np.abs(fitted["shares"][g, :len(c)].exp().numpy() - (c + 1) / (c + 1).sum()).max())
                    for g, c in enumerate(counted))
    print(f"   shares {share_gap:.1e} from the training avatars' counts (plus one each)")
    if share_gap > 1e-6:
        failures.append(f"the groups' shares are {share_gap:.1e} from the training avatars' counts")
    test = np.arange(400, count)
    prompts = Prompts(test, words[test], 2)
    ctx, mask = prompts.batch(list(range(len(test))), "cpu")
    reading.set_draws(fitted, chooser, 1.0, 1.0, 1e9)
    with torch.no_grad():
        chances = reading.read_chances(ctx, mask).exp()
        direct = torch.softmax(chooser(ctx, mask) + (fitted["valid"] - 1.0) * 1e9, 2)
    through = float((chances - direct).abs().max())
    if through > 1e-6:
        failures.append(f"the reading's chances differ from its chooser's by {through:.1e}")
    right = [float((chances[:, 0, :3].argmax(1).numpy() == outfit[test]).mean()),
             float((chances[:, 1, :3].argmax(1).numpy() == colour[test]).mean())]
    print(f"3. chances read highest for the right value: outfit {right[0]:.3f}, hair colour {right[1]:.3f} "
          f"(loss {metrics['chances']['loss_first']:.3f} -> {metrics['chances']['loss_last']:.3f}); through the "
          f"reading {through:.1e} from the chooser's")
    if min(right) < 0.95:
        failures.append(f"the fitted chances pick the prompt's value in {right} of new prompts")
    with torch.no_grad():
        noisy_chances = torch.softmax(noisy(ctx, mask) + (fitted["valid"] - 1.0) * 1e9, 2)
    noisy_right = [float((noisy_chances[:, 0, :3].argmax(1).numpy() == outfit[test]).mean()),
                   float((noisy_chances[:, 1, :3].argmax(1).numpy() == colour[test]).mean())]
    moved = max(float((a - b).abs().max()) for a, b in zip(noisy.state_dict().values(), chooser.state_dict().values()))
    print(f"   with noise of 0.25 of the features' root mean square: right {noisy_right}, training loss "
          f"{noisy_metrics['chances']['loss_last']:.3f} (without: {metrics['chances']['loss_last']:.3f}); its weights "
          f"{moved:.2e} from the noiseless fit's of the same seed")
    if min(noisy_right) < 0.95 or moved < 1e-4:
        failures.append(f"with feature noise the chooser picks the value in {noisy_right} of new prompts, its weights "
                        f"{moved:.1e} from the noiseless fit's")
    try:
        draws.draw_groups(space, ["shoe_colour"])
        failures.append("an unknown attribute was accepted")
    except ValueError as error:
        print(f"4. refused: {error}")
        if "shoe_colour" not in str(error):
            failures.append(f"the refusal does not name the attribute: {error}")
    failures += telling_failures(rng)
    failures += share_failures()
    return verdict(failures)


def resume_failures(cfg, latents, store, records, space, work, pair):
    """8: the chances stage resumes by chooser: after the pair [0, 0.25], three choosers [0, 0.25, 0] train the third
    alone (the first two resumed, bit for bit the pair's) and equal three trained in an empty folder, bit for bit; a
    chooser asked otherwise ([0, 0]: the second without noise) trains again, every one where another setting
    changes."""
    def fit(folder, noise, **changed):
        metrics = {}
        if os.path.exists(os.path.join(folder, draws.CHANCES_FILE)):
            os.remove(os.path.join(folder, draws.CHANCES_FILE))
        draws.fit_chances({**cfg, "chooser_members": len(noise), "chooser_noise": noise, **changed}, latents, store,
                          records, space, folder, 0, torch.device("cpu"), metrics)
        return draws.load_chances(folder)[1], metrics["chances"].get("resumed_members", [])

    def same(a, b):
        return all(torch.equal(x, y) for x, y in zip(a.state_dict().values(), b.state_dict().values()))

    three, resumed = fit(work, [0.0, 0.25, 0.0])
    with tempfile.TemporaryDirectory() as empty:
        for name in ("denoiser.npz", "denoiser.json"):
            shutil.copy(os.path.join(work, name), empty)
        fresh, fresh_resumed = fit(empty, [0.0, 0.25, 0.0])
    _, otherwise = fit(work, [0.0, 0.0])
    _, resettled = fit(work, [0.0, 0.0], draw_sharpen=cfg.get("draw_sharpen", 3.0) + 1.0)
    kept = [same(three.members[m], pair.members[m]) for m in range(2)]
    print(f"8. three choosers after the pair: resumed {resumed} (as the pair's: {kept}), as three trained in an empty "
          f"folder (which resumed {fresh_resumed}): {same(three, fresh)}; the pair [0, 0] resumed {otherwise}, and "
          f"with another setting {resettled}")
    if resumed != [0, 1] or not all(kept) or fresh_resumed or not same(three, fresh) or otherwise != [0] or resettled:
        return [f"the chances stage by chooser: resumed {resumed} (kept {kept}), in an empty folder {fresh_resumed} "
                f"(the same: {same(three, fresh)}), the second asked otherwise resumed {otherwise}, another setting "
                f"resumed {resettled}"]
    return []


def member_noise_failures(alone, pair, refusal):
    """7: two choosers, config chooser_noise [0, 0.25]: the first is the noiseless single chooser of the same seed bit
    for bit, the second (its own seed, with noise) reads otherwise; a list of the wrong length and an unknown
    chooser_noise_words are refused."""
    first = all(torch.equal(a, b) for a, b in zip(pair.members[0].state_dict().values(),
                                                  alone.members[0].state_dict().values()))
    apart = max(float((a - b).abs().max()) for a, b in zip(pair.members[1].state_dict().values(),
                                                           pair.members[0].state_dict().values()))
    print(f"7. two choosers, noise [0, 0.25]: the first as the single noiseless one {first}; the second "
          f"{apart:.2e} from it; a list of one for two refused: {refusal}")
    failures = []
    if not first or apart < 1e-4:
        failures.append(f"chooser_noise per member: first as the noiseless chooser {first}, second apart {apart:.1e}")
    if "chooser_noise " not in refusal:
        failures.append(f"a chooser_noise list of the wrong length was not refused by name: {refusal!r}")
    if "chooser_noise_words 'nouns'" not in refusal:
        failures.append(f"an unknown chooser_noise_words was not refused by name: {refusal!r}")
    return failures


def telling_failures(rng):
    """Item 5: telling_coordinates keeps the coordinates that tell the values apart within an outfit."""
    count = 900
    outfit = rng.integers(0, 3, count)
    likely = np.where(np.eye(3, dtype=bool)[outfit], 4.0, 1.0)  # value k 4 times as likely in outfit k
    value = np.array([rng.choice(3, p=w / w.sum()) for w in likely])
    x = rng.standard_normal((count, 8))
    x[:, 1] += 1.0 * value
    x[:, 4] += 0.6 * value
    x[:, 6] += 3.0 * outfit
    kept = draws.telling_coordinates(x, value, outfit, 2)
    overall = [float(np.ptp([x[value == k, 6].mean() for k in range(3)]))]
    print(f"5. telling coordinates {kept}; the outfit's coordinate's value means lie {overall[0]:.2f} apart overall")
    return [] if kept == [1, 4] else [f"telling_coordinates kept {kept}, not [1, 4]"]



def record(gender, facial_hair):
    """A captions.jsonl record with what attributes.labels reads: the gender and facial hair given, the rest fixed."""
    derived = {key: "x" for key in ("age_group", "build", "height", "hair_length", "hair_style", "skin_tone", "shoes",
                                    "top_garment", "bottom_garment")}
    attributes = {"hair_colour": "brown", "facial_hair": facial_hair, "glasses": "none", "top_colour": "red",
                  "bottom_colour": "blue", "top_pattern": "plain", "outfit": "o", "hat": False, "eye_colour": "brown"}
    return {"attributes": attributes, "labels": {**derived, "gender": gender}}


def share_failures():
    """Item 6: SHARES_AMONG on made-up records."""
    kinds = ["none", "stubble", "moustache", "beard"]
    men = ["none"] * 4 + ["stubble"] * 3 + ["moustache"] + ["beard"] * 2
    records = [record("man", f) for f in men] + [record("woman", "none") for _ in range(20)]
    label = np.array([kinds.index(r["attributes"]["facial_hair"]) for r in records], np.int64)
    counted = draws.share_labels(label, records, "facial_hair")
    shares = np.exp(draws.value_shares(counted[None], np.ones((1, 4), np.float32))[0])
    expected = np.array([5, 4, 2, 3]) / 14
    everyone = np.exp(draws.value_shares(draws.share_labels(label, records, "hair_colour")[None],
                                         np.ones((1, 4), np.float32))[0])
    print(f"6. facial hair shares over the men {np.round(shares.astype(float), 3).tolist()} "
          f"(expected {np.round(expected, 3).tolist()}); "
          f"a group SHARES_AMONG leaves alone counts everyone: {np.round(everyone.astype(float), 3).tolist()}")
    failures = []
    if np.abs(shares - expected).max() > 1e-6:
        failures.append(f"facial hair shares {shares.tolist()}, expected {expected.tolist()} (the men's)")
    if np.abs(everyone - np.array([25, 4, 2, 3]) / 34).max() > 1e-6:
        failures.append(f"shares of a group SHARES_AMONG does not name {everyone.tolist()}: not every avatar's")
    return failures

if __name__ == "__main__":
    sys.exit(main())
