using System.Globalization;
using SimpleRnnTorch.Forecasting;
using Xunit.Abstractions;

namespace SimpleRnnTorch.Tests.Forecasting;

/// <summary>
/// The baseline table of docs/forecasting-baselines.md: every series of data/ through <see cref="Backtest.Run"/>
/// (4 origins spaced H apart), mean MASE per forecaster. Prints the table and checks that the document shows
/// these numbers:
/// <c>dotnet test tests/SimpleRnnTorch.Tests --filter "FullyQualifiedName~BaselineTableRunner" --logger "console;verbosity=detailed"</c>
/// </summary>
[Trait("Category", "Experimental")]
public sealed class BaselineTableRunner(ITestOutputHelper output)
{
    // (label, file, column, horizon, season, AR max lag), as scripts/statsmodels_reference.py's PROTOCOL.
    private static readonly (string Label, string File, string Column, int Horizon, int? Season, int MaxLag)[] Series =
    [
        ("sunspots (yearly)", "sunspots.csv", "SUNACTIVITY", 10, 11, 10),
        ("Nile (yearly)", "nile.csv", "volume", 10, null, 10),
        ("US real GDP (quarterly)", "macrodata_realgdp.csv", "realgdp", 8, 4, 8),
        ("Mauna Loa CO2 (weekly)", "co2_weekly.csv", "co2", 52, 52, 52),
    ];

    [Fact]
    public void The_documented_table_is_what_the_baselines_give()
    {
        var rows = new List<string>
        {
            "| series | H | naive | seasonal naive | drift | AR-AIC | damped HW |",
            "|---|---:|---:|---:|---:|---:|---:|",
        };
        foreach (var (label, file, column, horizon, season, maxLag) in Series)
        {
            var values = ReadColumn(Path.Combine(TestPaths.RepoRoot, "data", file), column);
            List<IForecaster> forecasters = [new NaiveForecaster(), new DriftForecaster(), new AutoRegressiveForecaster(maxLag), new DampedHoltWintersForecaster(season)];
            if (season is { } m)
            {
                forecasters.Insert(1, new SeasonalNaiveForecaster(m));
            }

            var result = Backtest.Run(values, forecasters, Backtest.DefaultOrigins, horizon);
            var mase = result.Forecasters.Select(f => f.MeanMase.ToString("F3", CultureInfo.InvariantCulture)).ToList();
            if (season is null)
            {
                mase.Insert(1, "—");
            }

            rows.Add($"| {label} | {horizon} | {string.Join(" | ", mase)} |");
        }

        foreach (var row in rows)
        {
            output.WriteLine(row);
        }

        var document = File.ReadAllLines(Path.Combine(TestPaths.RepoRoot, "docs", "forecasting-baselines.md"));
        Assert.All(rows.Skip(2), row => Assert.Contains(row, document));
    }

    /// <summary>A plain comma-separated file with a header; empty cells are filled linearly (as <c>--fill linear</c>).</summary>
    private static double[] ReadColumn(string path, string column)
    {
        var lines = File.ReadAllLines(path).Where(l => l.Length > 0).ToArray();
        var index = Array.FindIndex(lines[0].Split(','), h => h.Trim('"') == column);
        Assert.True(index >= 0, $"no column {column} in {path}");
        var values = lines.Skip(1).Select(l => l.Split(',')[index]).Select(c => c.Length == 0 ? double.NaN : double.Parse(c, CultureInfo.InvariantCulture)).ToArray();
        for (var i = 0; i < values.Length; i++)
        {
            if (double.IsNaN(values[i]))
            {
                var next = Array.FindIndex(values, i, v => !double.IsNaN(v));
                var (left, right) = (values[i - 1], values[next]);
                for (var j = i; j < next; j++)
                {
                    values[j] = left + (right - left) * (j - i + 1) / (next - i + 1);
                }
            }
        }

        return values;
    }
}
