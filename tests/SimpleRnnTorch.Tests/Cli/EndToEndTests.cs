namespace SimpleRnnTorch.Tests.Cli;

/// <summary>The built program in its own process, as `dotnet run` starts it.</summary>
[Collection(TorchCollection.Name)]
[Trait("Category", "Integration")]
public sealed class EndToEndTests
{
    [Fact]
    public void A_short_session_prints_the_lesson_and_writes_the_plot_and_history()
    {
        using var temp = new TempFolder();
        var result = ProcessRunner.RunApp(["--epochs", "3", "--verbose", "2", "--output", "out"], temp.Path);

        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Equal("", result.Stderr);
        Assert.Contains("X shape: (1000, 3)", result.Stdout);
        Assert.Contains("(1000, 3, 1) = (samples, time steps, features)", result.Stdout);
        Assert.Contains("Total params: 46", result.Stdout);
        Assert.Contains("Epoch 3/3", result.Stdout);
        Assert.Contains("val_loss:", result.Stdout);
        Assert.Contains("Input sequence: [50 60 70]", result.Stdout);
        Assert.Matches(@"Predicted next value: \d+\.\d\d", result.Stdout);
        Assert.True(new FileInfo(Path.Combine(temp.Path, "out", "loss.png")).Length > 10_000);
        Assert.Equal(4, File.ReadAllLines(Path.Combine(temp.Path, "out", "history.csv")).Length);
    }

    [Fact]
    public void A_bad_option_in_a_real_process_is_one_line_and_exit_2()
    {
        using var temp = new TempFolder();
        var result = ProcessRunner.RunApp(["--lr", "NaN"], temp.Path);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("error: --lr must be a number in (0, inf], got 'NaN'", result.Stderr.Trim());
        Assert.Empty(Directory.GetFileSystemEntries(temp.Path));
    }
}
