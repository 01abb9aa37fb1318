"""Training the denoiser: v-prediction on the cosine schedule with classifier-free guidance's
empty prompt, an exponential moving average of the weights, checkpoints for resuming.

Budgets are step counts, never minutes: a run takes the same steps (and, for a seed, the same
batches) on every machine, however busy.
"""
import json
import os
import time
from collections import Counter

import numpy as np
import torch

from .networks import PromptMixer, PromptReading, TokenDenoiser
from .schedule import cosine_alphas_cumprod

SCHEDULE_STEPS = 1000    # training timesteps T of the cosine schedule
CAPTION_DROPOUT = 0.1    # share of empty prompts: the unconditional branch of classifier-free guidance
WARMUP = 200             # steps of linear learning-rate warm-up: attention is unstable at full rate from random weights
CHECKPOINT_EVERY = 500   # steps between resumable checkpoints
LOG_EVERY = 50           # steps between progress lines
GRADIENT_CLIP = 1.0      # global gradient norm: keeps early steps from blowing up
HEAD_RATE = 1e-2         # Adam rate of a head on the frozen reading (spread): linear on fixed features, no warm-up
CAPTION_GROUPS = ("colour",)  # field groups a caption names (besides part types): emphasised in the loss


def log(*parts):
    print(time.strftime("%H:%M:%S"), *parts, flush=True)


def make_denoiser(cfg, tokens, channels, context_dim, slots=()):
    """The configuration's denoiser; with reading slots and cfg["tint_reading"] > 0, with a PromptReading,
    which has its own PromptMixer when cfg["read_mixer"] (the mixer's width) > 0."""
    reading = None
    if cfg.get("tint_reading", 0) > 0 and slots:
        alphas = torch.from_numpy(cosine_alphas_cumprod(SCHEDULE_STEPS))
        mixer = None
        if cfg.get("read_mixer", 0) > 0:
            mixer = PromptMixer(context_dim, cfg["read_mixer"], cfg["width"], cfg["heads"])
        reading = PromptReading(tokens, channels, cfg["width"], cfg["heads"], [tuple(s) for s in slots], alphas, mixer)
    return TokenDenoiser(tokens, channels, context_dim, cfg["width"], cfg["depth"], cfg["heads"], reading)


TINT_CHANNELS = 3  # a tinted colour field's first 3 coordinates are the part's tint (structured-latent.md)


def tint_slots(space):
    """[(token, first channel)] of every tinted colour field: its 3 tint coordinates start there."""
    tinted = {f.key for f in space.fields if getattr(f, "tint", False)}
    return [(token, start) for token, _, fields in space.layout().values()
            for key, start, _ in fields if key in tinted]


READINGS = ("tints", "types")  # what a PromptReading may read (config "read")


def reading_slots(space, read):
    """[(token, first channel, count, group)] a PromptReading reads. read: "tints" (every tinted colour
    field's 3 tint coordinates, group "tint") or "types" (those and every part's type one-hot of more
    than one type, group "type")."""
    if read not in READINGS:
        raise ValueError(f"config 'read': expected one of {READINGS}, got {read!r}")
    slots = [(token, first, TINT_CHANNELS, "tint") for token, first in tint_slots(space)]
    if read == "types":
        for part in space.parts:
            token, type_channels, _ = caption_coordinates(space, part.name)
            if len(type_channels) > 1:
                slots.append((token, type_channels[0], len(type_channels), "type"))
    return slots


def group_weights(slots):
    """float32[P]: each coordinate read weighs 1 / the coordinates of its group, so every group's mean
    squared error counts once in the reading's loss (the 51 type coordinates do not outweigh the 27
    tints: with tints alone it is their mean, as before the types)."""
    groups = [group for *_, count, group in slots for _ in range(count)]
    sizes = Counter(groups)
    return np.array([1.0 / sizes[g] for g in groups], np.float32)


def learning_rate(cfg, step):
    """Linear warm-up, then cosine decay to a tenth of the peak at the last step."""
    peak, total = cfg["lr"], cfg["steps"]
    if step < WARMUP:
        return peak * (step + 1) / WARMUP
    progress = (step - WARMUP) / max(1, total - WARMUP)
    return peak * (0.1 + 0.9 * 0.5 * (1 + np.cos(np.pi * min(1.0, progress))))


def caption_coordinates(space, part_name):
    """-> (token, type one-hot indices, colour-field indices): a part's coordinates a caption can name."""
    token, types_start, fields = space.layout()[part_name]
    part = next(p for p in space.parts if p.name == part_name)
    colour = [j for key, start, count in fields if key.rsplit(".", 1)[1] in CAPTION_GROUPS
              for j in range(start, start + count)]
    return token, list(range(types_start, types_start + part.type_count)), colour


def caption_emphasis(space, weight):
    """float32[T, C] loss weights: `weight` on the coordinates a caption can name (every part's type
    one-hot and its colour fields), 1 elsewhere. Unweighted, 2000 steps learn the body's shape and
    the part types that dominate the loss before the few colour directions of a part."""
    out = np.ones((space.tokens, space.channels), np.float32)
    for part in space.parts:
        token, types, colour = caption_coordinates(space, part.name)
        out[token, types + colour] = weight
    return out


def train(cfg, latents, store, work, seed, device, metrics, emphasis=None, slots=()):
    """latents float32[N, T, C] (standardised), store: text_features.FeatureStore whose captions
    point at latent rows, emphasis float32[T, C] per-coordinate loss weights or None (all 1), slots:
    reading_slots(space, ...), read by a PromptReading when cfg["tint_reading"] (the weight of its
    loss) > 0; the loss logged and recorded is then the denoising loss plus that weight times the
    reading's loss (the mean squared error of each group of coordinates read, summed over groups).
    Writes <work>/denoiser.npz (EMA weights) and fills metrics['diffusion']."""
    torch.manual_seed(seed)
    _, tokens, channels = latents.shape
    per_coordinate = torch.from_numpy(group_weights(slots)).to(device)  # float[P]
    slots = [(int(token), int(first), int(count)) for token, first, count, _ in slots]
    model = make_denoiser(cfg, tokens, channels, store.rows.shape[1], slots).to(device)
    ema = make_denoiser(cfg, tokens, channels, store.rows.shape[1], slots).to(device)
    reading = model.reading
    if reading is None:
        slots = []  # nothing reads them: denoiser.json records none
    ema.load_state_dict(model.state_dict())
    opt = torch.optim.AdamW(model.parameters(), lr=cfg["lr"], weight_decay=0.01)
    alphas = torch.from_numpy(cosine_alphas_cumprod(SCHEDULE_STEPS)).float().to(device)
    x_all = torch.from_numpy(latents).to(device)
    weights = torch.from_numpy(np.ones(latents.shape[1:], np.float32) if emphasis is None else emphasis).to(device)
    weights = weights / weights.mean()  # float[T, C]: a weighted mean, so loss values stay comparable
    checkpoint = os.path.join(work, "diffusion-checkpoint.pt")
    step, losses, seconds = 0, [], 0.0
    rng = np.random.default_rng(seed)
    if os.path.exists(checkpoint):
        state = torch.load(checkpoint, map_location=device)
        model.load_state_dict(state["model"])
        ema.load_state_dict(state["ema"])
        opt.load_state_dict(state["optimiser"])
        step, losses, seconds = state["step"], state["losses"], state["seconds"]
        rng.bit_generator.state = state["rng"]
        torch.set_rng_state(state["torch_rng"])
        log(f"diffusion: resumed at step {step}")
    captions = np.arange(len(store.avatar))
    began = time.time() - seconds
    while step < cfg["steps"]:
        for group in opt.param_groups:
            group["lr"] = learning_rate(cfg, step)
        picked = rng.choice(captions, cfg["batch"])
        dropped = rng.random(cfg["batch"]) < CAPTION_DROPOUT
        ctx, mask = store.batch([-1 if d else int(c) for c, d in zip(picked, dropped)], device)
        x0 = x_all[torch.from_numpy(store.avatar[picked]).to(device)]
        timestep = torch.from_numpy(rng.integers(0, SCHEDULE_STEPS, cfg["batch"])).to(device)
        noise = torch.from_numpy(rng.standard_normal(tuple(x0.shape)).astype(np.float32)).to(device)
        ab = alphas[timestep].view(-1, 1, 1)
        xt = ab.sqrt() * x0 + (1 - ab).sqrt() * noise
        v = ab.sqrt() * noise - (1 - ab).sqrt() * x0
        prediction, read = model.predict(xt, timestep.float(), ctx, mask)
        loss = ((prediction - v).square() * weights).mean()
        if reading is not None:  # what was read against the true coordinates, for the captions the batch kept
            kept = torch.from_numpy(~dropped).to(device).float().view(-1, 1)
            error = (read - reading.true_coordinates(x0)).square() * per_coordinate
            loss = loss + cfg["tint_reading"] * (error * kept).sum() / kept.sum().clamp(min=1.0)
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), GRADIENT_CLIP)
        opt.step()
        decay = min(cfg["ema"], (1 + step) / (10 + step))
        with torch.no_grad():
            for pe, p in zip(ema.parameters(), model.parameters()):
                pe.mul_(decay).add_(p, alpha=1 - decay)
        losses.append(float(loss.item()))
        step += 1
        if step % LOG_EVERY == 0:
            log(f"diffusion step {step}/{cfg['steps']}: loss {np.mean(losses[-LOG_EVERY:]):.4f}, "
                f"lr {learning_rate(cfg, step):.2e}")
        if step % CHECKPOINT_EVERY == 0 or step == cfg["steps"]:
            torch.save({"model": model.state_dict(), "ema": ema.state_dict(), "optimiser": opt.state_dict(),
                        "step": step, "losses": losses, "seconds": time.time() - began,
                        "rng": rng.bit_generator.state, "torch_rng": torch.get_rng_state()}, checkpoint + ".tmp")
            os.replace(checkpoint + ".tmp", checkpoint)
    window = min(100, max(1, len(losses) // 4))
    metrics["diffusion"] = {"steps": step, "seconds": round(time.time() - began), "batch": cfg["batch"],
                            "loss_first": round(float(np.mean(losses[:window])), 5),
                            "loss_last": round(float(np.mean(losses[-window:])), 5)}
    state = {k: v.detach().cpu().numpy() for k, v in ema.state_dict().items()}
    np.savez(os.path.join(work, "denoiser.tmp.npz"), **state)
    with open(os.path.join(work, "denoiser.json"), "w") as f:
        json.dump({"tokens": tokens, "channels": channels, "context_dim": int(store.rows.shape[1]),
                   "reading_slots": slots, **cfg}, f)
    os.replace(os.path.join(work, "denoiser.tmp.npz"), os.path.join(work, "denoiser.npz"))


def load_denoiser(work):
    """The trained EMA denoiser from <work>/denoiser.{npz,json}, in eval mode."""
    with open(os.path.join(work, "denoiser.json")) as f:
        info = json.load(f)
    slots = info.get("reading_slots")
    if slots is None:  # written before the reading had types: tints only, as (token, first channel)
        slots = [(token, first, TINT_CHANNELS) for token, first in info.get("tint_slots", [])]
    model = make_denoiser(info, info["tokens"], info["channels"], info["context_dim"], slots)
    with np.load(os.path.join(work, "denoiser.npz")) as archive:
        state = {k: torch.from_numpy(archive[k]) for k in archive.files}
    if "tint_reading.head" in state:  # that layout: head float[n, W, 3], one slot of 3 per tint
        state = {k.replace("tint_reading.", "reading."): v for k, v in state.items()}
        state["reading.head"] = state["reading.head"].permute(0, 2, 1).reshape(-1, state["reading.head"].shape[1])
        state["reading.tokens"] = model.reading.state_dict()["tokens"]
    if "reading.placement" in state:  # written with a one-hot placement float[P, T, C]: the places follow from the slots
        del state["reading.placement"]
        state["reading.places"] = model.reading.state_dict()["places"]
    if model.reading is not None:
        defaults = model.reading.state_dict()
        # written before them: the reading's buffers (schedule shares and the sampling settings export sets) and the
        # spread head, fitted after training
        for name in [n for n, _ in model.reading.named_buffers()] + ["spread_weight", "spread_bias"]:
            state.setdefault("reading." + name, defaults[name])
        spread = os.path.join(work, SPREAD_FILE)
        if os.path.exists(spread):
            with np.load(spread) as archive:
                state["reading.spread_weight"] = torch.from_numpy(archive["weight"])
                state["reading.spread_bias"] = torch.from_numpy(archive["bias"])
    model.load_state_dict(state)
    return model.eval()


SPREAD_FILE = "spread.npz"  # the reading's fitted spread (fit_spread), beside denoiser.npz


def frozen_denoiser(work, device, setting):
    """The trained denoiser, frozen, to fit heads on its reading (fit_spread, draws.fit_chances); setting: the config
    key that needs the reading, named when there is none."""
    model = load_denoiser(work).to(device)
    if model.reading is None:
        raise ValueError(f"config '{setting}': the denoiser has no reading (tint_reading 0) to fit on")
    model.requires_grad_(False)
    return model


def fit_on_reading(model, store, params, loss_of, steps, batch, seed, device, name):
    """Adam on params (heads on the frozen reading) for steps batches of batch training captions; loss_of(read
    float[B, T, W], the captions' latent rows int64[B]) -> the loss. -> fit_steps' metrics."""
    def loss_of_batch(ctx, mask, rows):
        with torch.no_grad():
            read = model.reading.read(ctx, model.text_keys(ctx), model.text_values(ctx), mask)
        return loss_of(read, rows)
    return fit_steps(params, store, loss_of_batch, steps, batch, seed, device, name, lambda step: HEAD_RATE)


def fit_steps(params, store, loss_of_batch, steps, batch, seed, device, name, rate_at):
    """Adam on params for steps batches of batch training captions, at rate_at(step); loss_of_batch(ctx float[B, L, D],
    mask int64[B, L], the captions' latent rows int64[B]) -> the loss. -> its metrics: steps, seconds, the mean loss
    of the first and last quarter (at most 50 steps each)."""
    opt = torch.optim.Adam(params, lr=rate_at(0))
    rng = np.random.default_rng(seed)
    began, losses = time.time(), []
    for step in range(steps):
        for group in opt.param_groups:
            group["lr"] = rate_at(step)
        picked = rng.choice(len(store.avatar), batch)
        ctx, mask = store.batch([int(c) for c in picked], device)
        loss = loss_of_batch(ctx, mask, torch.from_numpy(store.avatar[picked]).to(device))
        opt.zero_grad()
        loss.backward()
        opt.step()
        losses.append(float(loss.item()))
        if (step + 1) % LOG_EVERY == 0:
            log(f"{name} step {step + 1}/{steps}: loss {np.mean(losses[-LOG_EVERY:]):.4f}")
    window = min(50, max(1, len(losses) // 4))
    return {"steps": steps, "seconds": round(time.time() - began),
            "loss_first": round(float(np.mean(losses[:window])), 5),
            "loss_last": round(float(np.mean(losses[-window:])), 5)}


def fit_spread(cfg, latents, store, work, seed, device, metrics):
    """Fits the reading's spread, log s2 per coordinate read, on the trained, frozen denoiser: a linear head on
    each part's reading (held fixed: the spread cannot crowd the reading, as a head trained with it did,
    docs/model-development.md), by the Gaussian likelihood of the true coordinates around what is read,
    cfg["spread_steps"] steps of cfg["batch"] captions. Small where the caption names the coordinate ("a grey t-shirt":
    the grey tops' spread), about 1 where it leaves it open. Writes <work>/spread.npz and fills metrics['spread']."""
    torch.manual_seed(seed)
    model = frozen_denoiser(work, device, "hold")
    reading = model.reading
    spread = [reading.spread_weight, reading.spread_bias]  # zero (s2 = 1) until fitted: the only weights trained
    for p in spread:
        p.requires_grad_(True)
    x_all = torch.from_numpy(latents).to(device)

    def loss_of(read, rows):
        with torch.no_grad():
            error = (reading.true_coordinates(x_all[rows]) - reading.coordinates(read)).square()
        log_s2 = reading.log_spread(read)
        return 0.5 * (log_s2 + error * torch.exp(-log_s2)).mean()

    metrics["spread"] = fit_on_reading(model, store, spread, loss_of, cfg["spread_steps"], cfg["batch"], seed, device,
                                       "spread")
    np.savez(os.path.join(work, "spread.tmp.npz"), weight=reading.spread_weight.detach().cpu().numpy(),
             bias=reading.spread_bias.detach().cpu().numpy())
    os.replace(os.path.join(work, "spread.tmp.npz"), os.path.join(work, SPREAD_FILE))
