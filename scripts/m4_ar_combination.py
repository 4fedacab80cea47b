#!/usr/bin/env python3
"""Would combining the network with an autoregression pay? An offline check on the M4 protocol's caches.

For each cut of data/corpus/manifest.csv that the program's cache (data/corpus/m4_program_forecasts.csv) and R's
(data/corpus/m4_r_forecasts.csv) hold, an AR by AIC is fitted with statsmodels (`ar_select_order`, trend "c", the
program's AR baseline's max lag: max(10·log10 n, season + 1)) either on the whole training part of the cut or on
its first 80% (what a model trained once on the training part would carry), and forecast recursively. The
combination w·program + (1 − w)·AR is scored like every method of scripts/m4_protocol.py: per series the mean
MASE over its origins; over the series not tuned on, the mean, the median, how many beat naive, and how many are
at or below the best of auto.arima, ets and thetaf.

AR is the classical forecaster a one-step, window-sized graph could carry (a fixed linear map of the last p
values); the combination would be built only if this says it pays. As a bound on what any combination with
classical forecasts could give, the mean of the program's forecast and R's own ets (and auto.arima) forecasts on
the same cuts is scored too: forecasters the exported graph could not carry, but the best of their kind.

  /usr/bin/python3 scripts/m4_ar_combination.py

Needs numpy, pandas and statsmodels (Debian 12: python3-statsmodels). Reads only; writes nothing.
"""
import csv
import math
import os
import sys
import warnings

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import m4_protocol as mp  # noqa: E402
from statsmodels.tsa.ar_model import AutoReg, ar_select_order  # noqa: E402

# The program's season by frequency (its AR baseline's lags reach one past it).
SEASON = {"yearly": None, "quarterly": 4, "monthly": 12, "weekly": 52, "daily": 7}
WEIGHTS = (0.3, 0.5, 0.7)


def ar_forecast(y, h, season, fraction):
    fit_y = y[: int(round(len(y) * fraction))]
    max_lag = min(max(int(10 * math.log10(len(fit_y))), (season or 0) + 1), (len(fit_y) - 2) // 2)
    lags = ar_select_order(fit_y, max_lag, ic="aic", trend="c").ar_lags or []
    p = max(lags) if lags else 0
    if p == 0:
        return np.full(h, float(np.mean(fit_y)))
    params = AutoReg(fit_y, lags=p, trend="c").fit().params
    history, out = list(y[-p:]), []
    for _ in range(h):
        value = params[0] + sum(params[1 + i] * history[-1 - i] for i in range(p))
        out.append(value)
        history.append(value)
    return np.array(out)


def main():
    warnings.filterwarnings("ignore")
    with open(os.path.join(mp.CORPUS, "manifest.csv"), newline="") as f:
        manifest = list(csv.DictReader(f))
    cuts, _ = mp.load_cuts(manifest, None)
    program = mp.read_cache(os.path.join(mp.CORPUS, "m4_program_forecasts.csv"))
    r = mp.read_cache(os.path.join(mp.CORPUS, "m4_r_forecasts.csv"))
    per = {}
    for cut in cuts:
        if cut["row"]["tuned_on"] == "yes" or (cut["key"], "program") not in program:
            continue
        fc = {"program": program[(cut["key"], "program")][0]}
        for method in ("naive", "auto.arima", "ets", "thetaf"):
            fc[method] = r[(cut["key"], method)][0]
        season = SEASON[cut["row"]["frequency"]]
        for label, fraction in (("whole training part", 1.0), ("first 80%", 0.8)):
            ar = ar_forecast(cut["history"], cut["h"], season, fraction)
            fc[f"AR ({label})"] = ar
            for w in WEIGHTS:
                fc[f"{w} program + {1 - w:.1f} AR ({label})"] = w * fc["program"] + (1 - w) * ar
        fc["mean of program and R's ets"] = (fc["program"] + fc["ets"]) / 2
        fc["mean of program, R's ets and auto.arima"] = (fc["program"] + fc["ets"] + fc["auto.arima"]) / 3
        none = np.full(cut["h"], np.nan)
        for method, forecast in fc.items():
            per.setdefault(cut["name"], {}).setdefault(method, []).append(mp.scores(cut, forecast, none, none)[0])
    scores = {name: {m: float(np.mean(v)) for m, v in d.items()} for name, d in per.items()}
    print(f"{len(scores)} series not tuned on")
    print("| method | mean MASE | median | beats naive | ≤ best of auto.arima/ets/thetaf |")
    print("|---|---:|---:|---:|---:|")
    for method in next(iter(scores.values())):
        values = [s[method] for s in scores.values()]
        naive = sum(s[method] < s["naive"] for s in scores.values())
        best = sum(s[method] <= min(s["auto.arima"], s["ets"], s["thetaf"]) for s in scores.values())
        print(f"| {method} | {np.mean(values):.3f} | {np.median(values):.3f} | {naive}/{len(scores)} | {best}/{len(scores)} |")


if __name__ == "__main__":
    main()
