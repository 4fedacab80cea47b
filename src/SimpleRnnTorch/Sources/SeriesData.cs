using System.Diagnostics;
using System.Globalization;
using SimpleRnnTorch.Common;
using SimpleRnnTorch.Data;
using SimpleRnnTorch.Evaluation;
using SimpleRnnTorch.Forecasting;
using SimpleRnnTorch.Inference;
using SimpleRnnTorch.Model;
using SimpleRnnTorch.Persistence;
using SimpleRnnTorch.Reporting;
using SimpleRnnTorch.Scaling;
using static TorchSharp.torch;

namespace SimpleRnnTorch.Sources;

/// <summary>
/// One column of a CSV file (<see cref="SeriesSettings"/>): windows of T values → the next, in order, the most
/// recent validating (<see cref="SeriesWindows"/>). Each window is scaled relative to its own last value, with
/// one divisor from the training part (<see cref="SequenceScaler.ForWindows"/>): the network predicts the change,
/// so a trend that leaves the training range is no problem. Afterwards the model's one-step predictions beside the
/// naive forecasts, a rolling-origin backtest beside the classical baselines, the forecast after the end with its
/// interval (<see cref="SeriesForecast"/>), forecast.png and forecast.csv.
/// </summary>
/// <param name="Window">T; null: chosen from the series (<see cref="WindowFor"/>).</param>
internal sealed record SeriesData(SeriesSettings Settings, int? Window = null) : DataSource
{
    /// <summary>The window chosen for a series without a season: a dozen values (a decade and more of a yearly series).</summary>
    public const int WindowWithoutSeason = 12;

    public int? Window
    {
        get;
        init => field = CheckWindow(value);
    } = CheckWindow(Window);

    private static int? CheckWindow(int? window) => window is null or >= 1 ? window : throw new ArgumentOutOfRangeException(nameof(Window), window, "at least 1");

    /// <summary>The window asked for; 0 until the file is read when it is chosen from the series (the prepared data has the one trained on).</summary>
    public override int TimeSteps => Window ?? 0;

    public override int Features => 1;

    public override IReadOnlyList<string> FileNames => [ForecastPlot.FileName, ForecastCsv.FileName];

    /// <summary>
    /// The window when none is given: one season (the seasonal lag is then inside every window), else
    /// <see cref="WindowWithoutSeason"/>; no more than a quarter of the series, so that most of it makes windows,
    /// except that a series of at least three seasons always gets a whole season, which a seasonal scaling needs
    /// (on the corpus's monthly series, mean MASE 1.197 with it, 1.490 with a quarter of the series). Measured by the multi-origin backtest (docs/series.md): on quarterly series
    /// one season was never the worst of 4, 8 and 12 and by far the best on a short one; on monthly series two
    /// seasons did worse.
    /// </summary>
    public static int WindowFor(int length, int? season) =>
        season is > 1 && length >= 3 * season ? season.Value : Math.Max(length >= MinTwoWindow ? 2 : 1, Math.Min(season is > 1 ? season.Value : WindowWithoutSeason, length / 4));

    /// <summary>
    /// The shortest series whose default window is at least 2 (a window and a target for one training and one validation
    /// sample). A window of 1 relative to its last value is always 0: the network sees nothing, and the interval, measured
    /// in spreads of one value, comes out many times too wide. A panel's floor is its own (<see cref="PanelData.WindowFor"/>:
    /// its median series must hold two windows of 2 and their targets).
    /// </summary>
    public const int MinTwoWindow = 4;

    /// <summary>The longest window a series' model reads one value a step (<see cref="ValuesPerStepOf"/>).</summary>
    public const int LongestOneValueWindow = 26;

    /// <summary>
    /// Values a step for a series' window of <paramref name="timeSteps"/>: two where it is even and longer than
    /// <see cref="LongestOneValueWindow"/> (a year of weekly values, a day of half-hours), else one. A training step's time
    /// grows with the steps, hardly with their width: on the corpus's four weekly series (window 52) under the M4
    /// protocol, mean MASE 1.397 read two a step against 1.550 one a step and 1.511 four a step, and a default run of
    /// data/co2_weekly.csv took about 0.7 of the time (docs/series.md).
    /// </summary>
    public static int ValuesPerStepOf(int timeSteps) => timeSteps > LongestOneValueWindow && timeSteps % 2 == 0 ? 2 : 1;

    public override int ValuesPerStepFor(int timeSteps) => ValuesPerStepOf(timeSteps);

    /// <summary>The window this source trains <paramref name="series"/> on: the one asked for, else <see cref="WindowFor"/> its length and season.</summary>
    public int WindowOf(Series series) => Window ?? WindowFor(series.Length, SeriesWindows.SeasonAsked(series, Settings.Season).Season);

    public override PreparedData Prepare(long seed, double validationSplit, Device device)
    {
        var started = Stopwatch.GetTimestamp();
        var series = SeriesFile.Read(Settings, out var readTime);
        if (ForecastCsv.Clash(null, series.Time?.Name) is { } clash)
        {
            throw new SeriesDataException($"{Settings.Labels.Data} '{Common.Excerpt.OfPath(series.Source)}': {clash}");
        }

        var t = WindowOf(series);
        var windows = SeriesWindows.Plan(series, t, validationSplit, Settings.Season, Settings.Labels);
        var horizon = Settings.HorizonOf(series);
        var summary = new SeriesSummary(series, windows, readTime, horizon);
        if (SizeProblem(series) is { } size)
        {
            throw new SeriesDataException(size);
        }

        // Windows in order, the last fraction validating; the scaler sees the training part only.
        var kind = Settings.Scaling switch
        {
            ScalingKind.Ratio when series.Values.Any(v => !(v > 0)) => throw new SeriesDataException(
                $"{Settings.Labels.Scaling} ratio needs positive values; {series.Name} in '{Excerpt.OfPath(series.Source)}' has {series.Values.Min().ToString("R", CultureInfo.InvariantCulture)}: use {Settings.Labels.Scaling} difference"),
            ScalingKind.Seasonal when windows.Season is not { } m || m > t => throw new SeriesDataException(
                $"{Settings.Labels.Scaling} seasonal needs a season no longer than the window: {(windows.Season is { } m2 ? $"the season is {m2}, the window {t}" : "the series has none")}; give {Settings.Labels.Season} or {Settings.Labels.TimeSteps}"),
            { } asked => asked,
            null => windows.Season is { } season && season <= t && SeasonCheck.SeasonalNaiveBeatsNaive(series.Values.AsSpan(0, windows.TrainingValues), season)
                ? ScalingKind.Seasonal
                : ScalingKind.Difference,
        };
        var scaler = SequenceScaler.ForWindows(series.Values.AsSpan(0, windows.TrainingValues), t, kind, kind == ScalingKind.Seasonal ? windows.Season!.Value : 0);
        if (!OnnxModelInfo.IsScaleDivisor(scaler.Divisor))
        {
            // Changes this small would be scaled by a divisor float32 holds only as a subnormal: the saved model could not be loaded.
            throw new SeriesDataException($"{series.Name} in '{Excerpt.OfPath(series.Source)}' changes by too little for float32: its windows' spread is " +
                                          $"{scaler.Divisor.ToString("G3", CultureInfo.InvariantCulture)}, below {OnnxModelInfo.MinNormalFloat.ToString("G3", CultureInfo.InvariantCulture)}; " +
                                          "multiply the column by a power of ten (the forecast comes back multiplied by the same)");
        }
        using var sequences = SeriesWindows.Sequences(series.Values, t);
        var tensors = TrainingData.Create(sequences, scaler, validationSplit, device);
        var first = series.Values.AsSpan(0, t + 1).ToArray().Select(v => (double)v).ToArray();
        return new PreparedData
        {
            Tensors = tensors,
            Scaler = scaler,
            Summary = DataSummary.Of(this, tensors, scaler, seed, validationSplit, (first[..t], first[t]), summary),
            Spec = new SequenceSpec(Count: windows.Windows, TimeSteps: t),
            Task = SequenceTask.Arithmetic,
            Origin = new SeriesOrigin(series.Source, series.Name, series.Length, windows.TrainingValues,
                $"each window relative to its last value ({kind.ToString().ToLowerInvariant()}), divided by {scaler.Divisor.ToString("R", CultureInfo.InvariantCulture)} " +
                "(the standard deviation of the training windows' values so made relative)"),
            Duration = Stopwatch.GetElapsedTime(started),
        };
    }

    /// <summary>The largest size (a value's magnitude) a series may reach: a panel's bound too (<see cref="SpreadScaler.LargestLevel"/>).</summary>
    public const double LargestSize = SpreadScaler.LargestLevel;

    /// <summary>
    /// Why a series cannot be computed in float32 (the network's, and the exported graph's, type), or null: a value above
    /// <see cref="LargestSize"/> in size leaves its windows' changes (−2.5e38 beside 2.5e38 is an infinite one) and its
    /// forecast (values near 3.3e38 that rise) too little room below float32's 3.4e38, and a run would fail after training.
    /// </summary>
    internal static string? SizeProblem(Series series)
    {
        var size = series.Values.Length == 0 ? 0 : series.Values.Max(v => Math.Abs((double)v));
        return size <= (float)LargestSize
            ? null
            : $"{series.Name} in '{Excerpt.OfPath(series.Source)}' reaches {Excerpt.Float(size)} in size: above " +
              $"{LargestSize.ToString("0e0", CultureInfo.InvariantCulture)} its changes and its forecast near float32's {float.MaxValue.ToString("G2", CultureInfo.InvariantCulture)}, " +
              "in which the model computes; divide the column by a power of ten (the forecast comes back divided by the same)";
    }

    /// <summary>The series facts of data this source prepared.</summary>
    public static SeriesSummary Summary(DataSummary data) => (SeriesSummary)data.Facts;

    public override DataOutcome Evaluate(SequenceRegressor model, PreparedData data, EvaluationContext context)
    {
        var summary = Summary(data.Summary);
        return new SeriesForecastOutcome(SeriesForecast.Evaluate(model, data.Scaler, summary.Series, summary.Windows, summary.Windows.Season, summary.Horizon,
            Settings.Interval, context.ModelName, context.Device, Settings.Smoothing, context.Cancellation));
    }
}

/// <summary>A series' evaluation (<see cref="SeriesOutcome"/>): its files are forecast.png and forecast.csv, and the model keeps its interval.</summary>
internal sealed record SeriesForecastOutcome(SeriesOutcome Result) : DataOutcome
{
    public override IReadOnlyList<OutcomeFile> Files =>
    [
        new(ForecastPlot.FileName, () => ForecastPlot.Render(Result)),
        new(ForecastCsv.FileName, () => System.Text.Encoding.UTF8.GetBytes(ForecastCsv.Format(Result))),
    ];

    public override ModelManifest Annotate(ModelManifest manifest) => manifest.Series is { } origin
        ? manifest with { Series = origin with { Interval = new SavedInterval(Result.Interval.Level, Result.Interval.Lower, Result.Interval.Upper), Smoothing = Result.Smoothing } }
        : manifest;
}
