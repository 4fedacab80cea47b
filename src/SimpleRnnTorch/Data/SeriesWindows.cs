using static TorchSharp.torch;

namespace SimpleRnnTorch.Data;

/// <summary>
/// How a series of L values becomes samples: window w is the T values from position w, its target the
/// value after them, so there are L − T windows, in order. The validation part is the last
/// <c>validation split</c> fraction of the windows, cut as Keras' validation_split cuts (the training part
/// is the first int(N · (1 − split)) windows), which for a series means the most recent values; nothing is
/// shuffled across that boundary (the trainer shuffles the training part only).
/// <para>
/// The training part of the series is every value a training window reads or predicts: positions
/// [0, <see cref="TrainingValues"/>). The validation targets are the values after it, positions
/// [<see cref="TrainingValues"/>, L): the scaler, the baselines' scale and the seasonal lag see only
/// the training part.
/// </para>
/// </summary>
internal sealed record SeriesWindows(int Length, int TimeSteps, double ValidationSplit)
{
    /// <summary>N = L − T windows of T inputs and one target.</summary>
    public int Windows => Length - TimeSteps;

    public int TrainWindows => (int)TrainingData.TrainCountFor(Windows, ValidationSplit);

    public int ValidationWindows => Windows - TrainWindows;

    /// <summary>Values in the training part; also the position of the first validation target.</summary>
    public int TrainingValues => TrainWindows + TimeSteps;

    /// <summary>
    /// m of the seasonal naive baseline: --season when given, else the time column's frequency default
    /// (daily 7, weekly 52, monthly 12, quarterly 4) when a season fits in the training part; null: no such baseline.
    /// </summary>
    public int? Season { get; init; }

    /// <summary>True when <see cref="Season"/> comes from the time column's frequency, not --season.</summary>
    public bool SeasonFromFrequency { get; init; }

    /// <summary>
    /// The windows of a series with the checks a file can fail: enough values for one training and one
    /// validation window (T + 2 at least), and a given season that fits in the training part. Without
    /// <paramref name="season"/> the time column's default season applies where it fits.
    /// </summary>
    public static SeriesWindows Plan(Series series, int timeSteps, double validationSplit, int? season, SeriesLabels? labels = null)
    {
        labels ??= SeriesLabels.Plain;
        var plan = new SeriesWindows(series.Length, timeSteps, validationSplit);
        var (asked, fromFrequency) = SeasonAsked(series, season);
        plan = fromFrequency
            ? plan with { Season = asked <= plan.TrainingValues ? asked : null, SeasonFromFrequency = asked <= plan.TrainingValues }
            : plan with { Season = season };

        var source = $"{labels.Data} '{series.Source}'";
        if (series.Length < timeSteps + 2)
        {
            throw new SeriesDataException($"{source} has {series.Length} value(s) of {series.Name}; {labels.TimeSteps} {timeSteps} needs at least {timeSteps + 2} " +
                                          "(T inputs and a target for one training and one validation window)");
        }

        if (plan.TrainWindows < 1 || plan.ValidationWindows < 1)
        {
            throw new SeriesDataException($"{source}: {labels.ValidationSplit} {validationSplit} of {plan.Windows} windows leaves " +
                                          (plan.TrainWindows < 1 ? "no training window" : "no validation window") + "; use more values or another split");
        }

        if (season is { } m && m > plan.TrainingValues)
        {
            throw new SeriesDataException($"{labels.Season} {m} is larger than the training part of {source} ({plan.TrainingValues} values); " +
                                          "the seasonal naive baseline needs a whole season of it");
        }

        return plan;
    }

    /// <summary>
    /// The season a series is asked to have, decided here only: --season when given, else its dates' frequency's
    /// (<see cref="TimeAxis.DefaultSeason"/>), else none. <see cref="Plan"/> keeps a frequency's season only where it
    /// fits in the training part; the window chosen before the plan starts from the same answer.
    /// </summary>
    public static (int? Season, bool FromFrequency) SeasonAsked(Series series, int? given) =>
        given is not null ? (given, false) : (series.Time?.DefaultSeason, series.Time?.DefaultSeason is not null);

    /// <summary>
    /// The windows with their targets as (N, T + 1) rows in original units, float32, the layout of the
    /// generated lesson data: row w is values[w .. w + T]. A strided view of one copy of the series.
    /// </summary>
    public static Tensor Sequences(float[] values, int timeSteps)
    {
        using var series = tensor(values);
        return series.unfold(0, timeSteps + 1, 1);
    }
}
