#!/usr/bin/env python3
"""One network for many unrelated series, or one per series? The M4 protocol's corpus, regrouped into panels.

The series of data/corpus/manifest.csv are grouped by frequency into one long panel each (id, date, value), leaving out
those the panel corpus already holds (statsmodels' macrodata, R's EuStockMarkets: data/panels): 12 yearly, 9 quarterly,
14 monthly, 4 weekly and 3 daily series of different lengths, levels and shapes, re-dated to end together. At each of the
M4 protocol's 4 origins (scripts/m4_protocol.py: the same cuts, H = 6/8/18/13/14) every series is cut where that protocol
cuts it and the panel of the cut series is trained and forecast in one run of the program (one global network,
`train --data P --id-column id --time-column date --column value --horizon H`, its defaults otherwise, or with
--program-args). Each series' MASE (lag m as the protocol's) is set beside the same cut's forecast by one network per
series (the protocol's own runs: data/corpus/m4_program_forecasts.csv, or --local) and R's naive, ets and thetaf
(data/corpus/m4_r_forecasts.csv).

  /usr/bin/python3 scripts/corpus_panels.py --program "dotnet src/SimpleRnnTorch/bin/Release/net10.0/SimpleRnnTorch.dll"

Prints a Markdown table by frequency: mean MASE of the global network, of one network per series and of R's naive, ets
and thetaf, and how many series each beats naive on; with --per-series, each series' too. The networks alone: give
--program-args "--smoothing 0" and, as --local, the cache of a protocol pass with --program-args "--smoothing 0". Needs numpy and pandas. Writes only into a temporary folder.
"""
import argparse
import csv
import datetime
import math
import os
import shlex
import subprocess
import sys
import tempfile

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import m4_protocol as mp  # noqa: E402

FREQUENCIES = ["yearly", "quarterly", "monthly", "weekly", "daily"]


def in_panel_corpus(name):
    return "macrodata" in name or "EuStockMarkets" in name


def label(freq, i, length):
    """The i-th of a series' values as a date, its last at the end of 2020 (every series ends there)."""
    back = length - 1 - i
    if freq == "yearly":
        return str(2020 - back)
    if freq in ("quarterly", "monthly"):
        month = 2020 * 12 + 11 - back * (3 if freq == "quarterly" else 1)
        return f"{month // 12:04d}-{month % 12 + 1:02d}-01"
    return (datetime.date(2020, 12, 28) - datetime.timedelta(days=back * (7 if freq == "weekly" else 1))).isoformat()


def run_panel(program, extra, folder, freq, origin, cuts):
    path = os.path.join(folder, f"{freq}_{origin}.csv")
    blank = False
    with open(path, "w") as f:
        f.write("id,date,value\n")
        for c in cuts:
            for i, v in enumerate(c["history"]):
                blank |= math.isnan(v)
                f.write(f'{c["name"]},{label(freq, i, len(c["history"]))},{"" if math.isnan(v) else repr(float(v))}\n')
    out = os.path.join(folder, f"{freq}_{origin}_out")
    cmd = shlex.split(program) + ["train", "--data", path, "--id-column", "id", "--time-column", "date", "--column", "value",
                                  "--horizon", str(cuts[0]["h"]), "-o", out, "-v", "0", "--no-save", *shlex.split(extra)]
    if blank:
        cmd += ["--fill", "linear"]
    done = subprocess.run(cmd, capture_output=True, text=True)
    if done.returncode != 0:
        mp.fail(f"{freq} origin {origin}: the program exited {done.returncode}: {done.stderr.strip()[-300:]}")
    with open(os.path.join(out, "forecast.csv"), newline="") as f:
        rows = list(csv.DictReader(f))
    return {c["key"]: np.array([float(r["forecast"]) for r in rows if r["id"] == c["name"]]) for c in cuts}


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--program", required=True, help='the program, e.g. "dotnet src/SimpleRnnTorch/bin/Release/net10.0/SimpleRnnTorch.dll"')
    p.add_argument("--program-args", default="", help="more options for every panel run")
    p.add_argument("--local", default=os.path.join(mp.CORPUS, "m4_program_forecasts.csv"),
                   help="the M4 protocol's program cache: one network per series, on the same cuts")
    p.add_argument("--per-series", action="store_true", help="also each series' mean MASE over its origins")
    a = p.parse_args()
    with open(os.path.join(mp.CORPUS, "manifest.csv"), newline="") as f:
        manifest = list(csv.DictReader(f))
    cuts, _ = mp.load_cuts(manifest, None)
    local = mp.read_cache(a.local)
    r = mp.read_cache(os.path.join(mp.CORPUS, "m4_r_forecasts.csv"))
    groups = {}
    for c in cuts:
        if not in_panel_corpus(c["name"]):
            groups.setdefault((c["row"]["frequency"], c["origin"]), []).append(c)

    per = {}
    with tempfile.TemporaryDirectory(prefix="corpus-panels-") as folder:
        for (freq, origin), group in sorted(groups.items(), key=lambda kv: (FREQUENCIES.index(kv[0][0]), kv[0][1])):
            print(f"  {freq} origin {origin}: {len(group)} series", file=sys.stderr)
            fitted = run_panel(a.program, a.program_args, folder, freq, origin, group)
            for c in group:
                none = np.full(c["h"], np.nan)
                forecasts = {"global": fitted[c["key"]], "local": local[(c["key"], "program")][0]}
                forecasts.update({m: r[(c["key"], m)][0] for m in ("naive", "ets", "thetaf")})
                scores = per.setdefault((freq, c["name"]), {})
                for method, fc in forecasts.items():
                    scores.setdefault(method, []).append(mp.scores(c, fc, none, none)[0])

    methods = ["global", "local", "naive", "ets", "thetaf"]
    mean = {k: {m: float(np.mean(v)) for m, v in d.items()} for k, d in per.items()}
    print("| frequency | series | one network for the panel | one per series | naive | ets | thetaf | global beats naive on | local beats naive on |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for freq in FREQUENCIES + [None]:
        chosen = [d for (f, _), d in mean.items() if freq is None or f == freq]
        cells = " | ".join(f"{np.mean([d[m] for d in chosen]):.3f}" for m in methods)
        beats = " | ".join(f"{sum(d[m] < d['naive'] for d in chosen)}" for m in ("global", "local"))
        print(f"| {freq or 'all'} | {len(chosen)} | {cells} | {beats} |")
    if a.per_series:
        print("\n| series | frequency | " + " | ".join(methods) + " |")
        print("|---|---|" + "---:|" * len(methods))
        for (freq, name), d in sorted(mean.items(), key=lambda kv: (FREQUENCIES.index(kv[0][0]), kv[0][1])):
            print(f"| {name} | {freq} | " + " | ".join(f"{d[m]:.3f}" for m in methods) + " |")


if __name__ == "__main__":
    main()
