#!/usr/bin/env python3
"""How much exponential smoothing should the forecast hold? An offline check on two passes of the M4 protocol.

The program's forecast is (1 - w) x the network's + w x exponential smoothing's (`--smoothing W`). The network's forecast
does not depend on w, nor does the smoothing's, so two passes of scripts/m4_protocol.py give every w: one with
`--program-args "--smoothing 0"` (the network alone) and one with `--program-args "--smoothing 1"` (smoothing alone), each
with its own --program-cache. This script scores, on the series of data/corpus/manifest.csv not tuned on and on all of
them, each fixed w and each rule "w0 where the series has no season (yearly), w1 where it has one the smoothing cannot
model (weekly: 52 is beyond the 24 it models), w2 where it models it (quarterly, monthly, daily)", like
scripts/m4_protocol.py: per series the mean MASE over its origins; the mean and median over the series, how many beat
naive, how many are at or below the best of R's auto.arima, ets and thetaf (data/corpus/m4_r_forecasts.csv).

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

KIND = {"yearly": 0, "weekly": 1, "quarterly": 2, "monthly": 2, "daily": 2}


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
    rules = [(w, w, w) for w in (0, 0.25, 0.4, 0.5, 0.6, 0.75, 1)]
    rules += [(w0, w1, w2) for w0 in (0.25, 0.4, 0.5) for w1 in (0, 0.25, 0.5) for w2 in (0.5, 0.75, 0.8, 0.85, 0.9, 0.95, 1)
              if w1 <= w0 < w2]
    per, kinds = {}, {}
    for cut in cuts:
        key = (cut["key"], "program")
        if key not in network or key not in smoothing:
            continue
        n, e = network[key][0], smoothing[key][0]
        kind = KIND[cut["row"]["frequency"]]
        kinds[cut["name"]] = kind
        fc = {rule: (1 - rule[kind]) * n + rule[kind] * e for rule in rules}
        for method in ("naive", "auto.arima", "ets", "thetaf"):
            fc[method] = r[(cut["key"], method)][0]
        none = np.full(cut["h"], np.nan)
        for method, forecast in fc.items():
            per.setdefault((cut["name"], cut["row"]["tuned_on"]), {}).setdefault(method, []).append(mp.scores(cut, forecast, none, none)[0])
    scores = {name: {m: float(np.mean(v)) for m, v in d.items()} for name, d in per.items()}
    for group, keep in (("not tuned on", lambda s: s[1] == "no"), ("all", lambda s: True)):
        chosen = {s: d for s, d in scores.items() if keep(s)}
        print(f"\n{group}: {len(chosen)} series")
        print("| smoothing's share: no season / a season it cannot model / one it models | mean MASE | median | beats naive | ≤ best of auto.arima/ets/thetaf |")
        print("|---|---:|---:|---:|---:|")
        for rule in rules:
            values = [d[rule] for d in chosen.values()]
            naive = sum(d[rule] < d["naive"] for d in chosen.values())
            best = sum(d[rule] <= min(d["auto.arima"], d["ets"], d["thetaf"]) for d in chosen.values())
            label = f"{rule[0]:g}" if len(set(rule)) == 1 else " / ".join(f"{w:g}" for w in rule)
            print(f"| {label} | {np.mean(values):.3f} | {np.median(values):.3f} | {naive}/{len(chosen)} | {best}/{len(chosen)} |")

    # The share where smoothing models a season, on the seasonal series alone (all of them), and on either half of them
    # (alternate names): whether the least mean MASE lies where the whole puts it.
    seasonal = sorted(s for s in scores if kinds[s[0]] == 2)
    shares = sorted({rule[2] for rule in rules if rule[0] == 0.5 and rule[1] == 0.25})
    print(f"\nseasonal series (quarterly, monthly, daily), all {len(seasonal)}: mean MASE by the share where smoothing models the season")
    print("| series | " + " | ".join(f"{w:g}" for w in shares) + " |")
    print("|---|" + "---:|" * len(shares))
    for label, part in (("all", seasonal), ("half A", seasonal[0::2]), ("half B", seasonal[1::2])):
        print(f"| {label} ({len(part)}) | " + " | ".join(f"{np.mean([scores[s][(0.5, 0.25, w)] for s in part]):.4f}" for w in shares) + " |")


if __name__ == "__main__":
    main()
