#!/usr/bin/env python3
"""Multi-origin protocol for one CSV series: the program (its defaults) against classical baselines.

The series is cut at 4 origins spaced H apart, the last leaving exactly H values. At each origin the
rows before it (with the header, copied verbatim) are written to a temporary CSV, and the program runs
on it:

  PROGRAM train --data TRUNC.csv --time-column COL [--fill linear] --horizon H -o TMP -v 0

(`--fill linear` is added when the file has missing values or missing dates; `--fill none|linear`
forces it.) TMP/forecast.csv (`<timecol>,forecast,lower,upper`, H rows) is read and scored:
MASE = MAE over the H values / in-sample one-step naive MAE of the truncated series; coverage = the
share of the H actual values inside [lower, upper]. The same origins score naive, seasonal naive (m),
drift, AR with the order chosen by AIC, damped Holt-Winters and Theta (statsmodels, fitted afresh at
each origin on the truncated series). Missing values and dates are filled by linear interpolation (the
nearest value at either end), as the program's `--fill linear` does; the scores use the filled series.
Theta: ThetaModel(y, period=m) when m > 1; where its seasonality test rejects the season, statsmodels
0.13.5 adds 1 to every forecast (statsmodels issue #8661), so the non-seasonal model
ThetaModel(y, period=m, deseasonalize=False) is used instead and stderr says by how much they differ.

Prints one markdown table row on stdout (`--header` prints the header first) and the per-origin
details on stderr. Exit 0 even when a program run fails (the row says so; stderr has the exit code
and the end of the program's stderr); exit 2 on bad arguments or an unreadable file.

  /usr/bin/python3 scripts/series_protocol.py --file data/nile.csv --time-column year --horizon 10 \
      --program "dotnet src/SimpleRnnTorch/bin/Release/net10.0/SimpleRnnTorch.dll"

Needs numpy, pandas and statsmodels (Debian 12: python3-statsmodels 0.13.5); no network.
"""
import argparse
import csv
import datetime as dt
import io
import math
import os
import re
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import warnings

import numpy as np
import pandas as pd
from statsmodels.tsa.ar_model import ar_select_order
from statsmodels.tsa.forecasting.theta import ThetaModel
from statsmodels.tsa.holtwinters import ExponentialSmoothing

ORIGINS = 4
MISSING = {"", "nan", "na", "n/a", "null"}
DEFAULT_SEASON = {"yearly": None, "quarterly": 4, "monthly": 12, "weekly": 52, "daily": 7}


def fail(message):
    print(f"series_protocol: {message}", file=sys.stderr)
    sys.exit(2)


# ---------------------------------------------------------------- reading


def parse_time(cell):
    """(kind, integer index) for the date formats the program reads; None if not a date."""
    s = cell.strip().strip('"')
    m = re.fullmatch(r"(\d{4})(?:\.0+)?", s)
    if m:
        return "year", int(m.group(1))
    m = re.fullmatch(r"(\d{4})-?Q([1-4])", s)
    if m:
        return "quarter", int(m.group(1)) * 4 + int(m.group(2)) - 1
    m = re.fullmatch(r"(\d{4})-(\d{2})", s)
    if m:
        return "month", int(m.group(1)) * 12 + int(m.group(2)) - 1
    m = re.fullmatch(r"(\d{4})-?(\d{2})-?(\d{2})", s)
    if m:
        try:
            d = dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            return None
        return "day", d
    return None


def month_index(d):
    return d.year * 12 + d.month - 1


def is_month_end(d):
    return (d + dt.timedelta(days=1)).day == 1


def read_series(path, time_column, column):
    """Header, raw data lines, grid positions, values (NaN for missing), frequency, gap/missing flag."""
    try:
        with open(path, newline="", encoding="utf-8-sig") as f:
            text = f.read()
    except OSError as e:
        fail(f"cannot read {path}: {e}")
    lines = [ln for ln in text.splitlines() if ln.strip()]
    if len(lines) < 3:
        fail(f"{path}: fewer than 2 data rows")
    dialect_delim = max([",", ";", "\t"], key=lambda c: lines[0].count(c))
    header = next(csv.reader([lines[0]], delimiter=dialect_delim))
    names = [h.strip() for h in header]

    def find(name):
        if name is None:
            return None
        if name in names:
            return names.index(name)
        low = [n.lower() for n in names]
        if low.count(name.lower()) == 1:
            return low.index(name.lower())
        if name.isdigit() and int(name) < len(names):
            return int(name)
        fail(f"{path}: no column {name!r} in {names}")

    t_idx = find(time_column)
    v_idx = find(column) if column is not None else max(i for i in range(len(names)) if i != t_idx)
    rows = list(csv.reader(lines[1:], delimiter=dialect_delim))
    cells_t = [r[t_idx] if t_idx < len(r) else "" for r in rows]
    values = []
    for r in rows:
        c = r[v_idx].strip() if v_idx < len(r) else ""
        values.append(math.nan if c.lower() in MISSING else float(c))

    parsed = [parse_time(c) for c in cells_t]
    if any(p is None for p in parsed) or len({p[0] for p in parsed}) != 1:
        fail(f"{path}: the time column {names[t_idx]!r} is not one date format throughout")
    kind = parsed[0][0]
    if kind == "day":
        days = [p[1] for p in parsed]
        same_dom = len({d.day for d in days}) == 1 or all(is_month_end(d) for d in days)
        if same_dom:
            idx = [month_index(d) for d in days]
        else:
            idx = [d.toordinal() for d in days]
    else:
        idx = [p[1] for p in parsed]
    diffs = np.diff(idx)
    if np.any(diffs <= 0):
        fail(f"{path}: dates out of order or repeated")
    step = int(diffs.min())
    if np.any(diffs % step):
        fail(f"{path}: steps are not multiples of the smallest ({step})")
    if kind == "year":
        freq = {1: "yearly"}.get(step)
    elif kind == "quarter":
        freq = {1: "quarterly"}.get(step)
    elif kind == "month" or (kind == "day" and same_dom):
        freq = {1: "monthly", 3: "quarterly", 12: "yearly"}.get(step)
    else:
        freq = {1: "daily", 7: "weekly"}.get(step)
    pos = [(i - idx[0]) // step for i in idx]
    n_missing_dates = pos[-1] + 1 - len(pos)
    n_missing_values = int(np.isnan(values).sum())
    return {
        "header_line": lines[0],
        "data_lines": lines[1:],
        "time_cells": [c.strip().strip('"') for c in cells_t],
        "value_name": names[v_idx],
        "time_name": names[t_idx],
        "pos": pos,
        "values": values,
        "freq": freq,
        "missing_dates": n_missing_dates,
        "missing_values": n_missing_values,
    }


def filled_grid(info):
    """The series on its regular grid, missing dates and values interpolated linearly (ends: nearest)."""
    grid = np.full(info["pos"][-1] + 1, np.nan)
    grid[info["pos"]] = info["values"]
    observed = ~np.isnan(grid)
    s = pd.Series(grid).interpolate(method="linear", limit_direction="both")
    return s.to_numpy(dtype=float), observed


# ---------------------------------------------------------------- baselines


def naive(y, h):
    return np.repeat(y[-1], h)


def seasonal_naive(y, h, m):
    return np.array([y[len(y) - m + (k % m)] for k in range(h)])


def drift(y, h):
    slope = (y[-1] - y[0]) / (len(y) - 1)
    return y[-1] + slope * np.arange(1, h + 1)


def ar_aic(y, h, m):
    n = len(y)
    maxlag = min(max(int(10 * math.log10(n)), m + 1 if m else 0), (n - 2) // 2)
    sel = ar_select_order(y, maxlag=maxlag, ic="aic", trend="c")
    res = sel.model.fit()
    lags = sel.ar_lags
    order = 0 if lags is None or len(lags) == 0 else int(max(lags))
    return np.asarray(res.predict(start=n, end=n + h - 1)), f"AR({order}) of max {maxlag}"


def holt_winters(y, h, m):
    seasonal = bool(m) and m > 1 and len(y) >= 2 * m
    model = ExponentialSmoothing(y, trend="add", damped_trend=True, seasonal="add" if seasonal else None,
                                 seasonal_periods=m if seasonal else None)
    res = model.fit()
    q = res.params
    note = (f"{'seasonal' if seasonal else 'no season'}, alpha {q['smoothing_level']:.4g}, "
            f"beta {q['smoothing_trend']:.4g}, phi {q['damping_trend']:.4g}")
    return np.asarray(res.forecast(h)), note


def theta(y, h, m):
    if m and m > 1:
        res = ThetaModel(y, period=m).fit()
        if res.model._has_seasonality:
            return np.asarray(res.forecast(h)), f"period {m}, seasonal adjustment used"
        # statsmodels <= 0.13.x (issue #8661): with method="auto" and the seasonality test rejecting, the
        # forecast is 1 too high (a seasonal component of ones is added). Without a season the model is the
        # non-seasonal one, so refit it that way.
        buggy = np.asarray(res.forecast(h))
        fixed = np.asarray(ThetaModel(y, period=m, deseasonalize=False).fit().forecast(h))
        return fixed, (f"period {m}, seasonality test rejected: non-seasonal refit "
                       f"(statsmodels' own forecast - this one = {np.mean(buggy - fixed):.6g})")
    res = ThetaModel(y, period=1, deseasonalize=False).fit()
    return np.asarray(res.forecast(h)), "no season"


# ---------------------------------------------------------------- the program


def run_program(program, trunc_csv, time_column, fill, horizon, out_dir):
    cmd = shlex.split(program) + ["train", "--data", trunc_csv, "--time-column", time_column]
    if fill:
        cmd += ["--fill", fill]
    cmd += ["--horizon", str(horizon), "-o", out_dir, "-v", "0"]
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    wall = time.perf_counter() - t0
    return cmd, proc, wall


def read_forecast(path, horizon):
    with open(path, newline="", encoding="utf-8-sig") as f:
        rows = list(csv.reader(f))
    head = [c.strip().lower() for c in rows[0]]
    body = [r for r in rows[1:] if r]
    if len(body) != horizon:
        raise ValueError(f"{path}: {len(body)} rows, expected {horizon}")
    i_f, i_l, i_u = head.index("forecast"), head.index("lower"), head.index("upper")
    labels = [r[0] for r in body]
    arr = np.array([[float(r[i_f]), float(r[i_l]), float(r[i_u])] for r in body])
    return labels, arr[:, 0], arr[:, 1], arr[:, 2]


# ---------------------------------------------------------------- main


def fmt(x, digits=3):
    return "—" if x is None or (isinstance(x, float) and math.isnan(x)) else f"{x:.{digits}f}"


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--file", required=True)
    p.add_argument("--time-column", required=True)
    p.add_argument("--column", help="the value column (default: the last column that is not the time column)")
    p.add_argument("--horizon", type=int, help="H (default from the frequency: yearly 10, quarterly 8, "
                                               "monthly 12, weekly 52, daily 14)")
    p.add_argument("--season", type=int, help="m (default from the frequency: yearly none, quarterly 4, "
                                              "monthly 12, weekly 52, daily 7); 0 or 1: none")
    p.add_argument("--program", required=True, help='e.g. "dotnet path/to/SimpleRnnTorch.dll"')
    p.add_argument("--fill", choices=["auto", "none", "linear"], default="auto",
                   help="auto (default): --fill linear when the file has missing values or dates, else not passed")
    p.add_argument("--name", help="the series' name in the row (default: the file's stem)")
    p.add_argument("--header", action="store_true", help="print the table header first")
    p.add_argument("--keep", help="keep the temporary files in this folder instead of a temp folder")
    a = p.parse_args()
    warnings.simplefilter("ignore")

    info = read_series(a.file, a.time_column, a.column)
    freq = info["freq"]
    horizon = a.horizon or {"yearly": 10, "quarterly": 8, "monthly": 12, "weekly": 52, "daily": 14}.get(freq)
    if not horizon or horizon < 1:
        fail("give --horizon (the frequency has no default)")
    if a.season is not None:
        m = a.season if a.season > 1 else None
    else:
        m = DEFAULT_SEASON.get(freq)
    gaps = info["missing_dates"] > 0 or info["missing_values"] > 0
    fill = {"auto": "linear" if gaps else None, "none": "none", "linear": "linear"}[a.fill]

    y, observed = filled_grid(info)
    n = len(y)
    origins = [n - horizon - (ORIGINS - 1 - k) * horizon for k in range(ORIGINS)]
    if origins[0] < 3:
        fail(f"{n} values are too few for {ORIGINS} origins of H = {horizon}")
    name = a.name or os.path.splitext(os.path.basename(a.file))[0]
    print(f"# {name}: {info['value_name']} from {a.file}, {len(info['data_lines'])} rows, grid of {n} "
          f"({freq}), {info['missing_dates']} missing date(s), {info['missing_values']} missing value(s); "
          f"H = {horizon}, m = {m}, fill = {fill}, origins at grid positions {origins}", file=sys.stderr)

    names = ["model", "naive", "snaive", "drift", "AR", "HW", "Theta"]
    scores = {k: [] for k in names}
    coverage = []
    walls = []
    failures = []
    pos = np.array(info["pos"])
    workroot = a.keep or tempfile.mkdtemp(prefix="series_protocol_")
    os.makedirs(workroot, exist_ok=True)
    for k, o in enumerate(origins):
        history, actual = y[:o], y[o:o + horizon]
        interpolated_actuals = int((~observed[o:o + horizon]).sum())
        scale = float(np.mean(np.abs(np.diff(history))))
        rows_before = [ln for ln, pp in zip(info["data_lines"], pos) if pp < o]
        origin_label = next((t for t, pp in zip(info["time_cells"], pos) if pp == o), None)
        folder = os.path.join(workroot, f"origin{k + 1}")
        os.makedirs(folder, exist_ok=True)
        trunc = os.path.join(folder, "trunc.csv")
        with open(trunc, "w", newline="") as f:
            f.write(info["header_line"] + "\n")
            for ln in rows_before:
                f.write(ln + "\n")
        out = os.path.join(folder, "out")
        cmd, proc, wall = run_program(a.program, trunc, a.time_column, fill, horizon, out)
        walls.append(wall)
        detail = [f"origin {k + 1}: position {o} ({origin_label or '?'}), {len(rows_before)} rows before it, "
                  f"naive scale {scale:.6g}, {interpolated_actuals} interpolated actual(s), "
                  f"program {wall:.2f} s, exit {proc.returncode}"]
        if k == 0:
            print("  command: " + " ".join(shlex.quote(c) for c in cmd), file=sys.stderr)
        model_mase = math.nan
        if proc.returncode != 0:
            failures.append(f"origin {k + 1}: exit {proc.returncode}: {proc.stderr.strip()[-2000:]}")
        else:
            try:
                labels, fc, lo, up = read_forecast(os.path.join(out, "forecast.csv"), horizon)
                model_mase = float(np.mean(np.abs(actual - fc))) / scale
                cov = float(np.mean((actual >= lo) & (actual <= up)))
                coverage.append(cov)
                if origin_label is not None and labels[0] != origin_label:
                    detail.append(f"    WARNING: first forecast label {labels[0]!r}, origin's date {origin_label!r}")
                detail.append(f"    model MASE {model_mase:.4f}, coverage {cov:.3f}, labels {labels[0]}..{labels[-1]}")
            except (OSError, ValueError) as e:
                failures.append(f"origin {k + 1}: forecast.csv: {e}")
        scores["model"].append(model_mase)

        base = {"naive": naive(history, horizon), "drift": drift(history, horizon)}
        if m:
            base["snaive"] = seasonal_naive(history, horizon, m)
        notes = []
        for key, fn in (("AR", ar_aic), ("HW", holt_winters), ("Theta", theta)):
            try:
                fc, note = fn(history, horizon, m)
                base[key] = fc
                notes.append(f"{key}: {note}")
            except Exception as e:  # a baseline that cannot fit is reported, not fatal
                notes.append(f"{key}: failed ({type(e).__name__}: {e})")
        for key in names[1:]:
            if key in base:
                scores[key].append(float(np.mean(np.abs(actual - base[key]))) / scale)
            else:
                scores[key].append(math.nan)
        detail.append("    " + ", ".join(f"{key} {scores[key][-1]:.4f}" for key in names[1:] if key in base)
                      + "; " + "; ".join(notes))
        print("\n".join(detail), file=sys.stderr)

    if not a.keep:
        shutil.rmtree(workroot, ignore_errors=True)
    for fline in failures:
        print("  FAILURE " + fline, file=sys.stderr)

    def mean(key):
        v = scores[key]
        return float(np.mean(v)) if v and not any(math.isnan(x) for x in v) else math.nan

    means = {k: mean(k) for k in names}
    classical = [means[k] for k in ("AR", "HW", "Theta") if not math.isnan(means[k])]
    best = min(classical) if classical else math.nan
    ratio = means["model"] / best if classical and not math.isnan(means["model"]) else math.nan
    beats = "—" if math.isnan(means["model"]) else ("yes" if means["model"] < means["naive"] else "no")
    if len(coverage) == ORIGINS:
        cov = f"{np.mean(coverage):.3f} ({' / '.join(f'{c:.2f}' for c in coverage)})"
    else:
        cov = "—"
    model_cell = fmt(means["model"]) if not failures else f"failed at {len(failures)}/{ORIGINS}"
    if a.header:
        print("| series | H | m | model | naive | snaive | drift | AR-AIC | damped HW | Theta | model / best classical "
              "| beats naive | coverage: mean (per origin) | median wall s |")
        print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|---:|")
    print(f"| {name} | {horizon} | {m or '—'} | {model_cell} | {fmt(means['naive'])} | "
          f"{fmt(means['snaive']) if m else '—'} | {fmt(means['drift'])} | {fmt(means['AR'])} | {fmt(means['HW'])} | "
          f"{fmt(means['Theta'])} | {fmt(ratio, 2)} | {beats} | {cov} | {statistics.median(walls):.2f} |")


if __name__ == "__main__":
    main()
