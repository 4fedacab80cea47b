using System.Globalization;
using System.Text;
using SimpleRnnTorch.Common;
using SimpleRnnTorch.Evaluation;

namespace SimpleRnnTorch.Reporting;

/// <summary>
/// forecast.csv: one row per future step, the date (or label) first, then the forecast and its interval's
/// bounds: <c>date,forecast,lower,upper</c>. The first column is named as the time column is ("step" without
/// one); numbers round-trip (invariant culture, "R").
/// </summary>
internal static class ForecastCsv
{
    public const string FileName = "forecast.csv";

    /// <summary>
    /// The header's names: the id columns' (a panel), the time column's ("step" without one, or "forecast step" where an id
    /// column has that name: the name is the program's, so the program gives way), then the forecast's and its bounds'.
    /// </summary>
    public static string[] Columns(IReadOnlyList<string>? idNames, string? timeName) =>
        [.. idNames ?? [], timeName is { Length: > 0 } time ? time : idNames?.Contains("step") == true ? "forecast step" : "step", "forecast", "lower", "upper"];

    /// <summary>
    /// Why forecast.csv could not be read back by column name (an id column named "forecast", a wide file's time column named
    /// "series"), in words for a refusal before the run writes anything; null when its names are distinct.
    /// </summary>
    public static string? Clash(IReadOnlyList<string>? idNames, string? timeName)
    {
        var columns = Columns(idNames, timeName);
        return columns.GroupBy(n => n, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } twice
            ? $"{FileName} would name two of its columns '{Excerpt.Of(twice.Key)}' ({string.Join(",", columns.Select(n => Excerpt.Of(n)))}); rename that column in the file"
            : null;
    }

    public static string Format(SeriesOutcome outcome)
    {
        var text = new StringBuilder();
        text.Append(string.Join(',', Columns(null, outcome.Series.Time?.Name).Select(Quote))).Append('\n');
        for (var k = 0; k < outcome.Forecast.Length; k++)
        {
            text.Append(Quote(outcome.ForecastLabels[k])).Append(',')
                .Append(outcome.Forecast[k].ToString("R", CultureInfo.InvariantCulture)).Append(',')
                .Append(outcome.Lower[k].ToString("R", CultureInfo.InvariantCulture)).Append(',')
                .Append(outcome.Upper[k].ToString("R", CultureInfo.InvariantCulture)).Append('\n');
        }

        return text.ToString();
    }

    /// <summary>
    /// A panel's forecast.csv: <c>id,time,forecast,lower,upper</c>, H rows per series in the order the series were read; the
    /// first column is named as the id column is ("series" for a wide file, whose ids are the columns' names), and several
    /// id columns are as many first columns (<c>store,product,time,...</c>).
    /// </summary>
    public static string Format(PanelOutcome outcome)
    {
        var text = new StringBuilder();
        text.Append(string.Join(',', Columns(outcome.Ids.Names, outcome.TimeName).Select(Quote))).Append('\n');
        foreach (var s in outcome.Series)
        {
            var id = string.Join(',', outcome.Ids.Of(s.Series.Name).Select(Quote));
            for (var k = 0; k < s.Forecast.Length; k++)
            {
                text.Append(id).Append(',').Append(Quote(s.Labels[k])).Append(',')
                    .Append(s.Forecast[k].ToString("R", CultureInfo.InvariantCulture)).Append(',')
                    .Append(s.Lower[k].ToString("R", CultureInfo.InvariantCulture)).Append(',')
                    .Append(s.Upper[k].ToString("R", CultureInfo.InvariantCulture)).Append('\n');
            }
        }

        return text.ToString();
    }

    public static void Write(string path, SeriesOutcome outcome) => AtomicFile.WriteAllText(path, Format(outcome));

    /// <summary>RFC 4180: a cell with a comma, a quote or a line break is quoted, its quotes doubled.</summary>
    private static string Quote(string cell) =>
        cell.IndexOfAny([',', '"', '\n', '\r']) < 0 ? cell : "\"" + cell.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
