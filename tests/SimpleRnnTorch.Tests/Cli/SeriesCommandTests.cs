using System.Globalization;
using SimpleRnnTorch.Cli;
using SimpleRnnTorch.Data;
using SimpleRnnTorch.Model;
using SimpleRnnTorch.Persistence;
using SimpleRnnTorch.Reporting;
using SimpleRnnTorch.Runs;
using SimpleRnnTorch.Scaling;
using SimpleRnnTorch.Sources;
using SimpleRnnTorch.Training;
using static TorchSharp.torch;

namespace SimpleRnnTorch.Tests.Cli;

/// <summary>`train --data`: a whole run on a small series, what predict makes of its model, and every bad input.</summary>
[Collection(TorchCollection.Name)]
public sealed class SeriesCommandTests : IDisposable
{
    private readonly TempFolder temp = new();

    public void Dispose() => temp.Dispose();

    /// <summary>A noisy-free seasonal series, 1900..1979: a sine of period 12 on a slow rise.</summary>
    private string Seasonal(int length = 80)
    {
        var path = temp.File("seasonal.csv");
        var lines = Enumerable.Range(0, length).Select(i =>
            $"{1900 + i},{(50 + (0.2 * i) + (10 * Math.Sin(2 * Math.PI * i / 12))).ToString("R", CultureInfo.InvariantCulture)}");
        File.WriteAllText(path, "year,level\n" + string.Join('\n', lines) + "\n");
        return path;
    }

    [Fact]
    public void A_constant_one_column_series_at_a_level_its_origins_cannot_rank_says_so_and_claims_nothing_untrue()
    {
        // One column of 60 fives: no separator to name, no naive error to scale MASE by, 30-odd origins too few for 99%'s ranks.
        var data = temp.File("flat.csv");
        File.WriteAllText(data, "value\n" + string.Concat(Enumerable.Repeat("5.0\n", 60)));
        var output = temp.File("out");

        var (code, stdout, stderr) = InProcess.Run(["--data", data, "--interval", "0.99", "--epochs", "1", "--seed", "1", "-v", "0", "-o", output]);

        Assert.True(code == 0, stderr);
        Assert.Contains($"Read 60 values of value from {data}", stdout);
        Assert.Contains("(one column, with a header)", stdout);
        Assert.DoesNotContain("separated", stdout);
        Assert.Contains("The model and naive are not compared: mean MASE n/a against n/a (the series did not change before the origins).", stdout);
        Assert.DoesNotContain("does NOT beat", stdout);
        Assert.Contains("at every step the errors were too few for the ranks of a 99% interval, so each bound is pushed out past the widest error", stdout);

        // Its model is no series model to a forecast only if it is not one: this one is, and --horizon on its safetensors points to the export.
        Assert.Contains("give --model", InProcess.OneLine(2, ["predict", "--model", Path.Combine(output, "model.safetensors"), "--horizon", "2", "5,5,5,5,5,5,5,5,5,5,5,5"]));
    }

    [Fact]
    public void A_series_run_prints_the_comparison_and_the_forecast_and_writes_forecast_png()
    {
        var data = Seasonal();
        var output = temp.File("out");
        var (code, stdout, stderr) = InProcess.Run(["--data", data, "--time-column", "year", "--season", "12", "--horizon", "4", "--time-steps", "3", "--epochs", "3", "--seed", "1", "-v", "0", "-o", output]);

        Assert.True(code == 0, stderr);
        Assert.Contains("Read 80 values of level from", stdout);
        Assert.Contains("Training part: the first 64 values (year 1900 to 1963), 61 windows", stdout); // 77 windows, int(77 · 0.8) = 61
        Assert.Contains("Validation part: the last 16 of the 77 windows (--validation-split 0.2, at least one), targets year 1964 to 1979, in order", stdout);
        Assert.Contains("naive, y[t-1]", stdout);
        Assert.Contains("seasonal naive, y[t-12]", stdout);
        Assert.Contains("Backtest: 4 value(s) forecast from each of 4 origin(s) in the validation part, MASE", stdout);
        foreach (var baseline in new[] { "naive", "seasonal naive (m = 12)", "drift", "AR (AIC", "damped Holt" })
        {
            Assert.Matches($@"The model (beats|does NOT beat) {System.Text.RegularExpressions.Regex.Escape(baseline)}.*: mean MASE \d+\.\d+ against \d+\.\d+\.", stdout);
        }

        Assert.Contains("Forecast of the next 4 value(s) after year 1979", stdout);
        var csv = File.ReadAllLines(Path.Combine(output, "forecast.csv"));
        Assert.Equal("year,forecast,lower,upper", csv[0]);
        Assert.Equal(["1980", "1981", "1982", "1983"], csv[1..].Select(l => l.Split(',')[0]));
        foreach (var line in csv[1..])
        {
            var (label, cells) = (line.Split(',')[0], line.Split(',')[1..].Select(c => double.Parse(c, CultureInfo.InvariantCulture)).ToArray());
            Assert.True(cells[1] <= cells[0] && cells[0] <= cells[2], line); // lower <= forecast <= upper
            Assert.Matches($@"\n\s+{label}\s+{cells[0]:F2}  \[{cells[1]:F2}, {cells[2]:F2}\]\n", stdout);
        }

        Assert.DoesNotContain("Evaluation in original units", stdout); // the arithmetic evaluation is not for a series
        Assert.True(new FileInfo(Path.Combine(output, "forecast.png")).Length > 0);
        Assert.False(File.Exists(Path.Combine(output, "predictions.png")));
    }

    /// <summary>predict on a series model goes through the manifest's scaling, relative to each window's last value, as the run did; so does its ONNX export, which also carries the interval.</summary>
    [Fact]
    public void Predict_with_a_saved_series_model_gives_the_runs_one_step_predictions()
    {
        var plan = new ArtifactPlan(temp.File("out"), temp.File("out/model.safetensors"));
        using var run = TrainingPipeline.Run(new TrainJob
        {
            Source = new SeriesData(new SeriesSettings(Seasonal(), TimeColumn: "year", Horizon: 3, Scaling: ScalingKind.Ratio) { Smoothing = new SimpleRnnTorch.Evaluation.SmoothingShare.Fixed(0.5) }, Window: 3),
            Training = new TrainingConfig { Epochs = 3, Seed = 2 },
            Artifacts = plan,
        });
        var outcome = run.Series!;
        var values = outcome.Series.Values;
        var start = outcome.Windows.TrainingValues;
        var window = values[(start - 3)..start].Select(v => (double)v).ToArray();

        var (loaded, manifest) = ModelFile.Load(plan.ModelPath!, CPU);
        using (loaded)
        {
            Assert.Equal(ScalingKind.Ratio, manifest.Scaling);
            Assert.Equal(run.Scaler with { TargetBound = double.PositiveInfinity }, manifest.Scaler); // the training-only bound is not saved
            var saved = manifest.Series!.Interval!;
            Assert.Equal(outcome.Interval.Level, saved.Level);
            Assert.Equal(outcome.Interval.Lower, saved.Lower);
            Assert.Equal(outcome.Interval.Upper, saved.Upper);
            Assert.Equal(("level", 80, start), (manifest.Series!.Column, manifest.Series.Values, manifest.Series.TrainingValues));
            // The same up to float32 rounding: the run scaled the whole series at once, predict scales one window.
            Assert.Equal(outcome.OneStep[0], Predictor.Predict(loaded, manifest.Scaler, [window], CPU)[0], 4);
        }

        var (code, stdout, stderr) = InProcess.Run(["predict", "--model", plan.ModelPath!, string.Join(',', window.Select(v => v.ToString("R", CultureInfo.InvariantCulture)))]);
        Assert.True(code == 0, stderr);
        Assert.Contains($"Predicted next value: {outcome.OneStep[0].ToString("F2", CultureInfo.InvariantCulture)}", stdout);

        // The network's forecast is recursive, its second value standing on the first; the forecast is its mean with
        // exponential smoothing's, fitted on the series.
        var last = values[^3..].Select(v => (double)v).ToArray();
        var first = Predictor.Predict(run.Model, run.Scaler, [last], CPU)[0];
        var second = Predictor.Predict(run.Model, run.Scaler, [[last[1], last[2], first]], CPU)[0];
        var smoothing = Assert.IsType<SimpleRnnTorch.Inference.SmoothingCombination>(outcome.Smoothing);
        Assert.Equal(0.5, smoothing.Weight);
        var smoothed = smoothing.Fit([.. values.Select(v => (double)v)]).Forecast(3);
        Assert.Equal((first + smoothed[0]) / 2, outcome.Forecast[0], 9);
        Assert.Equal((second + smoothed[1]) / 2, outcome.Forecast[1], 5);
        Assert.Equal(["1980", "1981", "1982"], outcome.ForecastLabels);
        Assert.Contains(Path.Combine(plan.Folder, ForecastPlot.FileName), run.Written);

        // The ONNX export forecasts the same, with the same interval, through the inference library alone.
        using var onnx = SimpleRnnTorch.Inference.SequenceModel.Load(OnnxExport.PathBeside(plan.ModelPath!));
        Assert.Equal(SimpleRnnTorch.Inference.OnnxModelInfo.RatioScaling, onnx.Info.Scaling);
        var result = onnx.Forecast(values.Select(v => (double)v).ToArray(), 3);
        for (var k = 0; k < 3; k++)
        {
            var tolerance = 1e-4 * Math.Max(1, Math.Abs(outcome.Forecast[k]));
            Assert.InRange(result.Point[k], outcome.Forecast[k] - tolerance, outcome.Forecast[k] + tolerance);
            Assert.InRange(result.Lower[k], outcome.Lower[k] - tolerance, outcome.Lower[k] + tolerance);
            Assert.InRange(result.Upper[k], outcome.Upper[k] - tolerance, outcome.Upper[k] + tolerance);
        }

        Assert.Equal(outcome.Interval.Level, result.Level);

        // A ratio to the window's last value needs that value positive: predict and the library say so in one line.
        var refused = InProcess.Run(["predict", "--model", plan.ModelPath!, "50,60,0"]);
        Assert.Equal(2, refused.Code);
        Assert.Contains("argument 1: its last value is 0; this model scales each window by its last value (a ratio) and needs it positive", Assert.Single(InProcess.Lines(refused.Stderr)));
        Assert.Equal(2, InProcess.Run(["predict", "--model", OnnxExport.PathBeside(plan.ModelPath!), "50,60,-5"]).Code);
        Assert.Throws<SimpleRnnTorch.Inference.ForecastException>(() => onnx.Forecast([.. values.Select(v => (double)v), 0], 3));
    }

    public static TheoryData<string, string[], string> BadInputs => new()
    {
        { "missing file", ["--data", "{dir}/nope.csv"], "--data '{dir}/nope.csv': no such file" },
        { "a folder", ["--data", "{dir}"], "is a folder, not a CSV file" },
        { "empty file", ["--data", "{empty}"], "is empty" },
        { "binary file", ["--data", "{binary}"], "--data '{binary}'" },
        { "unknown column", ["--data", "{good}", "--column", "SUN"], "--column 'SUN' is not a column of --data" },
        { "text column", ["--data", "{good}", "--column", "note"], "note holds 'a', not a number" },
        { "too few rows", ["--data", "{short}", "--time-steps", "3"], "has 4 value(s) of v; --time-steps 3 needs at least 5" },
        { "missing value", ["--data", "{gap}"], "line 4: v is missing (an empty cell); give --fill linear" },
        { "missing month", ["--data", "{months}", "--time-column", "date"], "line 5: date jumps from 2000-03 (line 4) to 2000-05, 1 month missing; give --fill linear" },
        { "shuffled months", ["--data", "{shuffled}", "--time-column", "date"], "line 3: date 2000-01 comes after 2000-02 on line 2; the rows must be in time order" },
        { "season too long", ["--data", "{good}", "--season", "20"], "--season 20 is larger than the training part" },
        { "horizon 0", ["--data", "{good}", "--horizon", "0"], "--horizon must be an integer in [1, 100000], got '0'" },
        { "sequences with data", ["--data", "{good}", "--sequences", "100"], "--sequences does not apply with --data" },
        { "scale with data", ["--data", "{good}", "--scale", "10"], "--scale does not apply with --data" },
        { "eval-count with data", ["--data", "{good}", "--eval-count", "10"], "--eval-count does not apply with --data" },
        { "lesson with data", ["--data", "{good}", "--lesson"], "--lesson does not apply with --data: it is the arithmetic lesson's optimiser" },
        { "step with data", ["--data", "{good}", "--step", "5"], "--step does not apply with --data" },
        { "no validation", ["--data", "{good}", "--validation-split", "0"], "--validation-split 0 leaves no validation part" },
        { "column without data", ["--column", "v"], "--column applies only with --data" },
        { "season without data", ["--season", "12"], "--season applies only with --data" },
        { "same column twice", ["--data", "{good}", "--column", "v", "--time-column", "v"], "--column and --time-column both name 'v'" },
        { "data is an output", ["--data", "{out}/history.csv"], "is history.csv, a file this run writes or removes" },
    };

    /// <summary>Each bad input: exit 2, one line on stderr, nothing on stdout, no output folder, the file as it was.</summary>
    [Theory]
    [MemberData(nameof(BadInputs))]
    public void Bad_input_is_one_line_exit_2_and_nothing_written(string name, string[] args, string expected)
    {
        var files = new Dictionary<string, string>
        {
            ["{dir}"] = temp.Path,
            ["{empty}"] = temp.File("empty.csv"),
            ["{binary}"] = temp.File("binary.csv"),
            ["{good}"] = temp.File("good.csv"),
            ["{short}"] = temp.File("short.csv"),
            ["{gap}"] = temp.File("gap.csv"),
            ["{months}"] = temp.File("months.csv"),
            ["{shuffled}"] = temp.File("shuffled.csv"),
            ["{out}"] = temp.File("held"),
        };
        File.WriteAllText(files["{empty}"], "");
        File.WriteAllBytes(files["{binary}"], [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, (byte)'I', (byte)'H', (byte)'D', (byte)'R', 0, 0, 1, 0]);
        File.WriteAllText(files["{good}"], "t,note,v\n" + string.Concat(Enumerable.Range(1, 20).Select(i => $"{i},a,{i * i}\n")));
        File.WriteAllText(files["{short}"], "t,v\n1,1\n2,2\n3,3\n4,4\n");
        File.WriteAllText(files["{gap}"], "t,v\n1,1\n2,2\n3,\n4,4\n5,5\n6,6\n");
        File.WriteAllText(files["{months}"], "date,v\n2000-01,1\n2000-02,2\n2000-03,3\n2000-05,5\n2000-06,6\n2000-07,7\n");
        File.WriteAllText(files["{shuffled}"], "date,v\n2000-02,2\n2000-01,1\n2000-03,3\n2000-04,4\n2000-05,5\n2000-06,6\n");
        Directory.CreateDirectory(files["{out}"]);
        File.WriteAllText(Path.Combine(files["{out}"], "history.csv"), "1,2\n3,4\n5,6\n7,8\n9,10\n11,12\n");

        string Expand(string text) => files.Aggregate(text, (t, kv) => t.Replace(kv.Key, kv.Value));
        var before = files.Values.Where(File.Exists).ToDictionary(f => f, File.ReadAllBytes);
        var output = temp.File("out");
        string[] expanded = [.. args.Select(Expand), "--epochs", "1"];

        var outputArgs = name == "data is an output" ? new[] { "--output", files["{out}"] } : ["--output", output];
        var (code, stdout, stderr) = InProcess.Run([.. expanded, .. outputArgs]);

        Assert.Equal(ExitCodes.Usage, code);
        var line = Assert.Single(InProcess.Lines(stderr));
        Assert.Contains(Expand(expected), line);
        Assert.Equal("", stdout);
        Assert.False(Directory.Exists(output), $"{name}: nothing may be written");
        foreach (var (file, bytes) in before)
        {
            Assert.Equal(bytes, File.ReadAllBytes(file));
        }

        Assert.Equal(["history.csv"], Directory.GetFiles(files["{out}"]).Select(Path.GetFileName));
    }

    [Fact]
    public void Fill_linear_says_how_many_values_it_filled()
    {
        var data = temp.File("gaps.csv");
        File.WriteAllText(data, "t,v\n" + string.Concat(Enumerable.Range(1, 30).Select(i => i is 5 or 17 ? $"{i},NaN\n" : $"{i},{i % 7}\n")));

        var (code, stdout, stderr) = InProcess.Run(["--data", data, "--fill", "linear", "--epochs", "1", "-v", "0", "--no-save", "-o", temp.File("out")]);

        Assert.True(code == 0, stderr);
        Assert.Contains("Filled 2 missing value(s) by linear interpolation", stdout);
        Assert.Contains("No seasonal naive baseline: give --season m", stdout);
    }

    /// <summary>Monthly dates with a missing month: inserted with --fill linear, the season 12 by default, the forecast in months.</summary>
    [Fact]
    public void A_monthly_series_with_a_gap_is_filled_and_forecast_in_months()
    {
        var data = temp.File("monthly.csv");
        var rows = Enumerable.Range(0, 48).Where(i => i != 20)
            .Select(i => $"{2000 + (i / 12)}-{(i % 12) + 1:00},{(50 + (10 * Math.Sin(2 * Math.PI * i / 12))).ToString("R", CultureInfo.InvariantCulture)}\n");
        File.WriteAllText(data, "date,sales\n" + string.Concat(rows));

        var (code, stdout, stderr) = InProcess.Run(["--data", data, "--time-column", "date", "--fill", "linear", "--horizon", "3", "--epochs", "2", "-v", "0", "--no-save", "-o", temp.File("out")]);

        Assert.True(code == 0, stderr);
        Assert.Contains("Read 47 values of sales from", stdout); // and 48 after the insertion
        Assert.Contains("date 2000-01 to 2003-12, monthly)", stdout);
        Assert.Contains("Inserted 1 missing date(s) at the monthly step of date, filled by linear interpolation: 48 values", stdout);
        Assert.Contains("seasonal naive, y[t-12]", stdout);
        Assert.Contains("(m = 12, the default for monthly data)", stdout);
        Assert.Contains("Forecast of the next 3 value(s) after date 2003-12", stdout);
        Assert.Matches(@"\n  2004-01  -?\d+\.\d{2,}  \[-?\d+\.\d{2,}, -?\d+\.\d{2,}\]\n  2004-02  -?\d+\.\d{2,}  \[", stdout); // a clean sine: a narrow interval, more decimals
    }

    /// <summary>Quarter-hourly date-times: read as a step of 15 minutes with a season of a day (96) and a horizon of a day, forecast labelled as the input writes its times.</summary>
    [Fact]
    public void A_quarter_hourly_series_is_forecast_a_day_ahead_in_its_own_format()
    {
        var data = temp.File("quarter-hours.csv");
        var start = new DateTime(2024, 3, 1);
        var rows = Enumerable.Range(0, 96 * 4)
            .Select(i => $"{start.AddMinutes(15 * i):yyyy-MM-dd HH:mm},{(50 + (10 * Math.Sin(2 * Math.PI * i / 96))).ToString("R", CultureInfo.InvariantCulture)}\n");
        File.WriteAllText(data, "time,load\n" + string.Concat(rows));
        var output = temp.File("out");

        var (code, stdout, stderr) = InProcess.Run(["--data", data, "--time-column", "time", "--epochs", "2", "-v", "0", "--no-save", "-o", output]);

        Assert.True(code == 0, stderr);
        Assert.Contains("time 2024-03-01 00:00 to 2024-03-04 23:45, every 15 minutes)", stdout);
        Assert.Contains("(m = 96, the default for data every 15 minutes)", stdout);
        Assert.Contains("Forecast of the next 96 value(s) after time 2024-03-04 23:45", stdout);
        var csv = File.ReadAllLines(Path.Combine(output, "forecast.csv"));
        Assert.Contains(csv, line => line.StartsWith("2024-03-05 00:00,", StringComparison.Ordinal));
        Assert.Contains(csv, line => line.StartsWith("2024-03-05 23:45,", StringComparison.Ordinal));
    }
}
