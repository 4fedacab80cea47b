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

    public static string Format(SeriesOutcome outcome)
    {
        var text = new StringBuilder();
        var first = outcome.Series.Time?.Name is { Length: > 0 } name ? Quote(name) : "step";
        text.Append(first).Append(",forecast,lower,upper\n");
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
    /// first column is named as the id column is ("series" for a wide file, whose ids are the columns' names).
    /// </summary>
    public static string Format(PanelOutcome outcome)
    {
        var text = new StringBuilder();
        text.Append(Quote(outcome.IdName)).Append(',').Append(outcome.TimeName is { Length: > 0 } time ? Quote(time) : "step").Append(",forecast,lower,upper\n");
        foreach (var s in outcome.Series)
        {
            var id = Quote(s.Series.Name);
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
