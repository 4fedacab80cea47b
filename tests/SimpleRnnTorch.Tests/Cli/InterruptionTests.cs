using System.Diagnostics;
using SimpleRnnTorch.Inference;
using SimpleRnnTorch.Persistence;
using SimpleRnnTorch.Reporting;
using Xunit.Abstractions;
using SkiaSharp;
using static TorchSharp.torch;

namespace SimpleRnnTorch.Tests.Cli;

/// <summary>
/// Signals and kills against the real program. What is on disk afterwards must always be a complete
/// file: the previous one or the new one, never half of either.
/// </summary>
[Collection(TorchCollection.Name)]
[Trait("Category", "Integration")]
public sealed class InterruptionTests(ITestOutputHelper log)
{
    [LinuxTheory]
    [InlineData("INT", 130)]
    [InlineData("TERM", 143)]
    public void A_signal_keeps_the_completed_epochs_and_exits_128_plus_signal(string signal, int exitCode)
    {
        using var temp = new TempFolder();
        using var process = ProcessRunner.StartApp(["--epochs", "50000", "--verbose", "2", "--output", "out"], temp.Path);
        var sawEpochs = ProcessRunner.WaitForLine(process, line => line.StartsWith("Epoch 3/", StringComparison.Ordinal));
        Assert.True(sawEpochs, "training did not start");
        var rest = process.StandardOutput.ReadToEndAsync(); // keep draining: a full pipe would block the program

        // A non-interactive shell starts its background jobs with SIGINT ignored, and children inherit that (POSIX): a
        // test run launched that way gives the program an ignored SIGINT, which it rightly leaves ignored.
        if (signal == "INT" && Ignores(process.Id, 2))
        {
            Signal(process, signal);
            Assert.False(process.WaitForExit(3_000), "an inherited ignore of SIGINT was overridden");
            process.Kill();
            log.WriteLine("SIGINT was ignored by inheritance (a background job of a non-interactive shell): only checked that it stays ignored");
            return;
        }

        Signal(process, signal);
        Assert.True(process.WaitForExit(30_000), "the program did not stop after the signal");
        var stdout = rest.Result;

        Assert.Equal(exitCode, process.ExitCode);
        Assert.Contains("Interrupted by SIG", stdout);
        var rows = File.ReadAllLines(Path.Combine(temp.Path, "out", "history.csv")).Length - 1;
        Assert.True(rows >= 3, $"{rows} epochs kept");
        Assert.Contains($"kept the {rows} completed epoch(s)", stdout);
        var (model, manifest) = ModelFile.Load(Path.Combine(temp.Path, "out", "model.safetensors"), CPU);
        model.Dispose();
        Assert.Equal(rows, manifest.History.Count);
        Assert.Equal("interrupted", manifest.StoppedBy);
        Assert.NotNull(SKBitmap.Decode(Path.Combine(temp.Path, "out", "loss.png")));
    }

    /// <summary>
    /// One kill delivered twice at once (`timeout` signals the program and then its group; a group kill reaches `dotnet run`
    /// too, which passes it on) is one request to stop: the completed epochs are kept, where a second signal would end the
    /// process at once.
    /// </summary>
    [LinuxFact]
    public void The_same_signal_twice_at_once_is_one_request_to_stop()
    {
        using var temp = new TempFolder();
        using var process = ProcessRunner.StartApp(["--epochs", "50000", "--verbose", "2", "--output", "out"], temp.Path);
        Assert.True(ProcessRunner.WaitForLine(process, line => line.StartsWith("Epoch 3/", StringComparison.Ordinal)), "training did not start");
        var rest = process.StandardOutput.ReadToEndAsync();

        var id = process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(0, ProcessRunner.Run("sh", ["-c", $"kill -TERM {id}; sleep 0.1; kill -TERM {id}"]).ExitCode);
        Assert.True(process.WaitForExit(30_000), "the program did not stop after the signal");

        Assert.Equal(143, process.ExitCode);
        Assert.Contains("Interrupted by SIGTERM", rest.Result);
        Assert.True(File.ReadAllLines(Path.Combine(temp.Path, "out", "history.csv")).Length - 1 >= 3, "the completed epochs were not kept");
    }

    [Fact]
    public void A_non_finite_loss_stops_at_once_and_names_the_step()
    {
        using var temp = new TempFolder();
        var result = ProcessRunner.RunApp(["--lr", "1e30", "--verbose", "0", "--output", "out"], temp.Path);

        Assert.Equal(1, result.ExitCode);
        var line = Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Matches(@"non-finite at epoch 1, step \d+", line);
        Assert.False(File.Exists(Path.Combine(temp.Path, "out", "model.safetensors")), "no epoch completed: nothing to keep");
    }

    /// <summary>SIGKILL at random moments of training and saving; every file left behind must load.</summary>
    [LinuxFact]
    public void Kill_at_random_moments_never_leaves_a_broken_file()
    {
        var trials = int.TryParse(Environment.GetEnvironmentVariable("SIMPLERNN_KILL_TRIALS"), out var n) ? n : 8;
        var random = new Random(7);
        using var temp = new TempFolder();
        var outFolder = Path.Combine(temp.Path, "out");
        var loadedModels = 0;
        var loadedPlots = 0;
        for (var trial = 0; trial < trials; trial++)
        {
            // Short runs, so that some kills land while the final PNG, CSV, .pt and .onnx are written.
            var epochs = random.Next(2, 40).ToString(System.Globalization.CultureInfo.InvariantCulture);
            using var process = ProcessRunner.StartApp(["--sequences", "300", "--epochs", epochs, "--verbose", "2", "--eval-count", "200", "--output", outFolder, "--seed", trial.ToString(System.Globalization.CultureInfo.InvariantCulture)], temp.Path);
            // Start the clock at the first epoch, not at process start, so a slow start-up on a busy
            // machine cannot push every kill before training; then kill anywhere in training or saving.
            Assert.True(ProcessRunner.WaitForLine(process, line => line.StartsWith("Epoch 1/", StringComparison.Ordinal)), $"trial {trial}: training did not start");
            _ = process.StandardOutput.ReadToEndAsync(); // keep draining: a full pipe would stall the program
            Thread.Sleep(random.Next(0, 700));
            process.Kill();
            process.WaitForExit();

            var modelPath = Path.Combine(outFolder, "model.safetensors");
            if (File.Exists(modelPath))
            {
                var (model, manifest) = ModelFile.Load(modelPath, CPU);
                model.Dispose();
                Assert.NotEmpty(manifest.History);
                loadedModels++;
            }

            var csv = Path.Combine(outFolder, "history.csv");
            if (File.Exists(csv))
            {
                var lines = File.ReadAllLines(csv);
                Assert.Equal(HistoryCsv.Header, lines[0]);
                Assert.All(lines.Skip(1), l => Assert.Equal(6, l.Split(',').Length));
            }

            var png = Path.Combine(outFolder, "loss.png");
            if (File.Exists(png))
            {
                using var bitmap = SKBitmap.Decode(png);
                Assert.Equal(1000, bitmap.Width);
                loadedPlots++;
            }

            var pt = Path.Combine(outFolder, "model.pt");
            if (File.Exists(pt))
            {
                Assert.True(new FileInfo(pt).Length > 500);
            }

            var onnx = Path.Combine(outFolder, "model.onnx");
            if (File.Exists(onnx))
            {
                using var exported = SequenceModel.Load(onnx);
                Assert.Equal(3, exported.Info.TimeSteps);
            }
        }

        log.WriteLine($"{trials} SIGKILL trials: a model file loaded after {loadedModels}, a plot decoded after {loadedPlots}; no file was ever broken");
        Assert.True(loadedModels > 0, "no trial got as far as saving a model: the kill moments are too early");
    }

    /// <summary>Whether the process ignores signal <paramref name="number"/> (the SigIgn mask of /proc/PID/status).</summary>
    private static bool Ignores(int pid, int number)
    {
        var line = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("SigIgn:", StringComparison.Ordinal));
        var mask = ulong.Parse(line["SigIgn:".Length..].Trim(), System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture);
        return (mask & (1UL << (number - 1))) != 0;
    }

    private static void Signal(Process process, string signal) =>
        Assert.Equal(0, ProcessRunner.Run("kill", [$"-{signal}", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]).ExitCode);
}
