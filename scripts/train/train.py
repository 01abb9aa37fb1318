#!/usr/bin/python3
"""Trains a model package's networks on a teacher dataset (docs/training.md).

    build/tera-synth generate --pack assets.pack --count 4096 --seed 20261121 --out data/
    /usr/bin/python3 scripts/train/train.py --data data/ --work work/ --config default
    /usr/bin/python3 scripts/train/export.py --work work/ --out models/default

Stages, in order (each writes its results into --work and is skipped when they exist, so an
interrupted run resumes): tokenizer, text (encoder with attribute heads), autoencoder (the
distilled decoder), latents (the training set encoded), diffusion. Runs on torch 1.13 (CPU) and
2.x (CUDA); weights are saved as numpy archives, which both read.
"""
import argparse
import json
import os
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from avatar_train import checkpoints, text  # noqa: E402
from avatar_train.attributes import CLASSES, label_indices  # noqa: E402
from avatar_train.config import (CAPTION_DROPOUT, CONFIGS, LATENT_NOISE, LATENT_PENALTY,  # noqa: E402
                                 SCHEDULE_STEPS)
from avatar_train.dataset import TeacherDataset  # noqa: E402
from avatar_train.maps import OPACITY, MapCodec, scatter  # noqa: E402
from avatar_train.networks import Denoiser, MapDecoderCore, MapEncoder, TextEncoder  # noqa: E402
from avatar_train.schedule import cosine_alphas_cumprod  # noqa: E402
from avatar_train.wordnet import load_synonyms  # noqa: E402

ATTRIBUTE_WEIGHT = 0.5  # attribute-head loss beside the diffusion loss in joint fine-tuning
CHANNEL_WEIGHT = {"offset": 1.0, "colour": 2.0, "log_scale": 0.5}  # colour and position are what a viewer sees
LOG_EVERY = 50  # steps between progress lines
DEVICE = torch.device("cpu")  # set from --device in main(); every module and batch goes here


def log(*parts):
    print(time.strftime("%H:%M:%S"), *parts, flush=True)


class LossTrack:
    """Mean loss of the first and the last WINDOW steps: the record that a stage learned."""
    WINDOW = 20  # steps averaged: smooths batch-to-batch noise

    def __init__(self):
        self.values = []

    def add(self, loss):
        self.values.append(float(loss))

    def summary(self):
        w = min(self.WINDOW, max(1, len(self.values) // 2))
        return {"loss_first": round(float(np.mean(self.values[:w])), 5),
                "loss_last": round(float(np.mean(self.values[-w:])), 5)}


def optimise(opt, params, loss, track):
    """One optimiser step with gradient clipping (norm 1: the losses' scales differ by stage)."""
    opt.zero_grad()
    loss.backward()
    torch.nn.utils.clip_grad_norm_(params, 1.0)
    opt.step()
    track.add(loss.item())


class Budget:
    """Stops a loop after a number of steps or minutes, whichever comes first."""

    def __init__(self, steps, minutes):
        self.steps, self.deadline, self.start = steps, time.time() + 60 * minutes, time.time()

    def running(self, step):
        return step < self.steps and time.time() < self.deadline

    def elapsed(self):
        return time.time() - self.start


# ------------------------------------------------------------------------------------------------
def caption_augmenter(ds, ids, seed):
    """(the captions of avatars ids, an Augmenter whose synonyms cover their words)."""
    captions = [c for i in ids for c in ds.record(i)["captions"]]
    return captions, text.Augmenter(load_synonyms(text.words_of(captions)), seed)


def stage_tokenizer(ds, train_ids, cfg, work, seed):
    captions, augment = caption_augmenter(ds, train_ids, seed)
    corpus = captions + [augment(c) for c in captions] + text.FILLERS
    model = text.train_tokenizer(corpus, cfg["vocab"])
    with open(os.path.join(work, "tokenizer.model"), "wb") as f:
        f.write(model)
    log(f"tokenizer: {text.Tokens(model, cfg['max_length']).vocab_size} pieces from {len(corpus)} sentences")


def caption_batch(ds, ids, rng, augment, dropout=0.0):
    prompts = []
    for i in ids:
        caption = rng.choice(ds.record(i)["captions"])
        prompts.append("" if rng.random() < dropout else augment(caption))
    return prompts


def stage_text(ds, train_ids, cfg, work, seed, metrics):
    c = cfg["text"]
    tokens = text.Tokens(open(os.path.join(work, "tokenizer.model"), "rb").read(), cfg["max_length"])
    _, augment = caption_augmenter(ds, train_ids, seed)
    encoder = TextEncoder(tokens.vocab_size, cfg["max_length"], c["dim"], c["depth"], c["heads"])
    heads = torch.nn.ModuleList([torch.nn.Linear(c["dim"], len(v)) for v in CLASSES.values()])
    encoder.to(DEVICE)
    heads.to(DEVICE)
    labels = {i: label_indices(ds.record(i)["attributes"]) for i in train_ids}
    params = list(encoder.parameters()) + list(heads.parameters())
    opt = torch.optim.AdamW(params, lr=c["lr"], weight_decay=0.01)
    rng = np.random.default_rng(seed)
    budget, step, accuracy, track = Budget(c["steps"], c["minutes"]), 0, None, LossTrack()
    while budget.running(step):
        ids = rng.choice(train_ids, c["batch"])
        prompts = caption_batch(ds, ids, rng, augment, dropout=0.05)
        tok, mask = (torch.from_numpy(a).to(DEVICE) for a in tokens.encode(prompts))
        _, pooled = encoder(tok, mask)
        target = torch.tensor([labels[i] for i in ids], device=DEVICE)
        logits = [head(pooled) for head in heads]
        loss = sum(F.cross_entropy(l, target[:, k]) for k, l in enumerate(logits)) / len(logits)
        optimise(opt, params, loss, track)
        step += 1
        if step % LOG_EVERY == 0:
            accuracy = [float((l.argmax(1) == target[:, k]).float().mean()) for k, l in enumerate(logits)]
            log(f"text step {step}: loss {loss.item():.3f}, mean head accuracy {np.mean(accuracy):.3f}")
    checkpoints.save(os.path.join(work, "text"), encoder, {"vocab": tokens.vocab_size, "steps": step})
    checkpoints.save(os.path.join(work, "heads"), heads, {})
    metrics["text_encoder"] = {"steps": step, "seconds": round(budget.elapsed()), **track.summary()}


# ------------------------------------------------------------------------------------------------
def map_batch(ds, codec, ids):
    """-> (x float[B, P, R, R] normalised maps, alpha float[B, layers, R, R], valid float[1, 1, R, R])."""
    xs, alphas = [], []
    for i in ids:
        x, alpha = codec.encode_texels(ds.maps(i))
        xs.append(scatter(x, ds.template))
        alphas.append(scatter(alpha.T, ds.template))
    valid = torch.from_numpy(ds.template.valid_mask())[None, None]
    return (torch.from_numpy(np.stack(xs)).to(DEVICE), torch.from_numpy(np.stack(alphas)).to(DEVICE),
            valid.to(DEVICE))


def reconstruction_loss(codec, out, x, alpha, valid):
    """Visible-weighted L1 on offsets, colours and scales plus BCE on alpha, over valid texels.

    Vectorised over channels (per-channel slices would each allocate a full-size gradient)."""
    layer_of = torch.tensor([layer for layer, _ in codec.net_channels], device=DEVICE)
    kinds = ["alpha" if c == OPACITY else "offset" if c < 3 else "colour" if c < 6 else "log_scale"
             for _, c in codec.net_channels]
    weight = torch.tensor([0.0 if k == "alpha" else CHANNEL_WEIGHT[k] for k in kinds], device=DEVICE).view(1, -1, 1, 1)
    visible = alpha.index_select(1, layer_of) * weight * valid
    norm = valid.sum() * out.shape[0]
    l1 = ((out - x).abs() * visible).sum() / norm
    alpha_net = torch.tensor(codec.alpha_net, device=DEVICE)
    bce = F.binary_cross_entropy_with_logits(out.index_select(1, alpha_net), alpha, reduction="none")
    return l1 + (bce * valid).sum() / norm


def stage_autoencoder(ds, train_ids, cfg, work, seed, metrics):
    c = cfg["autoencoder"]
    sample = np.stack([ds.maps(i) for i in train_ids[:256]])
    codec = MapCodec.fit(sample)
    p = codec.net_channel_count
    encoder = MapEncoder(p, c["latent"], c["encoder_width"])
    core = MapDecoderCore(p, c["latent"], c["decoder_width"], c["depth"], ds.template.resolution)
    encoder.to(DEVICE)
    core.to(DEVICE)
    with torch.no_grad():  # start the base map at the mean map: the network learns only differences
        x, alpha, valid = map_batch(ds, codec, train_ids[:64])
        core.base.copy_(x.mean(0, keepdim=True))
        for i, (layer, channel) in enumerate(codec.net_channels):
            if channel == OPACITY:
                a = alpha[:, layer].mean(0).clamp(0.02, 0.98)
                core.base[0, i] = torch.log(a / (1 - a))
    params = list(encoder.parameters()) + list(core.parameters())
    opt = torch.optim.Adam(params, lr=c["lr"])
    rng = np.random.default_rng(seed)
    budget, step, track = Budget(c["steps"], c["minutes"]), 0, LossTrack()
    while budget.running(step):
        x, alpha, valid = map_batch(ds, codec, rng.choice(train_ids, c["batch"]))
        z = encoder(x)
        out = core(z + LATENT_NOISE * torch.randn_like(z))
        loss = reconstruction_loss(codec, out, x, alpha, valid) + LATENT_PENALTY * z.pow(2).mean()
        optimise(opt, params, loss, track)
        step += 1
        if step % LOG_EVERY == 0:
            log(f"autoencoder step {step}: loss {loss.item():.4f}, latent std {z.std().item():.3f}")
    with open(os.path.join(work, "codec.json"), "w") as f:
        json.dump(codec.to_dict(), f)
    checkpoints.save(os.path.join(work, "encoder"), encoder, {})
    checkpoints.save(os.path.join(work, "decoder"), core, {"steps": step})
    metrics["autoencoder"] = {"steps": step, "seconds": round(budget.elapsed()), **track.summary()}


def stage_latents(ds, train_ids, cfg, work):
    c = cfg["autoencoder"]
    codec = MapCodec.from_dict(json.load(open(os.path.join(work, "codec.json"))))
    encoder = MapEncoder(codec.net_channel_count, c["latent"], c["encoder_width"])
    checkpoints.load(os.path.join(work, "encoder"), encoder)
    encoder.to(DEVICE)
    latents = []
    with torch.no_grad():
        for start in range(0, len(train_ids), 16):
            x, _, _ = map_batch(ds, codec, train_ids[start:start + 16])
            latents.append(encoder(x).cpu().numpy())
    latents = np.concatenate(latents)
    mean, std = latents.mean((0, 2, 3)), latents.std((0, 2, 3))
    np.save(os.path.join(work, "latents.npy"), ((latents - mean[None, :, None, None]) / std[None, :, None, None]).astype(np.float32))
    with open(os.path.join(work, "latent_stats.json"), "w") as f:
        json.dump({"mean": mean.tolist(), "std": std.tolist(), "ids": [int(i) for i in train_ids]}, f)
    log(f"latents: {latents.shape}, channel std {np.round(std, 3).tolist()}")


# ------------------------------------------------------------------------------------------------
def stage_diffusion(ds, train_ids, cfg, work, seed, metrics, joint_minutes=0.0):
    """Trains the denoiser on the frozen text encoder; with joint_minutes > 0, instead continues a
    trained denoiser for that long together with the text encoder, whose attribute heads keep
    their loss (ATTRIBUTE_WEIGHT) so its features stay separated by attribute."""
    c, t = cfg["diffusion"], cfg["text"]
    joint = joint_minutes > 0
    tokens = text.Tokens(open(os.path.join(work, "tokenizer.model"), "rb").read(), cfg["max_length"])
    encoder = TextEncoder(tokens.vocab_size, cfg["max_length"], t["dim"], t["depth"], t["heads"])
    checkpoints.load(os.path.join(work, "text"), encoder)
    encoder.to(DEVICE).train(joint)
    if joint:  # the attribute heads of the text stage keep shaping the features
        heads = torch.nn.ModuleList([torch.nn.Linear(t["dim"], len(v)) for v in CLASSES.values()]).to(DEVICE)
        if os.path.exists(os.path.join(work, "heads.npz")):
            checkpoints.load(os.path.join(work, "heads"), heads)
    latents = torch.from_numpy(np.load(os.path.join(work, "latents.npy"))).to(DEVICE)
    ids = json.load(open(os.path.join(work, "latent_stats.json")))["ids"]
    _, augment = caption_augmenter(ds, ids, seed + 1)
    denoiser = Denoiser(latents.shape[1], t["dim"], c["width"], c["depth"], c["heads"])
    ema = Denoiser(latents.shape[1], t["dim"], c["width"], c["depth"], c["heads"])
    if joint:
        checkpoints.load(os.path.join(work, "denoiser"), denoiser)
    ema.load_state_dict(denoiser.state_dict())
    denoiser.to(DEVICE)
    ema.to(DEVICE)
    alphas = torch.from_numpy(cosine_alphas_cumprod(SCHEDULE_STEPS)).float().to(DEVICE)
    params = list(denoiser.parameters()) + (list(encoder.parameters()) + list(heads.parameters()) if joint else [])
    opt = torch.optim.AdamW(params, lr=c["lr"] * (0.5 if joint else 1.0), weight_decay=0.01)
    rng = np.random.default_rng(seed + (1000 if joint else 0))
    labels = {i: label_indices(ds.record(i)["attributes"]) for i in ids} if joint else {}
    budget = Budget(c["steps"], joint_minutes if joint else c["minutes"])
    step, track = 0, LossTrack()
    ema_decay = 0.998 if c["steps"] > 2000 else 0.99  # average over roughly the last 500 (100) steps
    while budget.running(step):
        rows = rng.choice(len(ids), c["batch"])
        prompts = caption_batch(ds, [ids[r] for r in rows], rng, augment, dropout=CAPTION_DROPOUT)
        tok, mask = (torch.from_numpy(a).to(DEVICE) for a in tokens.encode(prompts))
        with torch.set_grad_enabled(joint):
            ctx, pooled = encoder(tok, mask)
        x0 = latents[torch.from_numpy(rows).to(DEVICE)]
        timestep = torch.from_numpy(rng.integers(0, SCHEDULE_STEPS, c["batch"])).to(DEVICE)
        noise = torch.from_numpy(rng.standard_normal(tuple(x0.shape)).astype(np.float32)).to(DEVICE)
        ab = alphas[timestep].view(-1, 1, 1, 1)
        xt = ab.sqrt() * x0 + (1 - ab).sqrt() * noise
        v = ab.sqrt() * noise - (1 - ab).sqrt() * x0
        loss = F.mse_loss(denoiser(xt, timestep.float(), ctx, mask), v)
        if joint:
            target = torch.tensor([labels[ids[r]] for r in rows], device=DEVICE)
            spoken = torch.tensor([p != "" for p in prompts], device=DEVICE)
            ce = sum(F.cross_entropy(head(pooled)[spoken], target[spoken, k]) for k, head in enumerate(heads))
            loss = loss + ATTRIBUTE_WEIGHT * ce / len(heads)
        optimise(opt, params, loss, track)
        step += 1
        decay = min(ema_decay, (1 + step) / (10 + step))
        with torch.no_grad():
            for pe, p in zip(ema.parameters(), denoiser.parameters()):
                pe.mul_(decay).add_(p, alpha=1 - decay)
        if step % LOG_EVERY == 0:
            log(f"diffusion step {step}: loss {loss.item():.4f}")
    if joint:
        checkpoints.save(os.path.join(work, "text"), encoder, {"vocab": tokens.vocab_size, "joint_steps": step})
        checkpoints.save(os.path.join(work, "heads"), heads, {})
        checkpoints.save(os.path.join(work, "denoiser"), ema, {"steps": step})
        metrics["joint"] = {"steps": step, "seconds": round(budget.elapsed()), "ema_decay": ema_decay,
                            **track.summary()}
        return
    checkpoints.save(os.path.join(work, "denoiser"), ema, {"steps": step})
    metrics["diffusion"] = {"steps": step, "seconds": round(budget.elapsed()), "ema_decay": ema_decay,
                            **track.summary()}


def hardware(device):
    """A one-line description of what trained the networks, for the manifest's provenance."""
    if device.type == "cuda":
        return f"CUDA: {torch.cuda.get_device_name(device)}"
    return f"CPU: {os.cpu_count()} logical cores, {torch.get_num_threads()} torch threads"


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", required=True, help="teacher dataset folder (tera-synth generate --out)")
    parser.add_argument("--work", required=True, help="folder for checkpoints; reruns resume from it")
    parser.add_argument("--config", default="default", choices=sorted(CONFIGS))
    parser.add_argument("--limit", type=int, help="use only the first N avatars of the dataset")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--threads", type=int, default=0, help="CPU threads (0 = torch's default)")
    parser.add_argument("--minutes-scale", type=float, default=1.0, help="multiplies every stage's time budget")
    parser.add_argument("--device", default="cpu", help="cpu or cuda (weights are saved for either)")
    parser.add_argument("--joint-minutes", type=float, default=0.0,
                        help="after the stages, fine-tune the text encoder and the denoiser together this long")
    args = parser.parse_args()
    if args.threads:
        torch.set_num_threads(args.threads)
    global DEVICE
    DEVICE = torch.device(args.device)
    torch.manual_seed(args.seed)
    cfg = json.loads(json.dumps(CONFIGS[args.config]))
    for stage in ("text", "autoencoder", "diffusion"):
        cfg[stage]["minutes"] *= args.minutes_scale
    os.makedirs(args.work, exist_ok=True)
    ds = TeacherDataset(args.data, args.limit)
    holdout = cfg["holdout"]
    if len(ds) <= holdout:
        sys.exit(f"{args.data}: {len(ds)} avatars; the '{args.config}' configuration holds out {holdout}")
    train_ids = list(range(len(ds) - holdout))
    metrics_path = os.path.join(args.work, "metrics.json")
    metrics = json.load(open(metrics_path)) if os.path.exists(metrics_path) else {}
    metrics.update({"config": args.config, "dataset": {"folder": os.path.abspath(args.data), "seed": ds.manifest["seed"],
                    "avatars": len(ds), "training": len(train_ids), "held_out": holdout},
                    "torch": torch.__version__, "threads": torch.get_num_threads(), "hardware": hardware(DEVICE)})
    stages = [("tokenizer.model", lambda: stage_tokenizer(ds, train_ids, cfg, args.work, args.seed)),
              ("text.npz", lambda: stage_text(ds, train_ids, cfg, args.work, args.seed, metrics)),
              ("decoder.npz", lambda: stage_autoencoder(ds, train_ids, cfg, args.work, args.seed, metrics)),
              ("latents.npy", lambda: stage_latents(ds, train_ids, cfg, args.work)),
              ("denoiser.npz", lambda: stage_diffusion(ds, train_ids, cfg, args.work, args.seed, metrics))]
    for output, run in stages:
        if os.path.exists(os.path.join(args.work, output)):
            log(f"{output} exists: stage skipped")
            continue
        log(f"stage producing {output}")
        run()
        with open(metrics_path + ".tmp", "w") as f:
            json.dump({"config_values": cfg, **metrics}, f, indent=2)
        os.replace(metrics_path + ".tmp", metrics_path)
    if args.joint_minutes > 0:
        log(f"joint fine-tuning of the text encoder and the denoiser for {args.joint_minutes} minutes")
        stage_diffusion(ds, train_ids, cfg, args.work, args.seed, metrics, args.joint_minutes)
        with open(metrics_path + ".tmp", "w") as f:
            json.dump({"config_values": cfg, **metrics}, f, indent=2)
        os.replace(metrics_path + ".tmp", metrics_path)
    log("done")


if __name__ == "__main__":
    main()
