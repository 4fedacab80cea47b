using SimpleRnnTorch.Data;
using SimpleRnnTorch.Forecasting;
using SimpleRnnTorch.Inference;
using ForecastInterval = SimpleRnnTorch.Forecasting.ForecastInterval;
using SimpleRnnTorch.Model;
using SimpleRnnTorch.Scaling;
using static TorchSharp.torch;

namespace SimpleRnnTorch.Evaluation;

/// <summary>What a series run found after training: one-step predictions, the baselines, the backtest, the forecast with its interval.</summary>
/// <param name="OneStep">The model's prediction of every validation target from the T values before it, in original units.</param>
/// <param name="Forecast">The next values after the series ends, each predicted from the T values before it, predictions included.</param>
/// <param name="Lower">The interval's lower bound at each forecast step.</param>
/// <param name="Upper">The interval's upper bound at each forecast step.</param>
/// <param name="ForecastLabels">The time label of each forecast value, written as the time column writes them ("2009", "2011-01", "1960Q1"; "2010-12 +1" or "value 310" without a step).</param>
internal sealed record SeriesOutcome(Series Series, SeriesWindows Windows, double[] OneStep, SeriesComparison Comparison, SeriesBacktest Backtest,
    double[] Forecast, double[] Lower, double[] Upper, string[] ForecastLabels)
{
    public ForecastInterval Interval => Backtest.Interval;

    /// <summary>The least value the forecast and its bounds take (the scaler's <see cref="SequenceScaler.Floor"/>), or null.</summary>
    public double? Floor { get; init; }

    /// <summary>The exponential smoothing the network's forecast was combined with (the backtest's), or null: the network alone.</summary>
    public SmoothingCombination? Smoothing => Backtest.Smoothing;

    /// <summary>The smoothing's form on the whole series, the one the forecast used, or null.</summary>
    public SmoothingForm? SmoothingForm { get; init; }

    /// <summary>True when smoothing was asked for but the training part is too short to fit it: the network's forecast alone.</summary>
    public bool SmoothingTooShort { get; init; }

    /// <summary>Why the smoothing has the share it has ("chosen on the backtest …", "it models the season of 12"), or null.</summary>
    public string? SmoothingReason { get; init; }
}

/// <param name="IntervalOrigins">Origins the interval's errors come from; <paramref name="TrainingOrigins"/> of them in the training part.</param>
/// <param name="Coverage">The share of the most recent third of those origins' actual values inside the interval built from the others (<see cref="SeriesForecast.RecentCoverage"/>).</param>
internal sealed record SeriesBacktest(BacktestResult Result, int Horizon, ForecastInterval Interval, int IntervalOrigins, int TrainingOrigins, double Coverage)
{
    /// <summary>The exponential smoothing the model's forecasts were combined with, or null (the network alone).</summary>
    public SmoothingCombination? Smoothing { get; init; }

    public ForecasterBacktest Model => Result.Forecasters[0];

    public IEnumerable<ForecasterBacktest> Baselines => Result.Forecasters.Skip(1);

    /// <summary>The lowest mean MASE among the baselines that are not naive forecasts: the classical methods.</summary>
    public ForecasterBacktest? BestClassical => Baselines.Where(b => b.Name.StartsWith("AR", StringComparison.Ordinal) || b.Name.StartsWith("damped", StringComparison.Ordinal))
        .OrderBy(b => b.MeanMase).FirstOrDefault();
}

/// <summary>How a run weighs exponential smoothing against the network (<c>--smoothing</c>): a closed set.</summary>
internal abstract record SmoothingShare
{
    private SmoothingShare()
    {
    }

    /// <summary>
    /// The default: <see cref="SmoothingCombination.SeasonalWeight"/> where the smoothing models the series' season,
    /// <see cref="SmoothingCombination.UnmodelledSeasonWeight"/> where the series has one it cannot model, else <see cref="SmoothingCombination.DefaultWeight"/>.
    /// </summary>
    public static SmoothingShare BySeason { get; } = new BySeasonShare();

    /// <summary>The share of <see cref="SmoothingPlan.Weights"/> whose combination erred least on the backtest (<c>--smoothing auto</c>).</summary>
    public static SmoothingShare Backtested { get; } = new BacktestedShare();

    /// <summary>The share for the season the smoothing models (0: none) of a series whose own season is <paramref name="season"/>, or null: chosen on the backtest.</summary>
    public abstract double? For(int modelled, int? season);

    /// <summary>The share where a season is modelled but the form chosen for the values has none (<see cref="SmoothingCombination.UnseasonedWeight"/>), or null: <see cref="For"/>'s always.</summary>
    public virtual double? UnseasonedFor(int modelled) => null;

    /// <summary>Why the share is what it is, in a few words for the run's output.</summary>
    /// <param name="part">What the season had to fit in: a series' training part, or a panel's median series'.</param>
    public abstract string Why(int modelled, int? season, string part = TrainingPart);

    /// <summary>What a single series' season has to fit in.</summary>
    public const string TrainingPart = "the training part";

    /// <summary>A given share in [0, 1]: 0 is the network alone, 1 smoothing alone.</summary>
    public sealed record Fixed : SmoothingShare
    {
        public Fixed(double weight) => Weight = weight is >= 0 and <= 1 ? weight : throw new ArgumentOutOfRangeException(nameof(weight), weight, "a weight in [0, 1]");

        public double Weight { get; }

        public override double? For(int modelled, int? season) => Weight;

        public override string Why(int modelled, int? season, string part = TrainingPart) => "as given";
    }

    private sealed record BySeasonShare : SmoothingShare
    {
        public override double? For(int modelled, int? season) =>
            modelled > 0 ? SmoothingCombination.SeasonalWeight : season is > 1 ? SmoothingCombination.UnmodelledSeasonWeight : SmoothingCombination.DefaultWeight;

        public override double? UnseasonedFor(int modelled) => modelled > 0 ? SmoothingCombination.DefaultWeight : null;

        public override string Why(int modelled, int? season, string part = TrainingPart) =>
            modelled > 0 ? $"the smoothing may model the season of {modelled}"
            : season is > SmoothingCombination.MaxSeason ? $"the season of {season} is one the smoothing cannot model (over {SmoothingCombination.MaxSeason})"
            : season is > 1 ? $"the season of {season} is one the smoothing cannot model here ({part} holds fewer than the {ExponentialSmoothing.ValuesToStart(season.Value)} values that start it)"
            : "the series has no season";
    }

    private sealed record BacktestedShare : SmoothingShare
    {
        public override double? For(int modelled, int? season) => null;

        public override string Why(int modelled, int? season, string part = TrainingPart) => "chosen on the backtest among 0, 0.25, 0.5, 0.75 and 1";
    }
}

/// <summary>
/// How a series' forecast is to be combined with exponential smoothing: the season the smoothing may model, and its share of
/// the forecast, or null for the share the backtest finds best (<see cref="SeriesForecast.ChosenWeight"/>).
/// </summary>
internal sealed record SmoothingPlan(int Season, double? Weight)
{
    /// <summary>The shares a backtest chooses among.</summary>
    public static readonly double[] Weights = [0, 0.25, 0.5, 0.75, 1];

    /// <summary>The share where the form chosen has no season though the plan's season is modelled (<see cref="SmoothingCombination.UnseasonedWeight"/>), or null.</summary>
    public double? UnseasonedWeight { get; init; }

    public SmoothingCombination With(double weight) => new(weight, Season, SmoothingCombination.DefaultHistory) { UnseasonedWeight = UnseasonedWeight };

    /// <summary>The season the smoothing models for a run's season: up to <see cref="SmoothingCombination.MaxSeason"/>, else none (0).</summary>
    public static int SeasonFor(int? season) => season is > 1 and <= SmoothingCombination.MaxSeason ? season.Value : 0;

    /// <summary>
    /// The plan of a series run: its season where at most <see cref="SmoothingCombination.MaxSeason"/> and the training part
    /// can start it (<see cref="ExponentialSmoothing.SeasonFits"/>: two seasons), and the share for that; none for a share of
    /// 0, or when the training part, which the backtest's smoothing is fitted on, is too short for smoothing at all.
    /// </summary>
    public static SmoothingPlan? For(int? season, int trainingValues, SmoothingShare share)
    {
        var modelled = ExponentialSmoothing.SeasonFits(SeasonFor(season), trainingValues) ? SeasonFor(season) : 0;
        var weight = share.For(modelled, season);
        return trainingValues < SmoothingCombination.MinimumValues || weight == 0 ? null : new SmoothingPlan(modelled, weight) { UnseasonedWeight = share.UnseasonedFor(modelled) };
    }
}

/// <summary>The model's forecasts of a series, console-free.</summary>
internal static class SeriesForecast
{
    /// <summary>Origins of the table's backtest: at most this many, spread over the validation part.</summary>
    public const int BacktestOrigins = Forecasting.Backtest.DefaultOrigins;

    /// <summary>
    /// Origins the interval's errors come from: the most recent ones, at most this many, so that a long series
    /// costs a bounded time.
    /// </summary>
    public const int MaxIntervalOrigins = 500;

    /// <summary>
    /// The factor the conformal offsets are multiplied by. The errors come partly from origins the network trained on
    /// and all from a model whose training part ends before them, so they run smaller than a forecast's: on the 46
    /// series of data/corpus nobody tuned on, the combined forecast's 80% interval holds 73.1% of the actual values
    /// unwidened, 82.8% × 1.35 (chosen on either half of them: 1.15 and 1.25, holding 76.7% and 81.8% on the other; the
    /// network's alone: 1.30 and 1.50; scripts/m4_interval_factor.py).
    /// </summary>
    public const double IntervalWidening = 1.35;

    /// <summary>The fewest origins with the whole horizon after them the interval is measured on, where the series has them.</summary>
    public const int MinIntervalOrigins = 30;

    /// <summary>
    /// The most values before an origin a baseline is fitted on (the most recent ones): AR's candidate orders
    /// and Holt-Winters' optimiser cost time in the history's length, and a long series' distant past says
    /// little about its next values.
    /// </summary>
    public const int MaxBaselineHistory = 5000;

    /// <summary>
    /// The longest season the classical baselines model: Holt-Winters' seasonal terms and AR's lags reaching a season
    /// back. A longer one (52 weeks, 60 minutes) gets damped Holt without a season and AR's usual lags, as R's
    /// <c>ets</c> ignores a frequency above 24: each seasonal term is a state the fit optimises (60 of them on 2,000
    /// values took over a minute), and each lag an order AR's AIC search fits.
    /// </summary>
    public const int MaxBaselineSeason = 24;

    /// <summary>Everything after training, for a run whose model ended as planned; <paramref name="season"/> is the effective one, <see cref="SeriesWindows.Season"/>.</summary>
    /// <param name="smoothing">How exponential smoothing is weighed against the network (by default <see cref="SmoothingShare.BySeason"/>).</param>
    public static SeriesOutcome Evaluate(SequenceRegressor model, SequenceScaler scaler, Series series, SeriesWindows windows,
        int? season, int horizon, double level, string modelName, Device device, SmoothingShare? smoothing = null, CancellationToken cancellation = default)
    {
        var values = series.Values.Select(v => (double)v).ToArray();
        var t = windows.TimeSteps;
        var network = new NetworkForecaster(model, scaler, t, device, modelName);
        var start = windows.TrainingValues;

        // One step ahead over the validation part, beside the naive forecasts on the same targets.
        var oneStep = OneStep(network, values, start, ChunkedForward.RowsPerChunk(model.Spec, t));
        var comparison = SeriesComparison.Compute(series.Values, start, oneStep, season, modelName);

        var share = smoothing ?? SmoothingShare.BySeason;
        var plan = SmoothingPlan.For(season, start, share);
        var backtest = Backtest(network, values, start, season, horizon, level, plan, scaler.Floor, cancellation);
        var combination = backtest.Smoothing;
        var forecast = network.ForecastFrom([values[^t..]], horizon, cancellation)[0];
        var fit = combination?.Fit(values);
        if (combination is { } s)
        {
            forecast = s.Combine(forecast, fit!.Forecast(horizon), fit.Form, scaler.Floor);
        }

        var (lower, upper) = backtest.Interval.Around(forecast, scaler.Floor);
        var labels = Enumerable.Range(1, horizon).Select(series.Beyond).ToArray();
        return new SeriesOutcome(series, windows, oneStep, comparison, backtest, forecast, lower, upper, labels)
        {
            Floor = scaler.Floor, SmoothingForm = fit?.Form,
            SmoothingTooShort = start < SmoothingCombination.MinimumValues && share.For(0, season) != 0,
            SmoothingReason = plan is null ? null : share.Why(plan.Season, season),
        };
    }

    /// <summary>
    /// The table's backtest (up to <see cref="BacktestOrigins"/> origins spread over the validation part, the
    /// model and every baseline that can fit there) and the interval (the model's errors from the origins of
    /// <see cref="IntervalOrigins"/>, one step apart).
    /// </summary>
    /// <param name="smoothing">The smoothing the forecast combines the network with: fitted once on the training part's last
    /// values, then fed the values after them as they come (as the network is: trained once), its forecast from each origin is
    /// combined with the network's (by the plan's weight, or the one <see cref="ChosenWeight"/> finds best there), and the
    /// interval comes from the combination's errors; <see cref="SeriesBacktest.Smoothing"/> says what was combined.</param>
    /// <param name="floor">The least value a combined forecast takes (the scaler's).</param>
    public static SeriesBacktest Backtest(NetworkForecaster network, double[] values, int start, int? season, int horizon, double level,
        SmoothingPlan? smoothing = null, double? floor = null, CancellationToken cancellation = default)
    {
        var validation = values.Length - start;
        var h = Math.Min(horizon, validation);
        var count = Math.Min(BacktestOrigins, validation - h + 1);
        var spacing = count > 1 ? Math.Max(1, Math.Min(h, (validation - h) / (count - 1))) : h;
        var first = values.Length - h - ((count - 1) * spacing);
        var fitted = Baselines(values, first, season);

        // The network once, from every origin of the interval (which holds the table's), in one batched pass: the
        // table's origins read their forecasts from it, and so does the interval.
        var origins = IntervalOrigins(values.Length, start, network.MinimumHistory, h, horizon);
        var steps = Math.Max(h, Math.Min(horizon, values.Length - origins[0]));
        var forecasts = network.ForecastFrom(origins.Select(o => values[(o - network.MinimumHistory)..o]).ToArray(), steps, cancellation);
        SmoothingCombination? combination = null;
        if (smoothing is { } plan)
        {
            var (fromOrigins, form) = SmoothedFrom(plan.With(SmoothingCombination.DefaultWeight), values, start, origins, steps);
            var weight = plan.Weight ?? ChosenWeight(values, origins, forecasts, fromOrigins);
            if (weight > 0)
            {
                combination = plan.With(weight);
                forecasts = [.. forecasts.Select((f, i) => combination.Combine(f, fromOrigins[i], form, floor))];
            }
        }

        var result = Forecasting.Backtest.Run(values, [new Forecasted(network, origins, forecasts, Label(network.Name, combination)), .. fitted], count, h, spacing, cancellation);

        // The interval: at each step, the errors of every origin whose actual value at that step is known.
        var errors = Enumerable.Range(0, steps).Select(step => (IReadOnlyList<double>)origins.Select((o, i) => (o, i))
            .Where(x => x.o + step < values.Length).Select(x => values[x.o + step] - forecasts[x.i][step]).ToArray()).ToArray();
        var measured = AtLeastGrown(NeverZero(Widened(ForecastInterval.FromErrors(errors, level)), values.AsSpan(0, start)));
        return new SeriesBacktest(result, h, Extend(measured, horizon), origins.Length, origins.Count(o => o < start), RecentCoverage(errors, level, values.AsSpan(0, start)))
        {
            Smoothing = combination,
        };
    }

    /// <summary>The model's name in a backtest: the network's, "+ smoothing" when combined, "smoothing" when that is all of it.</summary>
    internal static string Label(string network, SmoothingCombination? combination) => combination switch
    {
        null => network,
        { Weight: 1 } => "exponential smoothing",
        _ => $"{network} + smoothing",
    };

    /// <summary>
    /// Exponential smoothing's forecasts of <paramref name="steps"/> values from each of <paramref name="origins"/> (ascending,
    /// from the training part's end or before it): fitted once on the training part's last values (<paramref name="combination"/>'s
    /// history), then fed the values after them as they come, as the network is trained once. A form on ln y fitted on a
    /// positive training part cannot be fed a later value at or below 0: such a series gets the best form on y.
    /// </summary>
    internal static (double[][] Forecasts, SmoothingForm Form) SmoothedFrom(SmoothingCombination combination, double[] values, int start, IReadOnlyList<int> origins, int steps)
    {
        var fitFrom = Math.Max(0, start - combination.History);
        var training = values.AsSpan(fitFrom, start - fitFrom);
        var fit = combination.Fit(training, allowLog: !values[start..].Any(v => v <= 0));

        return (fit.ForecastsFrom(values.AsSpan(fitFrom), [.. origins.Select(o => Math.Max(0, o - fitFrom))], steps), fit.Form);
    }

    /// <summary>
    /// The smoothing's share (of <see cref="SmoothingPlan.Weights"/>) whose combination has the least absolute error over
    /// every origin and step of the backtest whose actual value is known; ties go to the share nearest an equal mean.
    /// </summary>
    internal static double ChosenWeight(double[] values, int[] origins, double[][] network, double[][] smoothing) =>
        ChosenWeight(origins.SelectMany((o, i) => Enumerable.Range(0, network[i].Length).TakeWhile(step => o + step < values.Length)
            .Select(step => (values[o + step], network[i][step], smoothing[i][step]))).ToArray());

    /// <summary>The share whose combination has the least absolute error over these (actual, network, smoothing) triples; ties go to the share nearest an equal mean.</summary>
    internal static double ChosenWeight(IReadOnlyList<(double Actual, double Network, double Smoothing)> points)
    {
        var best = (Error: double.PositiveInfinity, Weight: SmoothingCombination.DefaultWeight);
        foreach (var w in SmoothingPlan.Weights.OrderBy(w => Math.Abs(w - SmoothingCombination.DefaultWeight)))
        {
            double error = 0;
            foreach (var (actual, network, smoothing) in points)
            {
                error += Math.Abs(actual - (((1 - w) * network) + (w * smoothing)));
            }

            if (error < best.Error)
            {
                best = (error, w);
            }
        }

        return best.Weight;
    }

    /// <summary>
    /// The classical baselines of a backtest whose first origin is <paramref name="first"/> (those that can fit there), each
    /// fitted on at most <see cref="MaxBaselineHistory"/> recent values: naive, seasonal naive (a season above 1), drift, AR,
    /// damped Holt(-Winters) (a season up to <see cref="MaxBaselineSeason"/>); <paramref name="history"/>: a panel's shorter reach.
    /// </summary>
    internal static List<IForecaster> Baselines(double[] values, int first, int? season, int history = MaxBaselineHistory)
    {
        var modelled = season is <= MaxBaselineSeason ? season : null;
        var maxLag = Math.Max((int)(10 * Math.Log10(values.Length)), (modelled ?? 0) + 1);
        List<IForecaster> baselines =
        [
            new NaiveForecaster(),
            .. season is { } m && m > 1 ? [new SeasonalNaiveForecaster(m)] : Array.Empty<IForecaster>(),
            new DriftForecaster(),
            new AutoRegressiveForecaster(maxLag),
            new DampedHoltWintersForecaster(modelled),
        ];
        return [.. baselines.Where(b => b.MinimumHistory <= first).Select(b => (IForecaster)new RecentHistory(b, history))];
    }

    /// <summary>
    /// The origins the interval's errors come from, oldest first: every origin of the validation part (at most
    /// <see cref="MaxIntervalOrigins"/>, the most recent), and where that leaves fewer than <see cref="MinIntervalOrigins"/>
    /// with the whole horizon after them, the latest origins of the training part too, as far back as the window
    /// allows: a short validation part alone has a handful of errors, too few for an interval that holds what it says.
    /// </summary>
    internal static int[] IntervalOrigins(int length, int start, int window, int tableHorizon, int horizon)
    {
        var last = length - tableHorizon;
        var first = Math.Max(window, Math.Min(start, length - horizon - MinIntervalOrigins + 1));
        return Enumerable.Range(first, last - first + 1).TakeLast(MaxIntervalOrigins).ToArray();
    }

    /// <summary>
    /// The last step whose errors were enough for the level's ranks (<see cref="ForecastInterval.Guaranteed"/>: 9 for 80%),
    /// counting from step 1 (later steps have fewer origins that reach them); null when step 1's were not.
    /// </summary>
    internal static int? LastWellMeasured(ForecastInterval interval)
    {
        var last = 0;
        while (last < interval.Horizon && interval.Guaranteed[last])
        {
            last++;
        }

        return last > 0 ? last : null;
    }

    /// <summary>
    /// Past the last well-measured step (<see cref="LastWellMeasured"/>) a step's offsets come from the few origins that reach
    /// it (one or two near the end of a long horizon), which can all have erred little: each is at least the last
    /// well-measured step's, grown as √h, as <see cref="Extend"/> grows them past the last measured step. Where even step 1's
    /// errors were too few (a short series), step 1 is the reference for every later step that fewer origins reach.
    /// </summary>
    internal static ForecastInterval AtLeastGrown(ForecastInterval interval)
    {
        if (GrownFrom(interval) is not { } g)
        {
            return interval;
        }

        var lower = interval.Lower.ToArray();
        var upper = interval.Upper.ToArray();
        for (var h = g; h < lower.Length; h++)
        {
            if (interval.Counts[h] >= interval.Counts[g - 1])
            {
                continue; // as many errors as the reference: measured as well as it
            }

            var grow = Math.Sqrt((double)(h + 1) / g);
            lower[h] = Math.Min(lower[h], lower[g - 1] * grow);
            upper[h] = Math.Max(upper[h], upper[g - 1] * grow);
        }

        return interval with { Lower = lower, Upper = upper };
    }

    /// <summary>
    /// The step <see cref="AtLeastGrown"/> holds later steps to (1-based: the last well-measured one, else step 1), or null where
    /// no measured step after it has fewer errors than it: nothing to hold. Steps past the series' reach (no errors) are not counted.
    /// </summary>
    internal static int? GrownFrom(ForecastInterval interval)
    {
        var g = LastWellMeasured(interval) ?? 1;
        return Enumerable.Range(g, Math.Max(0, interval.Horizon - g)).Any(h => interval.Counts[h] > 0 && interval.Counts[h] < interval.Counts[g - 1]) ? g : null;
    }

    /// <summary>The offsets × <see cref="IntervalWidening"/>.</summary>
    internal static ForecastInterval Widened(ForecastInterval interval) => interval with
    {
        Lower = [.. interval.Lower.Select(v => v * IntervalWidening)],
        Upper = [.. interval.Upper.Select(v => v * IntervalWidening)],
    };

    /// <summary>
    /// A step whose errors were all equal (a perfectly fitted stretch, or one origin) would give an interval of zero
    /// width; it gets ± the training part's mean absolute change a step (the naive forecast's MAE) × √h instead. A step
    /// whose errors all lay on one side (few origins on a trend) would put the point forecast on an edge of its interval
    /// (the offsets hold 0): that side gets the same change × √h, at most the other side's offset.
    /// </summary>
    internal static ForecastInterval NeverZero(ForecastInterval interval, ReadOnlySpan<double> training)
    {
        var change = training.Length > 1 ? ForecastMetrics.InSampleNaiveMae(training) : 0;
        change = change > 0 ? change : Math.Max(1e-6, Math.Abs(training[^1]) * 1e-3);
        var lower = interval.Lower.ToArray();
        var upper = interval.Upper.ToArray();
        for (var h = 0; h < lower.Length; h++)
        {
            var half = change * Math.Sqrt(h + 1);
            if (!(upper[h] > lower[h]))
            {
                (lower[h], upper[h]) = (((lower[h] + upper[h]) / 2) - half, ((lower[h] + upper[h]) / 2) + half);
            }
            else if (lower[h] >= 0)
            {
                lower[h] = -Math.Min(half, upper[h] - lower[h]);
            }
            else if (upper[h] <= 0)
            {
                upper[h] = Math.Min(half, upper[h] - lower[h]);
            }
        }

        return interval with { Lower = lower, Upper = upper };
    }

    /// <summary>
    /// An interval measured for fewer steps than the forecast has, carried on: each further step widens the
    /// last measured offsets by √(h / measured), as a random walk's spread grows.
    /// </summary>
    internal static ForecastInterval Extend(ForecastInterval measured, int horizon)
    {
        var h = measured.Horizon;
        if (horizon <= h)
        {
            return measured;
        }

        double Grow(int step) => Math.Sqrt((double)step / h);
        return measured with
        {
            Lower = [.. measured.Lower, .. Enumerable.Range(h + 1, horizon - h).Select(s => measured.Lower[^1] * Grow(s))],
            Upper = [.. measured.Upper, .. Enumerable.Range(h + 1, horizon - h).Select(s => measured.Upper[^1] * Grow(s))],
            Counts = [.. measured.Counts, .. Enumerable.Repeat(0, horizon - h)],
            Guaranteed = [.. measured.Guaranteed, .. Enumerable.Repeat(false, horizon - h)],
        };
    }

    /// <summary>
    /// How often the interval holds values it was not built from, as a forecast's values are: at each step the
    /// interval from the older two thirds of the origins, tried on the most recent third (at least one). NaN when a
    /// step has fewer than two errors. Recent origins, not random ones, because errors grow as the model's training
    /// part recedes, and an origin left out at random overstates how often a forecast's interval holds. With
    /// <paramref name="training"/>, a step whose older errors are all equal gets <see cref="NeverZero"/>'s width, as the forecast's does.
    /// </summary>
    internal static double RecentCoverage(IReadOnlyList<double>[] errors, double level, ReadOnlySpan<double> training = default)
    {
        if (errors.Any(e => e.Count < 2))
        {
            return double.NaN;
        }

        // Built as the forecast's interval is (widened, never of zero width), from each step's older two thirds.
        var held = errors.Select(e => Math.Max(1, e.Count / 3)).ToArray();
        var interval = Widened(ForecastInterval.FromErrors([.. errors.Select((e, k) => (IReadOnlyList<double>)e.Take(e.Count - held[k]).ToArray())], level));
        interval = training.Length > 0 ? NeverZero(interval, training) : interval;
        int inside = 0, total = 0;
        for (var k = 0; k < errors.Length; k++)
        {
            foreach (var x in errors[k].Skip(errors[k].Count - held[k]))
            {
                inside += x >= interval.Lower[k] && x <= interval.Upper[k] ? 1 : 0;
                total++;
            }
        }

        return (double)inside / total;
    }

    /// <summary>
    /// The model's one-step prediction of every target from <paramref name="first"/> to the end, <paramref name="chunk"/>
    /// windows at a time: a long series' validation windows are never all in memory, nor one forward pass over them.
    /// </summary>
    internal static double[] OneStep(NetworkForecaster network, double[] values, int first, long chunk)
    {
        var predictions = new double[values.Length - first];
        for (var from = first; from < values.Length; from += (int)Math.Min(chunk, int.MaxValue))
        {
            var last = (int)Math.Min(values.Length - 1, from + chunk - 1);
            var forecasts = network.ForecastFrom(Windows(values, from, last, network.MinimumHistory), 1);
            for (var i = 0; i < forecasts.Length; i++)
            {
                predictions[from - first + i] = forecasts[i][0];
            }
        }

        return predictions;
    }

    /// <summary>The windows of T values before each target position in [first, last].</summary>
    private static double[][] Windows(double[] values, int first, int last, int t) =>
        Enumerable.Range(first, last - first + 1).Select(target => values[(target - t)..target]).ToArray();

    /// <summary>The network's forecasts already made from <paramref name="origins"/>; any other origin is forecast afresh.</summary>
    internal sealed class Forecasted(IForecaster network, int[] origins, double[][] forecasts, string? name = null) : IForecaster
    {
        public string Name => name ?? network.Name;

        public int MinimumHistory => network.MinimumHistory;

        public double[] Forecast(ReadOnlySpan<double> history, int horizon)
        {
            var at = Array.BinarySearch(origins, history.Length);
            return at >= 0 && horizon <= forecasts[at].Length ? forecasts[at][..horizon] : network.Forecast(history, horizon);
        }
    }

    /// <summary>A forecaster fitted on the most recent values of the history only.</summary>
    private sealed class RecentHistory(IForecaster inner, int most) : IForecaster
    {
        public string Name => inner.Name;

        public int MinimumHistory => inner.MinimumHistory;

        public double[] Forecast(ReadOnlySpan<double> history, int horizon) =>
            inner.Forecast(history.Length > most ? history[^most..] : history, horizon);
    }
}
