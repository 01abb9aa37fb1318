"""Training configurations. 'tiny' trains end to end on a CPU in minutes (a test runs it);
'default' is the shipped package's configuration. Budgets in minutes stop a stage early on slow
machines; the steps actually taken are recorded in the manifest's provenance."""

CONFIGS = {
    "tiny": {
        "holdout": 16, "vocab": 300, "max_length": 48,
        "text": {"dim": 64, "depth": 2, "heads": 4, "steps": 150, "batch": 64, "lr": 2e-3, "minutes": 3},
        "autoencoder": {"latent": 4, "encoder_width": 32, "decoder_width": 32, "depth": 1, "steps": 60, "batch": 4,
                        "lr": 2e-3, "minutes": 3},
        "diffusion": {"width": 64, "depth": 2, "heads": 4, "steps": 150, "batch": 32, "lr": 1e-3, "minutes": 3},
    },
    "default": {
        "holdout": 256, "vocab": 1500, "max_length": 64,
        "text": {"dim": 128, "depth": 3, "heads": 4, "steps": 2500, "batch": 128, "lr": 1e-3, "minutes": 8},
        "autoencoder": {"latent": 8, "encoder_width": 96, "decoder_width": 128, "depth": 2, "steps": 20000,
                        "batch": 8, "lr": 1e-3, "minutes": 35},
        "diffusion": {"width": 128, "depth": 3, "heads": 4, "steps": 20000, "batch": 48, "lr": 1e-3, "minutes": 35},
    },
}

SCHEDULE_STEPS = 1000   # training timesteps T of the cosine schedule
CAPTION_DROPOUT = 0.12  # share of empty prompts in diffusion training: the unconditional branch of CFG
LATENT_NOISE = 0.1      # noise added to the latent while training the autoencoder: a smooth latent diffuses well
LATENT_PENALTY = 1e-4   # L2 pull on the latent so the noise above cannot be outgrown
ALPHA_FLOOR = 0.02      # decoded alphas below this are set to 0: no haze of near-invisible Gaussians
