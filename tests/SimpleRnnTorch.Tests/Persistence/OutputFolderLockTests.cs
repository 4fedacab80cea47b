using System.Globalization;
using SimpleRnnTorch.Cli;
using SimpleRnnTorch.Persistence;

namespace SimpleRnnTorch.Tests.Persistence;

/// <summary>A run owns its output folder: a second one is refused, the first is untouched, a kill frees it.</summary>
[Collection(TorchCollection.Name)]
public sealed class OutputFolderLockTests
{
    [Fact]
    public void A_held_folder_is_refused_with_its_owner_and_free_again_once_released()
    {
        using var temp = new TempFolder();
        var folder = temp.File("out");
        var first = OutputFolderLock.Acquire(folder, "--output", "first run");

        var error = Assert.Throws<OutputFolderException>(() => OutputFolderLock.Acquire(folder, "--output", "second run"));
        Assert.True(error.Busy);
        Assert.Contains($"--output '{folder}' is in use by another run (pid {Environment.ProcessId}, first run, since ", error.Message);

        first.Dispose();
        using var again = OutputFolderLock.Acquire(folder, "--output", "third run");
        Assert.True(Directory.Exists(folder));
    }

    [Fact]
    public void A_folder_that_cannot_be_created_is_a_usage_error_not_busy()
    {
        using var temp = new TempFolder();
        File.WriteAllText(temp.File("blocker"), "x");

        var error = Assert.Throws<OutputFolderException>(() => OutputFolderLock.Acquire(Path.Combine(temp.File("blocker"), "sub"), "--output", "run"));

        Assert.False(error.Busy);
        Assert.StartsWith("--output '", error.Message);
        Assert.Equal("x", File.ReadAllText(temp.File("blocker")));
    }

    /// <summary>Two real processes into one folder: the second run is refused and writes nothing; the first finishes intact.</summary>
    [Trait("Category", "Integration")]
    [LinuxFact]
    public void A_second_run_into_a_running_runs_folder_is_refused_and_the_first_completes()
    {
        using var temp = new TempFolder();
        // ~0.15 s an epoch on 20,000 sequences: the first run is still training when the second starts.
        using var first = ProcessRunner.StartApp(["--sequences", "20000", "--epochs", "40", "--verbose", "2", "--eval-count", "0", "--output", "out"], temp.Path);
        Assert.True(ProcessRunner.WaitForLine(first, line => line.StartsWith("Epoch 2/", StringComparison.Ordinal)), "the first run did not start training");
        var firstOutput = first.StandardOutput.ReadToEndAsync(); // keep draining: a full pipe would stall it

        var second = ProcessRunner.RunApp(["--cell", "gru", "--epochs", "1", "--output", "out", "--save", "out/gru.safetensors"], temp.Path);

        Assert.Equal(ExitCodes.Busy, second.ExitCode);
        var line = Assert.Single(InProcess.Lines(second.Stderr));
        Assert.Matches(@"^error: --output 'out' is in use by another run \(pid \d+, simplernntorch train, since \d\d:\d\d:\d\d\)", line);
        Assert.Contains($"pid {first.Id.ToString(CultureInfo.InvariantCulture)},", line);
        Assert.Equal("", second.Stdout);

        Assert.True(first.WaitForExit(120_000), "the first run did not finish");
        Assert.Equal(0, first.ExitCode);
        Assert.Contains("Predicted next value", firstOutput.Result);
        Assert.False(File.Exists(Path.Combine(temp.Path, "out", "gru.safetensors")), "the refused run wrote its model");
        Assert.Equal(41, File.ReadAllLines(Path.Combine(temp.Path, "out", "history.csv")).Length);
        var (model, manifest) = ModelFile.Load(Path.Combine(temp.Path, "out", "model.safetensors"), TorchSharp.torch.CPU);
        model.Dispose();
        Assert.Equal(SimpleRnnTorch.Model.CellKind.Rnn, manifest.Model.Cell);
        Assert.Equal(40, manifest.History.Count);
    }

    [Trait("Category", "Integration")]
    [LinuxFact]
    public void A_killed_run_leaves_its_folder_free()
    {
        using var temp = new TempFolder();
        using var killed = ProcessRunner.StartApp(["--epochs", "50000", "--verbose", "2", "--output", "out"], temp.Path);
        Assert.True(ProcessRunner.WaitForLine(killed, line => line.StartsWith("Epoch 1/", StringComparison.Ordinal)), "training did not start");
        killed.Kill(); // SIGKILL: no handler, no cleanup
        killed.WaitForExit();

        var next = InProcess.Run(["--epochs", "1", "--verbose", "0", "--eval-count", "0", "--output", Path.Combine(temp.Path, "out")]);

        Assert.True(next.Code == 0, next.Stderr);
    }
}
