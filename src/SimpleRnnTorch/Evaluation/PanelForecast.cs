using SimpleRnnTorch.Data;
using SimpleRnnTorch.Forecasting;
using SimpleRnnTorch.Inference;
using ForecastInterval = SimpleRnnTorch.Forecasting.ForecastInterval;
using SimpleRnnTorch.Model;
using SimpleRnnTorch.Scaling;
using static TorchSharp.torch;

namespace SimpleRnnTorch.Evaluation;

/// <summary>One series of a panel after training: its backtest beside the baselines, and its forecast with the interval.</summary>
/// <param name="TrainingValues">The values of the series in the training part; the backtest's origin and the interval's origins come after.</param>
/// <param name="Backtest">Null for a series too short to backtest, which is only forecast.</param>
/// <param name="Labels">The time label of each forecast value.</param>
internal sealed record PanelSeriesOutcome(Series Series, int TrainingValues, BacktestResult? Backtest, double[] Forecast, double[] Lower, double[] Upper, string[] Labels)
{
    public ForecasterBacktest? Model => Backtest?.Forecasters[0];
}

/// <summary>One forecaster across a panel: its MASE per series that has it, their mean and median, and how often the model beats it.</summary>
/// <param name="Beaten">Series where the model's MASE is lower than this forecaster's (for the model itself: 0).</param>
internal sealed record PanelScore(string Name, int Series, double MeanMase, double MedianMase, int Beaten);

/// <summary>What a panel run found after training: each series' outcome, the scores across them, the interval in spreads.</summary>
/// <param name="Interval">The interval's offsets in spreads of the forecast's first window, at least half the series' (<see cref="OnnxModelInfo.IntervalSpread"/>), pooled over every series.</param>
/// <param name="Coverage">The share of the most recent third of every series' interval origins' actual values inside the interval built from the older two thirds.</param>
/// <param name="Skipped">Series shorter than the window, left out of training and forecasts.</param>
internal sealed record PanelOutcome(PanelIds Ids, string? TimeName, IReadOnlyList<PanelSeriesOutcome> Series, IReadOnlyList<PanelScore> Scores,
    ForecastInterval Interval, int IntervalOrigins, double Coverage, int Horizon, IReadOnlyList<Series> Skipped)
{
    /// <summary>The exponential smoothing each series' forecast combines the global network's with (fitted per series), or null: the network alone.</summary>
    public SmoothingCombination? Smoothing { get; init; }

    /// <summary>Why the smoothing has its share (<see cref="SmoothingShare.Why"/>), or null.</summary>
    public string? SmoothingReason { get; init; }

    /// <summary>Series too short for the smoothing (fewer than <see cref="SmoothingCombination.MinimumValues"/> values): forecast by the network alone.</summary>
    public IReadOnlyList<Series> Unsmoothed { get; init; } = [];

    /// <summary>Series whose training part is too short for the smoothing but the whole not: the forecast combines, the backtest is the network's alone.</summary>
    public IReadOnlyList<Series> UnsmoothedBacktests { get; init; } = [];

    /// <summary>True when smoothing was asked for but no series' training part holds the values to fit it: the network alone.</summary>
    public bool SmoothingTooShort { get; init; }

    /// <summary>The smoothed series whose forecast took <see cref="SmoothingCombination.UnseasonedWeight"/> (their chosen form has no season), and the smoothed series in all.</summary>
    public (int Unseasoned, int Smoothed) Shares { get; init; }

    /// <summary>The backtested series with the highest MASE of the model, worst first.</summary>
    public IEnumerable<PanelSeriesOutcome> Worst(int count) => Backtested.OrderByDescending(s => s.Model!.MeanMase).Take(count);

    /// <summary>The series with a backtest (the others are only forecast).</summary>
    public IEnumerable<PanelSeriesOutcome> Backtested => Series.Where(s => s.Backtest is not null);
}

/// <summary>A panel's forecasts by one trained network, console-free: the same pieces as a single series' (<see cref="SeriesForecast"/>), across series.</summary>
internal static class PanelForecast
{
    /// <summary>Interval origins per series, the most recent: enough for each series to weigh in, bounded for a panel of thousands.</summary>
    public const int MaxIntervalOriginsPerSeries = 40;

    /// <summary>
    /// Windows forecast in one batch: a forward pass holds its activations for every window at once (5,000 series of 30
    /// values in one batch of 100,000 windows: 1.26 GB peak), and past a few thousand a larger batch is no faster.
    /// </summary>
    public const int ForecastChunk = 8192;

    /// <summary>
    /// The most recent values each series' baselines are fitted on: a panel fits them once per series, and Holt-Winters'
    /// optimiser and AR's order search cost time in the history's length (100 hourly series of a year: see docs/series.md).
    /// </summary>
    public const int MaxBaselineHistory = 1000;

    /// <summary>What a panel's season has to fit in (<see cref="SmoothingShare.Why"/>).</summary>
    public const string MedianPart = "the median series' training part (a series forecast without a backtest: its values)";

    /// <summary>
    /// Everything after training: one batched network pass from every series' interval origins (which hold its backtest
    /// origin) and from its end, then each series' backtest beside the baselines (in parallel: they are independent and
    /// managed code only), the interval pooled in spreads, and each forecast with it.
    /// </summary>
    /// <param name="smoothing">How exponential smoothing is weighed against the network in each series' forecast (by default
    /// <see cref="SmoothingShare.BySeason"/>); <see cref="SmoothingShare.Backtested"/>: the share whose combination erred least over
    /// every series' backtest origins (<see cref="SeriesForecast.ChosenWeight(IReadOnlyList{ValueTuple{double, double, double}})"/>, in spreads).</param>
    public static PanelOutcome Evaluate(SequenceRegressor model, SequenceScaler scaler, IReadOnlyList<(Series Series, SeriesWindows Windows)> members,
        IReadOnlyList<Series> forecastOnly, int horizon, double level, string modelName, PanelIds ids, IReadOnlyList<Series> skipped, Device device,
        int chunk = ForecastChunk, SmoothingShare? smoothing = null, CancellationToken cancellation = default)
    {
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount, CancellationToken = cancellation };
        var t = members[0].Windows.TimeSteps;
        var network = new NetworkForecaster(model, scaler, t, device, modelName);
        var values = members.Select(m => m.Series.Values.Select(v => (double)v).ToArray()).ToArray();

        // Per series: the table's horizon (what the validation part holds), its interval origins, oldest first.
        var plans = members.Select((m, i) =>
        {
            var start = m.Windows.TrainingValues;
            var h = Math.Min(horizon, values[i].Length - start);
            var origins = SeriesForecast.IntervalOrigins(values[i].Length, start, t, h, horizon).TakeLast(MaxIntervalOriginsPerSeries).ToArray();
            return (Start: start, H: h, Origins: origins);
        }).ToArray();

        // One recursive forecast for every window at once: the interval origins of all series, then every series' end.
        List<double[]> windows = [];
        foreach (var (plan, i) in plans.Select((p, i) => (p, i)))
        {
            windows.AddRange(plan.Origins.Select(o => values[i][(o - t)..o]));
        }

        windows.AddRange(values.Select(v => v[^t..]));
        windows.AddRange(forecastOnly.Select(s => s.Values[^t..].Select(v => (double)v).ToArray()));
        var forecasts = new double[windows.Count][];
        for (var from = 0; from < windows.Count; from += chunk)
        {
            cancellation.ThrowIfCancellationRequested();
            var count = Math.Min(chunk, windows.Count - from);
            network.ForecastFrom(windows.GetRange(from, count), horizon, cancellation).CopyTo(forecasts, from);
        }

        var ends = windows.Count - members.Count - forecastOnly.Count;

        // Every series' values (the backtested, then the forecast-only), and each interval origin's spread, once: the
        // smoothing, the share's choice, the interval's errors and the forecasts' bounds all read them.
        double[][] histories = [.. values, .. forecastOnly.Select(s => s.Values.Select(v => (double)v).ToArray())];
        var spreads = plans.SelectMany((p, i) => p.Origins.Select(o => OnnxModelInfo.IntervalSpread(values[i], o, t))).ToArray();

        // The panel's season: every series asks the same one (the dates' or --season), kept where its training part holds it,
        // so the largest kept is the panel's, whichever series comes first.
        var season = members.Max(m => m.Windows.Season);
        var share = smoothing ?? SmoothingShare.BySeason;
        var (combination, shares) = Combine(histories, plans, forecasts, spreads, ends, horizon, season, share, scaler.Floor, cancellation);

        // The interval: at each step, every origin's error in spreads of its window; the most recent third of each series' held out for the coverage.
        var errors = Enumerable.Range(0, horizon).Select(_ => new List<double>()).ToArray();
        var older = Enumerable.Range(0, horizon).Select(_ => new List<double>()).ToArray();
        var recent = Enumerable.Range(0, horizon).Select(_ => new List<double>()).ToArray();
        var at = 0;
        var firstForecast = new int[members.Count];
        for (var i = 0; i < members.Count; i++)
        {
            firstForecast[i] = at;
            var origins = plans[i].Origins;
            var held = Math.Max(1, origins.Length / 3);
            for (var k = 0; k < origins.Length; k++, at++)
            {
                var spread = spreads[at];
                for (var step = 0; step < horizon && origins[k] + step < values[i].Length; step++)
                {
                    var e = (values[i][origins[k] + step] - forecasts[at][step]) / spread;
                    errors[step].Add(e);
                    (k >= origins.Length - held ? recent : older)[step].Add(e);
                }
            }
        }

        var measured = Enumerable.Range(0, horizon).TakeWhile(step => errors[step].Count > 0).Count();
        var interval = SeriesForecast.AtLeastGrown(SeriesForecast.NeverZero(SeriesForecast.Widened(ForecastInterval.FromErrors(errors[..measured], level)), [0.0, 1.0]));
        interval = SeriesForecast.Extend(interval, horizon);
        var coverage = Coverage(older, recent, level);

        // Each series: its backtest (the network's forecasts read from the batch) beside the baselines, and its forecast.
        var outcomes = new PanelSeriesOutcome[members.Count];
        Parallel.For(0, members.Count, parallel, i =>
        {
            var (series, seriesWindows) = members[i];
            var plan = plans[i];
            var network = new SeriesForecast.Forecasted(new Unavailable(modelName, t), plan.Origins,
                [.. Enumerable.Range(firstForecast[i], plan.Origins.Length).Select(k => forecasts[k])], SeriesForecast.Label(modelName, combination));
            var backtest = Backtest.Run(values[i], [network, .. SeriesForecast.Baselines(values[i], plan.Origins[^1], seriesWindows.Season, MaxBaselineHistory)], 1, plan.H);
            outcomes[i] = Forecast(series, ends + i, plan.Start, backtest);
        });

        PanelSeriesOutcome Forecast(Series series, int at, int start, BacktestResult? backtest)
        {
            // A series never negative keeps its floor in a panel of mixed signs, as SequenceModel.Forecast gives it (FloorFor).
            var floor = Inference.ForecastInterval.PanelFloor(scaler.Floor, histories[at - ends]);
            var forecast = floor is { } f ? [.. forecasts[at].Select(v => Math.Max(f, v))] : forecasts[at];
            var (lower, upper) = interval.Times(OnnxModelInfo.IntervalSpread(histories[at - ends], series.Length, t)).Around(forecast, floor);
            return new PanelSeriesOutcome(series, start, backtest, forecast, lower, upper, [.. Enumerable.Range(1, horizon).Select(series.Beyond)]);
        }

        PanelSeriesOutcome[] all = [.. outcomes, .. forecastOnly.Select((s, k) => Forecast(s, ends + members.Count + k, s.Length, null))];
        return new PanelOutcome(ids, members[0].Series.Time?.Name, all, Scores(outcomes), interval, at, coverage, horizon, skipped)
        {
            Smoothing = combination,
            SmoothingReason = combination is null ? null : share.Why(combination.Season, season, MedianPart),
            Unsmoothed = combination is null ? [] : [.. all.Select(o => o.Series).Where(s => s.Length < SmoothingCombination.MinimumValues)],
            UnsmoothedBacktests = combination is null ? [] : [.. outcomes.Where(o => o.TrainingValues < SmoothingCombination.MinimumValues && o.Series.Length >= SmoothingCombination.MinimumValues).Select(o => o.Series)],
            SmoothingTooShort = combination is null && share.For(0, season) != 0 && plans.All(p => p.Start < SmoothingCombination.MinimumValues),
            Shares = shares,
        };
    }

    /// <summary>
    /// Each series' network forecasts (in <paramref name="forecasts"/>: every series' interval origins, then every series' end,
    /// then the forecast-only series' ends) combined in place with exponential smoothing fitted on that series: from its
    /// interval origins, smoothing fitted on its training part (<see cref="SeriesForecast.SmoothedFrom"/>); from its end, on its
    /// last values. The share is <paramref name="share"/>'s for the season, or the one whose combination erred least in spreads over every
    /// series' origins (<paramref name="share"/>). Series with fewer values than smoothing needs keep the network's forecast. Null: no combination.
    /// </summary>
    /// <param name="histories">Every series' values: the backtested ones (<paramref name="plans"/>'), then the forecast-only ones.</param>
    /// <param name="spreads">Each interval origin's spread (<see cref="OnnxModelInfo.IntervalSpread"/>), as <paramref name="forecasts"/> holds the origins.</param>
    private static (SmoothingCombination? Combination, (int Unseasoned, int Smoothed) Shares) Combine(double[][] histories, (int Start, int H, int[] Origins)[] plans,
        double[][] forecasts, double[] spreads, int ends, int horizon, int? season, SmoothingShare share, double? floor, CancellationToken cancellation)
    {
        // As for one series: no smoothing where no training part is long enough to fit it on (the backtest could not measure the
        // combination), and the season modelled where the training part starts it, judged on the median series forecast (a
        // forecast-only series by its length): the model carries one share and season for every series of the panel.
        if (plans.All(p => p.Start < SmoothingCombination.MinimumValues))
        {
            return (null, default);
        }

        var median = plans.Select(p => p.Start).Concat(histories[plans.Length..].Select(h => h.Length)).Order().ElementAt(histories.Length / 2);
        var modelled = ExponentialSmoothing.SeasonFits(SmoothingPlan.SeasonFor(season), median) ? SmoothingPlan.SeasonFor(season) : 0;
        var weight = share.For(modelled, season);
        if (weight == 0)
        {
            return (null, default);
        }

        var candidate = new SmoothingPlan(modelled, weight) { UnseasonedWeight = share.UnseasonedFor(modelled) }.With(SmoothingCombination.DefaultWeight);
        var first = new int[plans.Length + 1];
        for (var i = 0; i < plans.Length; i++)
        {
            first[i + 1] = first[i] + plans[i].Origins.Length;
        }

        // Smoothing's forecasts per series, in parallel (each fit is managed code, independent of the others): from each origin, and from the end.
        var fromOrigins = new double[plans.Length][][];
        var fromEnd = new double[histories.Length][];
        var originForms = new SmoothingForm[plans.Length];
        var endForms = new SmoothingForm[histories.Length];
        Parallel.For(0, histories.Length, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount, CancellationToken = cancellation }, i =>
        {
            if (i < plans.Length && plans[i].Start >= SmoothingCombination.MinimumValues)
            {
                (fromOrigins[i], originForms[i]) = SeriesForecast.SmoothedFrom(candidate, histories[i], plans[i].Start, plans[i].Origins, horizon);
            }

            if (histories[i].Length >= SmoothingCombination.MinimumValues)
            {
                var fit = candidate.Fit(histories[i]);
                (fromEnd[i], endForms[i]) = (fit.Forecast(horizon), fit.Form);
            }
        });

        var chosen = weight ?? SeriesForecast.ChosenWeight([.. Enumerable.Range(0, plans.Length).Where(i => fromOrigins[i] is not null).SelectMany(i =>
            plans[i].Origins.SelectMany((o, k) =>
            {
                var spread = spreads[first[i] + k];
                return Enumerable.Range(0, horizon).TakeWhile(step => o + step < histories[i].Length)
                    .Select(step => (histories[i][o + step] / spread, forecasts[first[i] + k][step] / spread, fromOrigins[i][k][step] / spread));
            }))]);
        if (chosen == 0)
        {
            return (null, default);
        }

        var combination = candidate with { Weight = chosen };
        for (var i = 0; i < plans.Length; i++)
        {
            for (var k = 0; fromOrigins[i] is not null && k < plans[i].Origins.Length; k++)
            {
                forecasts[first[i] + k] = combination.Combine(forecasts[first[i] + k], fromOrigins[i][k], originForms[i], floor);
            }
        }

        for (var i = 0; i < fromEnd.Length; i++)
        {
            if (fromEnd[i] is not null)
            {
                forecasts[ends + i] = combination.Combine(forecasts[ends + i], fromEnd[i], endForms[i], floor);
            }
        }

        var smoothed = fromEnd.Count(f => f is not null);
        var unseasoned = Enumerable.Range(0, fromEnd.Length).Count(i => fromEnd[i] is not null && combination.WeightFor(endForms[i]) != combination.Weight);
        return (combination, (unseasoned, smoothed));
    }

    /// <summary>A forecaster's name without what differs between series of one panel (AR's largest lag, which grows with the length): the scores' key.</summary>
    public static string Family(string name) => System.Text.RegularExpressions.Regex.Replace(name, @", max lag \d+", "");

    /// <summary>Every forecaster's scores across the series that have it (by <see cref="Family"/>), the model first.</summary>
    internal static List<PanelScore> Scores(IReadOnlyList<PanelSeriesOutcome> outcomes)
    {
        var names = outcomes.SelectMany(o => o.Backtest!.Forecasters.Select(f => Family(f.Name))).Distinct().ToList();
        return names.Select(name =>
        {
            var pairs = outcomes.Select(o => (Model: o.Model!.MeanMase, It: o.Backtest!.Forecasters.FirstOrDefault(f => Family(f.Name) == name)?.MeanMase))
                .Where(p => p.It is { } m && double.IsFinite(m) && double.IsFinite(p.Model)).Select(p => (p.Model, It: p.It!.Value)).ToList();
            var sorted = pairs.Select(p => p.It).Order().ToArray();
            return new PanelScore(name, pairs.Count,
                pairs.Count > 0 ? sorted.Average() : double.NaN,
                pairs.Count > 0 ? (sorted[(sorted.Length - 1) / 2] + sorted[sorted.Length / 2]) / 2 : double.NaN,
                name == names[0] ? 0 : pairs.Count(p => p.Model < p.It));
        }).ToList();
    }

    /// <summary>At each step the interval from the older errors, tried on the recent ones; NaN when a step has no older error.</summary>
    private static double Coverage(List<double>[] older, List<double>[] recent, double level)
    {
        int inside = 0, total = 0;
        for (var step = 0; step < older.Length; step++)
        {
            if (older[step].Count == 0 || recent[step].Count == 0)
            {
                continue;
            }

            var interval = SeriesForecast.Widened(ForecastInterval.FromErrors([older[step]], level));
            inside += recent[step].Count(e => e >= interval.Lower[0] && e <= interval.Upper[0]);
            total += recent[step].Count;
        }

        return total > 0 ? (double)inside / total : double.NaN;
    }

    /// <summary>The network's place in a backtest whose forecasts were all made beforehand: asked anything else, it is a bug.</summary>
    private sealed class Unavailable(string name, int window) : IForecaster
    {
        public string Name => name;

        public int MinimumHistory => window;

        public double[] Forecast(ReadOnlySpan<double> history, int horizon) =>
            throw new InvalidOperationException($"the panel's forecasts from origin {history.Length} were not made beforehand");
    }
}
