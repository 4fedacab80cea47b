using SimpleRnnTorch.Common;
using SimpleRnnTorch.Scaling;

namespace SimpleRnnTorch.Data;

/// <summary>How to fill missing values (empty cells, NaN) in a series.</summary>
internal enum FillMethod
{
    /// <summary>Refuse the file at its first missing value.</summary>
    None,

    /// <summary>Interpolate linearly between the known neighbours; a gap at either end takes the nearest known value.</summary>
    Linear,
}

/// <summary>
/// Train on one column of a CSV file instead of the lesson's generated sequences (`--data`): which file
/// and column, the optional time column (dates or labels), what to do with missing values, the season,
/// how far to forecast and the interval's level.
/// </summary>
/// <param name="Column">A header name or a 0-based index; null: the last column whose first value is a number (or missing).</param>
/// <param name="TimeColumn">A header name or a 0-based index whose cells date or label the values; null: none.</param>
/// <param name="Season">m of the seasonal baselines and of the window; null: the dates' frequency decides (<see cref="TimeAxis.DefaultSeason"/>).</param>
/// <param name="Horizon">Values to forecast after the series ends; null: the dates' frequency decides (<see cref="HorizonFor"/>).</param>
/// <param name="Interval">The level of the forecast's interval, in (0, 1).</param>
/// <param name="Scaling">How each window is made relative to its last value (difference, ratio, seasonal); null: decided from the training part (<see cref="SeriesSettings.Scaling"/>).</param>
internal sealed record SeriesSettings(
    string File,
    string? Column = null,
    string? TimeColumn = null,
    FillMethod Fill = FillMethod.None,
    int? Season = null,
    int? Horizon = null,
    double Interval = SeriesSettings.DefaultInterval,
    ScalingKind? Scaling = null)
{
    /// <summary>
    /// A series' windows are scaled relative to themselves: difference, ratio (positive series) or seasonal. Null (the
    /// default): seasonal where, on the training part, the seasonal naive forecast beats the naive one and the window
    /// holds a season, else difference (Forecasting/SeasonCheck; measured on the corpus, docs/series.md).
    /// </summary>
    public ScalingKind? Scaling
    {
        get;
        init => field = value is ScalingKind.Global || value is { } kind && !Scalings.Contains(kind)
            ? throw new ArgumentOutOfRangeException(nameof(Scaling), value, "a series is scaled relative to each window")
            : value;
    } = Scaling is ScalingKind.Global ? throw new ArgumentOutOfRangeException(nameof(Scaling), Scaling, "a series is scaled relative to each window") : Scaling;

    /// <summary>
    /// How exponential smoothing is weighed against the network in the forecast (<see cref="Inference.SmoothingCombination"/>):
    /// by default 0.85 smoothing where it models the series' season, ¼ where the series has one it cannot model, ½ where it has
    /// none (measured on the corpus, docs/series.md).
    /// </summary>
    public Evaluation.SmoothingShare Smoothing { get; init; } = Evaluation.SmoothingShare.BySeason;

    /// <summary>How messages name the settings: plain words unless the command line passes its flags.</summary>
    public SeriesLabels Labels { get; init; } = SeriesLabels.Plain;

    /// <summary>The scalings a series may ask for (--scaling's choices).</summary>
    public static readonly ScalingKind[] Scalings = [ScalingKind.Difference, ScalingKind.Ratio, ScalingKind.Seasonal];

    /// <summary>Without dates (or years): ten values ahead.</summary>
    public const int DefaultHorizon = 10;

    public const double DefaultInterval = 0.8;

    /// <summary>
    /// The horizon when none is given, by the dates' frequency: two weeks of days (14), a year of weeks (52) or of
    /// months (12), two years of quarters (8), a season of date-times on a shorter step (a day of hours: 24; an hour of
    /// minutes: 60); years and series without dates, <see cref="DefaultHorizon"/>.
    /// </summary>
    public static int HorizonFor(TimeAxis? time) => time switch
    {
        TimeAxis.Dated { Frequency: TimeFrequency.Daily } => 14,
        TimeAxis.Dated { Frequency: TimeFrequency.Weekly } => 52,
        TimeAxis.Dated { Frequency: TimeFrequency.Monthly } => 12,
        TimeAxis.Dated { Frequency: TimeFrequency.Quarterly } => 8,
        TimeAxis.Clocked { DefaultSeason: { } day } => day,
        _ => DefaultHorizon,
    };

    /// <summary>
    /// The horizon of a run on <paramref name="series"/>: <see cref="Horizon"/>, or <see cref="HorizonFor"/> its dates. A
    /// given horizon may be at most the series' length: a forecast further ahead than the series reaches back stands on
    /// its own predictions more than on the data, and costs time for nothing (100,000 steps of a 120-value series took 42 s).
    /// The default is held to the same bound: 12 months after a series of 6 would be refused if asked for.
    /// </summary>
    public int HorizonOf(Series series)
    {
        if (Horizon is { } given && given > series.Length)
        {
            throw new SeriesDataException($"{Labels.Horizon} {given} is longer than {Labels.Data} '{Excerpt.OfPath(series.Source)}' ({series.Length} values of {Excerpt.Of(series.Name)}); " +
                                          $"forecast at most as many values as the series has");
        }

        return Horizon ?? Math.Min(HorizonFor(series.Time), series.Length);
    }
}

/// <summary>A series file that cannot be used as asked: the message is one line that says where and why (exit code 2).</summary>
internal sealed class SeriesDataException(string message) : ProgramError(message, FailureKind.Input);

/// <summary>
/// How messages about a series name what was asked: the command line passes its flags (Cli/Sources/SeriesCli), so
/// that a message says "give --fill linear"; code that builds settings itself (tests, the benchmark) gets plain words.
/// </summary>
internal sealed record SeriesLabels(
    string Data, string Column, string TimeColumn, string Fill, string TimeSteps, string ValidationSplit, string Season, string Horizon, string Scaling,
    string IdColumn = "the id column", string PlotSeries = "the plotted series")
{
    public static SeriesLabels Plain { get; } = new(
        "the data file", "the value column", "the time column", "the fill method", "the window", "the validation split", "the season", "the horizon", "the scaling");
}
