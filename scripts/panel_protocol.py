#!/usr/bin/env python3
"""The panel protocol: the program's forecasts of many series in one file against R's forecast package.

For each panel of data/panels/manifest.csv (name, file, format long|wide, id column, time column, value
column(s), frequency, horizon H, season m): one origin per series, its last H values held out. A series'
values are its rows in file order, from its first to its last value (a long file: the rows with its id; a
wide file: its column, blank before its start and after its end); a blank inside is filled linearly for
scoring and for R. Series shorter than H + 2m + 10 are left out (and counted). H is M4's (yearly 6,
quarterly 8, monthly 18, daily 14, hourly 48); m is 1 yearly and daily (business days), 4 quarterly,
12 monthly, 24 hourly. Dates are not checked against a calendar: the rows are the steps.

  - R's forecast package (scripts/panel_yardsticks.R): naive, snaive (m > 1), ets, thetaf, auto.arima with
    80% intervals, fitted on each series' training part (ets and auto.arima on at most its last 2,000
    values; auto.arima by conditional sum of squares when m > 12: see that script). Cached in
    data/panels/panel_r_forecasts.csv (the manifest's folder), keyed by panel, series, m, H and a hash of
    the training values; only series the cache lacks are computed (--refresh-r: all), by --r-jobs Rscript
    processes side by side.
  - the program, with --program and --mode:
      global (default): the cut file, the panel without each series' last H values in the panel's own
        format (header verbatim; a long file's rows verbatim; a wide file's time column and the series'
        columns, blank where a series has no value), is given to ONE run:
          PROGRAM train --data CUT.csv [--id-column ID] --time-column T --column V|A,B,C [--fill linear]
                  --horizon H -o OUT -v 0 --no-save [--program-args]
        (--fill linear only when the cut has a blank value). OUT/forecast.csv (`<id column, or "series" for
        a wide file>,<time column>,forecast,lower,upper`, H rows per series) is read per series. A refusal
        (non-zero exit, or no forecast.csv) is one line on stderr and the panel's program scores are skipped.
      local: each series' training part is written to its own CSV (`<time column>,<value column>`) and
        `PROGRAM train --data S.csv --time-column T --column V [--fill linear] --horizon H -o OUT -v 0
        --no-save` runs once per series, --jobs at a time (each with --threads 1 when --jobs > 1 unless
        --program-args sets it): one network per series against the global network.
    Each run's wall time and peak resident memory are measured (/usr/bin/time -f '%e %M' when it exists,
    else the rusage of a wrapper child).

Scores per series: MASE = the MAE over the H values / the training part's mean absolute difference at lag
m; sMAPE = 200/H * sum |a - f| / (|a| + |f|); coverage = the share of the H actual values inside the 80%
interval.

Writes (in --results, default data/panels/results/)
  <panel>_<mode>_scores.csv     one row per series and method (the program's and R's) of that pass
  <panel>_<mode>_runs.csv       the program's runs: exit, wall seconds, peak RSS; a last "(whole pass)" row
  <panel>_<mode>_forecasts.csv  the program's forecasts and intervals
  panel_summary.md              R's yardsticks per panel (from the cache), then per panel and mode that has a
                                scores file: series count, mean and median MASE of the program and of each R
                                method, the share of series where the program's MASE is below naive's, ets',
                                thetaf's, auto.arima's, its 3 worst series, pooled 80% coverage, time, memory

  /usr/bin/python3 scripts/panel_protocol.py                           # R's yardsticks only (cached)
  /usr/bin/python3 scripts/panel_protocol.py --only grunfeld_long --mode local --jobs 2 \\
      --program "dotnet src/SimpleRnnTorch/bin/Release/net10.0/SimpleRnnTorch.dll"
  /usr/bin/python3 scripts/panel_protocol.py --mode global --program "dotnet .../SimpleRnnTorch.dll"
  /usr/bin/python3 scripts/panel_corpus.py --only-scale --scale-out /tmp/scale && \\
      /usr/bin/python3 scripts/panel_protocol.py --manifest /tmp/scale/manifest.csv --no-r --program "..."

Needs numpy, pandas (Debian 12: python3-statsmodels brings them) and, for series not cached, Rscript with
r-cran-forecast. Exit 2 on bad arguments or an unreadable manifest or panel; 0 otherwise, also when a
program run fails (stderr says so).
"""
import argparse
import concurrent.futures
import csv
import hashlib
import io
import math
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import time

import numpy as np
import pandas as pd

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from m4_protocol import read_cache, write_cache  # noqa: E402  (the same cache format)

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PANELS = os.path.join(ROOT, "data", "panels")
R_METHODS = ["naive", "snaive", "ets", "thetaf", "auto.arima"]
VERSUS = ["naive", "ets", "thetaf", "auto.arima"]
R_MAX_N = 2000  # ets and auto.arima fit at most the last 2,000 values (scripts/panel_yardsticks.R)
MISSING = {"", "nan", "na", "n/a", "null"}
MODES = ("global", "local")
MANIFEST_FIELDS = ["name", "file", "format", "id_column", "time_column", "value_columns", "frequency",
                   "horizon", "season"]


def fail(message):
    print(f"panel_protocol: {message}", file=sys.stderr)
    sys.exit(2)


# ---------------------------------------------------------------- reading panels


def value_of(cell):
    c = cell.strip().strip('"')
    if c.lower() in MISSING:
        return math.nan
    try:
        return float(c)
    except ValueError:
        return None


def resolve(path, manifest_dir):
    if os.path.isabs(path):
        return path
    here = os.path.join(ROOT, path)
    return here if os.path.exists(here) else os.path.join(manifest_dir, path)


def make_series(sid, labels, values, rows):
    """Trims leading and trailing blanks; the filled values, the observed mask, the rows kept."""
    v = np.array(values, dtype=float)
    seen = np.flatnonzero(~np.isnan(v))
    if len(seen) == 0:
        return None
    a, b = seen[0], seen[-1] + 1
    v = v[a:b]
    observed = ~np.isnan(v)
    y = pd.Series(v).interpolate(method="linear", limit_direction="both").to_numpy(float)
    return dict(id=sid, labels=labels[a:b], y=y, observed=observed, rows=rows[a:b])


def load_panel(spec, manifest_dir):
    """The panel's header, raw lines, parsed rows and its series (each: id, labels, values, rows)."""
    path = resolve(spec["file"], manifest_dir)
    try:
        with open(path, newline="", encoding="utf-8-sig") as f:
            text = f.read()
    except OSError as e:
        fail(f"{spec['name']}: cannot read {path}: {e}")
    lines = [ln for ln in text.splitlines() if ln.strip()]
    if len(lines) < 3:
        fail(f"{path}: fewer than 2 data rows")
    header = [h.strip() for h in next(csv.reader([lines[0]]))]
    rows = list(csv.reader(lines[1:]))

    def col(name, what):
        if name in header:
            return header.index(name)
        fail(f"{path}: no {what} column {name!r} in {header}")

    t_idx = col(spec["time_column"], "time")
    fmt = spec["format"]
    series = []
    if fmt == "long":
        i_idx = col(spec["id_column"], "id")
        v_idx = col(spec["value_columns"], "value")
        groups = {}
        for r_i, r in enumerate(rows):
            sid = r[i_idx].strip() if i_idx < len(r) else ""
            groups.setdefault(sid, []).append(r_i)
        for sid, idx in groups.items():
            vals = []
            for r_i in idx:
                r = rows[r_i]
                v = value_of(r[v_idx]) if v_idx < len(r) else math.nan
                if v is None:
                    fail(f"{path} line {r_i + 2}: {r[v_idx]!r} is not a number")
                vals.append(v)
            labels = [rows[r_i][t_idx].strip() for r_i in idx]
            if len(set(labels)) != len(labels):
                fail(f"{path}: series {sid!r} has a time label twice")
            s = make_series(sid, labels, vals, idx)
            if s:
                series.append(s)
        value_columns = [spec["value_columns"]]
    elif fmt == "wide":
        names = ([h for i, h in enumerate(header) if i != t_idx] if spec["value_columns"].strip() == "all"
                 else [c.strip() for c in spec["value_columns"].split(",") if c.strip()])
        labels_all = [r[t_idx].strip() for r in rows]
        for name in names:
            j = col(name, "value")
            vals = []
            for r_i, r in enumerate(rows):
                v = value_of(r[j]) if j < len(r) else math.nan
                if v is None:
                    fail(f"{path} line {r_i + 2}: {r[j]!r} in {name} is not a number")
                vals.append(v)
            s = make_series(name, labels_all, vals, list(range(len(rows))))
            if s:
                s["column"] = j
                series.append(s)
        value_columns = names
    else:
        fail(f"{spec['name']}: format {fmt!r} is neither long nor wide")
    return dict(path=path, lines=lines, header=header, rows=rows, t_idx=t_idx, series=series,
                value_columns=value_columns)


def series_key(panel, sid, m, h, history):
    digest = hashlib.sha1(" ".join(f"{v:.10g}" for v in history).encode()).hexdigest()[:12]
    safe = re.sub(r"[,|\"\n]", "_", sid)
    return f"{panel}|{safe}|{m}|{h}|{digest}"


def load_cuts(spec, manifest_dir):
    """The panel and its scored series (each with history, actual, key); the count left out."""
    panel = load_panel(spec, manifest_dir)
    h, m = int(spec["horizon"]), int(spec["season"])
    kept, left_out = [], []
    for s in panel["series"]:
        n = len(s["y"])
        if n < h + 2 * m + 10:
            left_out.append(s["id"])
            continue
        s.update(n=n, h=h, m=m, history=s["y"][:n - h], actual=s["y"][n - h:], actual_labels=s["labels"][n - h:],
                 key=series_key(spec["name"], s["id"], m, h, s["y"][:n - h]))
        kept.append(s)
    panel.update(kept=kept, left_out=left_out, h=h, m=m)
    return panel


# ---------------------------------------------------------------- R


# read_cache and write_cache: the M4 protocol's (the same cache format).
def run_r(series, cache_path, refresh, r_jobs):
    cache = {} if refresh else read_cache(cache_path)
    known = {k for k, _ in cache}
    todo = sorted({s["key"]: s for s in series if s["key"] not in known}.values(), key=lambda s: -len(s["history"]))
    if not todo:
        return cache
    k = max(1, min(r_jobs, len(todo)))
    print(f"R yardsticks: {len(todo)} series not cached, {k} Rscript process(es)", file=sys.stderr)
    with tempfile.TemporaryDirectory(prefix="panel_r_") as tmp:
        procs = []
        t0 = time.perf_counter()
        for j in range(k):
            jobs, out = os.path.join(tmp, f"jobs{j}.csv"), os.path.join(tmp, f"out{j}.csv")
            with open(jobs, "w", newline="") as f:
                w = csv.writer(f, lineterminator="\n")
                w.writerow(["key", "m", "h", "y"])
                for s in todo[j::k]:  # longest first, dealt round the processes
                    w.writerow([s["key"], s["m"], s["h"], " ".join(f"{v:.10g}" for v in s["history"])])
            procs.append((subprocess.Popen(["Rscript", os.path.join(ROOT, "scripts", "panel_yardsticks.R"), jobs, out,
                                            str(R_MAX_N)]), out))
        bad = [p.wait() for p, _ in procs]
        print(f"R yardsticks: {time.perf_counter() - t0:.1f} s", file=sys.stderr)
        by_key = {s["key"]: s for s in todo}
        for p, out in procs:
            if not os.path.exists(out):
                continue
            got = read_cache(out)
            # only series with every method complete (an Rscript stopped part-way leaves a series half written)
            for key, s in by_key.items():
                want = [mt for mt in R_METHODS if mt != "snaive" or s["m"] > 1]
                if all((key, mt) in got and len(got[(key, mt)][0]) == s["h"] for mt in want):
                    cache.update({(key, mt): got[(key, mt)] for mt in want})
        if any(bad):
            print(f"R yardsticks: an Rscript process exited {max(bad)}; what it finished is kept", file=sys.stderr)
    write_cache(cache_path, cache)
    return cache


# ---------------------------------------------------------------- the program


def measured(cmd, timeout):
    """(exit code, stderr, wall seconds, peak RSS in MB) of one run."""
    with tempfile.NamedTemporaryFile(prefix="panel_time_", suffix=".txt", delete=False) as f:
        stats = f.name
    if os.path.exists("/usr/bin/time"):
        full = ["/usr/bin/time", "-f", "%e %M", "-o", stats] + cmd
    else:
        wrapper = ("import resource, subprocess, sys\n"
                   "r = subprocess.run(sys.argv[2:]).returncode\n"
                   "open(sys.argv[1], 'w').write('0 %d\\n' % resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
                   "sys.exit(r)\n")
        full = [sys.executable, "-c", wrapper, stats] + cmd
    t0 = time.perf_counter()
    try:
        proc = subprocess.run(full, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, timeout=timeout)
        rc, err = proc.returncode, proc.stderr
    except subprocess.TimeoutExpired as e:
        rc, err = 124, (e.stderr.decode(errors="replace") if isinstance(e.stderr, bytes) else (e.stderr or ""))
        err += f"\n(killed after {timeout} s)"
    wall = time.perf_counter() - t0
    peak = math.nan
    try:
        with open(stats) as f:
            last = [ln for ln in f.read().splitlines() if ln.strip()][-1].split()
        peak = float(last[1]) / 1024
    except (OSError, IndexError, ValueError):
        pass
    os.unlink(stats)
    return rc, err, wall, peak


def last_line(err):
    lines = [ln.strip() for ln in err.strip().splitlines() if ln.strip() and not ln.startswith("Command exited")]
    return lines[-1] if lines else "(no stderr)"


def read_program_forecast(path, h, single):
    """series id (None for a single series) -> (labels, forecast, lower, upper)."""
    with open(path, newline="", encoding="utf-8-sig") as f:
        rows = [r for r in csv.reader(f) if r]
    head = [c.strip().lower() for c in rows[0]]
    i_f, i_l, i_u = head.index("forecast"), head.index("lower"), head.index("upper")
    out = {}
    for r in rows[1:]:
        sid = None if single else r[0].strip()
        label = r[0 if single else 1].strip()
        out.setdefault(sid, []).append((label, float(r[i_f]), float(r[i_l]), float(r[i_u])))
    res = {}
    for sid, got in out.items():
        if len(got) != h:
            raise ValueError(f"{path}: {len(got)} rows for {sid or 'the series'}, expected {h}")
        res[sid] = ([g[0] for g in got], np.array([g[1] for g in got]), np.array([g[2] for g in got]),
                    np.array([g[3] for g in got]))
    return res


def write_global_cut(spec, panel, path):
    """The panel less each scored series' last H values, in its own format; True when it has a blank."""
    h = panel["h"]
    blank = False
    if spec["format"] == "long":
        keep = set()
        v_idx = panel["header"].index(spec["value_columns"])
        for s in panel["kept"]:
            keep.update(s["rows"][:s["n"] - h])
        with open(path, "w", newline="") as f:
            f.write(panel["lines"][0] + "\n")
            for r_i, ln in enumerate(panel["lines"][1:]):
                if r_i in keep:
                    f.write(ln + "\n")
                    r = panel["rows"][r_i]
                    blank |= v_idx >= len(r) or r[v_idx].strip().lower() in MISSING
        return blank, [spec["value_columns"]]
    kept = panel["kept"]
    spans = {s["id"]: (s["rows"][0], s["rows"][0] + s["n"] - h) for s in kept}
    first = min(a for a, _ in spans.values())
    last = max(b for _, b in spans.values())
    t_idx = panel["t_idx"]
    names = [s["id"] for s in kept]
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow([panel["header"][t_idx]] + names)
    for r_i in range(first, last):
        r = panel["rows"][r_i]
        cells = [r[t_idx]]
        for s in kept:
            a, b = spans[s["id"]]
            c = r[s["column"]].strip() if a <= r_i < b and s["column"] < len(r) else ""
            blank |= c.lower() in MISSING
            cells.append(c)
        w.writerow(cells)
    with open(path, "w", newline="") as f:
        f.write(buf.getvalue())
    return blank, names


def run_global(spec, panel, program, extra, workroot, timeout):
    folder = os.path.join(workroot, spec["name"])
    os.makedirs(folder, exist_ok=True)
    cut = os.path.join(folder, "cut.csv")
    blank, columns = write_global_cut(spec, panel, cut)
    out = os.path.join(folder, "out")
    cmd = shlex.split(program) + ["train", "--data", cut]
    if spec["format"] == "long":
        cmd += ["--id-column", spec["id_column"]]
    cmd += ["--time-column", spec["time_column"], "--column", ",".join(columns)]
    if blank:
        cmd += ["--fill", "linear"]
    cmd += ["--horizon", str(panel["h"]), "-o", out, "-v", "0", "--no-save", *extra]
    print("  " + " ".join(shlex.quote(c) for c in cmd), file=sys.stderr)
    rc, err, wall, peak = measured(cmd, timeout)
    runs = [dict(series="(all)", exit=rc, wall_s=wall, peak_rss_mb=peak)]
    forecasts = {}
    if rc != 0:
        print(f"panel_protocol: {spec['name']} (global): the program refused the panel, exit {rc}: {last_line(err)}",
              file=sys.stderr)
        return forecasts, runs, False
    try:
        forecasts = read_program_forecast(os.path.join(out, "forecast.csv"), panel["h"], single=False)
    except (OSError, ValueError, IndexError) as e:
        print(f"panel_protocol: {spec['name']} (global): the program exited 0 but its forecast.csv is not one "
              f"of H rows per series: {e}", file=sys.stderr)
        return {}, runs, False
    missing = [s["id"] for s in panel["kept"] if s["id"] not in forecasts]
    if missing:
        print(f"  {spec['name']}: forecast.csv has no rows for {len(missing)} series ({', '.join(missing[:5])}"
              f"{' ...' if len(missing) > 5 else ''})", file=sys.stderr)
    return forecasts, runs, True


def run_local(spec, panel, program, extra, workroot, jobs, timeout):
    h = panel["h"]
    value_name = spec["value_columns"] if spec["format"] == "long" else None
    tcol = spec["time_column"]

    def one(i, s):
        folder = os.path.join(workroot, spec["name"], f"{i:04d}_{re.sub(r'[^A-Za-z0-9_.-]', '_', s['id'])}")
        os.makedirs(folder, exist_ok=True)
        path = os.path.join(folder, "series.csv")
        vname = value_name or s["id"]
        with open(path, "w", newline="") as f:
            w = csv.writer(f, lineterminator="\n")
            w.writerow([tcol, vname])
            for t, v, ok in zip(s["labels"][:s["n"] - h], s["y"][:s["n"] - h], s["observed"][:s["n"] - h]):
                w.writerow([t, f"{v:.10g}" if ok else ""])
        out = os.path.join(folder, "out")
        cmd = shlex.split(program) + ["train", "--data", path, "--time-column", tcol, "--column", vname]
        if not s["observed"][:s["n"] - h].all():
            cmd += ["--fill", "linear"]
        cmd += ["--horizon", str(h), "-o", out, "-v", "0", "--no-save", *extra]
        rc, err, wall, peak = measured(cmd, timeout)
        got = None
        if rc != 0:
            print(f"  {spec['name']} {s['id']}: exit {rc}: {last_line(err)}", file=sys.stderr)
        else:
            try:
                got = read_program_forecast(os.path.join(out, "forecast.csv"), h, single=True)[None]
            except (OSError, ValueError, IndexError, KeyError) as e:
                print(f"  {spec['name']} {s['id']}: forecast.csv: {e}", file=sys.stderr)
        return s["id"], got, dict(series=s["id"], exit=rc, wall_s=wall, peak_rss_mb=peak)

    forecasts, runs = {}, []
    with concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as pool:
        futures = [pool.submit(one, i, s) for i, s in enumerate(panel["kept"])]
        for k, fut in enumerate(concurrent.futures.as_completed(futures)):
            sid, got, run = fut.result()
            runs.append(run)
            if got is not None:
                forecasts[sid] = got
            print(f"  [{k + 1}/{len(futures)}] {spec['name']} {sid}: {run['wall_s']:.1f} s, "
                  f"{run['peak_rss_mb']:.0f} MB", file=sys.stderr)
    return forecasts, runs, True


# ---------------------------------------------------------------- scoring and the summary


def scores(s, fc, lo, up):
    a, y, m = s["actual"], s["history"], s["m"]
    scale = float(np.mean(np.abs(y[m:] - y[:-m])))
    err = np.abs(a - fc)
    mase = float(np.mean(err)) / scale if scale > 0 else math.nan
    with np.errstate(invalid="ignore", divide="ignore"):
        smape = float(np.mean(200 * err / (np.abs(a) + np.abs(fc))))
    cov = float(np.mean((a >= lo) & (a <= up))) if not np.any(np.isnan(lo) | np.isnan(up)) else math.nan
    return mase, smape, cov


def score_rows(spec, panel, rcache, program=None, mode=None, runs_by_series=None):
    rows = []
    for s in panel["kept"]:
        for mt in (["program"] if program is not None else []) + R_METHODS:
            got = program.get(s["id"]) if mt == "program" else rcache.get((s["key"], mt))
            if got is None:
                continue
            if mt == "program":
                _, fc, lo, up = got
                run = (runs_by_series or {}).get(s["id"], {})
                secs, peak = run.get("wall_s", math.nan), run.get("peak_rss_mb", math.nan)
            else:
                fc, lo, up, secs = got
                peak = math.nan
            mase, smape, cov = scores(s, fc, lo, up)
            rows.append(dict(panel=spec["name"], mode=mode or "", series=s["id"], n=s["n"], h=s["h"], m=s["m"],
                             method=mt, MASE=mase, sMAPE=smape, coverage=cov, seconds=secs, peak_rss_mb=peak))
    return rows


def fmt(x, d=3):
    return "—" if x is None or (isinstance(x, float) and math.isnan(x)) else f"{x:.{d}f}"


def pooled_coverage(t, method):
    t = t[(t["method"] == method) & t["coverage"].notna()]
    return float((t["coverage"] * t["h"]).sum() / t["h"].sum()) if len(t) else math.nan


def yardstick_section(specs, loaded, rcache):
    lines = ["## R's yardsticks per panel", "",
             "One origin per series (its last H values); a cell is the mean over the panel's scored series "
             "(a count in brackets when a method scored fewer). `left out`: series shorter than H + 2m + 10.", ""]
    head = "| panel | format | freq | H | m | series | left out | " + " | ".join(R_METHODS) + " |"
    rule = "|---|---|---|---:|---:|---:|---:|" + "---:|" * len(R_METHODS)
    tables = {"Mean MASE": [head, rule], "Median MASE": [head, rule], "Pooled 80% interval coverage": [head, rule],
              "Mean sMAPE": [head, rule]}
    for spec in specs:
        panel = loaded[spec["name"]]
        t = pd.DataFrame(score_rows(spec, panel, rcache))
        lead = (f"| {spec['name']} | {spec['format']} | {spec['frequency']} | {panel['h']} | {panel['m']} | "
                f"{len(panel['kept'])} | {len(panel['left_out'])} | ")
        for title in tables:
            cells = []
            for mt in R_METHODS:
                v = t.loc[t["method"] == mt] if len(t) else t
                if not len(v) or v["MASE"].notna().sum() == 0:
                    cells.append("—")
                    continue
                if title == "Pooled 80% interval coverage":
                    cells.append(fmt(pooled_coverage(t, mt)))
                    continue
                col = "sMAPE" if title == "Mean sMAPE" else "MASE"
                x = v[col].median() if title.startswith("Median") else v[col].mean()
                c = fmt(x, 2 if col == "sMAPE" else 3)
                ok = int(v[col].notna().sum())
                cells.append(c if ok == len(panel["kept"]) else f"{c} ({ok})")
            tables[title].append(lead + " | ".join(cells) + " |")
    for title, rows in tables.items():
        lines += [f"### {title}", ""] + rows + [""]
    return lines


def program_section(spec, panel, mode, table, runs):
    n_series = len(panel["kept"])
    prog = table[table["method"] == "program"]
    what = "one network for the whole panel" if mode == "global" else "one network per series"
    title = f"### {spec['name']}, {mode} ({what})"
    lines = [title, ""]
    label = runs["label"].iloc[0] if "label" in runs.columns and len(runs) else ""
    whole = runs[runs["series"] == "(whole pass)"]
    per = runs[runs["series"] != "(whole pass)"]
    failed = int((per["exit"] != 0).sum())
    lines.append(f"{n_series} series scored ({len(panel['left_out'])} left out: shorter than H + 2m + 10), H = "
                 f"{panel['h']}, m = {panel['m']}; the program gave a forecast for {prog['MASE'].notna().sum()}"
                 + (f"; {failed} run(s) failed" if failed else "") + (f"; program: `{label}`" if label else "") + ".")
    lines.append("")
    methods = ["program"] + R_METHODS
    piv = table.pivot(index="series", columns="method", values="MASE")
    lines += ["| | " + " | ".join(methods) + " |", "|---|" + "---:|" * len(methods)]

    def cells(fn, d=3):
        out = []
        for mt in methods:
            v = table.loc[table["method"] == mt]
            out.append(fmt(fn(v), d) if len(v) and v["MASE"].notna().any() else "—")
        return out

    lines.append("| mean MASE | " + " | ".join(cells(lambda v: v["MASE"].mean())) + " |")
    lines.append("| median MASE | " + " | ".join(cells(lambda v: v["MASE"].median())) + " |")
    lines.append("| mean sMAPE | " + " | ".join(cells(lambda v: v["sMAPE"].mean(), 2)) + " |")
    lines.append("| pooled 80% coverage | " + " | ".join(
        fmt(pooled_coverage(table, mt)) for mt in methods) + " |")
    if "program" in piv.columns:
        beat = ["—"]
        for mt in R_METHODS:
            if mt not in VERSUS or mt not in piv.columns:
                beat.append("—")
                continue
            ok = piv[["program", mt]].dropna()
            k = int((ok["program"] < ok[mt]).sum())
            beat.append(f"{k}/{len(ok)} ({100 * k / max(1, len(ok)):.0f}%)" if len(ok) else "—")
        lines.append("| program's MASE lower on | " + " | ".join(beat) + " |")
    lines.append("")
    if "program" in piv.columns and piv["program"].notna().any():
        worst = piv["program"].dropna().sort_values(ascending=False).head(3)
        parts = []
        for sid, v in worst.items():
            others = ", ".join(f"{mt} {fmt(piv.loc[sid, mt])}" for mt in ("ets", "thetaf", "auto.arima")
                               if mt in piv.columns)
            parts.append(f"`{sid}` {fmt(v)}" + (f" ({others})" if others else ""))
        lines.append("- 3 worst series by the program's MASE: " + "; ".join(parts))
    if len(per):
        walls = per["wall_s"].astype(float)
        peaks = per["peak_rss_mb"].astype(float)
        if mode == "global":
            lines.append(f"- time: one run, {walls.iloc[0]:.1f} s wall; peak RSS {fmt(peaks.iloc[0], 0)} MB")
        else:
            elapsed = float(whole["wall_s"].iloc[0]) if len(whole) else math.nan
            jobs = int(whole["jobs"].iloc[0]) if len(whole) and "jobs" in whole.columns else 1
            lines.append(f"- time: {len(per)} runs, {walls.sum():.1f} s in all (median {walls.median():.1f} s, "
                         f"max {walls.max():.1f} s per run), {fmt(elapsed, 1)} s elapsed with {jobs} at a time; "
                         f"peak RSS per run: median {fmt(peaks.median(), 0)} MB, max {fmt(peaks.max(), 0)} MB")
    lines.append("")
    return lines


def overview(entries):
    lines = ["## Overview: the program per panel and mode", "",
             "| panel | mode | series | program mean MASE | median | best R mean (method) | lower than ets on | "
             "program coverage | ets coverage | wall s | peak MB |",
             "|---|---|---:|---:|---:|---|---:|---:|---:|---:|---:|"]
    for spec, panel, mode, table, runs in entries:
        piv = table.pivot(index="series", columns="method", values="MASE")
        if "program" not in piv.columns:
            continue
        means = {mt: piv[mt].mean() for mt in R_METHODS if mt in piv.columns}
        best = min(means, key=lambda k: means[k]) if means else None
        ok = piv[["program", "ets"]].dropna() if "ets" in piv.columns else pd.DataFrame()
        k = int((ok["program"] < ok["ets"]).sum()) if len(ok) else 0
        whole = runs[runs["series"] == "(whole pass)"]
        wall = float(whole["wall_s"].iloc[0]) if len(whole) else math.nan
        peak = float(runs["peak_rss_mb"].max()) if len(runs) else math.nan
        lines.append(f"| {spec['name']} | {mode} | {len(panel['kept'])} | {fmt(piv['program'].mean())} | "
                     f"{fmt(piv['program'].median())} | {f'{fmt(means[best])} ({best})' if best else '—'} | "
                     f"{k}/{len(ok)} | {fmt(pooled_coverage(table, 'program'))} | "
                     f"{fmt(pooled_coverage(table, 'ets'))} | "
                     f"{fmt(wall, 1)} | {fmt(peak, 0)} |")
    return lines + [""]


def write_summary(results, specs, loaded, rcache, manifest_path):
    where = os.path.dirname(manifest_path)
    if os.path.commonpath([where, ROOT]) == ROOT:
        where = os.path.relpath(where, ROOT)
    lines = [f"# Panel protocol on {where}", "",
             "Written by `scripts/panel_protocol.py` (see its docstring and data/panels/README.md). One origin: "
             "the last H values of every series held out; MASE scaled by the training part's mean absolute "
             "difference at lag m; 80% intervals.", ""]
    entries = []
    for spec in specs:
        for mode in MODES:
            sp = os.path.join(results, f"{spec['name']}_{mode}_scores.csv")
            rp = os.path.join(results, f"{spec['name']}_{mode}_runs.csv")
            if os.path.exists(sp) and os.path.exists(rp):
                table = pd.read_csv(sp, dtype={"series": str}, keep_default_na=True)
                runs = pd.read_csv(rp, dtype={"series": str})
                entries.append((spec, loaded[spec["name"]], mode, table, runs))
    if entries:
        lines += overview(entries)
    lines += yardstick_section(specs, loaded, rcache)
    if entries:
        lines += ["## The program per panel and mode", ""]
        for spec, panel, mode, table, runs in entries:
            lines += program_section(spec, panel, mode, table, runs)
    text = "\n".join(lines)
    with open(os.path.join(results, "panel_summary.md"), "w") as f:
        f.write(text)
    return text


# ---------------------------------------------------------------- main


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--manifest", default=os.path.join(PANELS, "manifest.csv"))
    p.add_argument("--only", help="comma-separated panel names")
    p.add_argument("--mode", default="global", help="global (one run on the whole cut file) or local (one per series)")
    p.add_argument("--program",
                   help='run the program, e.g. "dotnet src/SimpleRnnTorch/bin/Release/net10.0/SimpleRnnTorch.dll"')
    p.add_argument("--program-args", default="", help='more options for every program run, e.g. "--epochs 50"')
    p.add_argument("--program-label", help="how the summary names the program (default: the command)")
    p.add_argument("--jobs", type=int, default=1, help="local mode: program runs at a time")
    p.add_argument("--timeout", type=float, help="seconds before a program run is killed (exit 124)")
    p.add_argument("--r-cache", help="R's forecasts (default: panel_r_forecasts.csv beside the manifest)")
    p.add_argument("--refresh-r", action="store_true", help="recompute every R forecast")
    p.add_argument("--no-r", action="store_true", help="do not run R: score only what its cache holds")
    p.add_argument("--r-jobs", type=int, default=max(1, min(4, os.cpu_count() or 1)),
                   help="Rscript processes side by side (default: the CPUs, at most 4)")
    p.add_argument("--results", help="the results folder (default: results/ beside the manifest)")
    p.add_argument("--keep", help="keep the cut files and the program's outputs in this folder")
    a = p.parse_args()

    if a.mode not in MODES:
        fail(f"--mode must be global or local, not {a.mode!r}")
    if a.jobs < 1 or a.r_jobs < 1:
        fail("--jobs and --r-jobs must be at least 1")
    if a.timeout is not None and a.timeout <= 0:
        fail("--timeout must be positive")
    if a.refresh_r and a.no_r:
        fail("--refresh-r and --no-r contradict each other")
    try:
        extra = shlex.split(a.program_args)
        if a.program is not None and not shlex.split(a.program):
            fail("--program is empty")
    except ValueError as e:
        fail(f"--program/--program-args: {e}")
    manifest_path = os.path.abspath(a.manifest)
    mdir = os.path.dirname(manifest_path)
    try:
        with open(manifest_path, newline="") as f:
            reader = csv.DictReader(f)
            specs = list(reader)
            lacking = [c for c in MANIFEST_FIELDS if c not in (reader.fieldnames or [])]
    except OSError as e:
        fail(f"cannot read {a.manifest}: {e}")
    if lacking:
        fail(f"{a.manifest}: no column(s) {', '.join(lacking)}")
    for spec in specs:
        try:
            if int(spec["horizon"]) < 1 or int(spec["season"]) < 1:
                raise ValueError
        except ValueError:
            fail(f"{a.manifest}: {spec['name']}: horizon and season must be whole numbers >= 1")
        if spec["format"] == "long" and not spec["id_column"]:
            fail(f"{a.manifest}: {spec['name']}: a long panel needs an id column")
    names = [s["name"] for s in specs]
    only = [x.strip() for x in a.only.split(",")] if a.only else names
    unknown = [x for x in only if x not in names]
    if unknown:
        fail(f"no panel {', '.join(unknown)} in {a.manifest} (it has {', '.join(names)})")
    results = os.path.abspath(a.results or os.path.join(mdir, "results"))
    r_cache = a.r_cache or os.path.join(mdir, "panel_r_forecasts.csv")
    try:
        os.makedirs(results, exist_ok=True)
    except OSError as e:
        fail(f"cannot make {results}: {e}")
    if a.mode == "local" and a.jobs > 1 and "--threads" not in extra:
        extra += ["--threads", "1"]

    loaded = {spec["name"]: load_cuts(spec, mdir) for spec in specs}  # all: the summary covers every panel
    shown = specs
    for spec in specs:
        panel = loaded[spec["name"]]
        print(f"{spec['name']}: {len(panel['kept'])} series scored, {len(panel['left_out'])} left out, "
              f"H = {panel['h']}, m = {panel['m']}", file=sys.stderr)

    todo_series = [s for n in only for s in loaded[n]["kept"]]
    rcache = read_cache(r_cache) if a.no_r else run_r(todo_series, r_cache, a.refresh_r, a.r_jobs)

    if a.program:
        label = a.program_label or " ".join([a.program] + shlex.split(a.program_args))
        workroot = os.path.abspath(a.keep) if a.keep else tempfile.mkdtemp(prefix="panel_program_")
        for name in only:
            spec, panel = next(s for s in specs if s["name"] == name), loaded[name]
            if not panel["kept"]:
                print(f"{name}: no series long enough; skipped", file=sys.stderr)
                continue
            print(f"{name} ({a.mode}): {len(panel['kept'])} series", file=sys.stderr)
            t0 = time.perf_counter()
            if a.mode == "global":
                forecasts, runs, ok = run_global(spec, panel, a.program, extra, workroot, a.timeout)
            else:
                forecasts, runs, ok = run_local(spec, panel, a.program, extra, workroot, a.jobs, a.timeout)
            elapsed = time.perf_counter() - t0
            if not ok:
                continue
            peak = max((r["peak_rss_mb"] for r in runs if not math.isnan(r["peak_rss_mb"])), default=math.nan)
            runs.append(dict(series="(whole pass)", exit=max(r["exit"] for r in runs), wall_s=elapsed,
                             peak_rss_mb=peak))
            for r in runs:
                r.update(jobs=a.jobs if a.mode == "local" else 1, label=label)
            pd.DataFrame(runs).to_csv(os.path.join(results, f"{name}_{a.mode}_runs.csv"), index=False,
                                      float_format="%.6g")
            frows = []
            odd = []
            for s in panel["kept"]:
                if s["id"] in forecasts:
                    labels, fc, lo, up = forecasts[s["id"]]
                    for k in range(len(fc)):
                        frows.append(dict(series=s["id"], step=k + 1, label=labels[k],
                                          actual_label=s["actual_labels"][k], forecast=fc[k], lower=lo[k],
                                          upper=up[k], actual=s["actual"][k]))
                    if labels != list(s["actual_labels"]):
                        odd.append(f"{s['id']}: {labels[0]}..{labels[-1]} for {s['actual_labels'][0]}.."
                                   f"{s['actual_labels'][-1]}")
            if odd:
                print(f"  {name}: {len(odd)} series' forecast labels are not the held-out times "
                      f"(scored by position), e.g. {odd[0]}", file=sys.stderr)
            pd.DataFrame(frows).to_csv(os.path.join(results, f"{name}_{a.mode}_forecasts.csv"), index=False,
                                       float_format="%.10g")
            by_series = {r["series"]: r for r in runs}
            if a.mode == "global":  # one run for all: its time and memory belong to the panel, not a series
                by_series = {}
            rows = score_rows(spec, panel, rcache, forecasts, a.mode, by_series)
            pd.DataFrame(rows).to_csv(os.path.join(results, f"{name}_{a.mode}_scores.csv"), index=False,
                                      float_format="%.8g")
            t = pd.DataFrame(rows)
            pm = t.loc[t["method"] == "program", "MASE"]
            print(f"{name} ({a.mode}): program mean MASE {fmt(pm.mean())} over {pm.notna().sum()} series, "
                  f"{elapsed:.0f} s", file=sys.stderr)
        if not a.keep:
            shutil.rmtree(workroot, ignore_errors=True)

    text = write_summary(results, shown, loaded, rcache, manifest_path)
    print(text)


if __name__ == "__main__":
    main()
