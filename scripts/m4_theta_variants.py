#!/usr/bin/env python3
"""Theta in the combination, scored offline on the M4 protocol's corpus (scripts/m4_protocol.py).

A series' forecast is (1 - w) * network + w * smoothing, w by the smoothing's form (0.85 where it has a season, 0.25
where the series' season is not modelled, 0.5 otherwise). From the protocol's program cache with the defaults
(data/corpus/m4_program_forecasts.csv) and the caches of passes with --program-args "--smoothing 0" (the network
alone) and "--smoothing 1" (smoothing alone), each cut's w is read back, and where it is 0.5 R's thetaf (from
data/corpus/m4_r_forecasts.csv) is put in:

  T50           half network, half thetaf
  NST           a third each of network, smoothing and thetaf
  N50_ST        half network, a quarter each of smoothing and thetaf
  N40_S30_T30   0.4 network, 0.3 smoothing, 0.3 thetaf
  D90_naive10   the defaults' forecast shrunk a tenth towards naive's (R's naive)

Prints, on all series and on those the earlier defaults were not chosen on, R's Comb and each rule's mean MASE, the
series it beats naive on, and those at or below the best of ets, thetaf and auto.arima.

  P="dotnet src/SimpleRnnTorch/bin/Release/net10.0/SimpleRnnTorch.dll"
  for s in 0 1; do /usr/bin/python3 scripts/m4_protocol.py --no-r --program "$P" --program-args "--smoothing $s" \\
      --jobs 2 --program-cache /tmp/c$s.csv --results /tmp/r$s; done
  /usr/bin/python3 scripts/m4_theta_variants.py --network /tmp/c0.csv --smoothing /tmp/c1.csv
"""
import argparse, csv, os, sys
import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import m4_protocol as mp  # noqa: E402

RULES = ["default", "net", "sm", "T50", "NST", "N50_ST", "N40_S30_T30", "D90_naive10"]


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--network", required=True, help="program cache of a pass with --smoothing 0")
    p.add_argument("--smoothing", required=True, help="program cache of a pass with --smoothing 1")
    p.add_argument("--defaults", default=os.path.join(mp.CORPUS, "m4_program_forecasts.csv"))
    p.add_argument("--manifest", default=os.path.join(mp.CORPUS, "manifest.csv"))
    a = p.parse_args()
    cuts, series = mp.load_cuts(list(csv.DictReader(open(a.manifest))), None)
    D, N, S = (mp.read_cache(x) for x in (a.defaults, a.network, a.smoothing))
    R = mp.read_cache(os.path.join(mp.CORPUS, "m4_r_forecasts.csv"))
    per = {}
    for c in cuts:
        k = c["key"]
        try:
            d, n, s, t = D[(k, "program")][0], N[(k, "program")][0], S[(k, "program")][0], R[(k, "thetaf")][0]
        except KeyError as e:
            print(f"m4_theta_variants: no forecast for {e}: run the passes on this corpus", file=sys.stderr)
            sys.exit(2)
        apart = np.abs(s - n) > 1e-9 * (np.abs(s) + 1)
        w = np.median(((d - n) / np.where(apart, s - n, 1))[apart]) if apart.any() else np.nan
        half = abs(w - 0.5) < 0.03
        f = {"default": d, "net": n, "sm": s, "T50": 0.5 * n + 0.5 * t, "NST": (n + s + t) / 3,
             "N50_ST": 0.5 * n + 0.25 * s + 0.25 * t, "N40_S30_T30": 0.4 * n + 0.3 * s + 0.3 * t,
             "D90_naive10": 0.9 * d + 0.1 * R[(k, "naive")][0]}
        sc = {m: mp.scores(c, f[m] if half or m in ("default", "net", "sm") else d, d, d)[0] for m in RULES}
        for m in ("naive", "ets", "thetaf", "auto.arima", "Comb"):
            sc[m] = mp.scores(c, R[(k, m)][0], d, d)[0]
        per.setdefault(c["name"], []).append(sc)
    tuned = {s["name"]: s["tuned"] for s in series}
    for subset in ("all", "untuned"):
        names = [n for n in per if subset == "all" or not tuned[n]]
        M = {n: {m: np.mean([o[m] for o in per[n]]) for m in per[n][0]} for n in names}
        print(f"{subset}: {len(names)} series, Comb {np.mean([M[n]['Comb'] for n in names]):.3f}")
        for m in RULES:
            best = sum(M[n][m] <= min(M[n]["ets"], M[n]["thetaf"], M[n]["auto.arima"]) for n in names)
            print(f"  {m:12s} mean MASE {np.mean([M[n][m] for n in names]):.3f}, beats naive on "
                  f"{sum(M[n][m] < M[n]['naive'] for n in names)}, at or below R's best on {best}")


if __name__ == "__main__":
    main()
