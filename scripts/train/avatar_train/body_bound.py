"""Values of a drawn group that the teacher ties to the body: it gives a woman no facial hair. The chooser reads the
facial hair from the prompt alone, and a prompt whose word for a woman it has never seen reads as open, so it could
draw a moustache on the woman the denoiser makes. The exported denoiser bars those values wherever the sample's body,
as predicted at that step, reads as that gender and the prompt leaves the group open (its named gate closed: "a
bearded woman", or an edit that asks a woman for a beard, is drawn as asked; networks.PromptReading.set_bound,
barred): a linear score of the body token's coordinates, fitted here in closed form on the training avatars, which
tells the teacher's genders apart on every one of them (its sliders lie at most 0.3 for a woman and at least 0.7 for
a man), at least as far from the boundary as the training avatar nearest to it. A body nearer the boundary is left to
the chances: an open prompt's predicted body at high noise, the mean of both genders, would otherwise bar a man's
beard before his body is decided.
"""
import numpy as np
import torch

from .attributes import labels

# A drawn group -> (the attribute of the body, its value, the group's only value for it)
BODY_BOUND = {"facial_hair": ("gender", "woman", "none")}
BODY_PART = "body"  # the part whose coordinates the score reads
RIDGE = 1e-2  # added to the normal equations' diagonal: the body's coordinates are standardised, so this only
#               steadies the solve


def bound_rules(space, groups, latents, records):
    """The space, chances.json's groups ([{"attribute", "values"}]), the standardised training latents float[N, T, C]
    and their captions.jsonl records -> PromptReading.set_bound's arguments (places, weight float[S, Pb], bias float[S],
    groups float[S, G], barred float[S, K]; the bias puts 0 as far inside the bound kind as its training avatar nearest
    the boundary) for each BODY_BOUND group drawn. Refuses groups with none, and a rule the
    training avatars break: a bound body with another value, or a score that misreads an avatar's body."""
    names = [g["attribute"] for g in groups]
    rules = [(names.index(a), rule) for a, rule in BODY_BOUND.items() if a in names]
    if not rules:
        raise ValueError(f"body rules: none of the drawn groups {names} is one of {sorted(BODY_BOUND)}")
    token, _, fields = space.layout()[BODY_PART]
    channels = [c for _, start, width in fields for c in range(start, start + width)]
    body = np.asarray(latents[:, token, :], np.float64)[:, channels]
    features = np.concatenate([body, np.ones((len(body), 1))], 1)
    size = max(len(g["values"]) for g in groups)
    weight, bias, one_hot, barred = [], [], np.zeros((len(rules), len(groups))), np.zeros((len(rules), size))
    named = [labels(r) for r in records]
    for s, (g, (attribute, bound, value)) in enumerate(rules):
        is_bound = np.array([n[attribute] == bound for n in named])
        broken = sum(1 for n, b in zip(named, is_bound) if b and n[names[g]] != value)
        if broken:
            raise ValueError(f"body rule {names[g]}: {broken} training avatars of {attribute} {bound} are not {value}")
        target = np.where(is_bound, -1.0, 1.0)
        solved = np.linalg.solve(features.T @ features + RIDGE * np.eye(features.shape[1]), features.T @ target)
        misread = int(((features @ solved < 0) != is_bound).sum())
        if misread:
            raise ValueError(f"body rule {names[g]}: the score of the {BODY_PART}'s coordinates misreads the "
                             f"{attribute} of {misread} of {len(body)} training avatars")
        # a body predicted nearer the boundary than any training avatar lies (an open prompt's at high noise, the mean
        # of both kinds; a generated body between them) is of neither kind: the rule bars only below -margin
        margin = float(np.abs(features @ solved).min())
        weight.append(solved[:-1])
        bias.append(solved[-1] + margin)
        one_hot[s, g] = 1.0
        barred[s, :len(groups[g]["values"])] = 1.0
        barred[s, groups[g]["values"].index(value)] = 0.0
    places = [token * space.channels + c for c in channels]
    return (places, torch.tensor(np.array(weight), dtype=torch.float32), torch.tensor(bias, dtype=torch.float32),
            torch.from_numpy(one_hot).float(), torch.from_numpy(barred).float())
