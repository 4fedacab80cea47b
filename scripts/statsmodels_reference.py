#!/usr/bin/env python3
"""statsmodels' answers for the C# forecasting baselines (src/SimpleRnnTorch/Forecasting/).

Three things, all deterministic:

1. --export-data: writes data/co2_weekly.csv, data/macrodata_realgdp.csv and data/nile.csv from the
   data sets statsmodels ships (public domain; see data/README.md). Weeks with no CO2 value stay empty.
2. Always: tests/SimpleRnnTorch.Tests/Forecasting/statsmodels_reference.json, for the xunit cross-check:
   per case the series, ar_select_order(y, maxlag, ic="aic", trend="c")'s order, the refitted
   coefficients and forecasts, and ExponentialSmoothing(trend="add", damped_trend=True,
   seasonal="add" or None, initialization_method="heuristic") fitted parameters, initial states, SSE and
   forecasts; and the heuristic initial states that fit() starts from (fit() then optimises the initial
   states too, with SLSQP, whichever initialization_method: "estimated" and "heuristic" agree here).
3. Always: the rolling-origin protocol of docs/forecasting-baselines.md (4 origins spaced H apart, the
   last leaving H values; MASE = MAE over the H values / in-sample one-step naive MAE before the origin;
   mean over origins) for statsmodels' AR-by-AIC and damped Holt-Winters (heuristic and the default
   "estimated" initial states), printed as a markdown table.

  apt-get install python3-statsmodels      # Debian 12: statsmodels 0.13.5
  /usr/bin/python3 scripts/statsmodels_reference.py [--export-data]

Run from the repository root.
"""
import argparse
import json
import os
import warnings

import numpy as np
import pandas as pd
import statsmodels
import statsmodels.api as sm
from statsmodels.tsa.ar_model import ar_select_order
from statsmodels.tsa.exponential_smoothing.initialization import _initialization_heuristic
from statsmodels.tsa.holtwinters import ExponentialSmoothing

REFERENCE = "tests/SimpleRnnTorch.Tests/Forecasting/statsmodels_reference.json"


def export_data():
    co2 = sm.datasets.co2.load_pandas().data
    out = pd.DataFrame({"date": co2.index.strftime("%Y-%m-%d"), "co2": co2["co2"].values})
    out.to_csv("data/co2_weekly.csv", index=False, float_format="%.1f", lineterminator="\n")

    macro = sm.datasets.macrodata.load_pandas().data
    quarters = [f"{int(y)}Q{int(q)}" for y, q in zip(macro["year"], macro["quarter"])]
    pd.DataFrame({"quarter": quarters, "realgdp": macro["realgdp"].values}).to_csv(
        "data/macrodata_realgdp.csv", index=False, float_format="%.3f", lineterminator="\n")

    nile = sm.datasets.nile.load_pandas().data
    pd.DataFrame({"year": nile["year"].astype(int), "volume": nile["volume"].astype(int)}).to_csv(
        "data/nile.csv", index=False, lineterminator="\n")


def read_series(path, column):
    """The column as float64, missing values filled by linear interpolation (as --fill linear does)."""
    frame = pd.read_csv(path)
    values = frame[column].astype(float)
    return values.interpolate(method="linear", limit_direction="both").to_numpy()


def synthetic_monthly():
    """20 years of monthly data: a trend, a 12-month season and N(0, 1) noise; seed 7."""
    rng = np.random.default_rng(7)
    t = np.arange(240)
    return 50 + 0.3 * t + 8 * np.sin(2 * np.pi * t / 12) + 3 * np.cos(2 * np.pi * t / 6) + rng.normal(0, 1, t.size)


def uses_season(n, m):
    """The C# rule: a season needs max(2m, 10 + 2*(m//2)) values (statsmodels' heuristic needs that too)."""
    return m is not None and m > 1 and n >= max(2 * m, 10 + 2 * (m // 2))


def fit_ar(y, maxlag):
    selection = ar_select_order(y, maxlag, ic="aic", trend="c")
    result = selection.model.fit()
    lags = selection.ar_lags
    order = 0 if lags is None or len(lags) == 0 else int(max(lags))
    return order, result


def fit_hw(y, m, initialization="heuristic"):
    seasonal = uses_season(len(y), m)
    model = ExponentialSmoothing(y, trend="add", damped_trend=True, seasonal="add" if seasonal else None,
                                 seasonal_periods=m if seasonal else None, initialization_method=initialization)
    return seasonal, model.fit()


def case(name, y, horizon, maxlag, season):
    order, ar = fit_ar(y, maxlag)
    params = np.asarray(ar.params)
    seasonal, hw = fit_hw(y, season)
    p = hw.params
    h_level, h_trend, h_season = _initialization_heuristic(y, "add", "add" if seasonal else False, season if seasonal else None)
    return {
        "name": name,
        "values": [float(v) for v in y],
        "horizon": horizon,
        "ar": {
            "max_lag": maxlag,
            "order": order,
            "intercept": float(params[0]),
            "coefficients": [float(v) for v in params[1:]],
            "forecast": [float(v) for v in ar.forecast(horizon)],
        },
        "holt_winters": {
            "season": season if seasonal else 0,
            "alpha": float(p["smoothing_level"]),
            "beta": float(p["smoothing_trend"]),
            "gamma": float(p["smoothing_seasonal"]) if seasonal else 0.0,
            "phi": float(p["damping_trend"]),
            "initial_level": float(p["initial_level"]),
            "initial_trend": float(p["initial_trend"]),
            "initial_season": [float(v) for v in np.atleast_1d(p["initial_seasons"])] if seasonal else [],
            "heuristic_level": float(h_level),
            "heuristic_trend": float(h_trend),
            "heuristic_season": [float(v) for v in h_season] if seasonal else [],
            "sse": float(hw.sse),
            "forecast": [float(v) for v in hw.forecast(horizon)],
        },
    }


# (label, file, column, horizon, season, AR max lag): the protocol's series.
PROTOCOL = [
    ("sunspots (yearly)", "data/sunspots.csv", "SUNACTIVITY", 10, 11, 10),
    ("Nile (yearly)", "data/nile.csv", "volume", 10, None, 10),
    ("US real GDP (quarterly)", "data/macrodata_realgdp.csv", "realgdp", 8, 4, 8),
    ("Mauna Loa CO2 (weekly)", "data/co2_weekly.csv", "co2", 52, 52, 52),
]


def protocol_row(y, horizon, season, maxlag):
    origins = [len(y) - horizon - (3 - k) * horizon for k in range(4)]
    scores = {"AR-AIC": [], "damped HW (heuristic)": [], "damped HW (estimated)": []}
    for o in origins:
        history, actual = y[:o], y[o:o + horizon]
        scale = np.mean(np.abs(np.diff(history)))
        _, ar = fit_ar(history, maxlag)
        scores["AR-AIC"].append(np.mean(np.abs(actual - ar.forecast(horizon))) / scale)
        for init in ("heuristic", "estimated"):
            _, hw = fit_hw(history, season, init)
            scores[f"damped HW ({init})"].append(np.mean(np.abs(actual - hw.forecast(horizon))) / scale)
    return {k: float(np.mean(v)) for k, v in scores.items()}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--export-data", action="store_true", help="write the data/*.csv files first")
    args = parser.parse_args()
    warnings.simplefilter("ignore")
    if args.export_data:
        export_data()

    cases = [
        case("sunspots, m = 11", read_series("data/sunspots.csv", "SUNACTIVITY"), 10, 10, 11),
        case("sunspots, no season", read_series("data/sunspots.csv", "SUNACTIVITY"), 10, 10, None),
        case("Nile", read_series("data/nile.csv", "volume"), 10, 10, None),
        case("US real GDP, m = 4", read_series("data/macrodata_realgdp.csv", "realgdp"), 8, 8, 4),
        case("synthetic monthly, m = 12", synthetic_monthly(), 12, 24, 12),
        case("Mauna Loa CO2 weekly, m = 52", read_series("data/co2_weekly.csv", "co2"), 52, 52, 52),
    ]
    os.makedirs(os.path.dirname(REFERENCE), exist_ok=True)
    with open(REFERENCE, "w") as f:
        json.dump({"statsmodels": statsmodels.__version__, "cases": cases}, f, indent=1)
        f.write("\n")
    print(f"wrote {REFERENCE} (statsmodels {statsmodels.__version__})")

    print("\n| series | H | AR-AIC | damped HW (heuristic) | damped HW (estimated) |")
    print("|---|---:|---:|---:|---:|")
    for label, path, column, horizon, season, maxlag in PROTOCOL:
        row = protocol_row(read_series(path, column), horizon, season, maxlag)
        print(f"| {label} | {horizon} | {row['AR-AIC']:.3f} | {row['damped HW (heuristic)']:.3f} | {row['damped HW (estimated)']:.3f} |")


if __name__ == "__main__":
    main()
