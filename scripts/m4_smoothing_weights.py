#!/usr/bin/env python3
"""How much exponential smoothing should the forecast hold? An offline check on two passes of the M4 protocol.

The program's forecast is (1 - w) x the network's + w x exponential smoothing's (`--smoothing W`). The network's forecast
does not depend on w, nor does the smoothing's, so two passes of scripts/m4_protocol.py give every w: one with
`--program-args "--smoothing 0"` (the network alone) and one with `--program-args "--smoothing 1"` (smoothing alone), each
with its own --program-cache. This script scores, on the series of data/corpus/manifest.csv not tuned on, each fixed w
and each rule "w1 where the series' frequency has a season the smoothing models (quarterly, monthly, daily), w0 where it
has none (yearly; weekly, whose 52 is beyond the 24 it models)", like scripts/m4_protocol.py: per series the mean MASE
over its origins; the mean and median over the series, how many beat naive, how many are at or below the best of R's
auto.arima, ets and thetaf (data/corpus/m4_r_forecasts.csv).

  /usr/bin/python3 scripts/m4_smoothing_weights.py --network /tmp/w0.csv --smoothing /tmp/w1.csv

Needs numpy and pandas (Debian 12: python3-pandas). Reads only; writes nothing.
"""
import argparse
import csv
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import m4_protocol as mp  # noqa: E402

SEASONAL = {"quarterly", "monthly", "daily"}


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--network", required=True, help="the program cache of a pass with --smoothing 0")
    p.add_argument("--smoothing", required=True, help="the program cache of a pass with --smoothing 1")
    a = p.parse_args()
    with open(os.path.join(mp.CORPUS, "manifest.csv"), newline="") as f:
        manifest = list(csv.DictReader(f))
    cuts, _ = mp.load_cuts(manifest, None)
    network, smoothing = mp.read_cache(a.network), mp.read_cache(a.smoothing)
    r = mp.read_cache(os.path.join(mp.CORPUS, "m4_r_forecasts.csv"))
    rules = [(w, w) for w in (0, 0.25, 0.4, 0.5, 0.6, 0.75, 1)] + [(w0, w1) for w0 in (0.25, 0.4, 0.5) for w1 in (0.5, 0.6, 0.75) if w1 > w0]
    per = {}
    for cut in cuts:
        key = (cut["key"], "program")
        if cut["row"]["tuned_on"] == "yes" or key not in network or key not in smoothing:
            continue
        n, e = network[key][0], smoothing[key][0]
        seasonal = cut["row"]["frequency"] in SEASONAL
        fc = {rule: (1 - (rule[1] if seasonal else rule[0])) * n + (rule[1] if seasonal else rule[0]) * e for rule in rules}
        for method in ("naive", "auto.arima", "ets", "thetaf"):
            fc[method] = r[(cut["key"], method)][0]
        none = np.full(cut["h"], np.nan)
        for method, forecast in fc.items():
            per.setdefault(cut["name"], {}).setdefault(method, []).append(mp.scores(cut, forecast, none, none)[0])
    scores = {name: {m: float(np.mean(v)) for m, v in d.items()} for name, d in per.items()}
    print(f"{len(scores)} series not tuned on")
    print("| smoothing's share: no season / a season | mean MASE | median | beats naive | ≤ best of auto.arima/ets/thetaf |")
    print("|---|---:|---:|---:|---:|")
    for rule in rules:
        values = [s[rule] for s in scores.values()]
        naive = sum(s[rule] < s["naive"] for s in scores.values())
        best = sum(s[rule] <= min(s["auto.arima"], s["ets"], s["thetaf"]) for s in scores.values())
        label = f"{rule[0]:g}" if rule[0] == rule[1] else f"{rule[0]:g} / {rule[1]:g}"
        print(f"| {label} | {np.mean(values):.3f} | {np.median(values):.3f} | {naive}/{len(scores)} | {best}/{len(scores)} |")


if __name__ == "__main__":
    main()
