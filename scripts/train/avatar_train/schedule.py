"""The noise schedule, computed as the runtime computes it (src/diffusion/schedule.cpp)."""
import math

import numpy as np

COSINE_OFFSET = 0.008  # Nichol & Dhariwal's s, as in the runtime
MAX_BETA = 0.999       # their cap on the last betas, as in the runtime


def cosine_alphas_cumprod(steps):
    """float64[T] alpha-bar of the 'cosine' schedule type."""
    def alpha_bar(t):
        return math.cos((t + COSINE_OFFSET) / (1 + COSINE_OFFSET) * math.pi / 2) ** 2
    betas = np.array([min(1 - alpha_bar((i + 1) / steps) / alpha_bar(i / steps), MAX_BETA) for i in range(steps)])
    return np.cumprod(1.0 - betas)
