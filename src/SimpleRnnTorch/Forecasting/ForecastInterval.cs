namespace SimpleRnnTorch.Forecasting;

/// <summary>
/// A prediction interval from backtest errors (split conformal, per step): at step h the n errors
/// e = actual − forecast of the backtest's origins are sorted, e(1) ≤ … ≤ e(n), and with α = 1 − level
/// the offsets added to a point forecast are
/// <code>lower = e(⌊(n+1)·α/2⌋),  upper = e(⌈(n+1)·(1 − α/2)⌉)</code>
/// Equal tails, each with the conformal finite-sample rank: if the errors of the future forecast are
/// exchangeable with the backtest's, the actual falls inside with probability at least <c>level</c>. Then the
/// interval is widened, where it must be, to hold the point forecast itself (lower ≤ 0 ≤ upper): a model whose
/// errors lean one way would otherwise print a forecast outside its own interval (1.5% of the corpus' forecast
/// steps), which reads as a bug; widening keeps the guarantee, and moved the corpus' pooled coverage by 0.0005.
/// </summary>
/// <remarks>
/// When n is too small for the level (a rank outside 1..n: n &lt; 9 at 0.8, n &lt; 39 at 0.95) there is no
/// finite conformal bound; the interval is then widened instead: the missing bound becomes the extreme error
/// pushed out by W = max(e(n) − e(1), max |e|), and <see cref="Guaranteed"/> is false for that step. The
/// offsets are therefore always finite, never NaN. Four origins give four errors per step: too few for the
/// guarantee at 0.8, so for intervals backtest with more origins (a smaller spacing).
/// </remarks>
/// <param name="Lower">Offset added to the point forecast at step h (index h − 1) for the lower bound; at most <paramref name="Upper"/>.</param>
/// <param name="Counts">How many errors each step's offsets come from.</param>
/// <param name="Guaranteed">Whether each step had enough errors for the conformal ranks (no widening).</param>
internal sealed record ForecastInterval(double Level, double[] Lower, double[] Upper, int[] Counts, bool[] Guaranteed)
{
    public const double DefaultLevel = 0.8;

    public int Horizon => Lower.Length;

    /// <summary>The interval from the errors at each step: <paramref name="errorsByStep"/>[h − 1] holds step h's errors.</summary>
    public static ForecastInterval FromErrors(IReadOnlyList<IReadOnlyList<double>> errorsByStep, double level = DefaultLevel)
    {
        ArgumentNullException.ThrowIfNull(errorsByStep);
        if (!(level > 0 && level < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(level), level, "the level must be in (0, 1)");
        }

        if (errorsByStep.Count == 0)
        {
            throw new ArgumentException("no steps", nameof(errorsByStep));
        }

        var horizon = errorsByStep.Count;
        var lower = new double[horizon];
        var upper = new double[horizon];
        var counts = new int[horizon];
        var guaranteed = new bool[horizon];
        var tail = (1 - level) / 2;
        for (var h = 0; h < horizon; h++)
        {
            var e = errorsByStep[h].ToArray();
            if (e.Length == 0 || !e.All(double.IsFinite))
            {
                throw new ArgumentException($"step {h + 1} needs at least one error, all finite", nameof(errorsByStep));
            }

            Array.Sort(e);
            var n = e.Length;
            // Ranks are 1-based; the small epsilon keeps (n+1)·0.1 = 1.0000000000000002 from becoming rank 2.
            var lowRank = (int)Math.Floor((n + 1) * tail + 1e-9);
            var highRank = (int)Math.Ceiling((n + 1) * (1 - tail) - 1e-9);
            var widen = Math.Max(e[^1] - e[0], Math.Max(Math.Abs(e[0]), Math.Abs(e[^1])));
            lower[h] = Math.Min(0, lowRank >= 1 ? e[lowRank - 1] : e[0] - widen);
            upper[h] = Math.Max(0, highRank <= n ? e[highRank - 1] : e[^1] + widen);
            counts[h] = n;
            guaranteed[h] = lowRank >= 1 && highRank <= n;
        }

        return new ForecastInterval(level, lower, upper, counts, guaranteed);
    }

    /// <summary>The interval from one forecaster's backtest: at step h, its errors at every origin.</summary>
    public static ForecastInterval FromBacktest(ForecasterBacktest backtest, double level = DefaultLevel)
    {
        ArgumentNullException.ThrowIfNull(backtest);
        var horizon = backtest.Origins[0].Errors.Length;
        return FromErrors([.. Enumerable.Range(1, horizon).Select(h => (IReadOnlyList<double>)backtest.ErrorsAtStep(h))], level);
    }

    /// <summary>The offsets × <paramref name="unit"/>: an interval in spreads (a panel's) for a window of that spread.</summary>
    public ForecastInterval Times(double unit) => this with { Lower = [.. Lower.Select(v => v * unit)], Upper = [.. Upper.Select(v => v * unit)] };

    /// <summary>Bounds around a point forecast of at most <see cref="Horizon"/> values, none below <paramref name="floor"/> when one is given.</summary>
    public (double[] Lower, double[] Upper) Around(ReadOnlySpan<double> forecast, double? floor = null)
    {
        if (forecast.Length == 0 || forecast.Length > Horizon)
        {
            throw new ArgumentException($"a forecast of {forecast.Length} values for an interval of {Horizon} steps", nameof(forecast));
        }

        var lo = new double[forecast.Length];
        var hi = new double[forecast.Length];
        for (var h = 0; h < forecast.Length; h++)
        {
            (lo[h], hi[h]) = Inference.ForecastInterval.Floored(forecast[h] + Lower[h], forecast[h] + Upper[h], floor);
        }

        return (lo, hi);
    }

    /// <summary>
    /// The fraction of <paramref name="backtest"/>'s actuals (every origin, every step) inside this interval
    /// around that origin's forecast, bounds included. Measured on the backtest the interval came from it is
    /// in-sample and optimistic; measure it on later origins for an honest figure.
    /// </summary>
    public double Coverage(ForecasterBacktest backtest)
    {
        ArgumentNullException.ThrowIfNull(backtest);
        int inside = 0, total = 0;
        foreach (var o in backtest.Origins)
        {
            if (o.Errors.Length > Horizon)
            {
                throw new ArgumentException($"the backtest forecasts {o.Errors.Length} steps, the interval covers {Horizon}", nameof(backtest));
            }

            for (var h = 0; h < o.Errors.Length; h++)
            {
                total++;
                if (o.Errors[h] >= Lower[h] && o.Errors[h] <= Upper[h])
                {
                    inside++;
                }
            }
        }

        return (double)inside / total;
    }
}
