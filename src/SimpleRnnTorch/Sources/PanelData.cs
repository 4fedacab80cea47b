using System.Diagnostics;
using System.Globalization;
using SimpleRnnTorch.Data;
using SimpleRnnTorch.Evaluation;
using SimpleRnnTorch.Model;
using SimpleRnnTorch.Persistence;
using SimpleRnnTorch.Reporting;
using SimpleRnnTorch.Scaling;
using static TorchSharp.torch;

namespace SimpleRnnTorch.Sources;

/// <summary>
/// Many series of one CSV file (<see cref="PanelSettings"/>, read by <see cref="PanelFile"/>) and one network for all of
/// them, as the global models of ES-RNN, N-BEATS and DeepAR are: the windows of every series train it, each window
/// relative to its last value and divided by its own spread (<see cref="SpreadScaler"/>), the target relative to the value
/// a season back where the window holds a season, so that no series' size is in
/// the network and the exported model forecasts any series of the kind from its values. Each series is split in time as a
/// single series is (<see cref="SeriesWindows"/>: its most recent windows validate); a series too short for that but
/// holding a window is forecast without a backtest, and one shorter than a window is left out, with a count. Afterwards each series' backtest beside the classical baselines, the scores across the series,
/// and every series' forecast with an interval pooled over the panel (<see cref="PanelForecast"/>); forecast.csv holds
/// them all, forecast.png the largest dozen.
/// </summary>
/// <param name="Window">T; null: chosen from the series' median length and season (<see cref="WindowFor"/>).</param>
internal sealed record PanelData(PanelSettings Settings, int? Window = null) : DataSource
{
    /// <summary>
    /// The most window values (windows × T) an epoch trains on, the windows taken evenly from each series (the most recent
    /// always): 16,384 windows of 12 values. A panel of a thousand monthly series holds two hundred thousand windows; an
    /// epoch's time grows with them and with T, while what the network can learn from windows of one kind levels off.
    /// </summary>
    public const int MaxTrainValues = 16_384 * 12;

    /// <summary>The most training windows of <paramref name="t"/> values an epoch trains on (<see cref="MaxTrainValues"/>), and a quarter as many validating.</summary>
    public static (int Train, int Validation) MaxWindows(int t) => (Math.Max(1, MaxTrainValues / t), Math.Max(1, MaxTrainValues / t / 4));

    /// <summary>
    /// The training windows kept, in epochs' worth (<see cref="MaxWindows"/>): where a panel holds more windows than an epoch
    /// trains on, each epoch draws its own from a fresh shuffle of this pool, so that over a run the network meets up to 16
    /// times as many windows as one fixed sample held, at an epoch's same time. With one fixed sample (8 of each series' 140
    /// windows of 24, 1,000 monthly series of 200 values), a window of two seasons lost to one (mean MASE 1.41–1.61 against 1.13–1.15 over
    /// three seeds); drawn from the pool, two did 0.89–0.90 and one 1.00–1.01 over two (docs/series.md).
    /// </summary>
    public const int PoolEpochs = 16;

    public override int TimeSteps => Window ?? 0;

    public override int Features => 1;

    public override IReadOnlyList<string> FileNames => [ForecastPlot.FileName, ForecastCsv.FileName];

    /// <summary>
    /// A panel's window when none is given: two years where the series are monthly with a season of a year
    /// (<paramref name="yearOfMonths"/>, <see cref="YearOfMonths"/>) and the median series holds seven, read two values a
    /// recurrent step; else a single series' rule (<see cref="SeriesData.WindowFor"/>: one season, or 12 values) on the
    /// median length. Mean MASE one season → two, over two or three seeds each, the windows drawn from the pool
    /// (<see cref="PoolEpochs"/>): the synthetic monthly panel 1.25–1.28 → 1.05–1.10, 1,000 monthly series 1.00–1.01 →
    /// 0.89–0.90; hourly panels went both ways (the synthetic one 0.95–1.04 → 0.83–1.10, 100 series of a year 0.88 →
    /// 1.04–1.17), so a day of hours keeps one, as the quarterly macrodata panel does (2.01–2.04 → 2.12–2.13 with two),
    /// docs/series.md. Nothing was measured for other steps, nor for undated series given a season: they keep one.
    /// </summary>
    public static int WindowFor(int medianLength, int? season, bool yearOfMonths = false) =>
        yearOfMonths && medianLength >= TwoSeasonsLength * MonthsInYear ? 2 * MonthsInYear
        : medianLength < MinLength(2) ? 1 // a window of 2 would leave the median series too short to train on
        : SeriesData.WindowFor(medianLength, season);

    private const int MonthsInYear = 12;

    /// <summary>Whether a panel's series are monthly with a season of a year (the longest series' time axis): the one case its default window holds two seasons.</summary>
    public static bool YearOfMonths(TimeAxis? axis, int? season) => season == MonthsInYear && axis is TimeAxis.Dated { Frequency: TimeFrequency.Monthly };

    /// <summary>
    /// The seasons the median series holds for a window of two (<see cref="WindowFor"/>): seven leave a validation part (a
    /// fifth of the windows) of a season, so that the backtest covers the default horizon of a season; at six it covered 0.8.
    /// </summary>
    public const int TwoSeasonsLength = 7;

    /// <summary>The values a step a panel's window of <paramref name="t"/> is read by default: two for two years of months, else null (the rule by the window).</summary>
    public static int? ValuesPerStepOf(int t, bool yearOfMonths) => yearOfMonths && t == 2 * MonthsInYear ? 2 : null;

    /// <summary>A single series' rule (<see cref="SeriesData.ValuesPerStepOf"/>): two values a step for an even window over 26; a window of two seasons of months is read two a step too (<see cref="PreparedData.ValuesPerStep"/>).</summary>
    public override int ValuesPerStepFor(int timeSteps) => SeriesData.ValuesPerStepOf(timeSteps);

    /// <summary>The fewest values a series needs to be trained on and backtested with a window of <paramref name="t"/>: two windows and their targets.</summary>
    public static int MinLength(int t) => (2 * t) + 2;

    /// <summary>
    /// How the file's series are used: those trained on and backtested, with their windows; those too short for that but
    /// holding a window, which are only forecast (a product launched last year); those shorter than a window, left out;
    /// the window and the season.
    /// </summary>
    /// <param name="MedianLength">The median length of the series that have a value, which chose the window.</param>
    /// <param name="YearOfMonths">Monthly series with a season of a year (<see cref="PanelData.YearOfMonths"/>).</param>
    internal sealed record Plan(IReadOnlyList<(Series Series, SeriesWindows Windows)> Members, IReadOnlyList<Series> ForecastOnly, IReadOnlyList<Series> Skipped,
        int Window, int? Season, int MedianLength, bool YearOfMonths);

    /// <summary>The plan for a panel: the window from the median length, each long enough series planned as a single one is.</summary>
    public Plan PlanFor(PanelFile.Panel panel, double validationSplit)
    {
        // The season of the longest series: a series of one or two values may not show the file's step.
        var longest = panel.Series.MaxBy(s => s.Length)!;
        var season = Settings.Season ?? longest.Time?.DefaultSeason;
        var yearOfMonths = YearOfMonths(longest.Time, season);
        // A column or id with no value is a series of none, left out by name: it does not pull the median down.
        var lengths = panel.Series.Select(s => s.Length).Where(n => n > 0).Order().ToArray();
        var median = lengths.Length == 0 ? 0 : lengths[lengths.Length / 2];
        var t = Window ?? WindowFor(median, season, yearOfMonths);
        // A given --season is every series' where its training part holds it, and none (not the dates' default) where it does not.
        var members = panel.Series.Where(s => s.Length >= MinLength(t))
            .Select(s => (s, SeriesWindows.Plan(s, t, validationSplit, null, Settings.Labels) is var plan && Settings.Season is { } m
                ? plan with { Season = m <= plan.TrainingValues ? m : null, SeasonFromFrequency = false }
                : plan)).ToList();
        if (members.Count == 0)
        {
            throw new SeriesDataException($"{Settings.Labels.Data} '{Common.Excerpt.OfPath(panel.Source)}': none of its {panel.Series.Count:N0} series has the {MinLength(t):N0} values " +
                                          $"a window of {t} needs (the longest has {lengths[^1]})" + (Window is not null && t > 1 ? $"; give a shorter {Settings.Labels.TimeSteps}" : ""));
        }

        if (Settings.Season is { } given && members.All(x => x.Item2.Season is null))
        {
            throw new SeriesDataException($"{Settings.Labels.Season} {given} is larger than the training part of every series of {Settings.Labels.Data} '{Common.Excerpt.OfPath(panel.Source)}' " +
                                          $"(the longest holds {members.Max(x => x.Item2.TrainingValues)} values); the seasonal naive baseline needs a whole season of it");
        }

        List<Series> forecastOnly = [.. panel.Series.Where(s => s.Length >= t && s.Length < MinLength(t)).Select(s => OnTheStepOf(s, longest))];
        if (forecastOnly.Select(s => PanelFile.StepProblem(s, longest, $"{Settings.Labels.Data} '{Common.Excerpt.OfPath(panel.Source)}'")).FirstOrDefault(p => p is not null) is { } step)
        {
            throw new SeriesDataException(step);
        }

        return new Plan(members, forecastOnly, [.. panel.Series.Where(s => s.Length < t)], t, season, median, yearOfMonths);
    }

    /// <summary>
    /// A series of one value, forecast beside the others (a window of 1), on their step from its date: one value tells no
    /// step, and as labels its forecast read "2020-08 +1". Plain dates and numbers; anything else as it was.
    /// </summary>
    private static Series OnTheStepOf(Series one, Series longest) => (one.Length, one.Time, longest.Time) switch
    {
        (1, TimeAxis.Labelled { First: var cell }, TimeAxis.Dated { Times: null } dated) when DateText.TryParse(cell, dated.Format, out var date) =>
            one with { Time = dated with { First = date } }, // the same time column, so the same name
        (1, TimeAxis.Labelled { First: var cell }, TimeAxis.Numbered numbered) when double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out var x) =>
            one with { Time = numbered with { Start = x } },
        _ => one,
    };

    public override PreparedData Prepare(long seed, double validationSplit, Device device)
    {
        var started = Stopwatch.GetTimestamp();
        var panel = PanelFile.Read(Settings, out var readTime);
        if (ForecastCsv.Clash(panel.Ids.Names, panel.Series.Select(s => s.Time?.Name).FirstOrDefault(n => n is not null)) is { } clash)
        {
            throw new SeriesDataException($"{Settings.Labels.Data} '{Common.Excerpt.OfPath(panel.Source)}': {clash}");
        }

        var plan = PlanFor(panel, validationSplit);
        var (members, t) = (plan.Members, plan.Window);
        var longest = panel.Series.Max(s => s.Length);
        if (Settings.Horizon is { } given && given > longest)
        {
            throw new SeriesDataException($"{Settings.Labels.Horizon} {given} is longer than every series of {Settings.Labels.Data} '{Common.Excerpt.OfPath(panel.Source)}' " +
                                          $"(the longest has {longest} values); forecast at most as many values as the series have");
        }

        // The spread is float32 in the graph: a series far smaller or larger than any sales figure is refused, not forecast wrong.
        foreach (var series in members.Select(x => x.Series).Concat(plan.ForecastOnly))
        {
            var size = series.Values.Max(v => Math.Abs((double)v));
            if (!SpreadScaler.Scalable(size))
            {
                throw new SeriesDataException($"{Settings.Labels.Data} '{Common.Excerpt.OfPath(panel.Source)}': series '{Common.Excerpt.Of(series.Name)}' is of size " +
                                              $"{Common.Excerpt.Float(size)}, outside the {SpreadScaler.SmallestLevel.ToString("0e0", CultureInfo.InvariantCulture)} to {SpreadScaler.LargestLevel.ToString("0e0", CultureInfo.InvariantCulture)} " +
                                              $"a panel's float32 scaling works in; multiply its values by a power of ten {(size < 1 ? "above" : "below")} 1 (its forecast comes back multiplied by the same)");
            }
        }

        var horizon = Settings.Horizon ?? Math.Min(SeriesSettings.HorizonFor(members[0].Series.Time), longest); // held to the bound a given one has
        if (Settings.PlotSeries?.FirstOrDefault(id => !members.Any(x => x.Series.Name == id) && !plan.ForecastOnly.Any(s => s.Name == id)) is { } unknown)
        {
            throw new SeriesDataException($"{Settings.Labels.PlotSeries} '{Common.Excerpt.Of(unknown)}' is not a series of {Settings.Labels.Data} '{Common.Excerpt.OfPath(panel.Source)}' " +
                                          $"that the run forecasts ({members.Count + plan.ForecastOnly.Count} series{(plan.Skipped.Count > 0 ? $"; {plan.Skipped.Count} too short left out" : "")})");
        }

        // The target's base: a season back wherever the window holds one (a single series asks its training part whether
        // that pays; across a panel it paid where most series said no: macrodata 2.045 -> 2.017, the synthetic hourly panel
        // 1.121 -> 0.977 mean MASE, docs/series.md), else the last value.
        var seasonal = plan.Season is { } m && m > 1 && m <= t;
        var scaler = SpreadScaler.ForWindows(members.Select(x => x.Series.Values[..x.Windows.TrainingValues]), t, seasonal ? plan.Season!.Value : 1);

        var train = Rows(members, t, x => (0, x.TrainWindows), MaxWindows(t).Train * PoolEpochs);
        var validation = Rows(members, t, x => (x.TrainWindows, x.ValidationWindows), MaxWindows(t).Validation);
        var tensors = Tensors(train, validation, t, scaler, device);
        var summary = new PanelSummary(panel, plan, horizon, readTime, train.Length / (t + 1), validation.Length / (t + 1));
        var first = members[0].Series.Values.AsSpan(0, t + 1).ToArray().Select(v => (double)v).ToArray();
        var values = members.Sum(x => x.Series.Length);
        return new PreparedData
        {
            Tensors = tensors,
            Scaler = scaler,
            Summary = DataSummary.Of(this, tensors, scaler, seed, validationSplit, (first[..t], first[t]), summary),
            Spec = new SequenceSpec(Count: (int)Math.Min(int.MaxValue, tensors.TrainCount + tensors.ValidationCount), TimeSteps: t),
            Task = SequenceTask.Arithmetic,
            Origin = new SeriesOrigin(panel.Source, $"{members.Count} series, {panel.By}", values, members.Sum(x => x.Windows.TrainingValues),
                $"each window relative to its last value and divided by its spread (mean absolute step + 0.001 x mean magnitude), the target relative to the value " +
                $"{scaler.Lag} step(s) before it, divided by {scaler.Divisor.ToString("R", CultureInfo.InvariantCulture)}"),
            Duration = Stopwatch.GetElapsedTime(started),
            SamplesPerEpoch = MaxWindows(t).Train,
            ValuesPerStep = ValuesPerStepOf(t, plan.YearOfMonths),
        };
    }

    /// <summary>
    /// The rows (T + 1 values: a window and its target) of every series' windows [first, first + count), at most
    /// <paramref name="most"/> in all: each series gets an even share, evenly spaced back from its latest window.
    /// </summary>
    private static float[] Rows(IReadOnlyList<(Series Series, SeriesWindows Windows)> members, int t, Func<SeriesWindows, (int First, int Count)> part, int most)
    {
        var share = Math.Max(1, most / members.Count);
        List<float> rows = [];
        foreach (var (series, windows) in members)
        {
            var (first, count) = part(windows);
            foreach (var w in Evenly(first, count, share))
            {
                rows.AddRange(series.Values.AsSpan(w, t + 1));
            }
        }

        return [.. rows];
    }

    /// <summary>
    /// min(<paramref name="count"/>, <paramref name="most"/>) distinct windows of [first, first + count), in order, evenly
    /// spaced back from the latest (always taken): the k-th from the end is ⌊k · count / n⌋ before it.
    /// </summary>
    internal static IEnumerable<int> Evenly(int first, int count, int most)
    {
        var n = Math.Min(count, most);
        for (var k = n - 1; k >= 0; k--)
        {
            yield return first + count - 1 - (int)((long)k * count / n);
        }
    }

    private static TrainingData Tensors(float[] train, float[] validation, int t, SequenceScaler scaler, Device device)
    {
        using var scope = NewDisposeScope();
        (Tensor X, Tensor Y) Scaled(float[] rows)
        {
            var sequences = tensor(rows, [rows.Length / (t + 1), t + 1]);
            var (inputs, targets) = SequenceData.SplitInputsTargets(sequences);
            var (x, y) = scaler.Transform(inputs, targets);
            return (x.unsqueeze(-1).to(device).contiguous(), y.unsqueeze(-1).to(device).contiguous());
        }

        var (trainX, trainY) = Scaled(train);
        var (validationX, validationY) = Scaled(validation);
        return new TrainingData
        {
            TrainInputs = trainX.MoveToOuterDisposeScope(),
            TrainTargets = trainY.MoveToOuterDisposeScope(),
            ValidationInputs = validationX.MoveToOuterDisposeScope(),
            ValidationTargets = validationY.MoveToOuterDisposeScope(),
        };
    }

    public static PanelSummary Summary(DataSummary data) => (PanelSummary)data.Facts;

    public override DataOutcome Evaluate(SequenceRegressor model, PreparedData data, EvaluationContext context)
    {
        var summary = Summary(data.Summary);
        return new PanelForecastOutcome(PanelForecast.Evaluate(model, data.Scaler, summary.Plan.Members, summary.Plan.ForecastOnly, summary.Horizon, Settings.Interval,
            context.ModelName, summary.Panel.Ids, summary.Plan.Skipped, context.Device, smoothing: Settings.Smoothing, cancellation: context.Cancellation), Settings.PlotSeries);
    }
}

/// <summary>A panel run's data: the series read, how they are used, how far it forecasts, and the windows trained and validated on.</summary>
internal sealed record PanelSummary(PanelFile.Panel Panel, PanelData.Plan Plan, int Horizon, TimeSpan ReadTime, int TrainWindows, int ValidationWindows) : DataFacts;

/// <summary>A panel's evaluation: forecast.csv (every series) and forecast.png (a dozen), and the model keeps the interval in spreads.</summary>
internal sealed record PanelForecastOutcome(PanelOutcome Result, IReadOnlyList<string>? PlotSeries) : DataOutcome
{
    public override IReadOnlyList<OutcomeFile> Files =>
    [
        new(ForecastPlot.FileName, () => PanelPlot.Render(Result, PlotSeries)),
        new(ForecastCsv.FileName, () => System.Text.Encoding.UTF8.GetBytes(ForecastCsv.Format(Result))),
    ];

    public override ModelManifest Annotate(ModelManifest manifest) => manifest.Series is { } origin
        ? manifest with { Series = origin with { Interval = new SavedInterval(Result.Interval.Level, Result.Interval.Lower, Result.Interval.Upper) { PerSpread = true }, Smoothing = Result.Smoothing } }
        : manifest;
}
