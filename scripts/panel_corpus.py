#!/usr/bin/env python3
"""Builds the panel corpus under data/panels/: many series to a CSV file, long or wide, and its manifest.

  /usr/bin/python3 scripts/panel_corpus.py                      (Debian 12: python3-statsmodels, r-base-core)
  /usr/bin/python3 scripts/panel_corpus.py --scale-out /tmp/panel_scale   (also the two large scale panels)

Writes
  data/panels/macrodata_wide.csv    statsmodels' macrodata: `quarter` (1959Q1 ...) and its 12 economic columns
  data/panels/grunfeld_long.csv     statsmodels' grunfeld: `firm,year,invest,value,capital`, 11 firms x 20 years
  data/panels/eustock_wide.csv      R's EuStockMarkets: `date` (business days from 1991-07-01), DAX, SMI, CAC, FTSE
  data/panels/syn_monthly_long.csv  60 synthetic monthly series, `id,month,value`, ragged (60-200 values)
  data/panels/syn_hourly_wide.csv   20 synthetic hourly series x 90 days, `time` (2023-01-01T00:00:00 ...), h01..h20
  data/panels/manifest.csv          one row per panel: name, file, format (long|wide), id column, time column,
                                    value column(s), frequency, horizon H, season m, series, rows, source
With --scale-out DIR (not committed data): DIR/scale_monthly_long.csv (1,000 series x 200 monthly values),
DIR/scale_hourly_long.csv (100 series x 8,760 hourly values), both long, and DIR/manifest.csv listing them
(file paths relative to DIR) for scripts/panel_protocol.py --manifest DIR/manifest.csv; with --many N, also
DIR/many_monthly_long.csv (N series x 30 monthly values, not in the manifest).

data/panels/README.md (written by hand) says where each file comes from. The data sets' values are written
as they are, the synthetic ones with 6 significant digits; these come from NumPy's default_rng(SEED)
and are all positive. Exit 2 on bad arguments.
"""
import argparse
import csv
import datetime as dt
import math
import os
import subprocess
import sys

import numpy as np
import statsmodels.api as sm

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "data", "panels")
SEED = 20261207

# The M4 horizons and the seasons scripts/panel_protocol.py scores with.
HORIZON = {"yearly": 6, "quarterly": 8, "monthly": 18, "daily": 14, "hourly": 48}
SEASON = {"yearly": 1, "quarterly": 4, "monthly": 12, "daily": 1, "hourly": 24}
FIELDS = ["name", "file", "format", "id_column", "time_column", "value_columns", "frequency", "horizon",
          "season", "series", "rows", "source"]


def fail(message):
    print(f"panel_corpus: {message}", file=sys.stderr)
    sys.exit(2)


def num(v):
    """Synthetic values: 6 significant digits (2 decimals from 100,000 on)."""
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return ""
    return f"{v:.6g}" if abs(v) < 1e5 else f"{v:.2f}"


def exact(v):
    """A data set's value as it was read (its shortest round-trip text)."""
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return ""
    return f"{v:.15g}"


def quarters(year, quarter, n):
    k = year * 4 + quarter - 1
    return [f"{(k + i) // 4}Q{(k + i) % 4 + 1}" for i in range(n)]


def month_label(k):
    return f"{k // 12}-{k % 12 + 1:02d}"


def hours(start, n):
    t0 = dt.datetime.fromisoformat(start)
    return [(t0 + dt.timedelta(hours=i)).strftime("%Y-%m-%dT%H:%M:%S") for i in range(n)]


def business_days(start, n):
    d = dt.date.fromisoformat(start)
    out = []
    while len(out) < n:
        if d.weekday() < 5:
            out.append(d.isoformat())
        d += dt.timedelta(days=1)
    return out


def write_wide(path, time_column, labels, columns, text=num):
    """columns: name -> array (NaN: a blank cell)."""
    with open(path, "w", newline="") as f:
        f.write(",".join([time_column] + list(columns)) + "\n")
        for i, t in enumerate(labels):
            f.write(",".join([t] + [text(float(v[i])) for v in columns.values()]) + "\n")


def write_long(path, id_column, time_column, value_column, series):
    """series: list of (id, labels, values)."""
    with open(path, "w", newline="") as f:
        f.write(f"{id_column},{time_column},{value_column}\n")
        for sid, labels, values in series:
            for t, v in zip(labels, values):
                f.write(f"{sid},{t},{num(float(v))}\n")


def row(name, path, fmt, id_column, time_column, values, freq, series, rows, source, base=ROOT):
    return dict(name=name, file=os.path.relpath(path, base), format=fmt, id_column=id_column,
                time_column=time_column, value_columns=values, frequency=freq, horizon=HORIZON[freq],
                season=SEASON[freq], series=series, rows=rows, source=source)


# ---------------------------------------------------------------- real panels


def macrodata():
    d = sm.datasets.macrodata.load_pandas().data
    cols = [c for c in d.columns if c not in ("year", "quarter")]
    labels = quarters(int(d["year"][0]), int(d["quarter"][0]), len(d))
    path = os.path.join(OUT, "macrodata_wide.csv")
    write_wide(path, "quarter", labels, {c: d[c].to_numpy(float) for c in cols}, exact)
    return row("macrodata_wide", path, "wide", "", "quarter", ",".join(cols), "quarterly", len(cols), len(d),
               "statsmodels macrodata (FRED / BLS), public domain")


def grunfeld():
    g = sm.datasets.grunfeld.load_pandas().data
    g["year"] = g["year"].astype(int)
    firms = list(dict.fromkeys(g["firm"]))  # the data set's order
    path = os.path.join(OUT, "grunfeld_long.csv")
    with open(path, "w", newline="") as f:
        f.write("firm,year,invest,value,capital\n")
        for firm in firms:
            for _, r in g[g["firm"] == firm].sort_values("year").iterrows():
                f.write(f"{firm},{r['year']},{exact(r['invest'])},{exact(r['value'])},{exact(r['capital'])}\n")
    return row("grunfeld_long", path, "long", "firm", "year", "invest", "yearly", len(firms), len(g),
               "statsmodels grunfeld (Grunfeld 1950; Kleiber and Zeileis 2008), public domain")


def eustock():
    code = ('x <- EuStockMarkets; write.csv(data.frame(DAX = format(as.numeric(x[, "DAX"]), digits = 15, trim = TRUE),'
            ' SMI = format(as.numeric(x[, "SMI"]), digits = 15, trim = TRUE),'
            ' CAC = format(as.numeric(x[, "CAC"]), digits = 15, trim = TRUE),'
            ' FTSE = format(as.numeric(x[, "FTSE"]), digits = 15, trim = TRUE)), stdout(), row.names = FALSE,'
            ' quote = FALSE)')
    text = subprocess.run(["Rscript", "-e", code], check=True, stdout=subprocess.PIPE, text=True).stdout
    lines = [ln for ln in text.splitlines() if ln.strip()]
    labels = business_days("1991-07-01", len(lines) - 1)
    path = os.path.join(OUT, "eustock_wide.csv")
    with open(path, "w", newline="") as f:
        f.write("date," + lines[0] + "\n")
        for t, ln in zip(labels, lines[1:]):
            f.write(f"{t},{ln}\n")
    return row("eustock_wide", path, "wide", "", "date", lines[0], "daily", 4, len(lines) - 1,
               "R datasets EuStockMarkets (Erste Bank AG, Vienna); stand-in business days from 1991-07-01")


# ---------------------------------------------------------------- synthetic panels

MONTH_SHAPES = {  # multiplicative seasonal shapes, normalised to mean 1 below
    "summer": 1 + 0.35 * np.sin(2 * np.pi * (np.arange(12) - 3) / 12),
    "winter": 1 + 0.3 * np.cos(2 * np.pi * np.arange(12) / 12) + 0.08 * np.cos(4 * np.pi * np.arange(12) / 12),
    "december": np.array([0.85, 0.8, 0.95, 0.97, 1.0, 0.98, 0.95, 0.97, 1.0, 1.05, 1.18, 1.5]),
}


def monthly_series(rng, n, end_month):
    """One synthetic monthly series of n values ending at month index end_month; returns (labels, y, recipe)."""
    shape_name = list(MONTH_SHAPES)[rng.integers(len(MONTH_SHAPES))]
    shape = MONTH_SHAPES[shape_name] / MONTH_SHAPES[shape_name].mean()
    amp = rng.uniform(0.3, 1.3)
    level = 10 ** rng.uniform(0, 4)                      # 1 to 10,000
    growth = rng.uniform(-0.004, 0.01)                   # per month, multiplicative
    sigma = rng.choice([0.01, 0.03, 0.06, 0.12, 0.2])    # noise in logs
    walk = rng.uniform(0, 0.02)                          # a random walk in logs on top
    start = end_month - n + 1
    t = np.arange(n)
    months_of_year = (start + t) % 12
    season = 1 + amp * (shape[months_of_year] - 1)
    season = np.maximum(season, 0.2)
    y = level * np.exp(growth * t + np.cumsum(rng.normal(0, walk, n)) + rng.normal(0, sigma, n)) * season
    labels = [month_label(start + i) for i in range(n)]
    return labels, y, (shape_name, amp, level, growth, sigma, walk)


def syn_monthly(rng, count, lengths, ends, path):
    series = []
    for i in range(count):
        n = int(lengths[i])
        labels, y, _ = monthly_series(rng, n, int(ends[i]))
        assert np.all(y > 0)
        series.append((f"m{i + 1:0{len(str(count))}d}", labels, y))
    write_long(path, "id", "month", "value", series)
    return sum(len(s[2]) for s in series)


DAY_SHAPES = {  # 24 hourly factors, normalised to mean 1 below
    "office": np.array([0.5, 0.45, 0.42, 0.42, 0.45, 0.55, 0.8, 1.1, 1.4, 1.55, 1.6, 1.6,
                        1.5, 1.55, 1.6, 1.55, 1.45, 1.3, 1.1, 0.9, 0.75, 0.65, 0.58, 0.52]),
    "household": np.array([0.6, 0.5, 0.45, 0.45, 0.5, 0.7, 1.1, 1.45, 1.3, 1.0, 0.9, 0.9,
                           0.95, 0.9, 0.88, 0.92, 1.05, 1.35, 1.7, 1.8, 1.6, 1.3, 1.0, 0.75]),
    "sine": 1 + 0.4 * np.sin(2 * np.pi * (np.arange(24) - 9) / 24),
}


def hourly_series(rng, n, start_day_of_week):
    shape_name = list(DAY_SHAPES)[rng.integers(len(DAY_SHAPES))]
    shape = DAY_SHAPES[shape_name] / DAY_SHAPES[shape_name].mean()
    phase = int(rng.integers(-2, 3))                     # hours
    amp = rng.uniform(0.5, 1.3)
    level = 10 ** rng.uniform(1, 3.7)                    # 10 to 5,000
    weekly = rng.random() < 0.5                          # weekend factor on some
    weekend = rng.uniform(0.55, 1.3) if weekly else 1.0
    growth = rng.uniform(-0.0001, 0.0002)                # per hour, multiplicative
    sigma = rng.choice([0.02, 0.05, 0.1, 0.15])
    phi = rng.uniform(0.3, 0.8)                          # AR(1) noise in logs
    t = np.arange(n)
    day = 1 + amp * (np.roll(shape, phase)[t % 24] - 1)
    day = np.maximum(day, 0.1)
    dow = (start_day_of_week + t // 24) % 7
    week = np.where(dow >= 5, weekend, 1.0)
    e = np.zeros(n)
    z = rng.normal(0, sigma * math.sqrt(1 - phi * phi), n)
    e[0] = rng.normal(0, sigma)
    for i in range(1, n):
        e[i] = phi * e[i - 1] + z[i]
    return level * np.exp(growth * t + e) * day * week


def syn_hourly_wide(rng, count, days, path):
    n = 24 * days
    labels = hours("2023-01-01T00:00:00", n)
    dow0 = dt.date(2023, 1, 1).weekday()
    cols = {}
    for i in range(count):
        y = hourly_series(rng, n, dow0)
        assert np.all(y > 0)
        cols[f"h{i + 1:02d}"] = y
    write_wide(path, "time", labels, cols)
    return list(cols), n


def syn_hourly_long(rng, count, n, path):
    labels = hours("2023-01-01T00:00:00", n)
    dow0 = dt.date(2023, 1, 1).weekday()
    with open(path, "w", newline="") as f:
        f.write("id,time,value\n")
        for i in range(count):
            y = hourly_series(rng, n, dow0)
            assert np.all(y > 0)
            sid = f"h{i + 1:03d}"
            f.write("".join(f"{sid},{t},{num(float(v))}\n" for t, v in zip(labels, y)))


def write_manifest(path, rows):
    with open(path, "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=FIELDS, lineterminator="\n")
        w.writeheader()
        for r in rows:
            w.writerow({k: r[k] for k in FIELDS})


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--scale-out", help="also write the two scale panels (and their manifest) into this folder")
    p.add_argument("--only-scale", action="store_true", help="with --scale-out: write only the scale panels")
    p.add_argument("--many", type=int, metavar="N",
                   help="with --scale-out: also write DIR/many_monthly_long.csv, N series of 30 monthly values each "
                        "(how time and memory grow with the number of series rather than their length)")
    a = p.parse_args()
    if (a.only_scale or a.many) and not a.scale_out:
        fail("--only-scale and --many need --scale-out DIR")
    if a.many is not None and not 1 <= a.many <= 100_000:
        fail("--many takes 1 to 100,000 series")

    if not a.only_scale:
        os.makedirs(OUT, exist_ok=True)
        rows = [macrodata(), grunfeld(), eustock()]
        rng = np.random.default_rng(SEED)
        count = 60
        lengths = rng.integers(60, 201, count)
        ends = 2020 * 12 + 11 - rng.integers(0, 72, count)  # the last month: 2015-01 .. 2020-12
        path = os.path.join(OUT, "syn_monthly_long.csv")
        total = syn_monthly(rng, count, lengths, ends, path)
        rows.append(row("syn_monthly_long", path, "long", "id", "month", "value", "monthly", count, total,
                        f"synthetic, default_rng({SEED}): ragged, 3 shared seasonal shapes"))
        path = os.path.join(OUT, "syn_hourly_wide.csv")
        names, n = syn_hourly_wide(rng, 20, 90, path)
        rows.append(row("syn_hourly_wide", path, "wide", "", "time", ",".join(names), "hourly", len(names), n,
                        f"synthetic, default_rng({SEED}): 3 shared daily shapes, weekly factor on some"))
        write_manifest(os.path.join(OUT, "manifest.csv"), rows)
        for r in rows:
            size = os.path.getsize(os.path.join(ROOT, r["file"]))
            print(f"{r['file']}: {r['format']}, {r['series']} series, {r['rows']} rows, {r['frequency']}, "
                  f"{size / 1e6:.2f} MB", file=sys.stderr)

    if a.scale_out:
        out = os.path.abspath(a.scale_out)
        os.makedirs(out, exist_ok=True)
        rng = np.random.default_rng(SEED + 1)
        path = os.path.join(out, "scale_monthly_long.csv")
        total = syn_monthly(rng, 1000, np.full(1000, 200), np.full(1000, 2020 * 12 + 11), path)
        rows = [row("scale_monthly_long", path, "long", "id", "month", "value", "monthly", 1000, total,
                    f"synthetic, default_rng({SEED + 1}): as syn_monthly_long, 200 values each", base=out)]
        path = os.path.join(out, "scale_hourly_long.csv")
        syn_hourly_long(rng, 100, 8760, path)
        rows.append(row("scale_hourly_long", path, "long", "id", "time", "value", "hourly", 100, 100 * 8760,
                        f"synthetic, default_rng({SEED + 1}): as syn_hourly_wide, a year each", base=out))
        write_manifest(os.path.join(out, "manifest.csv"), rows)
        if a.many:
            path = os.path.join(out, "many_monthly_long.csv")
            syn_monthly(np.random.default_rng(SEED + 2), a.many, np.full(a.many, 30), np.full(a.many, 2020 * 12 + 11), path)
            print(f"{path}: {a.many} series, {a.many * 30} rows", file=sys.stderr)
        for r in rows:
            size = os.path.getsize(os.path.join(out, r["file"]))
            print(f"{os.path.join(out, r['file'])}: {r['series']} series, {r['rows']} rows, {size / 1e6:.1f} MB",
                  file=sys.stderr)


if __name__ == "__main__":
    main()
