using System.Globalization;
using SimpleRnnTorch.Cli;

namespace SimpleRnnTorch.Tests.Cli;

/// <summary>`train --data FILE --id-column ID` and `--column A,B,C|all`: whole runs on small panels, forecast.csv's rows, and every refusal.</summary>
[Collection(TorchCollection.Name)]
public sealed class PanelCommandTests : IDisposable
{
    private readonly TempFolder temp = new();

    public void Dispose() => temp.Dispose();

    /// <summary>Month <paramref name="i"/> from January 2000, as written: 2000-01.</summary>
    private static string Month(int i) => $"{2000 + (i / 12)}-{(i % 12) + 1:00}";

    /// <summary>Series k's value at month i: its own level, a season of 12, a slow rise.</summary>
    private static string Value(int k, int i) => (((k + 1) * 100) + (0.5 * i) + ((10 + k) * Math.Sin(2 * Math.PI * i / 12))).ToString("R", CultureInfo.InvariantCulture);

    /// <summary>A long file (store,month,sales), the series' rows interleaved month by month; each series ends at month 59 (2004-12) and starts <c>60 - length</c> months later.</summary>
    private string Long((string Id, int Length)[] series, string name = "long.csv")
    {
        var rows = Enumerable.Range(0, 60).SelectMany(i => series.Select((s, k) => (s, k)).Where(x => i >= 60 - x.s.Length).Select(x => $"{x.s.Id},{Month(i)},{Value(x.k, i)}\n"));
        var path = temp.File(name);
        File.WriteAllText(path, "store,month,sales\n" + string.Concat(rows));
        return path;
    }

    private static readonly (string, int)[] Four = [("north", 60), ("south", 60), ("east", 60), ("west", 60)];

    /// <summary>forecast.csv's rows after its header, each as (id, time, forecast, lower, upper), checking lower ≤ forecast ≤ upper.</summary>
    private static List<(string Id, string Time, double Forecast)> Rows(string[] csv)
    {
        List<(string, string, double)> rows = [];
        foreach (var line in csv[1..])
        {
            var cells = line.Split(',');
            Assert.Equal(5, cells.Length);
            var (forecast, lower, upper) = (double.Parse(cells[2], CultureInfo.InvariantCulture), double.Parse(cells[3], CultureInfo.InvariantCulture), double.Parse(cells[4], CultureInfo.InvariantCulture));
            Assert.True(lower <= forecast && forecast <= upper, line);
            Assert.True(double.IsFinite(lower) && double.IsFinite(upper), line);
            rows.Add((cells[0], cells[1], forecast));
        }

        return rows;
    }

    [Fact]
    public void A_long_panel_forecasts_every_series_backtests_those_long_enough_and_leaves_out_one_shorter_than_the_window()
    {
        var data = Long([("north", 60), ("south", 60), ("tiny", 20), ("east", 60), ("west", 60), ("speck", 8)]);
        var output = temp.File("out");

        var (code, stdout, stderr) = InProcess.Run(["--data", data, "--id-column", "store", "--time-column", "month", "--column", "sales", "--horizon", "3",
            "--epochs", "2", "--seed", "1", "-v", "0", "-o", output]);

        Assert.True(code == 0, stderr);
        Assert.Contains("Read 6 series, by store, from", stdout);
        Assert.Contains("1 series shorter than 26 values (two windows of 12 and their targets) are forecast, not trained on or backtested: tiny (20)", stdout);
        Assert.Contains("Left out 1 series shorter than the window of 12: speck (8)", stdout);
        Assert.Contains("Backtesting 4 series beside their baselines, then forecasting 5...", stdout); // said before the backtests, not after
        Assert.True(stdout.IndexOf("Backtesting 4 series", StringComparison.Ordinal) < stdout.IndexOf("Backtest of 4 series", StringComparison.Ordinal), stdout);
        Assert.Contains("Backtest of 4 series", stdout);
        Assert.Contains("Forecast without a backtest, too short to train on: 1 series (tiny (20))", stdout);
        Assert.Contains("Left out, shorter than the window: 1 series (speck (8))", stdout);
        Assert.Contains("Forecast: the next 3 values of each of the 5 series", stdout);

        var csv = File.ReadAllLines(Path.Combine(output, "forecast.csv"));
        Assert.Equal("store,month,forecast,lower,upper", csv[0]);
        var rows = Rows(csv);
        string[] ids = ["north", "south", "east", "west", "tiny"];
        Assert.Equal(ids.SelectMany(id => Enumerable.Repeat(id, 3)), rows.Select(r => r.Id)); // no row for speck; tiny after the backtested ones
        Assert.All(ids, id => Assert.Equal(["2005-01", "2005-02", "2005-03"], rows.Where(r => r.Id == id).Select(r => r.Time)));

        // One network for series of levels 100 to 500: each forecast near its own series' last value (2004-12), a hundred from the others'.
        foreach (var (id, k) in new[] { ("north", 0), ("south", 1), ("tiny", 2), ("east", 3), ("west", 4) })
        {
            var last = double.Parse(Value(k, 59), CultureInfo.InvariantCulture);
            Assert.All(rows.Where(r => r.Id == id), r => Assert.InRange(r.Forecast, last - 25, last + 25));
        }
    }

    /// <summary>A given --season is every series' that can hold it; a series too short for it gets none, not its dates' default.</summary>
    [Fact]
    public void A_given_season_is_never_replaced_by_the_dates_default()
    {
        var data = Long([("north", 60), ("south", 60), ("east", 30), ("west", 30)], "season.csv");
        var output = temp.File("out");

        var (code, stdout, stderr) = InProcess.Run(["--data", data, "--id-column", "store", "--time-column", "month", "--season", "20", "--time-steps", "6",
            "--epochs", "2", "--seed", "1", "-v", "0", "-o", output, "--no-save"]);

        Assert.True(code == 0, stderr);
        Assert.Contains("seasonal naive (m = 20)", stdout);
        Assert.DoesNotContain("m = 12", stdout);
    }

    [Fact]
    public void A_wide_panel_names_its_first_column_series_and_forecasts_each_column_after_its_own_last_value()
    {
        // D's last three months are blank: it ends at 2004-09, so its forecast starts 2004-10.
        var data = temp.File("wide.csv");
        var rows = Enumerable.Range(0, 60).Select(i => $"{Month(i)},{Value(0, i)},x{i},{Value(1, i)},{Value(2, i)},{(i < 57 ? Value(3, i) : "")}\n");
        File.WriteAllText(data, "date,A,note,B,C,D\n" + string.Concat(rows));
        var output = temp.File("out");

        var (code, stdout, stderr) = InProcess.Run(["--data", data, "--time-column", "date", "--column", "D,A,B", "--horizon", "2",
            "--epochs", "2", "--seed", "1", "-v", "0", "-o", output]);

        Assert.True(code == 0, stderr);
        Assert.Contains("Read 3 series, one per column, from", stdout);
        Assert.DoesNotContain("Left out", stdout);
        var csv = File.ReadAllLines(Path.Combine(output, "forecast.csv"));
        Assert.Equal("series,date,forecast,lower,upper", csv[0]);
        Assert.Equal([("D", "2004-10"), ("D", "2004-11"), ("A", "2005-01"), ("A", "2005-02"), ("B", "2005-01"), ("B", "2005-02")], Rows(csv).Select(r => (r.Id, r.Time)));
        Assert.True(new FileInfo(Path.Combine(output, "forecast.png")).Length > 0);
    }

    /// <summary>Series named by two id columns together (region and product): forecast.csv gives each its two ids, and --plot-series names one as region/product.</summary>
    [Fact]
    public void Several_id_columns_name_a_series_together_and_forecast_csv_keeps_each()
    {
        var data = temp.File("pairs.csv");
        (string Region, string Product)[] pairs = [("north", "a"), ("north", "b"), ("south", "a"), ("south", "b")];
        var rows = Enumerable.Range(0, 48).SelectMany(i => pairs.Select((p, k) => $"{p.Region},{p.Product},{Month(i)},{Value(k, i)}\n"));
        File.WriteAllText(data, "region,product,month,sales\n" + string.Concat(rows));
        var output = temp.File("out");

        var (code, stdout, stderr) = InProcess.Run(["--data", data, "--id-column", "region,product", "--time-column", "month", "--horizon", "2",
            "--plot-series", "south/b,north/a", "--epochs", "2", "--seed", "1", "-v", "0", "-o", output, "--no-save"]);

        Assert.True(code == 0, stderr);
        Assert.Contains("Read 4 series, by region and product, from", stdout);
        var csv = File.ReadAllLines(Path.Combine(output, "forecast.csv"));
        Assert.Equal("region,product,month,forecast,lower,upper", csv[0]);
        Assert.Equal(pairs.SelectMany(p => new[] { $"{p.Region},{p.Product},2004-01", $"{p.Region},{p.Product},2004-02" }), csv[1..].Select(l => string.Join(',', l.Split(',')[..3])));
        for (var k = 0; k < pairs.Length; k++)
        {
            var last = double.Parse(Value(k, 47), CultureInfo.InvariantCulture);
            Assert.InRange(double.Parse(csv[1 + (2 * k)].Split(',')[3], CultureInfo.InvariantCulture), last - 25, last + 25); // each pair's own level
        }
    }

    /// <summary>An id column whose name holds a comma is named in double quotes, as --plot-series names such an id.</summary>
    [Fact]
    public void An_id_column_whose_name_holds_a_comma_is_named_in_quotes()
    {
        var data = temp.File("comma.csv");
        var rows = Enumerable.Range(0, 40).SelectMany(i => new[] { ("Oslo", 0), ("Bergen", 1) }.Select(s => $"{s.Item1},{Month(i)},{Value(s.Item2, i)}\n"));
        File.WriteAllText(data, "\"Store, City\",month,sales\n" + string.Concat(rows));
        var output = temp.File("out");

        var (code, stdout, stderr) = InProcess.Run(["--data", data, "--id-column", "\"Store, City\"", "--time-column", "month", "--horizon", "2",
            "--epochs", "1", "--seed", "1", "-v", "0", "-o", output, "--no-save"]);

        Assert.True(code == 0, stderr);
        Assert.Contains("Read 2 series, by Store, City, from", stdout);
        Assert.Equal("\"Store, City\",month,forecast,lower,upper", File.ReadAllLines(Path.Combine(output, "forecast.csv"))[0]);
    }

    public static TheoryData<string, string[], string> Refusals => new()
    {
        { "an id column list with an open quote", ["--data", "{long}", "--id-column", "\"store,month"], "--id-column '\"store,month' leaves a quote open; a name holding a comma is written in double quotes" },
        { "an id column named twice", ["--data", "{long}", "--id-column", "store,store", "--time-column", "month"], "--id-column names column store of --data '{long}' twice" },
        { "an empty id column name", ["--data", "{long}", "--id-column", "store,"], "--id-column 'store,' has an empty name; give one column, or several as A,B" },
        { "an id column that is the value column", ["--data", "{long}", "--id-column", "store,sales", "--time-column", "month", "--column", "sales"], "--column names column sales of --data '{long}', which is --id-column" },
        { "scaling with a panel", ["--data", "{long}", "--id-column", "store", "--scaling", "difference"], "--scaling does not apply to a panel" },
        { "id column with several columns", ["--data", "{long}", "--id-column", "store", "--column", "sales,month"], "--column names the one value column of a long panel (--id-column)" },
        { "id column with all", ["--data", "{long}", "--id-column", "store", "--column", "all"], "--column names the one value column of a long panel (--id-column)" },
        { "plot series without a panel", ["--data", "{long}", "--column", "sales", "--plot-series", "north"], "--plot-series applies to a panel" },
        { "a plot series named twice", ["--data", "{long}", "--id-column", "store", "--plot-series", "north,south,north"], "--plot-series names 'north' 2 times; name each series once" },
        { "a plot series with an open quote", ["--data", "{long}", "--id-column", "store", "--plot-series", "\"north,south"], "--plot-series '\"north,south' leaves a quote open; an id holding a comma is written in double quotes" },
        { "13 plot series", ["--data", "{long}", "--id-column", "store", "--plot-series", "a,b,c,d,e,f,g,h,i,j,k,l,m"], "--plot-series names 13 series; forecast.png draws at most 12" },
        { "an empty column name", ["--data", "{wide}", "--column", "A,,B"], "--column 'A,,B' has an empty name" },
        { "an unknown plot series", ["--data", "{long}", "--id-column", "store", "--time-column", "month", "--plot-series", "north,nowhere"], "--plot-series 'nowhere' is not a series of --data '{long}' that the run forecasts (4 series)" },
        { "an unknown plot series beside a forecast-only one", ["--data", "{ragged}", "--id-column", "store", "--time-column", "month", "--plot-series", "nowhere"], "that the run forecasts (4 series; 1 too short left out)" },
        { "a season longer than every training part", ["--data", "{long}", "--id-column", "store", "--time-column", "month", "--season", "55"], "--season 55 is larger than the training part of every series of --data '{long}'" },
        { "an unknown id column", ["--data", "{long}", "--id-column", "shop"], "--id-column 'shop' is not a column of --data '{long}'" },
        { "a repeated store and month", ["--data", "{repeated}", "--id-column", "store", "--time-column", "month"], "(store 'south') lines 119 and 123: month 2002-06 appears twice; each time may appear once, in order" },
        { "months going back", ["--data", "{backwards}", "--id-column", "store", "--time-column", "month"], "(store 'east') line 124: month 2002-05 comes after 2002-06 on line 120; the rows must be in time order" },
        { "monthly and quarterly", ["--data", "{mixed}", "--id-column", "store", "--time-column", "month"], "north is monthly, q quarterly; the series of one file must share one step" },
        { "a text cell in a named column", ["--data", "{wide}", "--time-column", "date", "--column", "A,B"], "--data '{wide}' (B) line 31: B holds 'n/a?', not a number" },
        { "a horizon longer than every series", ["--data", "{long}", "--id-column", "store", "--time-column", "month", "--horizon", "61"], "--horizon 61 is longer than every series of --data '{long}' (the longest has 60 values)" },
        { "a series too small for float32 spreads", ["--data", "{tiny}", "--time-column", "date", "--column", "all"], "series 'B' is of size 2.365e-38, outside the 1e-30 to 1e30 a panel's float32 scaling works in; multiply its values by a power of ten above 1" },
        { "a series too large for float32 spreads", ["--data", "{huge}", "--time-column", "date", "--column", "all"], "series 'B' is of size 2.365e35, outside the 1e-30 to 1e30" },
        { "an id column named as a forecast column", ["--data", "{named}", "--id-column", "forecast", "--time-column", "month"], "--data '{named}': forecast.csv would name two of its columns 'forecast' (forecast,month,forecast,lower,upper); rename that column in the file" },
        { "a wide time column named series", ["--data", "{series}", "--time-column", "series", "--column", "all"], "forecast.csv would name two of its columns 'series' (series,series,forecast,lower,upper)" },
        { "every series too short", ["--data", "{short}", "--id-column", "store", "--time-column", "month", "--time-steps", "12"], "none of its 2 series has the 26 values a window of 12 needs (the longest has 20)" },
    };

    /// <summary>Each refusal: exit 2, one line on stderr, nothing on stdout, the output folder's files as they were and no forecast.csv.</summary>
    [Theory]
    [MemberData(nameof(Refusals))]
    public void A_refused_panel_is_one_line_exit_2_and_leaves_the_output_folder_alone(string name, string[] args, string expected)
    {
        var lines = File.ReadAllLines(Long(Four, "source.csv"));
        var files = new Dictionary<string, string>
        {
            ["{long}"] = Long(Four),
            ["{short}"] = Long([("north", 20), ("south", 14)], "short.csv"),
            ["{ragged}"] = Long([("north", 60), ("south", 60), ("east", 60), ("tiny", 20), ("speck", 8)], "ragged.csv"),
            ["{wide}"] = temp.File("wide.csv"),
            ["{repeated}"] = temp.File("repeated.csv"),
            ["{backwards}"] = temp.File("backwards.csv"),
            ["{mixed}"] = temp.File("mixed.csv"),
            ["{tiny}"] = temp.File("tiny.csv"),
            ["{huge}"] = temp.File("huge.csv"),
            ["{named}"] = temp.File("named.csv"),
            ["{series}"] = temp.File("series.csv"),
        };
        File.WriteAllLines(files["{named}"], [lines[0].Replace("store", "forecast", StringComparison.Ordinal), .. lines[1..]]);
        File.WriteAllText(files["{series}"], "series,A,B\n" + string.Concat(Enumerable.Range(0, 60).Select(i => $"{Month(i)},{Value(0, i)},{Value(1, i)}\n")));
        foreach (var (key, factor) in new[] { ("{tiny}", 1e-40), ("{huge}", 1e33) })
        {
            // B beside an ordinary A, a factor away: valid float32 values, too small or large for a spread in float32.
            File.WriteAllText(files[key], "date,A,B\n" + string.Concat(Enumerable.Range(0, 60).Select(i =>
                $"{Month(i)},{Value(0, i)},{(double.Parse(Value(1, i), CultureInfo.InvariantCulture) * factor).ToString("R", CultureInfo.InvariantCulture)}\n")));
        }

        File.WriteAllText(files["{wide}"], "date,A,B\n" + string.Concat(Enumerable.Range(0, 60).Select(i => $"{Month(i)},{Value(0, i)},{(i == 29 ? "n/a?" : Value(1, i))}\n")));

        // Month i's rows are lines 2 + 4i to 5 + 4i (north, south, east, west): 2002-06 on lines 118 to 121, 2002-07 on 122 to 125.
        Assert.Equal(("south,2002-06", "south,2002-07", "east,2002-06", "east,2002-07"), (lines[118][..13], lines[122][..13], lines[119][..12], lines[123][..12]));
        string[] Changed(int line, string month) => [.. lines.Select((l, n) => n == line - 1 ? l.Replace(",2002-07,", $",{month},", StringComparison.Ordinal) : l)];
        File.WriteAllLines(files["{repeated}"], Changed(123, "2002-06")); // south's July made June again
        File.WriteAllLines(files["{backwards}"], Changed(124, "2002-05")); // east's July made May
        File.WriteAllText(files["{mixed}"], string.Join('\n', lines) + "\n" + string.Concat(Enumerable.Range(0, 8).Select(q => $"q,{Month(3 * q)},{q}\n")));

        var output = temp.Folder("out", ("marker.txt", "the user's file"));
        string Expand(string text) => files.Aggregate(text, (t, kv) => t.Replace(kv.Key, kv.Value, StringComparison.Ordinal));
        var before = files.Values.ToDictionary(f => f, File.ReadAllBytes);

        var (code, stdout, stderr) = InProcess.Run([.. args.Select(Expand), "--epochs", "1", "-v", "0", "-o", output]);

        Assert.True(code == ExitCodes.Usage, $"{name}: exit {code}: {stderr}");
        var line = Assert.Single(InProcess.Lines(stderr));
        Assert.Contains(Expand(expected), line);
        Assert.Equal("", stdout);
        Assert.Equal(["marker.txt"], FolderFiles.Visible(output));
        Assert.Equal("the user's file", File.ReadAllText(Path.Combine(output, "marker.txt")));
        Assert.False(File.Exists(Path.Combine(output, "forecast.csv")));
        foreach (var (file, bytes) in before)
        {
            Assert.Equal(bytes, File.ReadAllBytes(file));
        }
    }
}
