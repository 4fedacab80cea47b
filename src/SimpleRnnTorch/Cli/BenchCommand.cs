using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using SimpleRnnTorch.Benchmarking;
using Spectre.Console;
using static TorchSharp.torch;

namespace SimpleRnnTorch.Cli;

/// <summary>
/// `bench`: times the training loop (step, epoch, whole lesson), throughput at growing data sizes, and
/// memory; prints a table and, last, one `BENCH {json}` line for scripts (scripts/bench_vs_pytorch.sh).
/// Progress lines go to stderr, so stdout holds only the results.
/// </summary>
public static class BenchCommand
{
    public static Command Build(CliConsole console)
    {
        var defaults = new BenchSettings();
        var batch = OptionKit.Int("--batch", "Batch size of the step timing", defaults.Batch, 1, 65_536);
        var steps = OptionKit.Int("--steps", "Timed training steps (after 20 warm-up steps)", defaults.Steps, 10, 10_000_000);
        var sizes = OptionKit.IntList("--sizes", "Sequence counts for the one-epoch throughput runs; 'none' skips them",
            [.. defaults.ScaleSizes], 100, 50_000_000);
        var scaleBatches = OptionKit.IntList("--scale-batches", "Batch sizes for the throughput runs", [.. defaults.ScaleBatches], 1, 1_048_576);
        var soakSteps = OptionKit.Int("--soak-steps",
            "Also train this many steps and compare resident memory after 1000 and after all of them (100000 takes ~30 s); 0 skips it",
            0, 0, 100_000_000);
        var lr = OptionKit.Double("--lr", "Adam's learning rate, constant (default: the lesson's and the PyTorch anchor's)",
            defaults.LearningRate, 0, double.PositiveInfinity, minExclusive: true, maxExclusive: false);
        var threads = OptionKit.Int("--threads", "libtorch CPU threads, as for training", 1, 1, 1024);
        var seed = OptionKit.Long("--seed", "Seed for data and weights", defaults.Seed);
        var device = OptionKit.Choice("--device", "cpu, cuda, or auto (as for training)", DeviceKind.Cpu);

        var command = new Command("bench", "Measure training speed and memory; ends with one line `BENCH {json}`")
        {
            batch, steps, sizes, scaleBatches, soakSteps, lr, threads, seed, device,
        };
        command.SetAction(parse =>
        {
            var chosenSizes = parse.GetValue(sizes)!;
            var chosenBatches = parse.GetValue(scaleBatches)!;
            if (chosenSizes.Length > 0 && chosenBatches.Length == 0)
            {
                throw new UserError("--scale-batches none leaves the --sizes runs nothing to do; give batch sizes or --sizes none");
            }

            using var interrupts = new Interrupts();
            return Run(console, new BenchSettings
            {
                Batch = parse.GetValue(batch),
                Steps = parse.GetValue(steps),
                ScaleSizes = chosenSizes,
                ScaleBatches = chosenBatches,
                SoakSteps = parse.GetValue(soakSteps),
                LearningRate = parse.GetValue(lr),
                Seed = parse.GetValue(seed),
            }, parse.GetValue(threads), parse.GetChoice<DeviceKind>(device), interrupts);
        });
        return command;
    }

    public static int Run(CliConsole console, BenchSettings settings, int threads, DeviceKind deviceKind, Interrupts? interrupts = null)
    {
        // Start-up as far as this process got: the host and the JIT until here, then libtorch's load,
        // which the first torch call pays (its static initialiser loads the native libraries).
        double sinceStartMs;
        using (var self = Process.GetCurrentProcess())
        {
            sinceStartMs = (DateTime.Now - self.StartTime).TotalMilliseconds;
        }

        var loading = Stopwatch.GetTimestamp();
        set_num_threads(threads);
        var libtorchMs = Stopwatch.GetElapsedTime(loading).TotalMilliseconds;
        var device = DeviceChoice.Resolve(deviceKind);
        var deviceName = device.type.ToString().ToLowerInvariant();

        BenchReport report;
        try
        {
            report = BenchRunner.Run(settings, device, phase =>
            {
                console.Error.WriteLine($"bench: {phase}");
                console.Error.Flush();
            }, interrupts?.Token ?? CancellationToken.None);
        }
        catch (OperationCanceledException)
        {
            console.WriteError($"bench interrupted by {interrupts?.SignalName}; no results");
            return interrupts?.ExitCode ?? ExitCodes.Failure;
        }

        Write(console, report, settings, threads, deviceName, sinceStartMs, libtorchMs);
        return ExitCodes.Ok;
    }

    private static void Write(CliConsole console, BenchReport report, BenchSettings settings, int threads, string device, double sinceStartMs, double libtorchMs)
    {
        var ansi = console.Ansi;
        var table = new Table { Border = TableBorder.Square, Title = new TableTitle($"SimpleRnnTorch bench ({device}, {threads} thread(s))") };
        table.AddColumn("measure");
        table.AddColumn(new TableColumn("value").RightAligned());
        table.AddColumn("how");
        var step = report.Step;
        table.AddRow($"train step, batch {step.Batch}: median", $"{F(step.MedianUs, 1)} µs", $"{step.Steps} steps after {settings.WarmupSteps} warm-up");
        table.AddRow("  p10 / p90 / mean", $"{F(step.P10Us, 1)} / {F(step.P90Us, 1)} / {F(step.MeanUs, 1)} µs", "each step: views, forward, loss, backward, Adam, loss.item");
        table.AddRow("  samples/s", F(step.Batch * 1e6 / step.MedianUs, 0), "batch / median step");
        var lesson = report.Lesson;
        table.AddRow("lesson epoch: median", $"{F(lesson.EpochMsMedian, 2)} ms", $"{lesson.StepsPerEpoch} steps + validation, {lesson.Epochs} epochs (min {F(lesson.EpochMsMin, 2)} ms), first run: JIT warming up");
        table.AddRow("  warm epoch: median", $"{F(step.WarmEpochMsMedian, 2)} ms", $"the epochs of the step timing run: {lesson.StepsPerEpoch} steps of batch {step.Batch} + validation");
        table.AddRow("lesson train loop", $"{F(lesson.TrainLoopSeconds, 3)} s",
            $"Fit, 1000 sequences, lr {settings.LearningRate.ToString(CultureInfo.InvariantCulture)}, first in this process; val_loss {lesson.FinalValidationLoss.ToString("0.###e+0", CultureInfo.InvariantCulture)}");
        table.AddRow("start-up to bench", $"{F(sinceStartMs, 0)} ms", "process start to here: host, JIT, option parsing");
        table.AddRow("libtorch load", $"{F(libtorchMs, 0)} ms", "first torch call (native libraries' load and init)");
        table.AddRow("resident memory after steps", $"{F(report.RssAfterStepsMib, 1)} MiB", "after the lesson and the timed steps");
        if (report.Soak is { } soak)
        {
            table.AddRow($"resident memory, step {soak.EarlySteps:N0} → {soak.LateSteps:N0}",
                $"{F(soak.EarlyRssMib, 1)} → {F(soak.LateRssMib, 1)} MiB", $"growth {(soak.Growth * 100).ToString("+0.0;-0.0", CultureInfo.InvariantCulture)}% (flat: within 5%)");
        }

        table.AddRow("peak resident memory", $"{F(report.PeakRssMib, 1)} MiB", "whole bench process (VmHWM)");
        ansi.Write(table);

        if (report.Scale.Count > 0)
        {
            var scale = new Table { Border = TableBorder.Square, Title = new TableTitle("one epoch, all sequences training (no validation)") };
            scale.AddColumn(new TableColumn("sequences").RightAligned());
            scale.AddColumn(new TableColumn("batch").RightAligned());
            scale.AddColumn(new TableColumn("data s").RightAligned());
            scale.AddColumn(new TableColumn("epoch s").RightAligned());
            scale.AddColumn(new TableColumn("samples/s").RightAligned());
            foreach (var point in report.Scale)
            {
                scale.AddRow(point.Sequences.ToString("N0", CultureInfo.InvariantCulture), point.Batch.ToString(CultureInfo.InvariantCulture),
                    F(point.DataSeconds, 3), F(point.EpochSeconds, 3), F(point.SamplesPerSecond, 0));
            }

            ansi.Write(scale);
        }

        var json = Json(report, threads, device, sinceStartMs, libtorchMs);
        json["lr"] = settings.LearningRate;
        console.Out.WriteLine("BENCH " + json.ToJsonString());
        console.Out.Flush();
    }

    public static JsonObject Json(BenchReport report, int threads, string device, double sinceStartMs, double libtorchMs)
    {
        var samples = new JsonObject();
        foreach (var point in report.Scale)
        {
            samples[$"{point.Sequences}@{point.Batch}"] = Math.Round(point.SamplesPerSecond, 1);
        }

        return new JsonObject
        {
            ["step_us_median"] = Math.Round(report.Step.MedianUs, 2),
            ["step_us_p10"] = Math.Round(report.Step.P10Us, 2),
            ["step_us_p90"] = Math.Round(report.Step.P90Us, 2),
            ["step_us_mean"] = Math.Round(report.Step.MeanUs, 2),
            ["steps"] = report.Step.Steps,
            ["batch"] = report.Step.Batch,
            ["epoch_ms_median"] = Math.Round(report.Lesson.EpochMsMedian, 3),
            ["epoch_ms_min"] = Math.Round(report.Lesson.EpochMsMin, 3),
            ["epoch_ms_median_warm"] = Math.Round(report.Step.WarmEpochMsMedian, 3),
            ["train_loop_s"] = Math.Round(report.Lesson.TrainLoopSeconds, 4),
            ["threads"] = threads,
            ["device"] = device,
            ["samples_per_s"] = samples,
            ["scale"] = new JsonArray(report.Scale.Select(p => (JsonNode)new JsonObject
            {
                ["sequences"] = p.Sequences,
                ["batch"] = p.Batch,
                ["data_s"] = Math.Round(p.DataSeconds, 4),
                ["epoch_s"] = Math.Round(p.EpochSeconds, 4),
                ["samples_per_s"] = Math.Round(p.SamplesPerSecond, 1),
            }).ToArray()),
            ["rss_after_steps_mib"] = Math.Round(report.RssAfterStepsMib, 1),
            ["soak"] = report.Soak is { } soak
                ? new JsonObject
                {
                    ["early_steps"] = soak.EarlySteps,
                    ["early_rss_mib"] = Math.Round(soak.EarlyRssMib, 1),
                    ["late_steps"] = soak.LateSteps,
                    ["late_rss_mib"] = Math.Round(soak.LateRssMib, 1),
                    ["growth"] = Math.Round(soak.Growth, 4),
                }
                : null,
            ["peak_rss_mib"] = Math.Round(report.PeakRssMib, 1),
            ["startup_ms"] = Math.Round(sinceStartMs, 1),
            ["libtorch_load_ms"] = Math.Round(libtorchMs, 1),
        };
    }

    private static string F(double value, int decimals) => value.ToString("N" + decimals, CultureInfo.InvariantCulture);
}
