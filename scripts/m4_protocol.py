#!/usr/bin/env python3
"""The M4 competition's protocol on the corpus: the program against R's forecast package.

For each series of data/corpus/manifest.csv: horizon H = 6 yearly, 8 quarterly, 18 monthly, 13 weekly,
14 daily; season m = 1 yearly, 4 quarterly, 12 monthly, 1 weekly, 1 daily (the M4 code's own); 4 origins,
the last 4·H values cut H apart (the last leaving exactly H), an origin used only when at least
max(12, 2m) values come before it. At each origin the values before it are the training part; every
forecaster is fitted afresh on it and forecasts H values:

  - R's forecast package (scripts/m4_yardsticks.R): naive, snaive, drift, auto.arima, ets, thetaf, and the
    M4 benchmarks Naive2 and Comb, with 80% intervals where the method has one. Their forecasts are
    cached in data/corpus/m4_r_forecasts.csv, keyed by series, origin and a hash of the training part,
    and computed only for cuts the cache lacks (--refresh-r recomputes all).
  - the program, with --program: the file's rows before the origin (header verbatim) are written to a
    CSV and `PROGRAM train --data CUT.csv --time-column COL [--fill linear] --horizon H -o TMP -v 0
    --no-save` runs on it, its defaults otherwise; TMP/forecast.csv gives the forecast and its interval.
    Its forecasts and wall times are written to data/corpus/m4_program_forecasts.csv (--program-cache),
    which later runs without --program read back.

Scores, per cut: MASE = the MAE over the H values / the training part's mean absolute difference at lag
m; sMAPE = 200/H · Σ |a − f| / (|a| + |f|); coverage = the share of the H actual values inside the 80%
interval. Per series: the mean over its origins. Missing values and dates are filled linearly (as
`--fill linear` does; scripts/series_protocol.py's reading) and the filled values are scored.

Writes data/corpus/results/m4_scores.csv (one row per series, origin and method) and
data/corpus/results/m4_summary.md (per-series MASE, means by frequency, shares, pooled coverage).

  /usr/bin/python3 scripts/m4_protocol.py                         # R yardsticks only (cached)
  /usr/bin/python3 scripts/m4_protocol.py --program "dotnet src/SimpleRnnTorch/bin/Release/net10.0/SimpleRnnTorch.dll"

Needs numpy, pandas (Debian 12: python3-statsmodels brings them) and, for cuts not cached, Rscript with
r-cran-forecast. Exit 2 on bad arguments or an unreadable manifest.
"""
import argparse
import concurrent.futures
import csv
import hashlib
import math
import os
import shlex
import shutil
import subprocess
import sys
import tempfile
import time

import numpy as np
import pandas as pd

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from series_protocol import filled_grid, read_forecast, read_series  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CORPUS = os.path.join(ROOT, "data", "corpus")
HORIZON = {"yearly": 6, "quarterly": 8, "monthly": 18, "weekly": 13, "daily": 14}
SEASON = {"yearly": 1, "quarterly": 4, "monthly": 12, "weekly": 1, "daily": 1}
ORIGINS = 4
R_METHODS = ["naive", "snaive", "drift", "auto.arima", "ets", "thetaf", "Naive2", "Comb"]
CLASSICAL = ["auto.arima", "ets", "thetaf"]


def fail(message):
    print(f"m4_protocol: {message}", file=sys.stderr)
    sys.exit(2)


def cut_key(name, k, history, m, h):
    digest = hashlib.sha1(" ".join(f"{v:.10g}" for v in history).encode()).hexdigest()[:12]
    return f"{name}|{k}|{m}|{h}|{digest}"


def load_cuts(manifest, only):
    cuts = []
    series = []
    for row in manifest:
        if only and row["name"] not in only:
            continue
        info = read_series(os.path.join(ROOT, row["file"]), row["time_column"], None)
        y, _ = filled_grid(info)
        freq = row["frequency"]
        h, m = HORIZON[freq], SEASON[freq]
        n = len(y)
        used = []
        for k in range(ORIGINS):
            o = n - (ORIGINS - k) * h
            if o < max(12, 2 * m):
                continue
            history, actual = y[:o], y[o:o + h]
            cuts.append(dict(name=row["name"], origin=k + 1, o=o, m=m, h=h, history=history, actual=actual,
                             key=cut_key(row["name"], k + 1, history, m, h), info=info, row=row))
            used.append(k + 1)
        series.append(dict(name=row["name"], freq=freq, n=n, h=h, m=m, origins=used,
                           tuned=row["tuned_on"] == "yes"))
    return cuts, series


def read_cache(path):
    if not os.path.exists(path):
        return {}
    table = pd.read_csv(path, keep_default_na=True)
    out = {}
    for (key, method), g in table.groupby(["key", "method"], sort=False):
        g = g.sort_values("step")
        out[(key, method)] = (g["forecast"].to_numpy(float), g["lower"].to_numpy(float),
                              g["upper"].to_numpy(float), float(g["seconds"].iloc[0]))
    return out


def write_cache(path, cache):
    with open(path, "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["key", "method", "step", "forecast", "lower", "upper", "seconds"])
        for (key, method) in sorted(cache):
            fc, lo, up, secs = cache[(key, method)]
            for s in range(len(fc)):
                w.writerow([key, method, s + 1] + [("" if math.isnan(v) else f"{v:.10g}") for v in
                                                   (fc[s], lo[s], up[s])] + [f"{secs:.4g}"])


def run_r(cuts, cache_path, refresh):
    cache = {} if refresh else read_cache(cache_path)
    known = {k for k, _ in cache}
    todo = [c for c in cuts if c["key"] not in known]
    if todo:
        print(f"R yardsticks: {len(todo)} cut(s) not cached, running Rscript", file=sys.stderr)
        with tempfile.TemporaryDirectory(prefix="m4_r_") as tmp:
            jobs = os.path.join(tmp, "jobs.csv")
            out = os.path.join(tmp, "out.csv")
            with open(jobs, "w", newline="") as f:
                w = csv.writer(f, lineterminator="\n")
                w.writerow(["key", "m", "h", "y"])
                for c in todo:
                    w.writerow([c["key"], c["m"], c["h"], " ".join(f"{v:.10g}" for v in c["history"])])
            t0 = time.perf_counter()
            subprocess.run(["Rscript", os.path.join(ROOT, "scripts", "m4_yardsticks.R"), jobs, out], check=True)
            print(f"R yardsticks: {time.perf_counter() - t0:.1f} s", file=sys.stderr)
            cache.update(read_cache(out))
        # keep the cache to the cuts of the manifest's series plus what it held
        write_cache(cache_path, cache)
    return cache


def run_program(program, cut, workroot, extra=()):
    info, row = cut["info"], cut["row"]
    folder = os.path.join(workroot, f"{cut['name']}_o{cut['origin']}")
    os.makedirs(folder, exist_ok=True)
    trunc = os.path.join(folder, "cut.csv")
    with open(trunc, "w", newline="") as f:
        f.write(info["header_line"] + "\n")
        for ln, p in zip(info["data_lines"], info["pos"]):
            if p < cut["o"]:
                f.write(ln + "\n")
    out = os.path.join(folder, "out")
    cmd = shlex.split(program) + ["train", "--data", trunc, "--time-column", row["time_column"]]
    if row["fill"] == "linear":
        cmd += ["--fill", "linear"]
    cmd += ["--horizon", str(cut["h"]), "-o", out, "-v", "0", "--no-save", *extra]
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    wall = time.perf_counter() - t0
    nan = np.full(cut["h"], math.nan)
    if proc.returncode != 0:
        tail = proc.stderr.strip().splitlines()[-1:] or ["(no stderr)"]
        print(f"  {cut['name']} origin {cut['origin']}: exit {proc.returncode}: {tail[0]}", file=sys.stderr)
        return nan, nan, nan, wall
    _, fc, lo, up = read_forecast(os.path.join(out, "forecast.csv"), cut["h"])
    return fc, lo, up, wall


def scores(cut, fc, lo, up):
    a, y, m = cut["actual"], cut["history"], cut["m"]
    scale = float(np.mean(np.abs(y[m:] - y[:-m])))
    err = np.abs(a - fc)
    mase = float(np.mean(err)) / scale if scale > 0 else math.nan
    smape = float(np.mean(200 * err / (np.abs(a) + np.abs(fc))))
    cov = float(np.mean((a >= lo) & (a <= up))) if not np.any(np.isnan(lo)) else math.nan
    return mase, smape, cov


def fmt(x, d=3):
    return "—" if x is None or (isinstance(x, float) and math.isnan(x)) else f"{x:.{d}f}"


def summary(table, series, methods, program_label, wall_by_series):
    lines = []
    # a series' score is the mean over all its origins; NaN when any origin has none
    origins = {s["name"]: len(s["origins"]) for s in series}
    per = (table.groupby(["name", "method"])[["MASE", "sMAPE", "coverage"]]
           .agg(lambda v: v.mean(skipna=False) if len(v) == origins[table.loc[v.index[0], "name"]] else math.nan)
           .reset_index())
    names = [s["name"] for s in series]
    mase = per.pivot(index="name", columns="method", values="MASE").reindex(index=names, columns=["program"] + R_METHODS)
    smape = per.pivot(index="name", columns="method", values="sMAPE").reindex(index=names, columns=["program"] + R_METHODS)
    meta = pd.DataFrame(series).set_index("name")
    order = [s["name"] for s in sorted(series, key=lambda s: (list(HORIZON).index(s["freq"]), s["name"]))]
    have_prog = "program" in mase.columns and mase["program"].notna().any()

    def cell(v, d=3):
        """The mean, with the count of series in brackets when some have no score."""
        if v.notna().all():
            return fmt(v.mean(), d)
        return f"{fmt(v.mean(), d)} ({v.notna().sum()})" if v.notna().any() else "—"

    def group_rows(title, names):
        out = [f"| {title} | series | " + " | ".join(methods) + " |",
               "|---|---:|" + "---:|" * len(methods)]
        for label, sel in [("all", names)] + [(f, [n for n in names if meta.loc[n, "freq"] == f])
                                              for f in HORIZON]:
            if not sel:
                continue
            cells = [cell(mase.loc[sel, mt]) for mt in methods]
            out.append(f"| {label} | {len(sel)} | " + " | ".join(cells) + " |")
        return out

    untuned = [n for n in order if not meta.loc[n, "tuned"]]
    lines += ["## Mean MASE per method", "",
              "Each series' MASE is the mean over its origins; a cell is the mean over the series "
              "(a count in brackets: the series where the method gave a forecast, when not all).", ""]
    lines += group_rows("series not tuned on", untuned) + [""]
    lines += group_rows("all series (with the 10 of data/)", order) + [""]

    lines += ["## Mean sMAPE per method", ""]
    out = ["| group | series | " + " | ".join(methods) + " |", "|---|---:|" + "---:|" * len(methods)]
    for label, sel in (("not tuned on", untuned), ("all", order)):
        out.append(f"| {label} | {len(sel)} | " + " | ".join(
            cell(smape.loc[sel, mt], 2) for mt in methods) + " |")
    lines += out + [""]

    if "Naive2" in mase.columns:
        lines += ["## OWA (the M4 ranking: relative to Naive2)", "",
                  "(mean sMAPE / Naive2's + mean MASE / Naive2's) / 2 over the series where every method "
                  "listed scored; below 1 is better than Naive2.", ""]
        out = ["| group | series | " + " | ".join(methods) + " |", "|---|---:|" + "---:|" * len(methods)]
        for label, sel in (("not tuned on", untuned), ("all", order)):
            cols = [mt for mt in methods if mt in mase.columns]
            ok = [n for n in sel if mase.loc[n, cols].drop("snaive", errors="ignore").notna().all()]
            cells = []
            for mt in methods:
                if mt not in mase.columns or mase.loc[ok, mt].isna().any():
                    cells.append("—")
                    continue
                owa = (smape.loc[ok, mt].mean() / smape.loc[ok, "Naive2"].mean()
                       + mase.loc[ok, mt].mean() / mase.loc[ok, "Naive2"].mean()) / 2
                cells.append(fmt(owa))
            out.append(f"| {label} | {len(ok)} | " + " | ".join(cells) + " |")
        lines += out + [""]

    cov_methods = [mt for mt in methods if table.loc[table["method"] == mt, "coverage"].notna().any()]
    lines += ["## Pooled 80% interval coverage", "",
              "The share of all actual values (every series, origin and step) inside the method's 80% interval.", "",
              "| group | " + " | ".join(cov_methods) + " |", "|---|" + "---:|" * len(cov_methods)]
    for label, sel in (("not tuned on", untuned), ("all", order)):
        cells = []
        for mt in cov_methods:
            t = table[(table["method"] == mt) & table["name"].isin(sel) & table["coverage"].notna()]
            cells.append(fmt(float((t["coverage"] * t["h"]).sum() / t["h"].sum())) if len(t) else "—")
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    lines.append("")

    if have_prog:
        lines += [f"## The program against the yardsticks ({program_label})", ""]
        for label, sel in (("not tuned on", untuned), ("all", order)):
            ok = [n for n in sel if mase.loc[n, ["program", "naive"] + CLASSICAL].notna().all()]
            best = mase.loc[ok, CLASSICAL].min(axis=1)
            beats = int((mase.loc[ok, "program"] < mase.loc[ok, "naive"]).sum())
            le_best = int((mase.loc[ok, "program"] <= best).sum())
            lines.append(f"- {label} ({len(sel)} series, the program scored on {len(ok)}): mean MASE below "
                         f"naive's on {beats}/{len(ok)} ({100 * beats / max(1, len(ok)):.0f}%); at most the best "
                         f"of auto.arima/ets/thetaf on {le_best}/{len(ok)} ({100 * le_best / max(1, len(ok)):.0f}%)")
        walls = [w for ws in wall_by_series.values() for w in ws]
        if walls:
            lines.append(f"- wall time per program run (one cut): median {np.median(walls):.1f} s, "
                         f"mean {np.mean(walls):.1f} s, max {np.max(walls):.1f} s over {len(walls)} runs")
        lines.append("")

    secs = table.groupby("method")["seconds"]
    lines += ["## Seconds per cut (fit and forecast)", "",
              "R's from its own clock around each call (`proc.time`); the program's the wall time of the whole "
              "process (start, reading, training, the backtest, writing the plots).", "",
              "| | " + " | ".join(methods) + " |", "|---|" + "---:|" * len(methods),
              "| median | " + " | ".join(fmt(secs.median().get(mt, math.nan), 2) for mt in methods) + " |",
              "| max | " + " | ".join(fmt(secs.max().get(mt, math.nan), 2) for mt in methods) + " |", ""]

    lines += ["## Per series: mean MASE over the origins", "",
              "| series | freq | n | H | m | origins | tuned on | " + " | ".join(methods)
              + (" | program s/run |" if have_prog else " |"),
              "|---|---|---:|---:|---:|---|---|" + "---:|" * len(methods) + ("---:|" if have_prog else "")]
    for n in order:
        s = meta.loc[n]
        row = [n, s["freq"], str(s["n"]), str(s["h"]), str(s["m"]), ",".join(map(str, s["origins"])),
               "yes" if s["tuned"] else "no"]
        vals = {mt: mase.loc[n, mt] if mt in mase.columns else math.nan for mt in methods}
        finite = [v for mt, v in vals.items() if not math.isnan(v)]
        lo = min(finite) if finite else None
        cells = [(f"**{fmt(v)}**" if lo is not None and v == lo else fmt(v)) for v in vals.values()]
        tail = [f"{np.median(wall_by_series[n]):.1f}"] if have_prog and wall_by_series.get(n) else (
            ["—"] if have_prog else [])
        lines.append("| " + " | ".join(row + cells + tail) + " |")
    lines.append("")
    return "\n".join(lines)


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--manifest", default=os.path.join(CORPUS, "manifest.csv"))
    p.add_argument("--only", help="comma-separated series names")
    p.add_argument("--r-cache", default=os.path.join(CORPUS, "m4_r_forecasts.csv"))
    p.add_argument("--refresh-r", action="store_true", help="recompute every R forecast")
    p.add_argument("--no-r", action="store_true", help="do not run R: score only the cuts its cache holds")
    p.add_argument("--program", help='run the program, e.g. "dotnet src/SimpleRnnTorch/bin/Release/net10.0/SimpleRnnTorch.dll"')
    p.add_argument("--program-cache", default=os.path.join(CORPUS, "m4_program_forecasts.csv"),
                   help="the program's forecasts: written with --program, read without it")
    p.add_argument("--refresh-program", action="store_true",
                   help="with --program: rerun every cut, not only those --program-cache lacks")
    p.add_argument("--program-args", default="",
                   help='more options for every program run, e.g. "--scaling seasonal" (give its own --program-cache)')
    p.add_argument("--jobs", type=int, default=1, help="program runs at a time (each with --threads 1 unless --program-args sets it)")
    p.add_argument("--program-label", default="its defaults")
    p.add_argument("--results", default=os.path.join(CORPUS, "results"))
    p.add_argument("--keep", help="keep the program's cut files and outputs in this folder")
    a = p.parse_args()

    try:
        with open(a.manifest, newline="") as f:
            manifest = list(csv.DictReader(f))
    except OSError as e:
        fail(f"cannot read {a.manifest}: {e}")
    only = set(a.only.split(",")) if a.only else None
    cuts, series = load_cuts(manifest, only)
    if not cuts:
        fail("no series with a usable origin")
    print(f"{len(series)} series, {len(cuts)} cuts", file=sys.stderr)

    rcache = read_cache(a.r_cache) if a.no_r else run_r(cuts, a.r_cache, a.refresh_r)

    prog = {}
    wall_by_series = {}
    if os.path.exists(a.program_cache) and not (a.program and a.refresh_program):
        prog = {k: v for (k, mt), v in read_cache(a.program_cache).items() if mt == "program"}
    if a.program:
        # Each run is written to the cache as it ends, so an interrupted pass resumes where it stopped.
        todo = [c for c in cuts if c["key"] not in prog]
        workroot = a.keep or tempfile.mkdtemp(prefix="m4_program_")
        t_all = time.perf_counter()
        extra = shlex.split(a.program_args)
        if a.jobs > 1 and "--threads" not in extra:
            extra += ["--threads", "1"]
        with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, a.jobs)) as pool:
            runs = {pool.submit(run_program, a.program, c, workroot, extra): c for c in todo}
            for i, done in enumerate(concurrent.futures.as_completed(runs)):
                c = runs[done]
                fc, lo, up, wall = done.result()
                prog[c["key"]] = (fc, lo, up, wall)
                print(f"  [{i + 1}/{len(todo)}] {c['name']} origin {c['origin']}: {wall:.1f} s", file=sys.stderr)
                write_cache(a.program_cache, {(k, "program"): v for k, v in prog.items()})
        print(f"program: {len(todo)} runs in {time.perf_counter() - t_all:.0f} s", file=sys.stderr)
        if not a.keep:
            shutil.rmtree(workroot, ignore_errors=True)

    rows = []
    for c in cuts:
        for mt in R_METHODS + ["program"]:
            got = prog.get(c["key"]) if mt == "program" else rcache.get((c["key"], mt))
            if got is None:
                continue
            fc, lo, up, secs = got
            if mt == "program":
                wall_by_series.setdefault(c["name"], []).append(secs)
            mase, smape, cov = scores(c, fc, lo, up)
            rows.append(dict(name=c["name"], frequency=c["row"]["frequency"], tuned_on=c["row"]["tuned_on"],
                             origin=c["origin"], h=c["h"], m=c["m"], method=mt, MASE=mase, sMAPE=smape,
                             coverage=cov, seconds=secs))
    table = pd.DataFrame(rows)
    os.makedirs(a.results, exist_ok=True)
    table.to_csv(os.path.join(a.results, "m4_scores.csv"), index=False, float_format="%.6g")
    methods = [mt for mt in ["program"] + R_METHODS if mt in set(table["method"])]
    text = summary(table, series, methods, a.program_label, wall_by_series)
    with open(os.path.join(a.results, "m4_summary.md"), "w") as f:
        f.write("# M4 protocol on data/corpus\n\nWritten by `scripts/m4_protocol.py`; see data/corpus/README.md.\n\n"
                + text)
    print(text)


if __name__ == "__main__":
    main()
