"""The denoiser of a model package (interface in docs/model-package.md): a transformer over the
latent's part tokens that cross-attends to the prompt's token features.

    denoiser(x: float[B, T, C], t: float[B], ctx: float[B, L, D], mask: int64[B, L]) -> float[B, T, C]

Each token is one part of the avatar (parts.py), so each has its own input and output
projection; the timestep and the prompt's mean feature modulate every block (adaptive layer
norm); self-attention lets parts agree (a suit's top and bottom), cross-attention reads the words
that describe each part (the prompt's keys and values are projected once and shared by every
block). With reading slots (config `tint_reading`), each part also reads the prompt once, free of
the noise (PromptReading), and what it reads is the prediction's prior for the part's tint (and,
with config read "types", type) coordinates (docs/model-development.md); with config read_mixer, the reading
first passes the prompt through a transformer layer of its own (PromptMixer). With config hold, the
exported denoiser draws the coordinates a prompt names from the reading's Gaussian alone
(PromptReading.hold; their spread is fitted after training, diffusion.fit_spread), and with config draw it
draws an attribute's coordinates as one of its values by the chances a Chooser reads (PromptReading.draw,
draws.py). Everything here
scripts under torch 1.13; the exported matrices are stored as float16 (layers.store_half) and every
use casts them to float32.
"""
from typing import Dict, List, Optional, Tuple

import torch
import torch.nn as nn
import torch.nn.functional as F

from .layers import Attention, ContextAttention, Linear, attend, timestep_embedding


class TokenBlock(nn.Module):
    def __init__(self, width: int, heads: int):
        super().__init__()
        self.norm1 = nn.LayerNorm(width, elementwise_affine=False)
        self.self_attention = Attention(width, heads)
        self.cross_norm = nn.LayerNorm(width)
        self.cross = ContextAttention(width, heads)
        self.norm2 = nn.LayerNorm(width, elementwise_affine=False)
        self.mlp = nn.Sequential(Linear(width, 4 * width), nn.GELU(), Linear(4 * width, width))
        self.modulation = Linear(width, 6 * width)
        nn.init.zeros_(self.modulation.weight)  # starts as a plain pre-norm block with zero gates
        nn.init.zeros_(self.modulation.bias)

    def forward(self, h: torch.Tensor, cond: torch.Tensor, keys: torch.Tensor, values: torch.Tensor, mask: torch.Tensor,
                everywhere: torch.Tensor):
        # h float[B, T, W], cond float[B, W], keys and values float[B, L, W], mask int64[B, L],
        # everywhere int64[B, T] -> float[B, T, W]
        shift1, scale1, gate1, shift2, scale2, gate2 = self.modulation(F.silu(cond)).unsqueeze(1).chunk(6, dim=2)
        x = self.norm1(h) * (1.0 + scale1) + shift1
        h = h + gate1 * self.self_attention(x, everywhere)
        h = h + self.cross(self.cross_norm(h), keys, values, mask)
        x = self.norm2(h) * (1.0 + scale2) + shift2
        return h + gate2 * self.mlp(x)


class PromptMixer(nn.Module):
    """One transformer layer over the prompt's words ahead of the reading (config read_mixer, its
    width), so that a garment's word can gather the colour word that goes with it ("a grey t-shirt
    and blue jeans") before a part's query looks for the garment. Its keys and values are added to
    the ones every block shares: replacing them read more attributes but lost words the shared keys
    knew ("blonde hair" read red; docs/model-development.md)."""

    def __init__(self, context_dim: int, mixer_width: int, width: int, heads: int):
        super().__init__()
        self.project = Linear(context_dim, mixer_width)
        self.attention_norm = nn.LayerNorm(mixer_width)
        self.attention = Attention(mixer_width, heads)
        self.mlp_norm = nn.LayerNorm(mixer_width)
        hidden = 2 * mixer_width  # half the blocks' 4x: one layer over up to 64 words costs more than a block over 8 parts
        self.mlp = nn.Sequential(Linear(mixer_width, hidden), nn.GELU(), Linear(hidden, mixer_width))
        self.keys = Linear(mixer_width, width)
        self.values = Linear(mixer_width, width)

    def forward(self, ctx: torch.Tensor, mask: torch.Tensor):
        # ctx float[B, L, D], mask int64[B, L] -> (keys, values) float[B, L, W]
        words = self.project(ctx)
        words = words + self.attention(self.attention_norm(words), mask)
        words = words + self.mlp(self.mlp_norm(words))
        return self.keys(words), self.values(words)


class Chooser(nn.Module):
    """The chances of the drawn groups' values (draws.py), read from the prompt by a transformer layer of its own
    (a PromptMixer) and a learned query per group, apart from the denoiser: trained after it on the prompt's
    features alone (draws.fit_chances), so it can learn which colour word goes with which garment ("a black jacket
    and blue jeans": black for the top, not the hair), where a head on the denoiser's reading, trained for the
    tints' mean, could not tell them apart (docs/model-development.md)."""

    def __init__(self, context_dim: int, width: int, heads: int, groups: int, values: int):
        super().__init__()
        self.heads = heads
        self.words = PromptMixer(context_dim, width, width, heads)
        self.query = nn.Parameter(torch.randn(groups, width) * 0.02)
        self.norm = nn.LayerNorm(width)
        self.head = nn.Parameter(torch.zeros(groups, values, width))
        self.bias = nn.Parameter(torch.zeros(groups, values))

    def forward(self, ctx: torch.Tensor, mask: torch.Tensor):
        # ctx float[B, L, D], mask int64[B, L] -> logits of each group's values float[B, G, K]
        keys, values = self.words(ctx, mask)
        queries = self.query.float().unsqueeze(0).expand(ctx.shape[0], -1, -1)
        read = self.norm(attend(queries, keys, values, mask, self.heads))
        return torch.einsum("bgw,gkw->bgk", read, self.head.float()) + self.bias


class Choosers(nn.Module):
    """Choosers trained alike from different seeds (config chooser_members), read as one: the mean of their logits,
    so each group's chances are the members' geometric mean, renormalised. Two choosers trained alike read the
    validation writer's words differently (docs/model-development.md, "Two choosers read together"); their mean varies
    less. One member reads exactly as that chooser alone."""

    def __init__(self, members: List[Chooser]):
        super().__init__()
        self.members = nn.ModuleList(members)
        self.count = float(len(members))

    def forward(self, ctx: torch.Tensor, mask: torch.Tensor):
        # ctx float[B, L, D], mask int64[B, L] -> the members' mean logits of each group's values float[B, G, K]
        logits: List[torch.Tensor] = []
        for member in self.members:
            logits.append(member(ctx, mask))
        return torch.stack(logits).sum(0) / self.count


EMPTY_PROMPT_TOKENS = 2  # [CLS] [SEP]: the empty prompt's tokens, guidance's unconditional input


def named_groups(chances: torch.Tensor, shares: torch.Tensor, named: torch.Tensor):
    # chances float[B, G, K] (log, as read), shares float[G, K] (log), named float[] (PromptReading.draw_named) ->
    # float[B, G, 1]: 1 where the prompt names the group (its chances lie further than `named` from the shares)
    p = chances.exp()  # exactly 0 on padding, whose log chance is about -1e9
    divergence = (p * (chances - shares)).sum(2, keepdim=True)  # float[B, G, 1]: KL(chances || shares), nats
    return (divergence > named).to(chances.dtype)


def sharpened(chances: torch.Tensor, shares: torch.Tensor, sharpen: torch.Tensor, named: torch.Tensor,
              valid: torch.Tensor, own: torch.Tensor):
    # chances float[B, G, K] (log, as read), shares float[G, K] (log, the values' shares over the training avatars; 0
    # on padding), sharpen and named float[] (PromptReading.draw_sharpen, draw_named), valid float[G, K] (1 for a
    # group's real candidates), own float[G, K] (PromptReading.draw_own: 1 for a candidate that is the denoiser's own
    # prediction, which has no chance where the prompt leaves its group open: the denoiser predicts the pattern a
    # prompt asks for, not one a draw picks) -> PromptReading.log_chances's result, float[B, G, K]
    is_named = named_groups(chances, shares, named)
    power = 1.0 + (sharpen - 1.0) * is_named
    drawable = valid - own * (1.0 - is_named)  # float[B, G, K]
    return torch.log_softmax(power * chances + (drawable - 1.0) * 1e9, 2)


class PromptReading(nn.Module):
    """Each part reads the prompt once with a learned query, free of the noise; the reading joins the
    part's token, and a head turns it into the part's coordinates that a caption names (its tint, a
    caption's "red shirt" as 3 numbers; with config read "types", also its type one-hot: "a beanie"),
    trained on the true coordinates by an auxiliary loss, so that the head gives their mean given the
    prompt. Those numbers are the x0 the denoiser corrects on their coordinates: v = sqrt(ab) noise -
    sqrt(1 - ab) x0, so the reading enters v scaled by sqrt(1 - ab), and at high noise, where an
    avatar commits to its colours and garments, it is the prediction."""

    def __init__(self, tokens: int, channels: int, width: int, heads: int, slots: List[Tuple[int, int, int]],
                 alphas_cumprod: torch.Tensor, mixer: Optional[PromptMixer] = None):
        # slots: (token, first channel, channel count) of each field read; alphas_cumprod float[T];
        # mixer: the reading's own pass over the prompt, added to the blocks' shared keys and values; None reads those alone
        super().__init__()
        self.mixer = mixer
        self.query = nn.Parameter(torch.randn(tokens, width) * 0.02)
        self.reader = ContextAttention(width, heads)
        self.read_in = Linear(width, width)
        nn.init.zeros_(self.read_in.weight)  # starts as the plain denoiser
        nn.init.zeros_(self.read_in.bias)
        coordinates = [(token, first + k) for token, first, count in slots for k in range(count)]
        self.head = nn.Parameter(torch.zeros(len(coordinates), width))
        self.register_buffer("places", torch.tensor([token * channels + channel for token, channel in coordinates],
                                                    dtype=torch.int64))  # int64[P]: coordinate p's index in x[b].flatten()
        self.register_buffer("tokens", torch.tensor([token for token, _ in coordinates], dtype=torch.int64))  # int64[P]
        self.register_buffer("noise_share", (1.0 - alphas_cumprod.float()).sqrt())  # float[T]: sqrt(1 - ab)
        self.register_buffer("signal_share", alphas_cumprod.float().sqrt())  # float[T]: sqrt(ab)
        # The spread of x0 around what is read, log s2 per coordinate, fitted after training on the frozen
        # reading (diffusion.fit_spread); zero, s2 = 1, until then.
        self.spread_weight = nn.Parameter(torch.zeros(len(coordinates), width))
        self.spread_bias = nn.Parameter(torch.zeros(len(coordinates)))
        # float[P]: 1 where x0 is the reading's Gaussian alone (hold_coordinates), 0 where the network corrects it
        self.register_buffer("held", torch.zeros(len(coordinates)))
        self.register_buffer("hold_below", torch.tensor(1.0))  # a held coordinate is held where its spread is below this
        self.register_buffer("temperature", torch.tensor(1.0))  # a held coordinate is drawn with temperature x spread
        # what the empty prompt reads, float[P], and how far a held reading is pushed away from it (1: not at all)
        self.register_buffer("unconditional", torch.zeros(len(coordinates)))
        self.register_buffer("read_guidance", torch.tensor(1.0))
        # Drawn groups (set_draws; draws.py): G groups of Q coordinates, each drawn as one of its K candidates, a
        # Gaussian per candidate (variance 0: a type one-hot) or the denoiser's own prediction (draw_own), picked by
        # the chances the chooser reads from the prompt. Empty, and no chooser, until export sets them.
        self.chooser: Optional[Choosers] = None
        self.register_buffer("draw_places", torch.zeros(0, dtype=torch.int64))  # int64[Q]: index in x[b].flatten()
        self.register_buffer("draw_group", torch.zeros(0, dtype=torch.int64))  # int64[Q]: the group of each
        # float16[R, K, Q]: candidate k of q's group on q, per row r of the group's condition (a garment's colour: per
        # outfit), and its variance there (float16: the package's size; a mean moves by at most 5e-4 of itself);
        # int64[G, R]: the coordinate read whose largest one-hot picks the row (-1: none, row 0), float[G, R]: that
        # coordinate's standardisation
        self.register_buffer("draw_means", torch.zeros(0, 0, 0, dtype=torch.float16))
        self.register_buffer("draw_variance", torch.zeros(0, 0, 0, dtype=torch.float16))
        # float[G, K]: 1 where candidate k is the denoiser's own prediction, not a Gaussian (a top's stripes: their
        # coordinates differ in phase from avatar to avatar, so no mean and variance draws one)
        self.register_buffer("draw_own", torch.zeros(0, 0))
        # an own candidate's prediction is pushed from its mean by this guidance times 1 - ab (draw)
        self.register_buffer("draw_own_guidance", torch.tensor(1.0))
        self.register_buffer("draw_condition", torch.zeros(0, 0, dtype=torch.int64))
        self.register_buffer("draw_condition_mean", torch.zeros(0, 0))
        self.register_buffer("draw_condition_std", torch.zeros(0, 0))
        self.register_buffer("draw_member", torch.zeros(0, 0))  # float[G, Q]: 1 where q is in group g
        self.register_buffer("draw_valid", torch.zeros(0, 0))  # float[G, K]: 1 for a group's real candidates
        self.register_buffer("draw_shares", torch.zeros(0, 0))  # float[G, K]: log share of each over the training avatars
        self.register_buffer("draw_sharpen", torch.tensor(1.0))  # log chances times this (1: as read)...
        # ... where they lie further than this (KL divergence, nats) from the shares: the prompt names the group
        self.register_buffer("draw_named", torch.tensor(1e9))
        self.register_buffer("draw_temperature", torch.tensor(1.0))  # a candidate's variance is drawn times this
        # Parts a named drawn group needs shown (keep_shown; set_shown): a named hair colour needs hair. int64[S]: the
        # group, the place in x[b].flatten() of the part's absent type (bald) and its index among the coordinates read;
        # float[S]: that one-hot's standardisation (its 0, the type being another, is where x0 is held); the absent
        # type's share as read below which the part is kept shown.
        self.register_buffer("shown_group", torch.zeros(0, dtype=torch.int64))
        self.register_buffer("shown_place", torch.zeros(0, dtype=torch.int64))
        self.register_buffer("shown_read", torch.zeros(0, dtype=torch.int64))
        self.register_buffer("shown_mean", torch.zeros(0))
        self.register_buffer("shown_std", torch.zeros(0))
        self.register_buffer("shown_below", torch.tensor(0.0))
        # Values a drawn group takes for one kind of body (set_bound; body_bound.bound_rules): the teacher gives a woman
        # no facial hair, so a sample whose body reads as a woman draws "none" where the prompt leaves the facial hair
        # open (the named gate of log_chances closed), whatever the chances read. int64[Pb]: the
        # body's places in x[b].flatten(); float[S, Pb], float[S]: each rule's linear score of x0 there, below 0 for
        # the bound body; float[S, G]: the rule's group, one-hot; float[S, K]: 1 for the values it bars.
        self.register_buffer("bound_places", torch.zeros(0, dtype=torch.int64))
        self.register_buffer("bound_weight", torch.zeros(0, 0))
        self.register_buffer("bound_bias", torch.zeros(0))
        self.register_buffer("bound_groups", torch.zeros(0, 0))
        self.register_buffer("bound_barred", torch.zeros(0, 0))
        self.empty_prompt_tokens = EMPTY_PROMPT_TOKENS  # an attribute: TorchScript reads no module-level constant

    def forward(self, ctx: torch.Tensor, keys: torch.Tensor, values: torch.Tensor, mask: torch.Tensor):
        # ctx float[B, L, D], the blocks' keys and values float[B, L, W], mask int64[B, L] ->
        # (what joins the tokens float[B, T, W], the coordinates read float[B, P], each part's reading float[B, T, W])
        read = self.read(ctx, keys, values, mask)
        return self.read_in(read), self.coordinates(read), read

    def read(self, ctx: torch.Tensor, keys: torch.Tensor, values: torch.Tensor, mask: torch.Tensor):
        # ctx float[B, L, D], keys and values float[B, L, W], mask int64[B, L] -> each part's reading float[B, T, W]
        if self.mixer is not None:
            mixed_keys, mixed_values = self.mixer(ctx, mask)
            keys, values = keys + mixed_keys, values + mixed_values
        queries = self.query.float().unsqueeze(0).expand(keys.shape[0], -1, -1)
        return self.reader(queries, keys, values, mask)

    def coordinates(self, read: torch.Tensor):
        # read float[B, T, W] (self.read) -> the coordinates read, float[B, P]
        return torch.einsum("bpw,pw->bp", read.index_select(1, self.tokens), self.head.float())

    def log_spread(self, read: torch.Tensor):
        # read float[B, T, W] (self.read) -> log s2 of each coordinate read, float[B, P]
        return torch.einsum("bpw,pw->bp", read.index_select(1, self.tokens), self.spread_weight.float()) + self.spread_bias

    def hold_coordinates(self, groups: List[str], held: List[str], below: float = 1.0, temperature: float = 1.0):
        # groups: each coordinate's group ("tint", "type"), as reading_slots gives them; held: the groups whose
        # x0 is the reading's Gaussian alone at sampling (export); the rest stay corrected by the network
        self.held.copy_(torch.tensor([1.0 if g in held else 0.0 for g in groups]))
        self.hold_below.fill_(below)
        self.temperature.fill_(temperature)

    def guide_reading(self, unconditional: torch.Tensor, guidance: float):
        # unconditional float[P]: what the empty prompt reads; a held coordinate is drawn around
        # unconditional + guidance (read - unconditional), as classifier-free guidance pushes a prediction: the
        # reading, trained by squared error, is pulled to the middle where it is unsure (a black top read charcoal)
        self.unconditional.copy_(unconditional)
        self.read_guidance.fill_(guidance)

    def set_draws(self, draws: Dict[str, torch.Tensor], chooser: nn.Module, sharpen: float, temperature: float,
                  named: float, own_guidance: float = 1.0):
        # draws: the fitted groups (draws.py fit_chances: places, group, means, variance, member, valid, shares, own,
        # condition, condition_mean, condition_std); chooser: their chances' reader, a Chooser or Choosers
        for name in ("places", "group", "member", "valid", "shares", "own", "condition", "condition_mean",
                     "condition_std"):
            setattr(self, "draw_" + name, draws[name])
        self.draw_means, self.draw_variance = draws["means"].half(), draws["variance"].half()
        self.chooser = chooser if isinstance(chooser, Choosers) else Choosers([chooser])
        self.draw_sharpen.fill_(sharpen)
        self.draw_temperature.fill_(temperature)
        self.draw_named.fill_(named)
        self.draw_own_guidance.fill_(own_guidance)

    def set_shown(self, groups: List[int], places: List[int], mean: List[float], std: List[float], below: float):
        # groups: the drawn group whose naming needs a part shown, per rule; places: the part's absent type's index
        # in x[b].flatten() (one of the coordinates read); mean, std: its standardisation; below: the absent type's
        # share as read under which the part is kept shown
        read = self.places.tolist()
        self.shown_group = torch.tensor(groups, dtype=torch.int64)
        self.shown_place = torch.tensor(places, dtype=torch.int64)
        self.shown_read = torch.tensor([read.index(p) for p in places], dtype=torch.int64)
        self.shown_mean = torch.tensor(mean, dtype=torch.float32)
        self.shown_std = torch.tensor(std, dtype=torch.float32)
        self.shown_below.fill_(below)

    def set_bound(self, places: List[int], weight: torch.Tensor, bias: torch.Tensor, groups: torch.Tensor,
                  barred: torch.Tensor):
        # places: the body's indices in x[b].flatten(); weight float[S, Pb], bias float[S]: each rule's score of x0
        # there (below 0: the body the rule binds); groups float[S, G]: its drawn group, one-hot; barred float[S, K]:
        # 1 for the values that body never takes
        self.bound_places = torch.tensor(places, dtype=torch.int64)
        self.bound_weight, self.bound_bias = weight.float(), bias.float()
        self.bound_groups, self.bound_barred = groups.float(), barred.float()

    def barred(self, body: torch.Tensor):
        # body float[B, Pb]: x0 on bound_places -> float[B, G, K]: 1 for each candidate the sample's body bars
        bound = (torch.einsum("bp,sp->bs", body, self.bound_weight) + self.bound_bias < 0).to(body.dtype)
        return torch.einsum("bs,sg,sk->bgk", bound, self.bound_groups, self.bound_barred)

    def keep_shown(self, v: torch.Tensor, x: torch.Tensor, signal: torch.Tensor, noise: torch.Tensor,
                   chances: torch.Tensor, coordinates: torch.Tensor, mask: torch.Tensor):
        # v, x float[B, T*C] (flattened), signal and noise float[B, 1], chances float[B, G, K] (read_chances),
        # coordinates float[B, P] (read), mask int64[B, L] (the prompt's) -> v float[B, T*C] whose absent-type
        # coordinate of each rule has x0 = its value where the part is there, where the prompt names the rule's group
        # and reads the absent type's share below shown_below: "a woman with jet hair" is never drawn bald, "a bald
        # man" still is. The empty prompt never holds, whatever its chances read: it is guidance's unconditional input,
        # and the coordinate is guided, so a hold there alone would push every avatar away from hair
        named = named_groups(chances, self.draw_shares, self.draw_named).squeeze(2).index_select(1, self.shown_group)
        share = coordinates.index_select(1, self.shown_read) * self.shown_std + self.shown_mean  # float[B, S]
        # float[B, 1]: 0 for the empty prompt
        worded = (mask.sum(1, keepdim=True) > self.empty_prompt_tokens).to(v.dtype)
        where = worded * named * (share < self.shown_below).to(v.dtype)
        absent = -self.shown_mean / self.shown_std  # float[S]: the one-hot's 0, standardised
        kept = (signal * x.index_select(1, self.shown_place) - absent) / noise
        return v.index_copy(1, self.shown_place, where * kept + (1.0 - where) * v.index_select(1, self.shown_place))

    def read_chances(self, ctx: torch.Tensor, mask: torch.Tensor):
        # ctx float[B, L, D], mask int64[B, L] -> log chance of each group's candidates as read, float[B, G, K]
        chooser = self.chooser
        if chooser is None:  # draws nothing (set_draws gives the groups and their chooser together)
            return torch.zeros(ctx.shape[0], 0, 0, device=ctx.device)
        return torch.log_softmax(chooser(ctx, mask) + (self.draw_valid - 1.0) * 1e9, 2)

    def log_chances(self, chances: torch.Tensor):
        # chances float[B, G, K] (read_chances) -> log chance of each group's candidates, float[B, G, K] (about -1e9
        # for padding): where the prompt names the group (the chances lie further than draw_named from the training
        # avatars' shares), sharpened, s log p_read renormalised (p^s: a softmax at temperature 1/s, the likeliest
        # value likelier); elsewhere as read, so a prompt that leaves the group open draws it by the teacher's shares,
        # but for the candidates that are the denoiser's own prediction (draw_own), which it then never draws
        return sharpened(chances, self.draw_shares, self.draw_sharpen, self.draw_named, self.draw_valid, self.draw_own)

    def candidates(self, x0: torch.Tensor):
        # x0 float[B, P]: the prediction on the coordinates read -> (means, variances) float[B, K, Q] of each
        # group's candidates on the row its condition picks: the largest of the condition's one-hot in x0
        b, rows = x0.shape[0], self.draw_condition.shape[1]
        picked = x0.index_select(1, self.draw_condition.clamp(min=0).view(-1)).view(b, -1, rows)
        picked = picked * self.draw_condition_std + self.draw_condition_mean
        row = picked.masked_fill(self.draw_condition < 0, -1e9).argmax(2)  # int64[B, G]: row 0 without a condition
        row = row.index_select(1, self.draw_group)  # int64[B, Q]
        q = torch.arange(self.draw_group.shape[0], device=x0.device)
        means = self.draw_means.float().permute(2, 0, 1)[q, row].permute(0, 2, 1)  # float[B, K, Q]
        variance = self.draw_variance.float().permute(2, 0, 1)[q, row].permute(0, 2, 1)
        return means, variance

    def draw(self, x: torch.Tensor, signal: torch.Tensor, noise: torch.Tensor, chances: torch.Tensor, x0: torch.Tensor,
             own: torch.Tensor, body: torch.Tensor):
        # x float[B, Q]: x_t on the drawn coordinates, signal and noise float[B, 1] (sqrt(ab), sqrt(1 - ab)), chances
        # float[B, G, K] (read_chances), x0 float[B, P]: the prediction on the coordinates read (for the candidates' rows),
        # own float[B, Q]: the denoiser's prediction on the drawn coordinates, body float[B, Pb]: its prediction on
        # bound_places (a candidate the body bars has no chance: barred)
        # -> x0 float[B, Q] = E[x0 | x_t] for x0 one of its group's candidates, N(m_k, v_k) with
        # the chance p_k: sum_k w_k (m_k + sqrt(ab) v_k / (ab v_k + 1 - ab) (x_t - sqrt(ab) m_k)), w_k ~ p_k N(x_t;
        # sqrt(ab) m_k, ab v_k + 1 - ab), the exact denoiser of that mixture, so a sampler draws one candidate by
        # the chances (the seed's noise picks it) and then a value from its Gaussian; a candidate marked draw_own is
        # the prediction itself (v_k = 0), pushed from its mean m_k as classifier-free guidance g would push it from
        # the empty prompt's: the sampler leaves drawn coordinates unguided, and the empty prompt's prediction, not
        # computed here, lies near m_k at high noise and near the prompt's at low noise, so m_k + (own - m_k)
        # (1 + (g - 1) (1 - ab)) stands for it (g = draw_own_guidance; 1: the prediction as it is)
        means, variance = self.candidates(x0)
        own_k = self.draw_own.index_select(0, self.draw_group).t().unsqueeze(0)  # float[1, K, Q]
        push = 1.0 + (self.draw_own_guidance - 1.0) * (noise * noise).unsqueeze(1)  # float[B, 1, 1]
        means = means + own_k * push * (own.unsqueeze(1) - means)
        variance = (1.0 - own_k) * variance * self.draw_temperature
        ab = (signal * signal).unsqueeze(1)  # float[B, 1, 1]
        total = ab * variance + (noise * noise).unsqueeze(1)  # float[B, K, Q]: x_t's variance given candidate k
        gap = x.unsqueeze(1) - signal.unsqueeze(1) * means  # float[B, K, Q]
        misfit = 0.5 * (gap * gap / total + total.log())
        logits = self.log_chances(chances) - torch.einsum("bkq,gq->bgk", misfit, self.draw_member)
        if self.bound_places.shape[0] > 0:  # only where the prompt leaves the group open: "a bearded woman" is drawn
            open_group = 1.0 - named_groups(chances, self.draw_shares, self.draw_named)  # float[B, G, 1]
            logits = logits - 1e9 * self.barred(body) * open_group
        weights = torch.softmax(logits, 2).index_select(1, self.draw_group)  # float[B, Q, K]
        each = means + signal.unsqueeze(1) * variance / total * gap  # float[B, K, Q]
        return torch.einsum("bqk,bkq->bq", weights, each)

    def true_coordinates(self, x0: torch.Tensor):
        # x0 float[B, T, C] -> the coordinates the head learns to read, float[B, P]
        return x0.reshape(x0.shape[0], -1).index_select(1, self.places)

    def prior(self, coordinates: torch.Tensor, t: torch.Tensor, like: torch.Tensor):
        # coordinates float[B, P], t float[B] (integer timesteps), like float[B, T, C] (the shape of v) ->
        # their share of v on their places, zero elsewhere, float[B, T, C]
        share = self.noise_share[t.long().clamp(0, self.noise_share.shape[0] - 1)].view(-1, 1)
        flat = torch.zeros(like.shape[0], like.shape[1] * like.shape[2], dtype=like.dtype, device=like.device)
        return flat.index_copy(1, self.places, -share * coordinates).view(like.shape)

    def hold(self, v: torch.Tensor, x: torch.Tensor, t: torch.Tensor, coordinates: torch.Tensor, read: torch.Tensor,
             ctx: torch.Tensor, mask: torch.Tensor):
        # v, x float[B, T, C], t float[B], coordinates float[B, P], read float[B, T, W], ctx float[B, L, D] and mask
        # int64[B, L] (the prompt, for the drawn groups' chances) -> v float[B, T, C] whose held
        # coordinates with a spread below hold_below give x0 = E[x0 | x_t] for x0 ~ N(m, s2), m the guided
        # reading (guide_reading), s2 the temperature times the spread: m + k (x_t - sqrt(ab) m),
        # k = sqrt(ab) s2 / (ab s2 + 1 - ab), the exact denoiser of that Gaussian, so a sampler draws them from
        # it; v = (sqrt(ab) x_t - x0) / sqrt(1 - ab). Drawn coordinates (set_draws) take the mixture's x0 instead (draw).
        drawing = self.draw_member.shape[0] > 0
        if not bool(self.held.any()) and not drawing:  # training, and packages that hold nothing
            return v
        step = t.long().clamp(0, self.noise_share.shape[0] - 1)
        noise, signal = self.noise_share[step].view(-1, 1), self.signal_share[step].view(-1, 1)
        spread = self.log_spread(read).clamp(max=0.0).exp()  # at most 1, a coordinate's spread when nothing is read (standardised)
        s2 = self.temperature * spread
        pushed = self.unconditional + self.read_guidance * (coordinates - self.unconditional)
        where = self.held * (spread < self.hold_below).to(v.dtype)  # float[B, P]
        flat_x = x.reshape(x.shape[0], -1).index_select(1, self.places)
        x0 = pushed + signal * s2 / (signal * signal * s2 + noise * noise) * (flat_x - signal * pushed)
        flat_v = v.reshape(v.shape[0], -1)
        held_v = (signal * flat_x - x0) / noise
        mixed = where * held_v + (1.0 - where) * flat_v.index_select(1, self.places)
        out = flat_v.index_copy(1, self.places, mixed)
        if drawing:
            drawn_x = x.reshape(x.shape[0], -1).index_select(1, self.draw_places)
            x0_read = signal * flat_x - noise * mixed  # x0 = sqrt(ab) x_t - sqrt(1 - ab) v
            own = signal * drawn_x - noise * out.index_select(1, self.draw_places)
            chances = self.read_chances(ctx, mask)
            flat_all = x.reshape(x.shape[0], -1)
            body = signal * flat_all.index_select(1, self.bound_places) - noise * out.index_select(1, self.bound_places)
            drawn = self.draw(drawn_x, signal, noise, chances, x0_read, own, body)
            out = out.index_copy(1, self.draw_places, (signal * drawn_x - drawn) / noise)
            if self.shown_place.shape[0] > 0:
                out = self.keep_shown(out, x.reshape(x.shape[0], -1), signal, noise, chances, coordinates, mask)
        return out.view(v.shape)


class TokenDenoiser(nn.Module):
    def __init__(self, tokens: int, channels: int, context_dim: int, width: int, depth: int, heads: int,
                 reading: Optional[PromptReading] = None):
        super().__init__()
        self.width = width
        self.inp_weight = nn.Parameter(torch.randn(tokens, channels, width) / channels ** 0.5)
        self.inp_bias = nn.Parameter(torch.zeros(tokens, width))
        self.token_embedding = nn.Parameter(torch.randn(tokens, width) * 0.02)
        self.time = nn.Sequential(Linear(width, width), nn.SiLU(), Linear(width, width))
        self.text_pool = Linear(context_dim, width)
        self.text_keys = Linear(context_dim, width)    # shared by every block's cross-attention: the
        self.text_values = Linear(context_dim, width)  # prompt's projection is the costly part on a CPU
        self.blocks = nn.ModuleList([TokenBlock(width, heads) for _ in range(depth)])
        self.out_norm = nn.LayerNorm(width)
        self.out_weight = nn.Parameter(torch.zeros(tokens, width, channels))  # zero: starts by predicting 0
        self.out_bias = nn.Parameter(torch.zeros(tokens, channels))
        self.reading = reading

    def forward(self, x: torch.Tensor, t: torch.Tensor, ctx: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        # x float[B, T, C], t float[B], ctx float[B, L, D], mask int64[B, L] -> float[B, T, C]
        return self.predict(x, t, ctx, mask)[0]

    def predict(self, x: torch.Tensor, t: torch.Tensor, ctx: torch.Tensor, mask: torch.Tensor):
        # x float[B, T, C], t float[B], ctx float[B, L, D], mask int64[B, L] ->
        # (v float[B, T, C], the coordinates read float[B, P], or float[B, 0] without a reading)
        weights = mask.to(ctx.dtype).unsqueeze(-1)
        pooled = (ctx * weights).sum(1) / weights.sum(1).clamp(min=1.0)
        cond = self.time(timestep_embedding(t, self.width)) + self.text_pool(pooled)
        keys, values = self.text_keys(ctx), self.text_values(ctx)
        h = torch.einsum("btc,tcw->btw", x, self.inp_weight.float()) + self.inp_bias + self.token_embedding.float()
        coordinates = torch.zeros(x.shape[0], 0, device=x.device)
        read = torch.zeros(x.shape[0], 0, 0, device=x.device)
        if self.reading is not None:
            joined, coordinates, read = self.reading(ctx, keys, values, mask)
            h = h + joined
        everywhere = torch.ones(h.shape[0], h.shape[1], dtype=torch.int64, device=h.device)
        for block in self.blocks:
            h = block(h, cond, keys, values, mask, everywhere)
        v = torch.einsum("btw,twc->btc", self.out_norm(h), self.out_weight.float()) + self.out_bias
        if self.reading is not None:
            v = self.reading.hold(v + self.reading.prior(coordinates, t, v), x, t, coordinates, read, ctx, mask)
        return v, coordinates
