namespace SimpleRnnTorch.Data;

/// <summary>How a file holds its series: one closed set of layouts.</summary>
internal abstract record PanelLayout
{
    private PanelLayout()
    {
    }

    /// <summary>
    /// Long: a row per (series, time); one series per distinct value of the <paramref name="IdColumns"/> (one, or several
    /// together: store and product), its values in <paramref name="ValueColumn"/> (null: the last numeric column).
    /// </summary>
    public sealed record Long(IReadOnlyList<string> IdColumns, string? ValueColumn) : PanelLayout
    {
        public Long(string idColumn, string? valueColumn)
            : this([idColumn], valueColumn)
        {
        }
    }

    /// <summary>Wide: a column per series, <paramref name="Columns"/> by name or index, or null for every numeric column but the time column.</summary>
    public sealed record Wide(IReadOnlyList<string>? Columns) : PanelLayout;

    /// <summary>How forecast.csv names the column that says which series a row is: the id column's name, or "series" for a wide file.</summary>
    public const string WideIdName = "series";

    /// <summary>The word --column takes for every numeric column.</summary>
    public const string AllColumns = "all";

    /// <summary>What joins the ids of a series named by several id columns in its name: store 1, product 7 is "1/7".</summary>
    public const char IdJoin = '/';

    /// <summary>--column's text as a wide layout: "A,B,C" (names or indices) or "all".</summary>
    public static Wide WideOf(string columns) => new(columns.Trim() == AllColumns ? null : columns.Split(',', StringSplitOptions.TrimEntries));
}

/// <summary>
/// What tells a panel's series apart: the id column (or columns: store and product) and, with several, each series' ids,
/// whose joined form ("1/7") is the series' name; a wide file's is the column, named "series".
/// </summary>
/// <param name="Names">The id columns' names, or ["series"] for a wide file: forecast.csv's first columns.</param>
/// <param name="Parts">With several id columns: each series' name to its ids; null with one (the name is the id).</param>
internal sealed record PanelIds(IReadOnlyList<string> Names, IReadOnlyDictionary<string, string[]>? Parts = null)
{
    /// <summary>A wide file's: a series per column, forecast.csv's first column named "series".</summary>
    public static readonly PanelIds Wide = new([PanelLayout.WideIdName]) { OnePerColumn = true };

    /// <summary>Whether the series are a wide file's columns (not a long file's ids, whatever their column's name).</summary>
    public bool OnePerColumn { get; private init; }

    /// <summary>The ids of the series named <paramref name="name"/>, one per id column.</summary>
    public IReadOnlyList<string> Of(string name) => Parts is null ? [name] : Parts[name];
}

/// <summary>
/// Many series in one CSV file (`--data FILE --id-column ID` or `--column A,B,C|all`): where they are, the time column,
/// and the settings every series of the panel shares with a single one (<see cref="SeriesSettings"/>).
/// </summary>
/// <param name="PlotSeries">The series forecast.png draws, by id; null: the largest (<see cref="MaxPlotted"/>).</param>
internal sealed record PanelSettings(
    string File,
    PanelLayout Layout,
    string? TimeColumn = null,
    FillMethod Fill = FillMethod.None,
    int? Season = null,
    int? Horizon = null,
    double Interval = SeriesSettings.DefaultInterval,
    IReadOnlyList<string>? PlotSeries = null)
{
    /// <summary>How exponential smoothing (fitted per series) is weighed against the global network in each series' forecast (<see cref="SeriesSettings.Smoothing"/>).</summary>
    public Evaluation.SmoothingShare Smoothing { get; init; } = Evaluation.SmoothingShare.BySeason;

    /// <summary>How messages name the settings: plain words unless the command line passes its flags.</summary>
    public SeriesLabels Labels { get; init; } = SeriesLabels.Plain;

    /// <summary>The most series a panel may hold: each costs its own time axis and baselines.</summary>
    public const int MaxSeries = 100_000;

    /// <summary>The most series forecast.png draws side by side.</summary>
    public const int MaxPlotted = 12;

    /// <summary>The settings of one series of the panel, for what a single series decides (its default horizon, its window checks).</summary>
    public SeriesSettings ForOne => new(File, null, TimeColumn, Fill, Season, Horizon, Interval) { Labels = Labels };
}
