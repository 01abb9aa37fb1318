"""Drawn groups: coordinates the exported denoiser draws as one of a few candidates (networks.PromptReading.draw),
a part's type (its one-hot) or a garment's or the hair's colour class (its tint), with the chance of each
candidate read from the prompt.

A group is a teacher attribute and the coordinates it decides: "outfit" the top's and the bottom's type one-hots
(one draw for both, as the teacher dresses one outfit), "hair_style" the hair's, "top_colour" the top's tint,
"bottom_colour" both of the bottom's tints, "hair_colour" the hair's, "top_pattern" the top's colour coordinates
beyond its tint (stripes, checks, dots and shading), "build" the body's coordinates that tell the builds apart.
Its candidates are the attribute's values; each candidate is a
Gaussian over the group's coordinates, the mean and variance of the training avatars with that value (a type one-hot
has variance 0; a colour class the spread of its tints; a garment's colour or pattern, or a build, one per outfit, CONDITIONS),
or, for the values OWN_PREDICTION names, the denoiser's own prediction pushed from that mean. Its chances are read
from the prompt by a chooser (networks.Chooser: a transformer layer over the prompt's token features and a query per
group), trained by cross-entropy on the training captions after the denoiser (fit_chances, train.py's stage
"chances"), so that for a prompt that names the value they pick it, and for one that leaves it open they are the
teacher's shares: two seeds draw different values as often as the teacher's avatars differ (but for the own
prediction, drawn only where the prompt names it).
"""
import hashlib
import json
import math
import os

import numpy as np
import torch

from .attributes import labels
from .colour_tokens import colour_token_rows
from .diffusion import fit_steps, frozen_denoiser, log
from .networks import Chooser, Choosers
from .parts import part_type

CHANCES_FILE = "chances.npz"
MEMBER_FILE = "chooser-{}.npz"  # one trained chooser of the chances stage, kept so that the stage resumes by member
PER_MEMBER = ("chooser_members", "chooser_noise")  # settings a kept chooser's key holds as its own seed and noise
COLOUR_FIELDS = {    # a colour attribute -> the fields whose tint it decides (space field keys)
    "top_colour": ("top.1.colour",),
    "bottom_colour": ("bottom.1.colour", "bottom.2.colour"),
    "hair_colour": ("hair.2.colour",),
}
PATTERN_FIELDS = {"top_pattern": "top.1.colour"}  # a pattern attribute -> the field whose coordinates past the tint
#                                                    it draws
# A pattern's coordinates differ in phase from avatar to avatar (the mean of one outfit's striped tops is a tenth of a
# striped top's size), so no Gaussian draws a pattern: these values take the denoiser's prediction (pushed from their
# mean by config draw_own_guidance); a plain top is its outfit's plain mean and spread, where the denoiser alone
# leaves a faint pattern of blotches on most tops.
OWN_PREDICTION = {"top_pattern": ("stripes", "checks", "dots")}
SHOWN_ONLY = {"hair_colour": ("hair_style", "none")}  # a bald avatar's hair tint is 0: left out of the candidates
# A colour attribute -> the attribute and value of the avatars its candidates are fitted on (the chooser still learns
# every avatar's colour). A top's tint is the mean colour of what it shows, stripes, checks and dots included, so the
# tints of one colour's patterned tops lie apart from its plain ones' (a plain black t-shirt's tint is one point, a
# checked one's lighter), and a mean over both draws a plain top of that colour off its colour (a black t-shirt dark
# grey-violet). The pattern group draws a pattern over the plain colour.
FITTED_ON = {"top_colour": ("top_pattern", "plain")}
# A group -> the attribute and value of the avatars its shares are counted over (value_shares: the named gate's
# reference). The teacher gives every woman no facial hair, so over every avatar "none" holds 74 % and a man named
# "clean-shaven" lies near those shares and is not sharpened; over the men it is 47 %, what an open man is given.
SHARES_AMONG = {"facial_hair": ("gender", "man")}
# A garment's tint is what its colour leaves after its outfit's mean colour (structured-latent.md), so one colour lies
# at a different tint for each outfit: its candidates are one per outfit, picked by the outfit the sample takes.
CONDITIONS = {"top_colour": "outfit", "bottom_colour": "outfit", "top_pattern": "outfit", "build": "outfit"}
# A body attribute -> the part whose coordinates it draws and how many of them: those that tell its values apart best
# within an outfit (telling_coordinates; fit_chances narrows the part's coordinates to them). The body's shape holds
# gender, age, height and build together (a least-squares fit of each teacher slider on its 64 coordinates explains
# 0.975 of the weight's variance and more of the others'), so the whole body is never drawn: the package's six most
# telling coordinates explain 0.61 of the weight's variance and 0.57 of the muscle's, and at most 0.03 of the age's,
# the height's and the gender's; the denoiser predicts the rest. The outfit condition keeps a man's build a man's.
BODY_ATTRIBUTES = {"build": ("body", 6)}
CELL_MIN = 5  # avatars of one outfit and colour below which that cell's candidate comes from additive_cells
CHOOSER_RATE = 1e-3  # Adam's peak step for the chooser, a small transformer trained from scratch
WARMUP_SHARE = 0.05  # of the chooser's steps with a rising rate: Adam's first moments are noisy
NOISE_WORDS = {"all", "colours"}  # config chooser_noise_words: the chooser's noise on every token, or on colour words
NOISE_SAMPLE = 100_000  # token feature rows whose root mean square scales config chooser_noise: a few MB


def draw_groups(space, attributes):
    """[(attribute, part name whose reading gives the chances, [(token, channel)] of its coordinates)] for each of
    attributes: a part type's attribute of more than one value (every part of that attribute together: "outfit" is
    the top's and the bottom's one-hot), a COLOUR_FIELDS attribute (its fields' tints), a PATTERN_FIELDS one (its
    field's coordinates past the tint) or a BODY_ATTRIBUTES one (every coordinate of its part, which fit_chances
    narrows to the telling ones)."""
    layout = space.layout()
    tinted = {f.key for f in space.fields if getattr(f, "tint", False)}
    groups = []
    for attribute in attributes:
        parts = [p for p in space.parts if p.type_attribute == attribute and p.type_count > 1]
        if parts:
            coordinates = [(layout[p.name][0], c) for p in parts for c in range(p.type_count)]
            groups.append((attribute, parts[0].name, coordinates))
            continue
        if attribute in PATTERN_FIELDS:  # a tinted field has at least TINT_MIN_COMPONENTS > 3 coordinates
            owner, token, start, width = tinted_field(layout, tinted, attribute, PATTERN_FIELDS[attribute])
            groups.append((attribute, owner, [(token, start + c) for c in range(3, width)]))
            continue
        if attribute in BODY_ATTRIBUTES:  # every coordinate of the part; fit_chances keeps the telling ones
            token, _, fields = layout[BODY_ATTRIBUTES[attribute][0]]
            coordinates = [(token, c) for _, start, width in fields for c in range(start, start + width)]
            groups.append((attribute, BODY_ATTRIBUTES[attribute][0], coordinates))
            continue
        if attribute not in COLOUR_FIELDS:
            raise ValueError(f"config 'draw': {attribute!r} is neither a part type's attribute nor one of "
                             f"{sorted(COLOUR_FIELDS) + sorted(PATTERN_FIELDS) + sorted(BODY_ATTRIBUTES)}")
        coordinates, owner = [], None
        for key in COLOUR_FIELDS[attribute]:
            owner, token, start, _ = tinted_field(layout, tinted, attribute, key)
            coordinates += [(token, start + c) for c in range(3)]
        groups.append((attribute, owner, coordinates))
    return groups


def tinted_field(layout, tinted, attribute, key):
    """The space's layout, the keys of its tinted fields, the drawn attribute and one of its field keys -> (owning
    part's name, its token, the field's first channel in it, its width); a field without a tint is refused."""
    if key not in tinted:
        raise ValueError(f"config 'draw' {attribute}: field {key} has no tint")
    owner = key.split(".")[0]
    token, _, fields = layout[owner]
    start, width = next((s, w) for k, s, w in fields if k == key)
    return owner, token, start, width


def avatar_values(space, records, attribute):
    """Each avatar's value of attribute (None where SHOWN_ONLY leaves it out) and the sorted values."""
    part = next((p for p in space.parts if p.type_attribute == attribute), None)
    values = []
    for record in records:
        if part is not None:
            values.append(part.types[part_type(part, record["attributes"])])
            continue
        named = labels(record)
        skip = SHOWN_ONLY.get(attribute)
        values.append(None if skip and named[skip[0]] == skip[1] else named[attribute])
    order = list(part.types) if part is not None else sorted({v for v in values if v is not None})
    return values, order


def candidate_labels(label, records, attribute):
    """label int64[N]: every avatar's value of attribute (-1: none) -> the same with -1 for the avatars FITTED_ON
    leaves out of its candidates."""
    return kept_labels(label, records, FITTED_ON.get(attribute))


def share_labels(label, records, attribute):
    """label int64[N] -> the same with -1 for the avatars SHARES_AMONG leaves out of the group's shares."""
    return kept_labels(label, records, SHARES_AMONG.get(attribute))


def kept_labels(label, records, among):
    """label int64[N], records, among: (attribute, value) or None -> label, -1 where the record's attribute is not
    value (None: every avatar kept)."""
    if among is None:
        return label
    other, value = among
    kept = np.array([labels(record)[other] == value for record in records])
    return np.where(kept, label, -1)


def fit_chances(cfg, latents, store, records, space, work, seed, device, metrics):
    """Fits the chooser of cfg["draw"]'s groups on the prompt features (cross-entropy on the training captions'
    avatars' values, cfg["chance_steps"] steps of cfg["batch"] captions; the trained denoiser gives the coordinates it
    reads, among which the groups' are placed) and each candidate's mean and variance over the training avatars with
    that value. Writes <work>/chances.npz (+ .json: the groups, their values and the chooser's shape) and fills
    metrics['chances']. records: the captions.jsonl record of every latent row."""
    torch.manual_seed(seed)
    model = frozen_denoiser(work, device, "draw")
    reading = model.reading
    groups = draw_groups(space, cfg["draw"])
    read_index = {int(p): i for i, p in enumerate(reading.places)}
    channels = latents.shape[2]
    rows = np.unique(store.avatar)  # the training avatars
    layout = space.layout()
    token_of = {p.name: layout[p.name][0] for p in space.parts}
    size = depth = 0
    per_group = []
    for attribute, owner, coordinates in groups:
        values, order = avatar_values(space, records, attribute)
        label = np.array([order.index(v) if v is not None else -1 for v in values], np.int64)
        x = latents[rows][:, [t for t, _ in coordinates], [c for _, c in coordinates]]  # float[N, Qg]
        condition, outfit = [], np.zeros(len(rows), np.int64)
        if attribute in CONDITIONS:  # the owner's type, or the first part's of that attribute (a body's build: the top's)
            typed = [p for p in space.parts if p.type_attribute == CONDITIONS[attribute]]
            part = next((p for p in typed if p.name == owner), typed[0])
            token = token_of[part.name]
            missing = [c for c in range(part.type_count) if token * channels + c not in read_index]
            if missing:
                raise ValueError(f"config 'draw' {attribute}: the {part.name}'s type coordinates {missing}, which pick "
                                 "its candidates, are not read by the denoiser")
            condition = [(read_index[token * channels + c], token, c) for c in range(part.type_count)]
            outfit = np.array([part_type(part, records[r]["attributes"]) for r in rows])
        if attribute in BODY_ATTRIBUTES:  # the part's coordinates narrowed to the telling ones
            kept = telling_coordinates(x, label[rows], outfit, BODY_ATTRIBUTES[attribute][1])
            coordinates, x = [coordinates[i] for i in kept], x[:, kept]
        means = np.zeros((max(1, len(condition)), len(order), len(coordinates)), np.float32)
        variance = np.zeros_like(means)
        own = [order.index(v) for v in OWN_PREDICTION.get(attribute, ()) if v in order]
        fitted = candidate_labels(label, records, attribute)[rows]
        if attribute in COLOUR_FIELDS and condition:
            means[:], variance[:] = additive_cells(x, fitted, outfit, len(condition), len(order))
        else:
            for k in range(len(order)):
                chosen = fitted == k
                if not chosen.any():
                    continue
                means[:, k], variance[:, k] = x[chosen].mean(0), x[chosen].var(0)
                for r in range(len(condition)):
                    cell = chosen & (outfit == r)
                    if cell.sum() >= CELL_MIN:
                        means[r, k], variance[r, k] = x[cell].mean(0), x[cell].var(0)
        per_group.append((attribute, owner, coordinates, order, label, means, variance, condition, own))
        size = max(size, len(order))
        depth = max(depth, len(means))
    places = [t * channels + c for _, _, coordinates, *_ in per_group for t, c in coordinates]
    group_of = [g for g, (_, _, coordinates, *_) in enumerate(per_group) for _ in coordinates]
    count = len(places)
    all_means = np.zeros((depth, size, count), np.float32)
    all_variance = np.zeros((depth, size, count), np.float32)
    member = np.zeros((len(per_group), count), np.float32)
    valid = np.zeros((len(per_group), size), np.float32)
    own_prediction = np.zeros((len(per_group), size), np.float32)
    labels_all = np.full((len(per_group), latents.shape[0]), -1, np.int64)
    condition_places = np.full((len(per_group), depth), -1, np.int64)
    condition_mean = np.zeros((len(per_group), depth), np.float32)
    condition_std = np.ones((len(per_group), depth), np.float32)
    q = 0
    for g, (_, _, coordinates, order, label, means, variance, condition, own) in enumerate(per_group):
        n = len(coordinates)
        all_means[:, :len(order), q:q + n] = means  # a group without a condition: the same candidates on every row
        all_variance[:, :len(order), q:q + n] = variance
        for r, (place, token, c) in enumerate(condition):
            condition_places[g, r] = place
            condition_mean[g, r], condition_std[g, r] = space.latent_mean[token, c], space.latent_std[token, c]
        member[g, q:q + n] = 1.0
        valid[g, :len(order)] = 1.0
        own_prediction[g, own] = 1.0
        labels_all[g] = label
        q += n
    # the chooser starts near the shares (an avatar without the value, a bald one's hair colour, counts as the first
    # value here: this only starts the training; value_shares gives the shares the sampler compares against)
    prior = np.stack([np.bincount(np.maximum(labels_all[g][rows], 0), minlength=size)[:size] + 1.0
                      for g in range(len(per_group))])
    shape = {"context_dim": model.text_keys.in_features, "width": cfg["chooser_width"], "heads": cfg["chooser_heads"],
             "groups": len(per_group), "values": size}
    members, runs = [], []
    count = cfg.get("chooser_members", 1)
    noise = cfg.get("chooser_noise", 0.0)
    noise = list(noise) if isinstance(noise, (list, tuple)) else [noise] * count  # one per member, or one for all
    if len(noise) != count:
        raise ValueError(f"config chooser_noise {noise}: one value per chooser (chooser_members {count}), or one")
    words = cfg.get("chooser_noise_words", "all")
    if words not in NOISE_WORDS:
        raise ValueError(f"config chooser_noise_words {words!r}: one of {sorted(NOISE_WORDS)}")
    noise_rows = colour_token_rows(store) if words == "colours" and any(noise) else None
    truth = torch.from_numpy(labels_all).to(device)
    start = torch.from_numpy(np.log(prior / prior.sum(1, keepdims=True)))  # each chooser starts at the shares
    # what a kept chooser was trained from: every setting but the count and each chooser's own noise (the frozen
    # denoiser's too: building it draws from torch's generator before the first chooser), the captions and the labels
    common = {"config": {k: v for k, v in cfg.items() if k not in PER_MEMBER}, "shape": shape,
              "groups": [name for name, *_ in per_group], "store": store.fingerprint(),
              "truth": hashlib.sha256(labels_all.tobytes() + valid.tobytes()).hexdigest()}
    resumed = []
    for m in range(count):  # member 0 starts from the stage's seed, as a single chooser did
        if m:
            torch.manual_seed(seed + m)
        one = Chooser(**shape).to(device)
        key = json.dumps({**common, "seed": seed + m, "noise": noise[m]}, sort_keys=True)
        run = trained_member(work, m, key, one)
        if run is None:
            with torch.no_grad():
                one.bias.copy_(start)
            run = fit_chooser(one, store, truth, valid, cfg["chance_steps"], cfg["batch"], seed + m, device, noise[m],
                              noise_rows)
            keep_member(work, m, key, one, run)
        else:
            resumed.append(m)
        runs.append(run)
        members.append(one)
    chooser = Choosers(members)
    metrics["chances"] = {**runs[0], "seconds": sum(r["seconds"] for r in runs),
                          "groups": [name for name, *_ in per_group]}
    if len(runs) > 1:
        metrics["chances"].update(members=len(runs), loss_last_members=[r["loss_last"] for r in runs])
    if resumed:
        metrics["chances"]["resumed_members"] = resumed
    fitted = {"places": np.array(places, np.int64), "group": np.array(group_of, np.int64), "means": all_means,
              "variance": all_variance, "member": member, "valid": valid,
              "shares": value_shares(np.stack([share_labels(labels_all[g], records, attribute)[rows]
                                               for g, (attribute, *_) in enumerate(per_group)]), valid),
              "own": own_prediction, "condition": condition_places, "condition_mean": condition_mean,
              "condition_std": condition_std}
    save_chances(work, fitted, {k: v.detach().cpu().numpy() for k, v in chooser.state_dict().items()},
                 [{"attribute": a, "part": o, "values": order} for a, o, _, order, *_ in per_group], shape)


def member_path(work, m):
    return os.path.join(work, MEMBER_FILE.format(m))


def keep_member(work, m, key, chooser, run):
    """Writes the trained chooser m (networks.Chooser) with its key (the settings and training data it was trained
    from, as JSON) and its fit's metrics into <work>, atomically, so that an interrupted chances stage resumes after it
    and a stage asked for one member more trains that one alone."""
    arrays = {k: v.detach().cpu().numpy() for k, v in chooser.state_dict().items()}
    temporary = member_path(work, m)[:-len(".npz")] + ".tmp.npz"
    np.savez(temporary, **arrays, key=np.array(key), run=np.array(json.dumps(run)))
    os.replace(temporary, member_path(work, m))


def trained_member(work, m, key, chooser):
    """Loads chooser m's trained weights into chooser when <work> keeps them under the same key (keep_member) ->
    its fit's metrics; None (chooser untouched) when it keeps none or another key's."""
    if not os.path.exists(member_path(work, m)):
        return None
    with np.load(member_path(work, m)) as kept:
        if str(kept["key"]) != key:
            log(f"chances: {member_path(work, m)} was trained otherwise: chooser {m} trains again")
            return None
        chooser.load_state_dict({k: torch.from_numpy(kept[k]) for k in kept.files if k not in ("key", "run")})
        run = json.loads(str(kept["run"]))
    log(f"chances: chooser {m} resumed from {member_path(work, m)}")
    return run


def save_chances(work, fitted, chooser, groups, shape):
    """Writes <work>/chances.npz and chances.json, which load_chances reads: fitted, the groups' arrays (places, group,
    means, variance, member, valid, shares, own, condition, condition_mean, condition_std); chooser, the Choosers'
    state as arrays; groups, [{"attribute", "part", "values"}] in order; shape, each member Chooser's arguments."""
    np.savez(os.path.join(work, "chances.tmp.npz"), **fitted, **{"chooser." + k: v for k, v in chooser.items()})
    with open(os.path.join(work, "chances.json"), "w") as f:
        json.dump({"groups": groups, "chooser": shape}, f, indent=1)
    os.replace(os.path.join(work, "chances.tmp.npz"), os.path.join(work, CHANCES_FILE))


def telling_coordinates(x, label, outfit, count):
    """x float[N, Q]: the training avatars' coordinates, label int64[N]: their value (-1: none), outfit int64[N] ->
    the indices (ascending) of the count coordinates whose values' means lie furthest apart within an outfit: the
    largest ratio of the sum of squares between the values' means to that within them, over every outfit."""
    between, within = np.zeros(x.shape[1]), np.zeros(x.shape[1])
    for r in np.unique(outfit):
        cell = (outfit == r) & (label >= 0)
        centre = x[cell].mean(0)
        for k in np.unique(label[cell]):
            chosen = cell & (label == k)
            mean = x[chosen].mean(0)
            between += chosen.sum() * (mean - centre) ** 2
            within += ((x[chosen] - mean) ** 2).sum(0)
    ratio = between / np.maximum(within, 1e-12)
    return sorted(int(i) for i in np.argsort(-ratio, kind="stable")[:count])


def additive_cells(x, label, outfit, rows, values):
    """A garment colour's candidates per outfit. x float[N, Q]: the training avatars' tints, label int64[N]: their
    colour (-1: none), outfit int64[N]: their outfit, rows and values: the outfits and colours -> (means, variances)
    float32[rows, values, Q]. A cell of CELL_MIN avatars or more is their mean and variance. A tint is the colour less
    its outfit's mean colour (structured-latent.md), so across cells it is close to an outfit's offset plus a colour's
    value: the package's plain top tint cells lie 0.008 (median) from a[r] + c[k] fitted to them (0.10 with the
    patterned tops in: FITTED_ON), where a colour lies 0.95 from the nearest other (median). A cell with fewer avatars
    (a colour the teacher never gives that garment: a purple jacket; 93 of the top's 240 cells) is a[r] + c[k], fitted
    by least squares over every avatar, with its colour's variance within the cells it fills. The colour's mean over
    every outfit would carry the other outfits' offsets: on the package's cells it lies 0.56 (median) from a[r] + c[k].
    A colour no avatar has stays 0 (its chance is its share, about 0).
    """
    dims = x.shape[1]
    means = np.zeros((rows, values, dims), np.float32)
    variance = np.zeros_like(means)
    has = label >= 0
    if not has.any():
        return means, variance
    # one row per avatar: its outfit's offset and its colour's value (the first colour's value fixed at 0)
    design = np.zeros((int(has.sum()), rows + values - 1))
    design[np.arange(len(design)), outfit[has]] = 1.0
    later = label[has] > 0
    design[np.flatnonzero(later), rows + label[has][later] - 1] = 1.0
    solution, *_ = np.linalg.lstsq(design, x[has].astype(np.float64), rcond=None)
    offset = solution[:rows]  # float64[rows, Q]
    value = np.concatenate([np.zeros((1, dims)), solution[rows:]])  # float64[values, Q]
    for k in range(values):
        chosen = label == k
        if not chosen.any():
            continue
        cells = [chosen & (outfit == r) for r in range(rows)]
        counts = [int(cell.sum()) for cell in cells]
        within, counted = np.zeros(dims), 0  # pooled within-cell variance of this colour
        for r, (cell, n) in enumerate(zip(cells, counts)):
            if n >= 2:
                within, counted = within + (n - 1) * x[cell].var(0, ddof=1), counted + n - 1
            if n >= CELL_MIN:
                means[r, k], variance[r, k] = x[cell].mean(0), x[cell].var(0)
        pooled = within / counted if counted else x[chosen].var(0)
        for r, n in enumerate(counts):
            if n < CELL_MIN:
                means[r, k], variance[r, k] = offset[r] + value[k], pooled
    return means, variance


def value_shares(labels, valid):
    """labels int64[G, N]: each training avatar's value per group (-1: none, a bald avatar's hair colour, or an avatar
    SHARES_AMONG leaves out: share_labels), valid
    float[G, K] -> float32[G, K]: the log share of each value among the avatars that have one, one added to every
    count (a value no avatar has is rare, not impossible); 0 on padding. PromptReading.log_chances sharpens the
    chances where they lie far from these: where the prompt names the group."""
    shares = np.zeros(valid.shape, np.float32)
    for g in range(len(labels)):
        count = int(valid[g].sum())
        seen = np.bincount(labels[g][labels[g] >= 0], minlength=count)[:count] + 1.0
        shares[g, :count] = np.log(seen / seen.sum())
    return shares


class NoisyWords:
    """A FeatureStore's batches with Gaussian noise of scale on the token features where flags (float32[store rows])
    is 1, or on every token of the caption where flags is None; fit_steps reads it as the store itself."""

    def __init__(self, store, scale, flags=None):
        self.store, self.scale, self.flags, self.avatar = store, scale, flags, store.avatar

    def batch(self, captions, device):
        ctx, mask = self.store.batch(captions, device)  # ctx float[B, L, D], mask int64[B, L]
        where = mask.to(ctx.dtype) if self.flags is None else self.store.batch_of(self.flags, captions, device)
        return ctx + self.scale * torch.randn_like(ctx) * where.unsqueeze(2), mask


def fit_chooser(chooser, store, truth, valid, steps, batch, seed, device, noise=0.0, noise_rows=None):
    """Adam on the chooser, cross-entropy of each group's value (truth int64[G, avatars], -1: none) for steps batches
    of batch training captions, the rate warmed up over the first WARMUP_SHARE of the steps and then cosine-annealed
    to 0; with noise > 0, each token feature of a batch gets Gaussian noise of noise times the features' root mean
    square (config chooser_noise), or only those where noise_rows (float32[store rows], colour_tokens.colour_token_rows)
    is 1 (config chooser_noise_words "colours"). -> diffusion.fit_steps' metrics."""
    warmup = max(1, int(WARMUP_SHARE * steps))
    pad = torch.from_numpy((valid - 1.0) * 1e9).to(device)
    if noise > 0:
        sample = store.rows[::max(1, len(store.rows) // NOISE_SAMPLE)].astype(np.float32)
        store = NoisyWords(store, noise * float(np.sqrt(np.mean(sample * sample))), noise_rows)

    def rate_at(step):
        if step < warmup:
            return CHOOSER_RATE * step / warmup
        return CHOOSER_RATE * 0.5 * (1 + math.cos(math.pi * (step - warmup) / max(1, steps - warmup)))

    def loss_of_batch(ctx, mask, rows):
        logits = chooser(ctx, mask) + pad
        return torch.nn.functional.cross_entropy(logits.permute(0, 2, 1), truth[:, rows].T, ignore_index=-1)
    return fit_steps(list(chooser.parameters()), store, loss_of_batch, steps, batch, seed, device, "chances", rate_at)


def shown_rules(space, groups):
    """The parts that a named drawn group needs shown (SHOWN_ONLY: a hair colour needs hair), for
    PromptReading.set_shown: the space and chances.json's groups ([{"attribute", ...}], in order) -> (the group's
    index among them, the place in x[b].flatten() of the part's absent type, that one-hot's latent mean and std), one
    per SHOWN_ONLY attribute drawn; the part's type attribute is SHOWN_ONLY's, its absent type the value it names."""
    groups = [g["attribute"] for g in groups]
    layout = space.layout()
    rules = []
    for attribute, (type_attribute, absent) in SHOWN_ONLY.items():
        if attribute not in groups:
            continue
        part = next(p for p in space.parts if p.type_attribute == type_attribute)
        token, types_start, _ = layout[part.name]
        channel = types_start + part.types.index(absent)
        mean, std = float(space.latent_mean[token, channel]), float(space.latent_std[token, channel])
        rules.append((groups.index(attribute), token * space.channels + channel, mean, std))
    return rules


def load_chances(work):
    """The fitted groups (fit_chances) as tensors, and their chooser, for PromptReading.set_draws."""
    with open(os.path.join(work, "chances.json")) as f:
        shape = json.load(f)["chooser"]
    with np.load(os.path.join(work, CHANCES_FILE)) as archive:
        tensors = {name: torch.from_numpy(archive[name]) for name in archive.files}
    for name in ("shares", "own"):  # "own" came with the places as latent indices (they were indices among those read)
        if name not in tensors:
            raise ValueError(f"{os.path.join(work, CHANCES_FILE)} has no '{name}': it predates it; delete it and run "
                             "train.py again, which redoes the chances stage alone")
    state = {k[len("chooser."):]: v for k, v in tensors.items() if k.startswith("chooser.")}
    if not any(k.startswith("members.") for k in state):  # one chooser, saved before Choosers held it
        state = {"members.0." + k: v for k, v in state.items()}
    count = 1 + max(int(k.split(".")[1]) for k in state)
    chooser = Choosers([Chooser(**shape) for _ in range(count)])
    chooser.load_state_dict(state)
    return {k: v for k, v in tensors.items() if not k.startswith("chooser.")}, chooser.eval()
