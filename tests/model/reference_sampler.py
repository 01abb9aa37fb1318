#!/usr/bin/python3
"""Independent reference values for the C++ noise schedules and samplers (tests/model/sampler_test.cpp).

Plain numpy in float64, written from the papers rather than from the C++ code:
  DDIM (Song et al. 2021, eq. 12 with sigma = 0) and DPM-Solver++(2M) (Lu et al. 2022, algorithm 2,
  data prediction, multistep second order; first order on the first step; the final step to
  alpha-bar = 1 returns the data prediction).
The "model" is an analytic function of (x, t) that both sides evaluate:
  out[k] = 0.3 * x[k] * cos(t / 137) + 0.1 * sin(0.01 * t + 0.5 * k)
Run:  /usr/bin/python3 tests/model/reference_sampler.py > tests/model/sampler_reference.json
"""
import json
import math

import numpy as np

T = 1000  # training steps of every schedule here


def betas(kind):
    if kind == "linear":
        return np.linspace(1e-4, 0.02, T)
    if kind == "scaled_linear":
        return np.linspace(math.sqrt(0.00085), math.sqrt(0.012), T) ** 2
    f = lambda t: math.cos((t + 0.008) / 1.008 * math.pi / 2) ** 2
    return np.array([min(1 - f((i + 1) / T) / f(i / T), 0.999) for i in range(T)])


def timesteps(steps, spacing):
    if spacing == "leading":
        return list((np.arange(steps) * (T // steps))[::-1])
    return list((np.round(np.arange(T, 0, -T / steps)) - 1).astype(int))


def model(x, t):
    k = np.arange(len(x))
    return 0.3 * x * math.cos(t / 137.0) + 0.1 * np.sin(0.01 * t + 0.5 * k)


def to_x0(prediction, out, x, ab):
    a, s = math.sqrt(ab), math.sqrt(1 - ab)
    if prediction == "eps":
        return (x - s * out) / a
    if prediction == "v":
        return a * x - s * out
    return out


def sample(sampler, prediction, schedule, spacing, steps):
    ab = np.cumprod(1 - betas(schedule))
    ts = timesteps(steps, spacing)
    x = 1.2 * np.sin(1.7 * np.arange(6) + 0.3)
    lam = lambda a: 0.5 * math.log(a / (1 - a))  # log(alpha / sigma) from alpha-bar
    prev_x0, prev_lam = None, None
    for i, t in enumerate(ts):
        x0 = to_x0(prediction, model(x, t), x, ab[t])
        if i + 1 == len(ts):
            x = x0  # alpha-bar 1: both samplers land on the data prediction
            break
        ab_next = ab[ts[i + 1]]
        if sampler == "ddim":
            eps = (x - math.sqrt(ab[t]) * x0) / math.sqrt(1 - ab[t])
            x = math.sqrt(ab_next) * x0 + math.sqrt(1 - ab_next) * eps
        else:
            h = lam(ab_next) - lam(ab[t])
            d = x0 if prev_x0 is None else x0 + (x0 - prev_x0) * (h / (lam(ab[t]) - prev_lam)) / 2  # D0 + D1/2
            x = math.sqrt((1 - ab_next) / (1 - ab[t])) * x - math.sqrt(ab_next) * (math.exp(-h) - 1) * d
            prev_x0, prev_lam = x0, lam(ab[t])
    return list(x)


def main():
    out = {"num_train_steps": T, "schedules": {}, "timesteps": {}, "samples": []}
    for kind in ["linear", "scaled_linear", "cosine"]:
        ab = np.cumprod(1 - betas(kind))
        out["schedules"][kind] = {str(i): ab[i] for i in [0, 1, 10, 250, 500, 998, 999]}
    for spacing in ["leading", "trailing"]:
        for steps in [1, 7, 10, 50]:
            out["timesteps"][f"{spacing}/{steps}"] = [int(t) for t in timesteps(steps, spacing)]
    for sampler in ["ddim", "dpm++2m"]:
        for prediction in ["eps", "v", "x0"]:
            for schedule, spacing, steps in [("scaled_linear", "trailing", 10), ("cosine", "leading", 7), ("linear", "trailing", 25)]:
                out["samples"].append({"sampler": sampler, "prediction": prediction, "schedule": schedule,
                                       "spacing": spacing, "steps": steps,
                                       "x0": sample(sampler, prediction, schedule, spacing, steps)})
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
