#!/usr/bin/env python3
"""How wide the program's series interval must be: pooled coverage of its 80% interval on the corpus cuts as a
function of the factor its conformal offsets are multiplied by (src/SimpleRnnTorch/Evaluation/SeriesForecast.cs,
IntervalWidening), and the factor chosen on either half of the series not tuned on, scored on the other half.

Reads the program's forecasts and bounds that scripts/m4_protocol.py cached (data/corpus/m4_program_forecasts.csv),
made with the factor --current; the bounds at another factor k are point + (bound − point) · k / current, except
a lower bound floored at 0, which stays 0 (exact for wider factors; for narrower ones the bound may have been above 0). The actuals come from the corpus files as the protocol
cuts them.

  /usr/bin/python3 scripts/m4_interval_factor.py [--current 1.35] [--cache data/corpus/m4_program_forecasts.csv]

Needs numpy and pandas (Debian 12: python3-statsmodels brings them). Exit 2 on bad arguments.
"""
import argparse
import csv
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import m4_protocol as P  # noqa: E402


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--current", type=float, default=1.35, help="the factor the cached bounds were made with")
    p.add_argument("--cache", default=os.path.join(P.CORPUS, "m4_program_forecasts.csv"))
    p.add_argument("--target", type=float, default=0.8)
    a = p.parse_args()
    if not a.current > 0:
        p.error("--current must be positive")
    with open(os.path.join(P.CORPUS, "manifest.csv"), newline="") as f:
        manifest = list(csv.DictReader(f))
    cuts, _ = P.load_cuts(manifest, None)
    prog = {k: v for (k, mt), v in P.read_cache(a.cache).items() if mt == "program"}
    untuned = [r["name"] for r in manifest if r["tuned_on"] == "no"]
    rows = [(c, prog[c["key"]]) for c in cuts if c["key"] in prog and not np.isnan(prog[c["key"]][0]).any()]

    def coverage(names, k):
        inside = total = 0
        for c, (fc, lo, up, _) in rows:
            if c["name"] not in names:
                continue
            scale = k / a.current
            low = np.where(lo == 0, 0.0, fc + (lo - fc) * scale)
            high = fc + (up - fc) * scale
            inside += int(np.sum((c["actual"] >= low) & (c["actual"] <= high)))
            total += len(c["actual"])
        return inside / total

    factors = np.round(np.arange(1.0, 2.001, 0.05), 2)
    everything = {c["name"] for c, _ in rows}
    print("| factor | not tuned on | all |\n|---:|---:|---:|")
    for k in factors:
        print(f"| {k:.2f} | {coverage(set(untuned), k):.3f} | {coverage(everything, k):.3f} |")
    print()
    for half in (0, 1):
        fit, test = set(untuned[half::2]), set(untuned[1 - half::2])
        k = min(factors, key=lambda f: abs(coverage(fit, f) - a.target))
        print(f"chosen on half {half + 1} of the untuned series: {k:.2f} (there {coverage(fit, k):.3f}); "
              f"on the other half {coverage(test, k):.3f}")


if __name__ == "__main__":
    main()
