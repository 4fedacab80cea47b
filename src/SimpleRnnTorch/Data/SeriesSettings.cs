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
/// and column, the optional time column (labels only), what to do with missing values, the season of the
/// seasonal naive baseline and how far to forecast. The window length and the validation split are the
/// job's <see cref="SequenceSpec.TimeSteps"/> and validation split, as for the lesson.
/// </summary>
/// <param name="Column">A header name or a 0-based index; null: the last column whose first value is a number (or missing).</param>
/// <param name="TimeColumn">A header name or a 0-based index whose cells label the values; null: none.</param>
/// <param name="Season">m of the seasonal naive baseline (y[t-m]); null leaves that baseline out.</param>
/// <param name="Horizon">Values to forecast after the series ends.</param>
internal sealed record SeriesSettings(
    string File,
    string? Column = null,
    string? TimeColumn = null,
    FillMethod Fill = FillMethod.None,
    int? Season = null,
    int Horizon = SeriesSettings.DefaultHorizon)
{
    public const int DefaultHorizon = 10;
}

/// <summary>A series file that cannot be used as asked: the message is one line that says where and why (exit code 2).</summary>
internal sealed class SeriesDataException(string message) : ProgramError(message);
