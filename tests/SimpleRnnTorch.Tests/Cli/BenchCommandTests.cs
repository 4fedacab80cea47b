using System.Text.Json.Nodes;
using SimpleRnnTorch.Experiments;
using SimpleRnnTorch.Cli;

namespace SimpleRnnTorch.Tests.Cli;

/// <summary>
/// The bench command's contract: its options fail like every other option, and a run ends with one
/// `BENCH {json}` line that scripts can read. Speed itself is measured by the bench, never asserted here.
/// </summary>
[Collection(TorchCollection.Name)]
public sealed class BenchCommandTests
{
    public static TheoryData<string[], string> BadOptions => new()
    {
        { ["bench", "--batch", "0"], "--batch" },
        { ["bench", "--batch", "x"], "--batch" },
        { ["bench", "--steps", "5"], "--steps" },
        { ["bench", "--sizes", "10000,abc"], "--sizes" },
        { ["bench", "--sizes", "50"], "--sizes" },
        { ["bench", "--sizes", "-10000"], "--sizes" },
        { ["bench", "--scale-batches", "0"], "--scale-batches" },
        { ["bench", "--scale-batches", "none"], "--scale-batches" },
        { ["bench", "--soak-steps", "-1"], "--soak-steps" },
        { ["bench", "--threads", "0"], "--threads" },
        { ["bench", "--device", "tpu"], "--device" },
        { ["bench", "--seed", "1.5"], "--seed" },
        { ["bench", "--lr", "0"], "--lr" },
        { ["bench", "--data", "/nonexistent/series.csv"], "--data" },
    };

    [Theory]
    [MemberData(nameof(BadOptions))]
    public void Bad_option_gives_exit_2_and_one_line(string[] args, string option)
    {
        var (code, stdout, stderr) = InProcess.Run(args);

        Assert.Equal(ExitCodes.Usage, code);
        var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("error: ", line);
        Assert.Contains(option, line);
        Assert.Equal("", stdout);
    }

    [Fact]
    public void A_short_run_prints_a_table_and_ends_with_one_bench_json_line()
    {
        var (code, stdout, stderr) = InProcess.Run(["bench", "--steps", "30", "--sizes", "1000", "--scale-batches", "32,256", "--soak-steps", "1200"]);

        Assert.True(code == ExitCodes.Ok, stderr);
        var lines = stdout.TrimEnd().Split('\n');
        Assert.Contains("train step, batch 32", stdout);
        Assert.Contains("samples/s", stdout);
        Assert.StartsWith("BENCH {", lines[^1]);
        Assert.Single(lines, l => l.StartsWith("BENCH ", StringComparison.Ordinal));

        var json = JsonNode.Parse(lines[^1]["BENCH ".Length..])!.AsObject();
        foreach (var key in new[] { "step_us_median", "step_us_p90", "epoch_ms_median", "epoch_ms_median_warm", "batch", "threads", "samples_per_s", "peak_rss_mib" })
        {
            Assert.True(json.ContainsKey(key), key);
        }

        Assert.Equal(32, json["batch"]!.GetValue<int>());
        Assert.Equal(30, json["steps"]!.GetValue<int>());
        Assert.Equal(1, json["threads"]!.GetValue<int>());
        Assert.True(json["step_us_median"]!.GetValue<double>() > 0);
        Assert.True(json["step_us_p90"]!.GetValue<double>() >= json["step_us_median"]!.GetValue<double>());
        Assert.True(json["samples_per_s"]!["1000@32"]!.GetValue<double>() > 0);
        Assert.True(json["samples_per_s"]!["1000@256"]!.GetValue<double>() > 0);
        Assert.Equal(1200, json["soak"]!["late_steps"]!.GetValue<int>());
        Assert.True(json["peak_rss_mib"]!.GetValue<double>() >= json["rss_after_steps_mib"]!.GetValue<double>());
        // Progress goes to stderr, results to stdout.
        Assert.Contains("bench: lesson", stderr);
    }

    [Fact]
    public void Data_times_the_reading_and_the_epochs_on_the_series_beside_generated_sequences()
    {
        using var temp = new TempFolder();
        var file = temp.File("series.csv");
        File.WriteAllText(file, "t,v\n" + string.Concat(Enumerable.Range(0, 2000).Select(i => $"{i},{i % 50}\n")));

        var (code, stdout, stderr) = InProcess.Run(["bench", "--steps", "10", "--sizes", "none", "--scale-batches", "64", "--data", file]);

        Assert.True(code == ExitCodes.Ok, stderr);
        Assert.Contains("managed bytes allocated", stdout);
        var json = JsonNode.Parse(stdout.TrimEnd().Split('\n')[^1]["BENCH ".Length..])!["series"]!;
        Assert.Equal(2000, json["values"]!.GetValue<int>());
        Assert.Equal(8000, json["series_bytes"]!.GetValue<long>());
        Assert.True(json["read_s"]!.GetValue<double>() > 0);
        Assert.True(json["allocated_bytes"]!.GetValue<long>() > 8000);
        var epoch = json["epochs"]!.AsArray().Single()!;
        Assert.Equal(64, epoch["batch"]!.GetValue<int>());
        Assert.Equal(1597, epoch["train_samples"]!.GetValue<int>()); // int(1997 · 0.8) = int(1597.6)
        Assert.True(epoch["series_samples_per_s"]!.GetValue<double>() > 0 && epoch["generated_samples_per_s"]!.GetValue<double>() > 0);
    }

    [Fact]
    public void Percentiles_follow_numpy()
    {
        double[] values = [5, 1, 4, 2, 3];
        Assert.Equal(3, Percentiles.Median(values));
        Assert.Equal(4.6, Percentiles.Of(values, 90), 12);
        Assert.Equal(1.4, Percentiles.Of(values, 10), 12);
        Assert.Equal(2.5, Percentiles.Median([1, 2, 3, 4]), 12);
    }
}
