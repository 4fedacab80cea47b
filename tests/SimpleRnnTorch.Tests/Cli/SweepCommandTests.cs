using System.Text.Json;
using SimpleRnnTorch.Cli;
using SimpleRnnTorch.Data;
using SimpleRnnTorch.Experiments;

namespace SimpleRnnTorch.Tests.Cli;

/// <summary>`sweep`: every T, cell and seed trained and summarised by the median; bad input refused in one line.</summary>
[Collection(TorchCollection.Name)]
public sealed class SweepCommandTests
{
    [Fact]
    public void Sweep_trains_every_t_cell_and_seed_and_summarises_them_by_median()
    {
        using var temp = new TempFolder();
        var (code, stdout, stderr) = InProcess.Run(["sweep", "--time-steps", "4,6", "--cells", "rnn,gru", "--seeds", "1,2,3", "--epochs", "1", "--sequences", "100",
            "--hidden", "3", "--eval-count", "20", "--json", "--output", temp.File("out")]);

        Assert.True(code == 0, stderr);
        var lines = stdout.Trim().Split('\n').Select(l => JsonDocument.Parse(l).RootElement).ToList();
        var runs = lines.Where(l => l.TryGetProperty("run", out _)).Select(l => l.GetProperty("run")).ToList();
        var points = lines.Where(l => l.TryGetProperty("point", out _)).Select(l => l.GetProperty("point")).ToList();
        Assert.Equal(12, runs.Count);
        Assert.Equal(4, points.Count);
        foreach (var point in points)
        {
            var mine = runs.Where(r => r.GetProperty("time_steps").GetInt32() == point.GetProperty("time_steps").GetInt32()
                                       && r.GetProperty("cell").GetString() == point.GetProperty("cell").GetString())
                .Select(r => r.GetProperty("test_mse").GetDouble()).Order().ToList();
            Assert.Equal(3, mine.Count);
            Assert.Equal(mine[1], point.GetProperty("median_test_mse").GetDouble());
            Assert.Equal(mine.Count(m => m < AddingProblem.LearnedMse), point.GetProperty("learned").GetInt32());
        }

        Assert.True(new FileInfo(temp.File("out/" + AddingSweepPlot.FileName)).Length > 10_000);
        Assert.Contains("sweep: 12/12 T 6 gru seed 3", stderr);
    }

    [Theory]
    [InlineData(new[] { "--time-steps", "1,5" }, "--time-steps must be comma-separated integers in [2, 10000]")]
    [InlineData(new[] { "--seeds", "none" }, "--seeds none leaves the sweep nothing to train")]
    [InlineData(new[] { "--cells", "tcn" }, "--cells must be comma-separated names")]
    [InlineData(new[] { "--sequences", "1" }, "--sequences must be an integer in [2, 50000000]")]
    public void Sweep_refuses_bad_input_in_one_line(string[] args, string expected)
    {
        using var temp = new TempFolder();
        var (code, stdout, stderr) = InProcess.Run(["sweep", .. args, "--output", temp.File("out")]);

        Assert.Equal(ExitCodes.Usage, code);
        Assert.StartsWith($"error: {expected}", Assert.Single(InProcess.Lines(stderr)));
        Assert.Equal("", stdout);
        Assert.False(Directory.Exists(temp.File("out")));
    }
}
