#!/usr/bin/env python3
"""Builds the forecasting corpus under data/corpus/: statsmodels' and R's series, synthetic ones, a manifest.

  /usr/bin/python3 scripts/m4_corpus.py            (Debian 12: python3-statsmodels, r-base-core)

Writes
  data/corpus/sm_<name>.csv   series from the statsmodels data sets (Debian's python3-statsmodels 0.13.5)
  data/corpus/r_<name>.csv    series from R's `datasets` package (by running scripts/m4_corpus.R)
  data/corpus/syn_<name>.csv  synthetic series, NumPy default_rng(SEED), made below
  data/corpus/manifest.csv    one row per series: name, file, time column, frequency, values, fill,
                              tuned_on (yes: a file of data/ that the program's defaults were tuned on), source
Each CSV is `<time column>,value` with a plain header and LF line ends, dates as the program reads them
(yyyy, yyyyQn, yyyy-MM, yyyy-MM-dd). The manifest also lists the series already in data/ (tuned_on=yes),
by their path, so results can be reported with and without them.
"""
import csv
import datetime as dt
import math
import os
import subprocess
import sys

import numpy as np
import pandas as pd
import statsmodels.api as sm

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "data", "corpus")
SEED = 20261206

# The series of data/ that the program's defaults were tuned on: name, file, time column, frequency, fill.
TUNED = [
    ("nile", "data/nile.csv", "year", "yearly", "none"),
    ("sunspots", "data/sunspots.csv", "YEAR", "yearly", "none"),
    ("danish_lrm", "data/danish_lrm.csv", "quarter", "quarterly", "none"),
    ("macrodata_realgdp", "data/macrodata_realgdp.csv", "quarter", "quarterly", "none"),
    ("macrodata_cpi", "data/macrodata_cpi.csv", "quarter", "quarterly", "none"),
    ("macrodata_m1", "data/macrodata_m1.csv", "quarter", "quarterly", "none"),
    ("elec_equip", "data/elec_equip.csv", "month", "monthly", "none"),
    ("elnino", "data/elnino.csv", "month", "monthly", "none"),
    ("mult_monthly", "data/mult_monthly.csv", "month", "monthly", "none"),
    ("co2_weekly", "data/co2_weekly.csv", "date", "weekly", "linear"),
]

R_SERIES = {  # name -> frequency (files written by scripts/m4_corpus.R)
    "USAccDeaths": "monthly", "ldeaths": "monthly", "mdeaths": "monthly", "fdeaths": "monthly",
    "co2": "monthly", "airmiles": "yearly", "uspop": "yearly", "AirPassengers": "monthly",
    "UKgas": "quarterly", "JohnsonJohnson": "quarterly", "nottem": "monthly", "LakeHuron": "yearly",
    "lynx": "yearly", "EuStockMarkets_DAX": "daily", "EuStockMarkets_SMI": "daily",
    "EuStockMarkets_CAC": "daily", "EuStockMarkets_FTSE": "daily",
}


def write(name, labels, values, time_column):
    path = os.path.join(OUT, f"{name}.csv")
    with open(path, "w", newline="") as f:
        f.write(f"{time_column},value\n")
        for t, v in zip(labels, values):
            f.write(f"{t},{'' if v is None or (isinstance(v, float) and math.isnan(v)) else repr_value(v)}\n")
    return os.path.relpath(path, ROOT)


def repr_value(v):
    return f"{v:.6g}" if abs(v) < 1e5 else f"{v:.2f}"


def quarters(year, quarter, n):
    k = year * 4 + quarter - 1
    return [f"{(k + i) // 4}Q{(k + i) % 4 + 1}" for i in range(n)]


def months(year, month, n):
    k = year * 12 + month - 1
    return [f"{(k + i) // 12}-{(k + i) % 12 + 1:02d}" for i in range(n)]


def days(start, n, step=1):
    d0 = dt.date.fromisoformat(start)
    return [(d0 + dt.timedelta(days=step * i)).isoformat() for i in range(n)]


def statsmodels_series():
    rows = []
    macro = sm.datasets.macrodata.load_pandas().data
    for col in ("realcons", "realinv", "realgovt", "realdpi", "unemp", "tbilrate", "pop"):
        labels = quarters(int(macro["year"][0]), int(macro["quarter"][0]), len(macro))
        f = write(f"sm_macrodata_{col}", labels, macro[col].astype(float), "quarter")
        rows.append((f"sm_macrodata_{col}", f, "quarter", "quarterly",
                     f"statsmodels macrodata `{col}` (FRED / BLS), public domain"))
    danish = sm.datasets.danish_data.load_pandas().data
    for col in ("lry", "lpy", "ibo", "ide"):
        labels = quarters(1974, 1, len(danish))
        f = write(f"sm_danish_{col}", labels, danish[col].astype(float), "quarter")
        rows.append((f"sm_danish_{col}", f, "quarter", "quarterly",
                     f"statsmodels danish_data `{col}` (Johansen and Juselius 1990), public domain"))
    fert = sm.datasets.fertility.load_pandas().data.set_index("Country Code")
    years = [c for c in fert.columns if c.isdigit()]
    for code in ("USA", "JPN", "IND", "BRA"):
        v = fert.loc[code, years].astype(float)
        v = v[~v.isna()]
        f = write(f"sm_fertility_{code}", list(v.index), v.to_numpy(), "year")
        rows.append((f"sm_fertility_{code}", f, "year", "yearly",
                     f"statsmodels fertility, {code} (World Bank WDI SP.DYN.TFRT.IN), World Bank terms of use"))
    return rows


def r_series():
    subprocess.run(["Rscript", os.path.join(ROOT, "scripts", "m4_corpus.R"), OUT], check=True, cwd=ROOT,
                   stdout=sys.stderr)
    rows = []
    for name, freq in R_SERIES.items():
        f = os.path.relpath(os.path.join(OUT, f"r_{name}.csv"), ROOT)
        with open(os.path.join(ROOT, f)) as fh:
            tcol = fh.readline().split(",")[0]
        note = "; stand-in consecutive days for trading days" if name.startswith("EuStock") else ""
        rows.append((f"r_{name}", f, tcol, freq, f"R datasets `{name.split('_')[0]}`{note}"))
    return rows


def synthetic_series():
    """Trend, multiplicative season, breaks and noise levels; every series positive."""
    rng = np.random.default_rng(SEED)
    rows = []

    def add(name, labels, y, tcol, freq, what):
        assert np.all(y > 0), name
        rows.append((f"syn_{name}", write(f"syn_{name}", labels, y, tcol), tcol, freq, "synthetic: " + what))

    # yearly: linear trend with AR(1) noise
    n = 70
    e = np.zeros(n)
    for t in range(1, n):
        e[t] = 0.6 * e[t - 1] + rng.normal(0, 3)
    add("yearly_trend_ar", [str(1950 + i) for i in range(n)], 100 + 1.5 * np.arange(n) + e, "year", "yearly",
        "100 + 1.5t + AR(1) noise (phi 0.6, sd 3)")
    # yearly: level and slope break two thirds in
    n = 60
    t = np.arange(n)
    y = 50 + 0.8 * t + np.where(t >= 40, 25 - 1.6 * (t - 40), 0) + rng.normal(0, 2.5, n)
    add("yearly_break", [str(1960 + i) for i in range(n)], y, "year", "yearly",
        "50 + 0.8t, then +25 and slope -0.8 from t = 40, noise sd 2.5")
    # quarterly: exponential growth times a multiplicative season
    n = 100
    t = np.arange(n)
    s4 = np.array([0.85, 1.1, 1.25, 0.8])
    y = 200 * np.exp(0.012 * t) * s4[t % 4] * np.exp(rng.normal(0, 0.02, n))
    add("quarterly_mult", quarters(1990, 1, n), y, "quarter", "quarterly",
        "200 exp(0.012t) x season (0.85, 1.1, 1.25, 0.8) x exp(N(0, 0.02^2))")
    # quarterly: additive season buried in noise, no trend
    n = 80
    t = np.arange(n)
    y = 500 + 20 * np.array([1, -1, 0.5, -0.5])[t % 4] + rng.normal(0, 30, n)
    add("quarterly_noisy", quarters(2000, 1, n), y, "quarter", "quarterly",
        "500 + 20 x (1, -1, 0.5, -0.5) + N(0, 30^2)")
    # monthly: trend times a season whose swing grows with the level
    n = 180
    t = np.arange(n)
    y = (300 + 3 * t) * (1 + 0.3 * np.sin(2 * np.pi * t / 12) + 0.1 * np.cos(4 * np.pi * t / 12)) \
        * np.exp(rng.normal(0, 0.03, n))
    add("monthly_mult", months(2005, 1, n), y, "month", "monthly",
        "(300 + 3t)(1 + 0.3 sin(2 pi t/12) + 0.1 cos(4 pi t/12)) exp(N(0, 0.03^2))")
    # monthly: season, a level break and a slope change
    n = 168
    t = np.arange(n)
    y = 1000 + 2 * t + np.where(t >= 110, -150 + 6 * (t - 110), 0) + 80 * np.sin(2 * np.pi * t / 12) \
        + rng.normal(0, 20, n)
    add("monthly_break", months(2008, 1, n), y, "month", "monthly",
        "1000 + 2t + 80 sin(2 pi t/12), -150 and slope +6 from t = 110, N(0, 20^2)")
    # monthly: weak season, high noise
    n = 144
    t = np.arange(n)
    y = 50 * (1 + 0.1 * np.sin(2 * np.pi * t / 12)) * np.exp(rng.normal(0, 0.25, n))
    add("monthly_noisy", months(2010, 1, n), y, "month", "monthly",
        "50 (1 + 0.1 sin(2 pi t/12)) exp(N(0, 0.25^2))")
    # weekly: yearly cycle (365.25/7 weeks) on a trend
    n = 520
    t = np.arange(n)
    y = 200 + 0.1 * t + 30 * np.sin(2 * np.pi * t / (365.25 / 7)) + rng.normal(0, 6, n)
    add("weekly_annual", days("2010-01-03", n, 7), y, "date", "weekly",
        "200 + 0.1t + 30 sin(2 pi t/52.18) + N(0, 6^2)")
    # weekly: random walk with drift
    n = 300
    y = 100 * np.exp(np.cumsum(rng.normal(0.002, 0.02, n)))
    add("weekly_rw", days("2015-01-04", n, 7), y, "date", "weekly",
        "100 exp(cumulative N(0.002, 0.02^2)): a random walk with drift in logs")
    # weekly: level shifts, moderate noise
    n = 260
    t = np.arange(n)
    y = 80 + np.where(t >= 90, 15, 0) + np.where(t >= 200, -25, 0) + rng.normal(0, 4, n)
    add("weekly_shifts", days("2018-01-07", n, 7), y, "date", "weekly",
        "80, +15 from t = 90, -25 from t = 200, N(0, 4^2)")
    # daily: day-of-week multiplicative pattern on a slow trend
    n = 730
    t = np.arange(n)
    dow = np.array([1.0, 1.05, 1.1, 1.05, 1.2, 0.75, 0.6])
    y = (400 + 0.2 * t) * dow[t % 7] * np.exp(rng.normal(0, 0.05, n))
    add("daily_dow", days("2021-01-04", n), y, "date", "daily",
        "(400 + 0.2t) x day-of-week factors (1, 1.05, 1.1, 1.05, 1.2, 0.75, 0.6) x exp(N(0, 0.05^2))")
    # daily: weekly season with level shifts and AR(1) noise
    n = 600
    t = np.arange(n)
    e = np.zeros(n)
    for i in range(1, n):
        e[i] = 0.7 * e[i - 1] + rng.normal(0, 5)
    y = 300 + 20 * np.sin(2 * np.pi * t / 7) + np.where(t >= 250, 40, 0) + np.where(t >= 480, -30, 0) + e
    add("daily_shifts", days("2022-03-01", n), y, "date", "daily",
        "300 + 20 sin(2 pi t/7), +40 from t = 250, -30 from t = 480, AR(1) noise (phi 0.7, sd 5)")
    # long ones (a few thousand values: the size a default run is timed on)
    # daily: day-of-week and yearly factors on a trend, 15 years
    n = 5478
    t = np.arange(n)
    dow = np.array([1.0, 1.08, 1.1, 1.06, 1.18, 0.8, 0.62])
    y = (800 + 0.05 * t) * dow[t % 7] * (1 + 0.15 * np.sin(2 * np.pi * t / 365.25)) * np.exp(rng.normal(0, 0.06, n))
    add("daily_long", days("2005-01-01", n), y, "date", "daily",
        "(800 + 0.05t) x day-of-week factors (1, 1.08, 1.1, 1.06, 1.18, 0.8, 0.62) x (1 + 0.15 sin(2 pi t/365.25)) x exp(N(0, 0.06^2))")
    # monthly: a season that grows with a wandering level, 250 years
    n = 3000
    t = np.arange(n)
    level = 100 + 0.02 * t + np.cumsum(rng.normal(0, 0.8, n))
    y = np.maximum(level, 10) * (1 + 0.2 * np.sin(2 * np.pi * t / 12)) + rng.normal(0, 2, n)
    add("monthly_long", months(1750, 1, n), y, "month", "monthly",
        "max(100 + 0.02t + random walk (sd 0.8), 10) x (1 + 0.2 sin(2 pi t/12)) + N(0, 2^2)")
    return rows


def count_values(path):
    with open(os.path.join(ROOT, path)) as f:
        return sum(1 for ln in f if ln.strip()) - 1


def main():
    os.makedirs(OUT, exist_ok=True)
    rows = []
    for name, f, tcol, freq, fill in TUNED:
        rows.append(dict(name=name, file=f, time_column=tcol, frequency=freq, fill=fill, tuned_on="yes",
                         source="data/README.md"))
    for name, f, tcol, freq, src in r_series() + statsmodels_series() + synthetic_series():
        rows.append(dict(name=name, file=f, time_column=tcol, frequency=freq, fill="none", tuned_on="no",
                         source=src))
    for r in rows:
        r["values"] = count_values(r["file"])
    fields = ["name", "file", "time_column", "frequency", "values", "fill", "tuned_on", "source"]
    with open(os.path.join(OUT, "manifest.csv"), "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=fields, lineterminator="\n")
        w.writeheader()
        for r in rows:
            w.writerow({k: r[k] for k in fields})
    freq = pd.Series([r["frequency"] for r in rows]).value_counts()
    print(f"{len(rows)} series ({sum(r['tuned_on'] == 'no' for r in rows)} not tuned on): "
          + ", ".join(f"{k} {v}" for k, v in freq.items()), file=sys.stderr)


if __name__ == "__main__":
    main()
