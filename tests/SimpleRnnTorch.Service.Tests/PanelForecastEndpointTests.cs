using System.Diagnostics;
using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Hosting;
using SimpleRnnTorch.Inference;

namespace SimpleRnnTorch.Service.Tests;

/// <summary>
/// A panel's model, made now by the training program (a child process: these tests never load libtorch) from a wide
/// file of four monthly series of levels 1 to 10,000, and the service over its model.onnx. The trainer is the solution's
/// build of src/SimpleRnnTorch in this configuration, built here if it is missing.
/// </summary>
public sealed class PanelServiceFactory : ServiceFactory
{
    public const int Horizon = 5;

    /// <summary>Each column's name and level; 60 months each.</summary>
    public static readonly (string Name, double Level)[] Columns = [("small", 1), ("mid", 100), ("large", 2_500), ("huge", 10_000)];

    private readonly string folder = Directory.CreateTempSubdirectory("simplernn-panel-service-").FullName;

    public PanelServiceFactory()
    {
        Values = Columns.ToDictionary(c => c.Name, c => Generate(c.Level, seed: c.Name.Length));
        var csv = Path.Combine(folder, "wide.csv");
        var lines = new List<string> { "month," + string.Join(',', Columns.Select(c => c.Name)) };
        lines.AddRange(Enumerable.Range(0, 60).Select(i =>
            $"{new DateTime(2016, 1, 1).AddMonths(i):yyyy-MM}," + string.Join(',', Columns.Select(c => Values[c.Name][i].ToString("R", CultureInfo.InvariantCulture)))));
        File.WriteAllText(csv, string.Join('\n', lines) + "\n");

        var output = Path.Combine(folder, "out");
        var (code, stdout, stderr) = Trainer.Run(["--data", csv, "--column", "all", "--time-column", "month", "--horizon", Horizon.ToString(CultureInfo.InvariantCulture),
            "--epochs", "2", "--seed", "4", "-v", "0", "-o", output]);
        if (code != 0)
        {
            throw new InvalidOperationException($"the panel's training run exited {code}:\n{stderr}\n{stdout}");
        }

        ModelPath = Path.Combine(output, "model.onnx");
        ForecastCsvPath = Path.Combine(output, "forecast.csv");
    }

    public IReadOnlyDictionary<string, double[]> Values { get; }

    public string ModelPath { get; }

    public string ForecastCsvPath { get; }

    /// <summary>forecast.csv read back: series → (forecast, lower, upper) per step.</summary>
    public Dictionary<string, List<(double Point, double Lower, double Upper)>> Printed()
    {
        var lines = File.ReadAllLines(ForecastCsvPath);
        Assert.Equal("series,month,forecast,lower,upper", lines[0]);
        var rows = new Dictionary<string, List<(double, double, double)>>();
        foreach (var cells in lines[1..].Select(l => l.Split(',')))
        {
            var n = cells[2..].Select(c => double.Parse(c, CultureInfo.InvariantCulture)).ToArray();
            (rows.TryGetValue(cells[0], out var list) ? list : rows[cells[0]] = []).Add((n[0], n[1], n[2]));
        }

        return rows;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Model:Path", ModelPath);
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static double[] Generate(double level, int seed)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, 60).Select(i =>
            (double)(float)(level * (1 + (0.01 * i) + (0.2 * Math.Sin(2 * Math.PI * i / 12)) + (0.05 * (random.NextDouble() - 0.5)))))];
    }

    /// <summary>The training program as a child process, from the solution's build of it.</summary>
    private static class Trainer
    {
        public static (int Code, string Stdout, string Stderr) Run(IEnumerable<string> args)
        {
            var dll = Dll();
            var info = new ProcessStartInfo(Dotnet) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            info.ArgumentList.Add(dll);
            foreach (var a in args)
            {
                info.ArgumentList.Add(a);
            }

            using var process = Process.Start(info)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(TimeSpan.FromMinutes(3)))
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"{dll} did not finish training the panel");
            }

            return (process.ExitCode, stdout.Result, stderr.Result);
        }

        private static string Dotnet => Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";

        /// <summary>src/SimpleRnnTorch/bin/CONFIGURATION/TFM/SimpleRnnTorch.dll, the configuration and framework these tests were built with.</summary>
        private static string Dll()
        {
            var here = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
            var (framework, configuration) = (here.Name, here.Parent!.Name);
            var root = here;
            while (root is not null && !File.Exists(Path.Combine(root.FullName, "SimpleRnnTorch.sln")))
            {
                root = root.Parent;
            }

            if (root is null)
            {
                throw new InvalidOperationException($"no SimpleRnnTorch.sln above {AppContext.BaseDirectory}: the panel's model is trained by the repository's own build");
            }

            var project = Path.Combine(root.FullName, "src", "SimpleRnnTorch", "SimpleRnnTorch.csproj");
            var dll = Path.Combine(root.FullName, "src", "SimpleRnnTorch", "bin", configuration, framework, "SimpleRnnTorch.dll");
            if (!File.Exists(dll))
            {
                var info = new ProcessStartInfo(Dotnet) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
                foreach (var a in new[] { "build", project, "-c", configuration, "-nologo", "-v", "q" })
                {
                    info.ArgumentList.Add(a);
                }

                using var build = Process.Start(info)!;
                var output = build.StandardOutput.ReadToEndAsync();
                _ = build.StandardError.ReadToEndAsync();
                build.WaitForExit();
                if (build.ExitCode != 0 || !File.Exists(dll))
                {
                    throw new InvalidOperationException($"building {project} ({configuration}) failed:\n{output.Result}");
                }
            }

            return dll;
        }
    }
}

/// <summary>POST /forecast over a panel's model answers, for any series of the panel, the rows the run wrote to forecast.csv.</summary>
public sealed class PanelForecastEndpointTests(PanelServiceFactory factory) : IClassFixture<PanelServiceFactory>
{
    [Fact]
    public async Task Panel_forecast_of_each_series_is_its_rows_of_forecast_csv()
    {
        var printed = factory.Printed();
        Assert.Equal(PanelServiceFactory.Columns.Select(c => c.Name), printed.Keys);
        using var client = factory.CreateCheckedClient();

        foreach (var (name, _) in PanelServiceFactory.Columns)
        {
            var values = string.Join(", ", factory.Values[name].Select(v => v.ToString("R", CultureInfo.InvariantCulture)));
            using var response = await client.PostAsync(new Uri("/forecast", UriKind.Relative),
                Http.Json($$"""{"values": [{{values}}], "horizon": {{PanelServiceFactory.Horizon}}}"""));

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var json = await Http.ReadJsonAsync(response);
            double[] Read(string key) => [.. json.GetProperty(key).EnumerateArray().Select(v => v.GetDouble())];
            var (forecast, lower, upper) = (Read("forecast"), Read("lower"), Read("upper"));
            var rows = printed[name];
            Assert.Equal(PanelServiceFactory.Horizon, rows.Count);
            Assert.Equal(PanelServiceFactory.Horizon, forecast.Length);
            for (var h = 0; h < PanelServiceFactory.Horizon; h++)
            {
                var scale = Math.Max(1, Math.Abs(rows[h].Point));
                Assert.True(Math.Abs(rows[h].Point - forecast[h]) <= 1e-3 * scale, $"{name} step {h + 1}: forecast {forecast[h]}, forecast.csv {rows[h].Point}");
                Assert.True(Math.Abs(rows[h].Lower - lower[h]) <= 1e-3 * scale, $"{name} step {h + 1}: lower {lower[h]}, forecast.csv {rows[h].Lower}");
                Assert.True(Math.Abs(rows[h].Upper - upper[h]) <= 1e-3 * scale, $"{name} step {h + 1}: upper {upper[h]}, forecast.csv {rows[h].Upper}");
                Assert.True(lower[h] < forecast[h] && forecast[h] < upper[h], $"{name} step {h + 1}");
            }
        }
    }

    [Fact]
    public async Task Panel_model_health_says_a_series_model_with_the_runs_horizon()
    {
        using var client = factory.CreateCheckedClient();

        using var response = await client.GetAsync(new Uri("/health", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var model = (await Http.ReadJsonAsync(response)).GetProperty("model");
        Assert.True(model.GetProperty("series").GetBoolean());
        Assert.Equal(PanelServiceFactory.Horizon, model.GetProperty("maxHorizon").GetInt32());
        using var loaded = SequenceModel.Load(factory.ModelPath);
        Assert.Equal(OnnxModelInfo.SpreadScaling, loaded.Info.Scaling);
        Assert.True(loaded.Info.Forecast!.PerSpread);
    }
    /// <summary>
    /// Sizes the panel's training refuses are refused by both endpoints too, naming the value: past 1e30 (a window of ±3e38
    /// was predicted as 0) and a series whose largest value is below 1e-30 (1e-40 was forecast at 12 to 40 times its level).
    /// </summary>
    [Fact]
    public async Task Panel_model_refuses_series_of_sizes_its_training_refuses()
    {
        using var client = factory.CreateCheckedClient();
        using var loaded = SequenceModel.Load(factory.ModelPath);
        var t = loaded.Info.TimeSteps;
        string Window(Func<int, string> value) => string.Join(", ", Enumerable.Range(0, t).Select(value));

        using var huge = await client.PostAsync(new Uri("/predict", UriKind.Relative), Http.Json($$"""{"sequences": [[{{Window(i => i % 2 == 0 ? "3e38" : "-3e38")}}]]}"""));
        Assert.Equal(HttpStatusCode.BadRequest, huge.StatusCode);
        Assert.Contains("is beyond 1e30 in size", await huge.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        using var tiny = await client.PostAsync(new Uri("/forecast", UriKind.Relative), Http.Json($$"""{"values": [{{Window(i => i % 2 == 0 ? "1e-40" : "2e-40")}}], "horizon": 1}"""));
        Assert.Equal(HttpStatusCode.BadRequest, tiny.StatusCode);
        Assert.Contains("below the 1e-30 a panel's model scales in float32", await tiny.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // At the bound, as training reads it (in float32): served, as training took it.
        using var least = await client.PostAsync(new Uri("/forecast", UriKind.Relative), Http.Json($$"""{"values": [{{Window(i => i % 3 == 0 ? "5e-31" : "1e-30")}}], "horizon": 1}"""));
        Assert.Equal(HttpStatusCode.OK, least.StatusCode);
    }
}
