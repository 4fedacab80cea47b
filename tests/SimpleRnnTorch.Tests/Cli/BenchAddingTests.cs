using System.Text.Json.Nodes;
using SimpleRnnTorch.Cli;

namespace SimpleRnnTorch.Tests.Cli;

/// <summary>The bench on the adding task (the LSTM step at long T that docs/benchmarks.md compares with PyTorch).</summary>
[Collection(TorchCollection.Name)]
public sealed class BenchAddingTests
{
    [Fact]
    public void Bench_on_the_adding_task_times_the_chosen_cell_at_the_chosen_t_and_says_so_in_its_json()
    {
        var (code, stdout, stderr) = InProcess.Run(["bench", "--task", "adding", "--cell", "lstm", "--time-steps", "12", "--steps", "10", "--sizes", "none"]);

        Assert.True(code == ExitCodes.Ok, stderr);
        Assert.Contains("adding task, lstm 16 hidden, T = 12", stdout);
        var lines = stdout.TrimEnd().Split('\n');
        var json = JsonNode.Parse(lines[^1]["BENCH ".Length..])!.AsObject();
        Assert.Equal("adding", json["task"]!.GetValue<string>());
        Assert.Equal("lstm", json["cell"]!.GetValue<string>());
        Assert.Equal(12, json["time_steps"]!.GetValue<int>());
        Assert.Equal(16, json["hidden"]!.GetValue<int>());
        Assert.True(json["step_us_median"]!.GetValue<double>() > 0);
    }

    [Fact]
    public void The_lesson_bench_still_says_it_is_the_lesson()
    {
        var (code, stdout, stderr) = InProcess.Run(["bench", "--steps", "10", "--sizes", "none"]);

        Assert.True(code == ExitCodes.Ok, stderr);
        var json = JsonNode.Parse(stdout.TrimEnd().Split('\n')[^1]["BENCH ".Length..])!.AsObject();
        Assert.Equal(("arithmetic", "rnn", 3, 5), (json["task"]!.GetValue<string>(), json["cell"]!.GetValue<string>(), json["time_steps"]!.GetValue<int>(), json["hidden"]!.GetValue<int>()));
    }

    [Theory]
    [InlineData(new[] { "--task", "adding", "--time-steps", "1" }, "--time-steps must be at least 2 for --task adding")]
    [InlineData(new[] { "--task", "copy" }, "--task must be one of arithmetic, adding")]
    [InlineData(new[] { "--cell", "tcn" }, "--cell must be one of rnn, lstm, gru")]
    public void Bad_task_options_are_one_line_and_exit_2(string[] args, string expected)
    {
        var (code, stdout, stderr) = InProcess.Run(["bench", .. args]);

        Assert.Equal(ExitCodes.Usage, code);
        Assert.StartsWith($"error: {expected}", Assert.Single(InProcess.Lines(stderr)));
        Assert.Equal("", stdout);
    }
}
