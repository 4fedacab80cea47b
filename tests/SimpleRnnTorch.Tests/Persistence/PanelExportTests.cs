using System.Globalization;
using System.Text.Json;
using Onnx;
using SimpleRnnTorch.Data;
using SimpleRnnTorch.Inference;
using SimpleRnnTorch.Model;
using SimpleRnnTorch.Persistence;
using SimpleRnnTorch.Reporting;
using SimpleRnnTorch.Runs;
using SimpleRnnTorch.Scaling;
using SimpleRnnTorch.Sources;
using SimpleRnnTorch.Training;
using Xunit.Abstractions;

namespace SimpleRnnTorch.Tests.Persistence;

/// <summary>
/// A small long panel: five monthly series, 2015-01 on, of levels 1 to 10,000 and lengths 48 to 60, each a trend, a
/// season of 12 and a little noise, some rows interleaved; and the one run trained on it, kept in its folder
/// (model.safetensors, model.onnx, forecast.csv).
/// </summary>
public sealed class PanelRunFixture : IDisposable
{
    public const int Horizon = 6;

    /// <summary>Each series' id, level and length.</summary>
    public static readonly (string Id, double Level, int Length)[] Members =
        [("one", 1, 60), ("ten", 10, 54), ("hundred", 100, 60), ("thousand", 1_000, 48), ("tenk", 10_000, 60)];

    private readonly TempFolder temp = new();
    private readonly Lazy<TrainingRun> run;

    public PanelRunFixture()
    {
        Values = Members.ToDictionary(m => m.Id, m => Generate(m.Level, m.Length, seed: m.Id.Length * 31));
        CsvPath = temp.File("panel.csv");
        var lines = new List<string> { "id,month,value" };
        foreach (var (id, _, length) in Members)
        {
            var start = new DateTime(2015, 1, 1).AddMonths(60 - length); // series end together, start apart
            lines.AddRange(Values[id].Select((v, i) => $"{id},{start.AddMonths(i):yyyy-MM},{v.ToString("R", CultureInfo.InvariantCulture)}"));
        }

        File.WriteAllText(CsvPath, string.Join('\n', lines) + "\n");
        Folder = temp.File("out");
        run = new(() => TrainingPipeline.Run(new TrainJob
        {
            Source = new PanelData(new PanelSettings(CsvPath, new PanelLayout.Long("id", "value"), TimeColumn: "month", Horizon: Horizon)),
            Model = new ModelSpec(HiddenSize: 16, Cell: CellKind.Gru, Members: TrainJob.SeriesMembers),
            Training = new TrainingConfig { Epochs = 2, Seed = 11, LearningRate = 0.01, Schedule = LearningRateSchedule.Constant },
            Artifacts = new ArtifactPlan(Folder, Path.Combine(Folder, RunFiles.ModelFileName)),
        }));
    }

    /// <summary>Each series' values, as written to the file (doubles that float32 holds exactly).</summary>
    public IReadOnlyDictionary<string, double[]> Values { get; }

    public string CsvPath { get; }

    public string Folder { get; }

    internal TrainingRun Run => run.Value;

    public string ModelPath => Path.Combine(Folder, RunFiles.ModelFileName);

    public string OnnxPath => OnnxExport.PathBeside(ModelPath);

    /// <summary>forecast.csv read back: id → (forecast, lower, upper) per step, in file order.</summary>
    public Dictionary<string, List<(double Point, double Lower, double Upper)>> Printed()
    {
        _ = Run;
        var lines = File.ReadAllLines(Path.Combine(Folder, ForecastCsv.FileName));
        Assert.Equal("id,month,forecast,lower,upper", lines[0]);
        var rows = new Dictionary<string, List<(double, double, double)>>();
        foreach (var line in lines[1..])
        {
            var cells = line.Split(',');
            Assert.Equal(5, cells.Length);
            var numbers = cells[2..].Select(c => double.Parse(c, CultureInfo.InvariantCulture)).ToArray();
            (rows.TryGetValue(cells[0], out var list) ? list : rows[cells[0]] = []).Add((numbers[0], numbers[1], numbers[2]));
        }

        return rows;
    }

    /// <summary>A positive monthly series around <paramref name="level"/>: trend, season, noise, all in proportion.</summary>
    private static double[] Generate(double level, int length, int seed)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, length).Select(i =>
            (double)(float)(level * (1 + (0.01 * i) + (0.2 * Math.Sin(2 * Math.PI * i / 12)) + (0.05 * (random.NextDouble() - 0.5)))))];
    }

    public void Dispose()
    {
        if (run.IsValueCreated)
        {
            run.Value.Dispose();
        }

        temp.Dispose();
    }
}

/// <summary>
/// A panel's run and its export agree: every series' forecast and interval in forecast.csv are what model.onnx gives
/// through SequenceModel.Forecast (the interval in spreads of the series' last window), the export serves a series the
/// file lacks, in proportion to its size, and `predict` continues each series as the run's forecast did.
/// </summary>
[Collection(TorchCollection.Name)]
public sealed class PanelExportTests(PanelRunFixture panel, ITestOutputHelper log) : IClassFixture<PanelRunFixture>
{
    [Fact]
    public void Panel_every_series_exported_forecast_and_interval_are_the_ones_the_run_printed()
    {
        var printed = panel.Printed();
        Assert.Contains(panel.OnnxPath, panel.Run.Written);
        Assert.Equal(PanelRunFixture.Members.Select(m => m.Id), printed.Keys); // every series, in the file's order
        var saved = panel.Run.Manifest.Series!.Interval!;
        Assert.True(saved.PerSpread);

        using var model = SequenceModel.Load(panel.OnnxPath);
        Assert.Equal(OnnxModelInfo.SpreadScaling, model.Info.Scaling);
        Assert.True(model.Info.Forecast!.PerSpread);
        Assert.Equal(saved.Lower, model.Info.Forecast.Lower);
        Assert.Equal(saved.Upper, model.Info.Forecast.Upper);
        var metadata = ModelProto.Parser.ParseFrom(File.ReadAllBytes(panel.OnnxPath)).MetadataProps.ToDictionary(p => p.Key, p => p.Value);
        Assert.Equal(OnnxModelInfo.SpreadIntervalScale, metadata[OnnxModelInfo.IntervalScaleKey]);

        var worst = 0.0;
        foreach (var (id, _, _) in PanelRunFixture.Members)
        {
            var rows = printed[id];
            Assert.Equal(PanelRunFixture.Horizon, rows.Count);
            var onnx = model.Forecast(panel.Values[id], PanelRunFixture.Horizon);
            Assert.Equal(saved.Level, onnx.Level);
            for (var h = 0; h < PanelRunFixture.Horizon; h++)
            {
                var (point, lower, upper) = rows[h];
                Assert.True(lower < point && point < upper, $"{id} step {h + 1}: {lower} < {point} < {upper}");
                var scale = Math.Max(1, Math.Abs(point));
                worst = Math.Max(worst, new[] { point - onnx.Point[h], lower - onnx.Lower[h], upper - onnx.Upper[h] }.Max(Math.Abs) / scale);
                Assert.Equal(point, onnx.Point[h], 1e-3 * scale);
                Assert.Equal(lower, onnx.Lower[h], 1e-3 * scale);
                Assert.Equal(upper, onnx.Upper[h], 1e-3 * scale);
            }
        }

        log.WriteLine($"panel: largest |onnx - printed| / max(1, |forecast|) = {worst:e2}");
    }

    /// <summary>
    /// Nothing of one series' size is in a panel's model: 1000·x, a series the file lacks, is forecast as 1000 times x,
    /// and so is its interval (the spread, computed from the window, scales with it).
    /// </summary>
    [Theory]
    [InlineData("hundred", 1000)]
    [InlineData("one", 1000)]
    [InlineData("tenk", 0.001)]
    public void Panel_model_forecasts_a_series_it_never_saw_in_proportion_to_its_size(string id, double factor)
    {
        _ = panel.Run;
        using var model = SequenceModel.Load(panel.OnnxPath);
        var x = panel.Values[id];
        var scaled = x.Select(v => v * factor).ToArray();

        var small = model.Forecast(x, PanelRunFixture.Horizon);
        var large = model.Forecast(scaled, PanelRunFixture.Horizon);

        var worst = 0.0;
        for (var h = 0; h < PanelRunFixture.Horizon; h++)
        {
            foreach (var (what, a, b) in new[] { ("forecast", small.Point[h], large.Point[h]), ("lower", small.Lower[h], large.Lower[h]), ("upper", small.Upper[h], large.Upper[h]) })
            {
                // A bound floored at 0 is 0 at either size.
                var relative = a == 0 && b == 0 ? 0 : Math.Abs((factor * a) - b) / Math.Abs(factor * a);
                worst = Math.Max(worst, relative);
                Assert.True(relative <= 1e-4, $"{id} × {factor}, step {h + 1}: the {what} {b} is not {factor} × {a} (relative difference {relative:e2})");
            }
        }

        // The interval is not the saved offsets in the series' units: it is as wide, relative to the values, at either size.
        Assert.True(large.Upper[0] - large.Lower[0] > factor * 0.5 * (small.Upper[0] - small.Lower[0]));
        log.WriteLine($"{id} × {factor}: largest relative difference from proportion {worst:e2}");
    }

    /// <summary>
    /// A panel model that reads two values a step: its graph (the spread's nodes and the fold's Reshape, whose names once
    /// clashed) loads in ONNX Runtime and predicts every series' last window as libtorch does.
    /// </summary>
    [Fact]
    public void A_panel_model_reading_two_values_a_step_exports_a_graph_that_predicts_as_libtorch()
    {
        using var run = TrainingPipeline.Run(new TrainJob
        {
            Source = new PanelData(new PanelSettings(panel.CsvPath, new PanelLayout.Long("id", "value"), TimeColumn: "month", Horizon: PanelRunFixture.Horizon)),
            Model = new ModelSpec(HiddenSize: 8, Cell: CellKind.Gru, Members: 2),
            ValuesPerStep = 2,
            Training = new TrainingConfig { Epochs = 2, Seed = 4 },
        });
        Assert.Equal(2, run.Model.Spec.ValuesPerStep);
        using var temp = new TempFolder();
        var path = temp.File("panel.onnx");
        OnnxExport.Save(path, run.Model, run.Manifest);
        var t = run.Manifest.Data.TimeSteps;
        double[][] windows = [.. PanelRunFixture.Members.Select(m => panel.Values[m.Id][^t..])];

        var libtorch = SimpleRnnTorch.Model.Predictor.Predict(run.Model, run.Scaler, windows, TorchSharp.torch.CPU);
        using var onnx = SequenceModel.Load(path);
        var fromOnnx = onnx.Predict(windows);

        for (var i = 0; i < windows.Length; i++)
        {
            Assert.True(Math.Abs(libtorch[i] - fromOnnx[i]) <= 1e-4 * Math.Max(1, Math.Abs(libtorch[i])), $"{PanelRunFixture.Members[i].Id}: libtorch {libtorch[i]}, onnx {fromOnnx[i]}");
        }
    }

    /// <summary>
    /// `predict` on a panel's model (safetensors and ONNX) continues each series' last window with the network's next value; the
    /// first value of its forecast is that combined with exponential smoothing fitted on the series.
    /// </summary>
    [Fact]
    public void Panel_predict_on_each_series_last_window_gives_the_first_forecast_row()
    {
        var printed = panel.Printed();
        var t = panel.Run.Manifest.Data.TimeSteps;
        var ids = PanelRunFixture.Members.Select(m => m.Id).ToArray();
        var windows = ids.Select(id => string.Join(',', panel.Values[id][^t..].Select(v => v.ToString("R", CultureInfo.InvariantCulture)))).ToArray();

        double[] fromSafetensors = [];
        foreach (var model in new[] { panel.ModelPath, panel.OnnxPath })
        {
            var (code, stdout, stderr) = InProcess.Run(["predict", "--model", model, "--json", .. windows]);

            Assert.True(code == 0, stderr);
            var predictions = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)
                .Select(l => JsonDocument.Parse(l).RootElement.GetProperty("prediction").GetDouble()).ToArray();
            Assert.Equal(ids.Length, predictions.Length);
            var smoothing = panel.Run.Manifest.Series!.Smoothing!;
            for (var i = 0; i < ids.Length; i++)
            {
                var smoothed = smoothing.Fit(panel.Values[ids[i]]).Forecast(1)[0];
                var first = (printed[ids[i]][0].Point - (smoothing.Weight * smoothed)) / (1 - smoothing.Weight);
                Assert.True(Math.Abs(first - predictions[i]) <= 1e-3 * Math.Max(1, Math.Abs(first)),
                    $"{Path.GetFileName(model)}, {ids[i]}: predict says {predictions[i]}, forecast.csv {first}");
            }

            fromSafetensors = fromSafetensors.Length == 0 ? predictions : fromSafetensors;
        }

        // What a user reads: the window of the largest series and its next value, to two decimals.
        var one = InProcess.Run(["predict", "--model", panel.ModelPath, windows[^1]]);
        Assert.True(one.Code == 0, one.Stderr);
        Assert.Contains($"Predicted next value: {fromSafetensors[^1].ToString("F2", CultureInfo.InvariantCulture)}", one.Stdout);
    }
    /// <summary>
    /// `predict --horizon` on a panel's model.onnx forecasts any one series from its values: each series' whole history in, its
    /// rows of forecast.csv out (forecast and interval, within float32 rounding), in the text a user reads and in JSON.
    /// </summary>
    [Fact]
    public void Panel_predict_with_a_horizon_gives_each_series_rows_of_forecast_csv()
    {
        var printed = panel.Printed();
        var ids = PanelRunFixture.Members.Select(m => m.Id).ToArray();
        var series = ids.Select(id => string.Join(',', panel.Values[id].Select(v => v.ToString("R", CultureInfo.InvariantCulture)))).ToArray();
        var horizon = PanelRunFixture.Horizon.ToString(CultureInfo.InvariantCulture);

        var (code, stdout, stderr) = InProcess.Run(["predict", "--model", panel.OnnxPath, "--horizon", horizon, "--json", .. series]);

        Assert.True(code == 0, stderr);
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(ids.Length, lines.Length);
        for (var i = 0; i < ids.Length; i++)
        {
            var json = JsonDocument.Parse(lines[i]).RootElement;
            Assert.Equal(panel.Values[ids[i]].Length, json.GetProperty("values").GetInt32());
            Assert.Equal("combined", json.GetProperty("smoothing").GetString()); // the run combined smoothing, fitted here on each series' values
            foreach (var (name, pick) in new (string, Func<(double Point, double Lower, double Upper), double>)[] { ("forecast", r => r.Point), ("lower", r => r.Lower), ("upper", r => r.Upper) })
            {
                var got = json.GetProperty(name).EnumerateArray().Select(e => e.GetDouble()).ToArray();
                Assert.Equal(PanelRunFixture.Horizon, got.Length);
                for (var h = 0; h < got.Length; h++)
                {
                    var want = pick(printed[ids[i]][h]);
                    Assert.True(Math.Abs(want - got[h]) <= 1e-3 * Math.Max(1, Math.Abs(want)), $"{ids[i]} step {h + 1} {name}: predict {got[h]}, forecast.csv {want}");
                }
            }
        }

        // The text: one header line and a line a step for the one series given.
        var text = InProcess.Run(["predict", "--model", panel.OnnxPath, "--horizon", horizon, series[0]]);
        Assert.True(text.Code == 0, text.Stderr);
        var textLines = InProcess.Lines(text.Stdout);
        Assert.StartsWith($"argument 1, {panel.Values[ids[0]].Length} values: forecast of {horizon} step(s), 80% interval", textLines[0], StringComparison.Ordinal);
        Assert.Equal(PanelRunFixture.Horizon + 1, textLines.Length);

        // The safetensors model has no smoothing or interval in a form predict can serve alone: pointed at its export.
        Assert.Contains("give --model", InProcess.OneLine(2, ["predict", "--model", panel.ModelPath, "--horizon", horizon, series[0]]));
    }

    /// <summary>
    /// Values past the size a window-relative model trains on (1e30): a window of ±3.4e38 has changes float32 cannot hold, and
    /// `predict` printed 0. Refused, in `predict` (both formats) and in SequenceModel.Forecast, naming the value.
    /// </summary>
    [Fact]
    public void Values_past_the_trained_size_are_refused_not_predicted_as_0()
    {
        var t = panel.Run.Manifest.Data.TimeSteps;
        var window = string.Join(',', Enumerable.Repeat("3.4e38", t - 1).Append("-3.4e38"));
        foreach (var model in new[] { panel.ModelPath, panel.OnnxPath })
        {
            var (code, _, stderr) = InProcess.Run(["predict", "--model", model, window]);
            Assert.Equal(2, code);
            Assert.Contains("3.4E+38 is beyond 1e30 in size", stderr, StringComparison.Ordinal);
        }

        using var onnx = SequenceModel.Load(panel.OnnxPath);
        var error = Assert.Throws<ForecastException>(() => onnx.Forecast([.. Enumerable.Repeat(2e30, t)], 1));
        Assert.Contains("value 0: 2E+30 is beyond 1e30 in size", error.Message, StringComparison.Ordinal);
    }
}
