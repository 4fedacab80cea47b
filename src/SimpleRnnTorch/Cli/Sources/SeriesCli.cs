using System.CommandLine;
using System.Globalization;
using SimpleRnnTorch.Cli.Views;
using SimpleRnnTorch.Common;
using SimpleRnnTorch.Data;
using SimpleRnnTorch.Evaluation;
using SimpleRnnTorch.Prediction;
using SimpleRnnTorch.Runs;
using SimpleRnnTorch.Scaling;
using SimpleRnnTorch.Sources;

namespace SimpleRnnTorch.Cli.Sources;

/// <summary>A CSV series (<see cref="SeriesData"/>) on the command line: `--data FILE.csv` and the options only a series reads.</summary>
internal sealed class SeriesCli : SourceCli
{
    /// <summary>A series' job: its preset (<see cref="TrainJob.Series"/>), what options left out take with --data.</summary>
    public static TrainJob Preset { get; } = TrainJob.Series(new SeriesSettings(""));

    public Option<string> Data { get; } = new("--data")
    {
        Description = "Train on one column of this CSV file instead of generated sequences: windows of --time-steps values -> the next, " +
                      "the most recent --validation-split held out; then a backtest beside classical baselines and a forecast with its interval " +
                      "(see --column, --time-column, --fill, --season, --horizon, --interval). Options left out take a series' defaults: " +
                      $"--time-steps the season (else {SeriesData.WindowWithoutSeason}), --cell {Preset.Model.Cell.ToString().ToLowerInvariant()}, " +
                      $"--hidden {Preset.Model.HiddenSize}, --epochs {Preset.Training.Epochs}, " +
                      $"--lr {Preset.Training.LearningRate.ToString(System.Globalization.CultureInfo.InvariantCulture)}, " +
                      $"--schedule {Preset.Training.Schedule.ToString().ToLowerInvariant()}, --patience {Preset.Training.Patience}",
        HelpName = "file.csv",
    };

    public Option<string> Column { get; } = new("--column")
    {
        Description = "With --data: the column to read, by header name or 0-based index [default: the last column whose first value is a number]; " +
                      "several, comma-separated (A,B,C), or all (every numeric column but the time column): a wide panel, one series per column, one network for all",
        HelpName = "name|index|A,B,C|all",
    };

    public Option<string> IdColumn { get; } = new("--id-column")
    {
        Description = "With --data: a long panel (rows of id, time, value), one series per distinct value of this column, or of several " +
                      "together (store,product: a series per pair, named 1/7; a name holding a comma in double quotes); series may start and end apart; " +
                      "one network trained on the windows of all of them, each window divided by its own spread; forecast.csv gets these columns first",
        HelpName = "name|index|A,B",
    };

    public Option<string> PlotSeries { get; } = new("--plot-series")
    {
        Description = $"With a panel: the series forecast.png draws, comma-separated ids (one holding a comma in double quotes: '\"a,b\",c'), at most {PanelSettings.MaxPlotted} [default: the {PanelSettings.MaxPlotted} largest by mean level]",
        HelpName = "A,B,C",
    };

    public Option<string> TimeColumn { get; } = new("--time-column")
    {
        Description = "With --data: the values' time: dates (daily to yearly: the step, gaps, the default season, the labels) or other labels",
        HelpName = "name|index",
    };

    public Option<Choice<FillMethod>> Fill { get; } = OptionKit.Choice("--fill",
        "With --data: missing values (empty cells, NaN): none stops at the first one, linear interpolates them", new SeriesSettings("").Fill);

    public Option<int?> Season { get; } = OptionKit.NullableInt("--season",
        "With --data: the season m: the seasonal naive baseline y[t-m], Holt-Winters' season, and the shortest default window " +
        "[default: 12 for monthly dates, 4 quarterly, 52 weekly, 7 daily, a day, an hour or a minute of sub-daily steps (at most 96: 24 hourly), else none]", 1, 1_000_000_000);

    public Option<int?> Horizon { get; } = OptionKit.NullableInt("--horizon",
        "With --data: values to forecast after the series ends, each fed back as an input, and the backtest's steps " +
        $"[default: 14 for daily dates, 52 weekly, 12 monthly, 8 quarterly, the season of sub-daily steps, else {SeriesSettings.DefaultHorizon}; at most the series' length]", 1, 100_000);

    public Option<ChoiceOrUnset<ScalingKind>> Scaling { get; } = OptionKit.ChoiceOrUnset("--scaling",
        "With --data: each window relative to its last value by difference (x - last) or by ratio (x / last - 1, for a positive series); " +
        "seasonal: by difference, the target relative to the value a season before it; auto: seasonal where, on the training part, the value " +
        "a season back predicts better than the last value and the window holds a season, else difference",
        "auto", SeriesSettings.Scalings);

    public Option<double> Interval { get; } = OptionKit.Double("--interval",
        "With --data: the level of the forecast's interval, from the backtest's errors at each step", SeriesSettings.DefaultInterval, 0, 1, minExclusive: true, maxExclusive: true);

    /// <summary>How the series' messages name its settings: by their flags.</summary>
    public static SeriesLabels Labels { get; } = new("--data", "--column", "--time-column", "--fill", "--time-steps", "--validation-split", "--season", "--horizon", "--scaling", "--id-column", "--plot-series");

    public Option<NumberOrKeyword> Smoothing { get; } = OptionKit.NumberOrKeyword("--smoothing",
        "With --data: the share of exponential smoothing (fitted on each series, its form chosen by AICc) in the forecast beside the network's: " +
        "0 the network alone, 1 smoothing alone; auto: the share of 0, 0.25, 0.5, 0.75 or 1 that erred least on the backtest " +
        "[default: 0.85 where it models the series' season (2 to 24; the training part, a panel's median series', must hold two seasons and at least 14 values: ExponentialSmoothing.ValuesToStart) and the form AICc chose has one, 0.25 where the series has a season it cannot model, else 0.5]", "auto");

    /// <summary>--smoothing as the run takes it: left out, by season; auto, chosen on the backtest; a number, that share.</summary>
    public SmoothingShare SmoothingOf(ParseResult parse) =>
        !parse.Given(Smoothing) ? SmoothingShare.BySeason
        : parse.GetValue(Smoothing).Value is { } weight ? new SmoothingShare.Fixed(weight)
        : SmoothingShare.Backtested;

    public override IReadOnlyList<Option> OwnOptions => [Data, Column, IdColumn, TimeColumn, Fill, Season, Horizon, Interval, Scaling, Smoothing, PlotSeries];

    public override string Selector => "--data FILE.csv";

    public override bool IsAsked(ParseResult parse, TrainOptions options) => parse.Given(Data);

    public override TrainJob Defaults => Preset;

    public override IEnumerable<(Option Option, string Why)> Refuses(ParseResult parse, TrainOptions o) =>
    [
        .. parse.GetValue(o.Task).Value == SequenceTask.Adding ? [(o.Task, "--data trains on a CSV series; it does not combine with --task adding")] : Array.Empty<(Option, string)>(),
        .. new (Option, string)[]
        {
            (o.Sequences, "the file gives the samples"), (o.StartMin, "the file gives the values"), (o.StartMax, "the file gives the values"),
            (o.Step, "the file gives the values"), (o.StepMax, "the file gives the values"),
            (o.Scale, "each window of a series is scaled relative to its last value, divided by the training windows' spread (see --scaling)"),
            (o.EvalCount, "the evaluation sets are arithmetic sequences; a series is compared with naive baselines instead"),
            (o.Lesson, "it is the arithmetic lesson's optimiser (Adam 0.001, constant); a series has its own defaults (see --help), and --lr/--schedule set it"),
        }.Select(p => (p.Item1, $"{p.Item1.Name} does not apply with --data: {p.Item2}")),
    ];

    public override (DataSource? Source, string? Problem) Bind(ParseResult parse, TrainOptions o)
    {
        var data = parse.GetValue(Data)!;
        var column = parse.GetValue(Column);
        var split = parse.GetValue(o.ValidationSplit);
        var problem =
            string.IsNullOrWhiteSpace(data) ? "--data must name a CSV file"
            : split == 0 ? "--validation-split 0 leaves no validation part, where --data compares the model with the naive baselines; give a fraction in (0, 1)"
            : column is not null && column == parse.GetValue(TimeColumn) ? $"--column and --time-column both name '{column}'; the time column only labels the values"
            : parse.Given(o.Predict) && !parse.Given(o.TimeSteps) ? "--predict with --data needs --time-steps: without it the window is chosen from the file, after the options are read"
            : null;
        if (problem is not null)
        {
            return (null, problem);
        }

        int? window = parse.Given(o.TimeSteps) ? parse.GetValue(o.TimeSteps) : null;
        var idColumn = parse.GetValue(IdColumn);
        if (idColumn is not null || column is not null && (column.Contains(',') || column.Trim() == PanelLayout.AllColumns))
        {
            return PanelCli.Bind(parse, this, data, column, idColumn, window);
        }

        if (parse.Given(PlotSeries))
        {
            return (null, "--plot-series applies to a panel: --id-column, or --column A,B,C or all");
        }

        var settings = new SeriesSettings(data, column, parse.GetValue(TimeColumn), parse.GetValue(Fill).Value, parse.GetValue(Season),
            parse.GetValue(Horizon), parse.GetValue(Interval), parse.GetValue(Scaling).Value) { Labels = Labels, Smoothing = SmoothingOf(parse) };
        return (new SeriesData(settings, window), null);
    }

    /// <summary>The file, found without reading its values.</summary>
    public override string? Problem(TrainJob job)
    {
        var data = ReadPath(job);
        return Directory.Exists(data) ? $"--data '{Excerpt.OfPath(data)}' is a folder, not a CSV file"
            : SeriesFile.FileProblem(data) is { } fileProblem ? $"--data '{Excerpt.OfPath(data)}'{fileProblem}"
            : null;
    }

    /// <summary>The series' values, read here once for the run (the run's own reading is answered from this one).</summary>
    public override JobSize Size(TrainJob job)
    {
        if (job.Source is PanelData panel)
        {
            return PanelCli.Size(panel, job.Training.ValidationSplit);
        }

        var source = (SeriesData)job.Source;
        var series = SeriesFile.Read(source.Settings);
        return new JobSize(series.Length, source.WindowOf(series), 0, $"--data's {series.Length:N0} values");
    }

    public override string ReadPath(TrainJob job) => job.Source switch
    {
        PanelData panel => panel.Settings.File,
        _ => ((SeriesData)job.Source).Settings.File,
    };

    /// <summary>Said before the backtest: a large panel's takes a minute or more.</summary>
    public override string? EvaluationNote(DataSummary data) => data.Facts is PanelSummary panel
        ? $"Backtesting {panel.Plan.Members.Count:N0} series beside their baselines, then forecasting {panel.Plan.Members.Count + panel.Plan.ForecastOnly.Count:N0}..."
        : "Backtesting beside the classical baselines, then forecasting...";

    /// <summary>Where the series came from, how it was cut into windows and split, and how it was scaled.</summary>
    public override void WriteData(TextWriter output, TrainJob job, DataSummary d, string where)
    {
        if (d.Facts is PanelSummary panel)
        {
            PanelCli.WriteData(output, panel, d, where);
            return;
        }

        var summary = SeriesData.Summary(d);
        var (series, windows) = (summary.Series, summary.Windows);
        var separator = series.Columns == 1 ? "one column" : series.Separator == '\t' ? "tab separated" : $"'{series.Separator}' separated";
        var span = series.Time is { } time ? $"; {time.Name} {series.Label(0)} to {series.Label(series.Length - 1)}, {time.Describe()}" : "";
        output.WriteLine($"Read {series.Length - series.Inserted} values of {series.Name} from {series.Source} in {Duration(summary.ReadTime)} " +
                         $"({separator}, {(series.HasHeader ? "with a header" : "no header")}{span})");
        if (series.Filled > 0)
        {
            output.WriteLine($"Filled {series.Filled} missing value(s) by linear interpolation (at either end: the nearest value)");
        }

        if (series.Inserted > 0)
        {
            output.WriteLine(series.Time is TimeAxis.Numbered numbered
                ? $"Inserted {series.Inserted} missing value(s) of {numbered.Name} ({numbered.Describe()}), filled by linear interpolation: {series.Length} values"
                : $"Inserted {series.Inserted} missing date(s) at the {series.Time!.Describe()} step of {series.Time.Name}, filled by linear interpolation: {series.Length} values");
        }

        var t = windows.TimeSteps;
        output.WriteLine($"Windows of {t} values -> the next value, in order: X ({string.Join(", ", d.InputShape)}) = (samples, time steps, features), y ({windows.Windows}, 1)");
        output.WriteLine($"Training part: the first {windows.TrainingValues} values ({Range(series, 0, windows.TrainingValues - 1)}), {windows.TrainWindows} windows, shuffled among themselves");
        output.WriteLine($"Validation part: the last {windows.ValidationWindows} of the {windows.Windows} windows (--validation-split {d.ValidationSplit.ToString("G", CultureInfo.InvariantCulture)}, at least one), " +
                         $"targets {Range(series, windows.TrainingValues, series.Length - 1)}, in order");
        var relative = d.Scaler.Kind == ScalingKind.Ratio ? "x / last - 1" : "x - last";
        var (target, change) = d.Scaler.Kind == ScalingKind.Seasonal
            ? ($"the target relative to the value {d.Scaler.Lag} steps before it, ", "over a season")
            : ("the target also ", "a step");
        var chosen = ((SeriesData)job.Source).Settings.Scaling is null
            ? d.Scaler.Kind == ScalingKind.Seasonal
                ? $" (seasonal: in the training part the value {d.Scaler.Lag} steps back predicts better than the last)"
                : " (difference: no season in the window, or in the training part the value a season back predicts no better than the last)"
            : "";
        output.WriteLine($"Each window relative to its last value ({relative}){chosen}, divided by {TrainView.N4(d.Scaler.Divisor)}; {target}less the training part's " +
                         $"mean change {change} ({TrainView.N4(d.Scaler.Offset)}): sample input {SequenceText.Format(d.SampleInput)} -> {SequenceText.Format(d.ScaledSampleInput)}, " +
                         $"target {TrainView.N4(d.SampleTarget)} -> {TrainView.N4(d.Scaler.TransformTarget(d.SampleTarget, d.SampleInput))}");
        output.WriteLine(char.ToUpperInvariant(where[0]) + where[1..]);
    }

    private static string Range(Series series, long first, long last) =>
        series.Time is { IsRegular: true } time ? $"{time.Name} {series.Label(first)} to {series.Label(last)}" : $"values {first + 1} to {last + 1}";

    internal static string Duration(TimeSpan elapsed) =>
        elapsed.TotalSeconds >= 1 ? $"{elapsed.TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture)} s" : $"{elapsed.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture)} ms";

    public override void WriteOutcome(CliConsole console, TrainingRun run)
    {
        if (run.Outcome is PanelForecastOutcome panel)
        {
            PanelCli.WriteOutcome(console, run, panel);
            return;
        }

        if (run.Outcome is not SeriesForecastOutcome { Result: var outcome } saved)
        {
            return;
        }

        if (run.Predictions.Count > 0)
        {
            console.Out.WriteLine();
        }

        SeriesView.Write(console.Ansi, console.Out, outcome);
        if (saved.Written.Count > 0)
        {
            console.Out.WriteLine();
            console.Out.WriteLine($"Saved {string.Join(" and ", saved.Written)} (the picture: the series, the one-step predictions, the forecast and its interval; the file: the forecast and its interval)");
        }
    }
}
