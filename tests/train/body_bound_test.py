#!/usr/bin/python3
"""Values a drawn group takes for one kind of body (scripts/train/avatar_train/body_bound.py, networks.py
PromptReading.set_bound: a woman is never drawn facial hair):

1. bound_rules fits, on avatars whose body token tells the two kinds apart, a score that reads every avatar's kind
   (at most 0 for the bound one, the body nearest the boundary at 0, and positive for the other), bars every value of
   the group but the bound one, and refuses training avatars that break the rule (a bound body with another value)
   or a body the score cannot tell apart;
2. in the denoiser (the drawn groups of tint_reading_test.py check 7, the hat bound to bodies whose token-0
   coordinate 0, as predicted, lies below the batch's median): where the body reads bound, x0 on the hat's
   coordinates is the bound value's candidate (1e-4, recovered from v; at t = 999 the mixture's likelihood shares
   nothing else once every other chance is 0), whatever the chances; where it does not, the prediction without the
   rule (1e-6); other coordinates never move (1e-6); it scripts (1e-4: float16 matrices, x0 recovered from v); where
   the prompt names the group (the named gate open), nothing is barred: every row as without the rule (1e-6).
Tolerances as tint_reading_test.py's.
"""
import copy
import os
import sys

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(HERE)), "scripts", "train"))
sys.path.insert(0, HERE)
from avatar_train.body_bound import bound_rules  # noqa: E402
from avatar_train.layers import store_half  # noqa: E402
from avatar_train.schedule import cosine_alphas_cumprod  # noqa: E402
from fixtures import verdict  # noqa: E402
from tint_reading_test import DRAW_SLOTS, drawing_denoiser, inputs  # noqa: E402


class Field:
    def __init__(self, key, components):
        self.key, self.components = key, components


class BodySpace:
    """The part of latent_fit.LatentSpace that bound_rules reads: a body token (token 0) of two fields."""
    channels = 6

    def layout(self):
        return {"body": (0, 0, [("body.0.offset", 0, 3), ("body.0.log_scale", 3, 2)])}


def record(gender, facial_hair):
    return {"attributes": {"hair_colour": "black", "facial_hair": facial_hair, "glasses": "none", "top_colour": "red",
                           "bottom_colour": "blue", "top_pattern": "plain", "outfit": "casual", "hat": False,
                           "eye_colour": "brown"},
            "labels": {"gender": gender, "age_group": "adult", "build": "average", "height": "average",
                       "hair_length": "short", "hair_style": "short01", "skin_tone": "medium", "shoes": "sneakers",
                       "top_garment": "t-shirt", "bottom_garment": "jeans"}}


def check_fit():
    rng = np.random.default_rng(3)
    n = 400
    woman = rng.random(n) < 0.5
    latents = rng.normal(size=(n, 2, 6))
    latents[:, 0, 1] += np.where(woman, -4.0, 4.0)  # the kinds lie apart along a mix of two coordinates
    latents[:, 0, 4] += np.where(woman, 3.0, -3.0)
    latents[:, 0, 5] = 99.0  # past the body's fields: never read
    near = int(np.flatnonzero(woman)[0])
    latents[near, 0, 1] += 5.0  # one woman near the men: of every body, the nearest to the boundary
    beards = ["none", "stubble", "moustache", "beard"]
    records = [record("woman" if w else "man", "none" if w else beards[k % 4]) for k, w in enumerate(woman)]
    groups = [{"attribute": "hair_colour", "values": ["black", "brown", "red", "blonde", "grey"]},
              {"attribute": "facial_hair", "values": beards}]
    places, weight, bias, group, barred = bound_rules(BodySpace(), groups, latents, records)
    score = np.asarray(latents[:, 0, :5] @ weight.numpy().T + bias.numpy())[:, 0]
    nearest = float(score[woman].max())  # the near woman: at 0, the bar's edge
    misread = int(((score <= 1e-5) != woman).sum())  # 1e-5: float32 rounding of scores of about 5
    print(f"1. fitted score: places {places}, misreads {misread} of {n} bodies, the body nearest the boundary (a "
          f"woman) at {nearest:.1e}; group {group.tolist()}, barred {barred.tolist()}")
    failures = []
    if places != [0, 1, 2, 3, 4] or misread or abs(nearest) > 1e-5:
        failures.append(f"the score reads places {places}, misreads {misread} bodies, its nearest woman at {nearest}")
    if group.tolist() != [[0.0, 1.0]] or barred.tolist() != [[0.0, 1.0, 1.0, 1.0, 0.0]]:
        failures.append(f"the rule's group {group.tolist()} or barred values {barred.tolist()}")
    broken = [record("woman", "moustache") if k == 7 else r for k, r in enumerate(records)]
    mixed = latents.copy()
    mixed[:, 0, :5] = rng.normal(size=(n, 5))  # bodies that say nothing of the kind
    for name, args in (("a bearded woman", (latents, broken)), ("bodies of no kind", (mixed, records))):
        try:
            bound_rules(BodySpace(), groups, *args)
            failures.append(f"bound_rules accepted {name}")
        except ValueError as error:
            print(f"   refused {name}: {error}")
    return failures


def check_denoiser():
    alphas = torch.from_numpy(cosine_alphas_cumprod(1000))
    model, setup, chooser = drawing_denoiser(31, DRAW_SLOTS)
    model.reading.set_draws(setup, chooser, 1.0, 1.0, 1e9)
    x, t, ctx, mask = inputs(37)
    ab = alphas.float()[t.long()].view(-1, 1)
    body_place = 0  # token 0, channel 0: not drawn, not read
    failures, gaps = [], {}
    with torch.no_grad():
        without = model(x, t, ctx, mask).reshape(4, -1)
        body = ab.view(-1).sqrt() * x.reshape(4, -1)[:, body_place] - (1 - ab.view(-1)).sqrt() * without[:, body_place]
        ordered = body.sort().values
        middle = float(ordered[1:3].mean())  # two rows either side
        # the score's sign puts the row at t = 999, where the chances alone would mix the hat's candidates, among the
        # bound rows
        sign = 1.0 if float(body[0]) < middle else -1.0
        bound = sign * (body - middle) < 0
        ruled = copy.deepcopy(model)
        hat_group, hat_yes = torch.tensor([[0.0, 1.0, 0.0]]), torch.tensor([[0.0, 1.0, 0.0, 0.0]])  # "yes" barred
        score_bias = torch.tensor([-sign * middle])
        ruled.reading.set_bound([body_place], torch.tensor([[sign]]), score_bias, hat_group, hat_yes)
        v = ruled(x, t, ctx, mask).reshape(4, -1)
        hat = setup["places"][8:10]
        x0_hat = ab.sqrt() * x.reshape(4, -1)[:, hat] - (1 - ab).sqrt() * v[:, hat]
        none_hat = model.reading.draw_means.float()[0, 0, 8:10]
        gaps["bound"] = float((x0_hat[bound] - none_hat).abs().max())
        gaps["free"] = float((v[~bound] - without[~bound]).abs().max())
        others = torch.ones(v.shape[1], dtype=torch.bool)
        others[hat] = False
        gaps["elsewhere"] = float((v - without)[:, others].abs().max())
        chances = model.reading.read_chances(ctx, mask).exp()[:, 1, :2]
        half = store_half(copy.deepcopy(ruled))
        gaps["scripted"] = float((torch.jit.script(half)(x, t, ctx, mask) - half(x, t, ctx, mask)).abs().max())
        named = copy.deepcopy(model)  # every group named (gate bound -1): the rule leaves what a prompt asks for
        named.reading.set_draws(setup, chooser, 1.0, 1.0, -1.0)
        named_without = named(x, t, ctx, mask)
        named.reading.set_bound([body_place], torch.tensor([[sign]]), score_bias, hat_group, hat_yes)
        gaps["named"] = float((named(x, t, ctx, mask) - named_without).abs().max())
    read = [[round(float(c), 2) for c in row] for row in chances]
    print(f"2. rows {bound.tolist()} bound (hat chances read {read}): "
          f"their hat is the unbarred candidate to {gaps['bound']:.1e}; the other rows as without the rule to "
          f"{gaps['free']:.1e}; other coordinates {gaps['elsewhere']:.1e}; scripted {gaps['scripted']:.1e}; where "
          f"the prompt names the group, every row as without the rule to {gaps['named']:.1e}")
    if not (bound.any() and (~bound).any()):
        failures.append(f"the bodies do not straddle the bound: {body.tolist()}")
    if float(chances[bound][:, 1].max()) < 0.05:
        failures.append("the bound rows read no chance of the barred value: the test shows nothing")
    if (gaps["bound"] > 1e-4 or gaps["free"] > 1e-6 or gaps["elsewhere"] > 1e-6 or gaps["scripted"] > 1e-4
            or gaps["named"] > 1e-6):
        failures.append(f"binding a drawn group to the body: {gaps}")
    return failures


def main():
    return verdict(check_fit() + check_denoiser())


if __name__ == "__main__":
    sys.exit(main())
