#!/usr/bin/env python3
"""Other ways to combine a panel's forecasts, scored offline from three passes of scripts/panel_protocol.py.

A panel's forecast is (1 - w) * network + w * smoothing per series, w by the smoothing's form (0.85 where it has a
season, 0.5 where it has none). Given the protocol's global passes with the defaults, with --smoothing 0 (the network
alone) and with --smoothing 1 (smoothing alone), each series' w is read back from the three forecasts, and other
rules are scored on the same held-out values without running the program again:

  u0, u0.25, u0.33   the share where the form has no season, instead of 0.5
  sw0.7              the share where it has one, instead of 0.85
  T.5                where the form has no season: half network, half R's thetaf (in place of the smoothing)
  NST                where the form has no season: a third each of network, smoothing and R's thetaf
  N.5ST              where the form has no season: half network, a quarter each of smoothing and thetaf
  naive.1, naive.2   where the form has no season: the defaults' forecast shrunk a tenth (a fifth) towards naive's

Per panel: mean MASE and the series below naive's MASE; last, each rule's geometric mean over the panels of its mean
MASE relative to thetaf's (lower is better). Then the defaults' 80% intervals with their offsets from the forecast
scaled from the widening of 1.35 to 1.0, 1.15, 1.25 and 1.5 (before the other rules that shape them, so a sketch):
each panel's coverage, their mean, and how many panels fall in 60-92%.

  P="dotnet src/SimpleRnnTorch/bin/Release/net10.0/SimpleRnnTorch.dll"
  for s in 0 1; do /usr/bin/python3 scripts/panel_protocol.py --no-r --program "$P" \\
      --program-args "--smoothing $s" --results /tmp/s$s; done
  /usr/bin/python3 scripts/panel_share_variants.py \\
      --set data/panels/manifest.csv,data/panels/results,/tmp/s0,/tmp/s1
(--set may be repeated: MANIFEST,DEFAULTS,NETWORK,SMOOTHING; R's forecasts are read from panel_r_forecasts.csv beside
the manifest.) Needs numpy and pandas.
"""
import argparse, csv, os, sys
import numpy as np
import pandas as pd

RULES = ["default", "u0", "u0.25", "u0.33", "sw0.7", "T.5", "NST", "N.5ST", "naive.1", "naive.2"]


def forecasts(folder, panel):
    f = pd.read_csv(os.path.join(folder, f"{panel}_global_forecasts.csv"))
    f["series"] = f.series.astype(str)
    return f


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--set", action="append", required=True, help="MANIFEST,DEFAULTS,NETWORK,SMOOTHING")
    a = p.parse_args()
    ratios = {r: [] for r in RULES}
    widenings = (1.0, 1.15, 1.25, 1.35, 1.5)
    coverage = {f: [] for f in widenings}
    for spec in a.set:
        try:
            manifest, dflt_dir, net_dir, sm_dir = spec.split(",")
            panels = [row["name"] for row in csv.DictReader(open(manifest))]
            r = pd.read_csv(os.path.join(os.path.dirname(manifest), "panel_r_forecasts.csv"))
        except (ValueError, OSError) as e:
            print(f"panel_share_variants: --set {spec}: {e}", file=sys.stderr)
            sys.exit(2)
        r["panel"] = r.key.str.split("|").str[0]
        r["series"] = r.key.str.split("|").str[1]
        for panel in panels:
            d, n, s = (forecasts(x, panel) for x in (dflt_dir, net_dir, sm_dir))
            for f in widenings:
                lo, up = (d.forecast + (d[side] - d.forecast) * f / 1.35 for side in ("lower", "upper"))
                coverage[f].append((panel, float(((d.actual >= lo) & (d.actual <= up)).mean())))
            scores = pd.read_csv(os.path.join(dflt_dir, f"{panel}_global_scores.csv"))
            scores["series"] = scores.series.astype(str)
            rows = []
            for name, g in d.groupby("series"):
                actual, D = g.actual.to_numpy(), g.forecast.to_numpy()
                N, S = n[n.series == name].forecast.to_numpy(), s[s.series == name].forecast.to_numpy()
                # The MASE scale from the defaults' own score: MAE / MASE.
                scale = np.mean(np.abs(actual - D)) / scores[(scores.series == name) & (scores.method == "program")].MASE.iloc[0]
                apart = np.abs(S - N) > 1e-9 * (np.abs(S) + 1)
                w = round(float(np.median(((D - N) / np.where(apart, S - N, 1))[apart])), 2) if apart.any() else 0.5
                mase = lambda f: np.mean(np.abs(actual - f)) / scale
                rr = r[(r.panel == panel) & (r.series == name)]
                of = lambda m: rr[rr.method == m].sort_values("step").forecast.to_numpy()
                T = of("thetaf")
                unseasoned, seasoned = abs(w - 0.5) < 0.03, abs(w - 0.85) < 0.03
                row = dict(naive=mase(of("naive")), thetaf=mase(T), default=mase(D))
                for u in (0, 0.25, 0.33):
                    row[f"u{u}"] = mase((1 - u) * N + u * S) if unseasoned else row["default"]
                row["sw0.7"] = mase(0.3 * N + 0.7 * S) if seasoned else row["default"]
                row["T.5"] = mase(0.5 * N + 0.5 * T) if unseasoned else row["default"]
                row["NST"] = mase((N + S + T) / 3) if unseasoned else row["default"]
                row["N.5ST"] = mase(0.5 * N + 0.25 * S + 0.25 * T) if unseasoned else row["default"]
                for share in (0.1, 0.2):
                    row[f"naive{str(share)[1:]}"] = mase((1 - share) * D + share * of("naive")) if unseasoned else row["default"]
                rows.append(row)
            t = pd.DataFrame(rows)
            print(f"{panel:18s} thetaf {t.thetaf.mean():.3f} naive {t.naive.mean():.3f} |"
                  + "".join(f" {x} {t[x].mean():.3f}/{(t[x] < t.naive).sum()}" for x in RULES) + f" (of {len(t)})")
            for x in RULES:
                ratios[x].append(t[x].mean() / t.thetaf.mean())
    print("geometric mean of mean MASE / thetaf's over the panels: "
          + ", ".join(f"{x} {np.exp(np.mean(np.log(ratios[x]))):.4f}" for x in RULES))
    for f in widenings:
        c = [v for _, v in coverage[f]]
        print(f"widening {f}: " + " ".join(f"{p} {v:.3f}" for p, v in coverage[f])
              + f" | mean {np.mean(c):.3f}, in 60-92%: {sum(0.6 <= v <= 0.92 for v in c)}/{len(c)}")


if __name__ == "__main__":
    main()
