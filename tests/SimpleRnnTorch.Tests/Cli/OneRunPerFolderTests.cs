using System.Globalization;
using SimpleRnnTorch.Inference;
using SimpleRnnTorch.Persistence;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace SimpleRnnTorch.Tests.Cli;

/// <summary>
/// A folder holds one run: a run into a finished run's folder removes that run's files as its first
/// checkpoint replaces the model, so after any stop (kill -9 included) every file in the folder is from one
/// run, there is always a model, and a model that did not reach its final save says "running" in its manifest.
/// </summary>
[Collection(TorchCollection.Name)]
[Trait("Category", "Integration")] // kill -9 children: a process each
public sealed class OneRunPerFolderTests(ITestOutputHelper log) : IDisposable
{
    private static readonly string[] RunFileNames = ["history.csv", "loss.png", "model.safetensors", "model.pt", "model.onnx", "predictions.png"];

    private readonly TempFolder temp = new();

    public void Dispose() => temp.Dispose();

    /// <summary>A finished run (hidden 7, seed 1) into <paramref name="folder"/>: every one of <see cref="RunFileNames"/>.</summary>
    private static void FirstRun(string folder)
    {
        var (code, _, stderr) = InProcess.Run(["--epochs", "2", "--hidden", "7", "--seed", "1", "--sequences", "200", "--eval-count", "50", "-v", "0", "-o", folder]);
        Assert.True(code == 0, stderr);
        Assert.All(RunFileNames, n => Assert.True(File.Exists(Path.Combine(folder, n)), n));
    }

    [Fact]
    public void A_second_run_leaves_none_of_the_first_runs_files()
    {
        var folder = temp.File("out");
        FirstRun(folder);

        // Without a model and without an evaluation, the second run writes only history.csv and loss.png.
        var (code, _, stderr) = InProcess.Run(["--epochs", "1", "--no-save", "--eval-count", "0", "-v", "0", "-o", folder]);

        Assert.True(code == 0, stderr);
        Assert.Equal(["history.csv", "loss.png"], Directory.GetFiles(folder).Select(Path.GetFileName).Where(n => n![0] != '.').Order());
        Assert.Equal(2, File.ReadAllLines(Path.Combine(folder, "history.csv")).Length); // header and the one epoch
    }

    [Fact]
    public void A_run_that_keeps_no_epoch_leaves_the_earlier_run_whole()
    {
        var folder = temp.File("out");
        FirstRun(folder);
        var before = RunFileNames.ToDictionary(n => n, n => File.ReadAllBytes(Path.Combine(folder, n)));

        var (code, _, stderr) = InProcess.Run(["--lr", "1e30", "-v", "0", "-o", folder]);

        Assert.Equal(1, code);
        Assert.Contains("no epoch was kept", stderr);
        Assert.All(RunFileNames, n => Assert.Equal(before[n], File.ReadAllBytes(Path.Combine(folder, n))));
    }

    /// <summary>
    /// kill -9 at the end of each epoch of a second run into a finished run's folder, the last one included
    /// (the final files follow it), and on the line after training: each time, either
    /// every file is the first run's, untouched, or every file is the second run's, and its files agree.
    /// </summary>
    [LinuxFact]
    [Trait("Category", "Integration")]
    public void After_kill_9_every_file_in_the_folder_is_from_one_run()
    {
        var trials = int.TryParse(Environment.GetEnvironmentVariable("SIMPLERNN_KILL_TRIALS"), out var n) ? n : 12;
        const int epochs = 6;
        var template = temp.File("first");
        FirstRun(template);
        var outcomes = new Dictionary<string, int>();
        for (var trial = 0; trial < trials; trial++)
        {
            var folder = temp.File($"trial{trial}");
            Directory.CreateDirectory(folder);
            foreach (var name in RunFileNames.Append(OutputFolderLock.FileName).Append(RunFolder.RecordFileName))
            {
                File.Copy(Path.Combine(template, name), Path.Combine(folder, name)); // the lock file and the record too: a run's folder
            }

            // The kill moment is a line of the run: "Epoch k/6 - ...", printed as epoch k ends, just before its
            // checkpoint (the first one removes the earlier run's files), k from 1 to 6 (after the sixth come
            // the final files), or the first line after training.
            var at = 1 + (trial % (epochs + 1));
            Func<string, bool> ready = at <= epochs ? line => line.StartsWith($"Epoch {at}/", StringComparison.Ordinal) : line => line.StartsWith("Final loss", StringComparison.Ordinal);
            using var process = ProcessRunner.StartApp(
                ["--epochs", epochs.ToString(CultureInfo.InvariantCulture), "--hidden", "5", "--seed", (100 + trial).ToString(CultureInfo.InvariantCulture),
                    "--sequences", "2000", "--eval-count", "200", "--verbose", "2", "-o", folder], temp.Path);
            var seen = ProcessRunner.WaitForLine(process, ready);
            process.Kill(); // SIGKILL
            process.WaitForExit();
            Assert.True(seen, $"trial {trial}: the run ended before its kill line");

            var outcome = Check(folder, template, 100 + trial);
            outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;
        }

        var summary = string.Join(", ", outcomes.OrderBy(o => o.Key).Select(o => $"{o.Value} {o.Key}"));
        log.WriteLine($"{trials} kill -9 trials, each consistent: {summary}");
        Assert.True(outcomes.Keys.Any(k => k.StartsWith("second run", StringComparison.Ordinal)), summary);
    }

    /// <summary>What the folder holds, after asserting that it is one run's files: "first run", "second run, running", "second run, completed"...</summary>
    private static string Check(string folder, string template, long secondSeed)
    {
        var present = RunFileNames.Where(name => File.Exists(Path.Combine(folder, name))).ToList();
        var fromFirst = present.Where(name => File.ReadAllBytes(Path.Combine(folder, name)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(template, name)))).ToList();
        Assert.True(fromFirst.Count == 0 || fromFirst.Count == present.Count,
            $"mixed runs: [{string.Join(", ", fromFirst)}] are the first run's, [{string.Join(", ", present.Except(fromFirst))}] the second's");
        Assert.True(present.Contains("model.safetensors"), "no model: the previous one was removed before the new one was complete");

        if (fromFirst.Count > 0)
        {
            return fromFirst.Count == RunFileNames.Length ? "first run (killed before its first checkpoint)" : "the first run's model, its other files removed (killed as the first checkpoint replaced it)";
        }

        // All the second run's: they must agree with each other.
        var (model, manifest) = ModelFile.Load(Path.Combine(folder, "model.safetensors"), CPU);
        model.Dispose();
        Assert.Equal(5, manifest.Model.HiddenSize);
        Assert.Equal(secondSeed, manifest.Training.Seed);
        Assert.Contains(manifest.StoppedBy, new[] { "running", "completed" });
        var history = Path.Combine(folder, "history.csv");
        if (File.Exists(history))
        {
            Assert.Equal(manifest.History.Count, File.ReadAllLines(history).Length - 1);
        }

        var onnx = Path.Combine(folder, "model.onnx");
        if (File.Exists(onnx))
        {
            // Written with the first checkpoint and again at the final save, before the model file: the second run's, and the
            // final one once the model says the run completed.
            using var exported = SequenceModel.Load(onnx);
            Assert.Equal(5, exported.Info.HiddenSize);
            using var embedded = System.Text.Json.JsonDocument.Parse(exported.Info.Manifest);
            Assert.Equal(secondSeed, embedded.RootElement.GetProperty("training").GetProperty("seed").GetInt64());
            Assert.True(manifest.StoppedBy == "running" || embedded.RootElement.GetProperty("stopped_by").GetString() == "completed",
                "a completed run's export is the final one");
        }

        return $"second run, {manifest.StoppedBy}";
    }
}
