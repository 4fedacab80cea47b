using System.Globalization;
using System.Text.Json.Nodes;
using SimpleRnnTorch.Experiments;
using SimpleRnnTorch.Data;
using Spectre.Console;

namespace SimpleRnnTorch.Cli.Views;

/// <summary>The bench's tables for people, then one `BENCH {json}` line for scripts.</summary>
internal static class BenchView
{
    public static void Write(CliConsole console, BenchReport report, BenchSettings settings)
    {
        var ansi = console.Ansi;
        var workload = BenchRunner.Workload(settings);
        var table = new Table
        {
            Border = TableBorder.Square,
            Title = new TableTitle($"SimpleRnnTorch bench ({report.Device}, {settings.Threads} thread(s)): {settings.Task.Name()} task, " +
                                   $"{workload.Model.Cell.ToString().ToLowerInvariant()} {workload.Model.HiddenSize} hidden, T = {workload.Source.TimeSteps}"),
        };
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
        table.AddRow("start-up to bench", $"{F(report.Startup.SinceProcessStartMs, 0)} ms", "process start to here: host, JIT, option parsing");
        table.AddRow("libtorch load", $"{F(report.Startup.LibTorchLoadMs, 0)} ms", "first torch call (native libraries' load and init)");
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

        if (report.Series is { } series)
        {
            var read = new Table { Border = TableBorder.Square, Title = new TableTitle(Markup.Escape($"series: {series.File}, {series.Values:N0} values")) };
            read.AddColumn("measure");
            read.AddColumn(new TableColumn("value").RightAligned());
            read.AddColumn("how");
            read.AddRow("read", $"{F(series.ReadSeconds, 3)} s", "SeriesFile.Read, first call in the process (JIT included)");
            read.AddRow("managed bytes allocated", $"{F(series.AllocatedBytes / 1048576.0, 2)} MiB",
                $"{F((double)series.AllocatedBytes / series.SeriesBytes, 2)}x the series as float32 ({F(series.SeriesBytes / 1048576.0, 2)} MiB)");
            read.AddRow("resident memory", $"{F(series.RssBeforeMib, 1)} → {F(series.PeakRssAfterMib, 1)} MiB",
                $"before the read → peak after it: +{F(series.PeakRssAfterMib - series.RssBeforeMib, 1)} MiB");
            foreach (var e in series.Epochs)
            {
                read.AddRow($"epoch, batch {e.Batch}: samples/s", $"{F(e.SeriesSamplesPerSecond, 0)} vs {F(e.GeneratedSamplesPerSecond, 0)}",
                    $"{e.TrainSamples:N0} training windows vs as many generated sequences ({F(e.SeriesSamplesPerSecond / e.GeneratedSamplesPerSecond, 2)}x)");
            }

            ansi.Write(read);
        }

        var json = Json(report, settings);
        json["lr"] = settings.LearningRate;
        json["task"] = settings.Task.Name();
        json["cell"] = workload.Model.Cell.ToString().ToLowerInvariant();
        json["time_steps"] = workload.Source.TimeSteps;
        json["hidden"] = workload.Model.HiddenSize;
        console.Out.WriteLine("BENCH " + json.ToJsonString());
        console.Out.Flush();
    }

    public static JsonObject Json(BenchReport report, BenchSettings settings)
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
            ["threads"] = settings.Threads,
            ["device"] = report.Device,
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
            ["series"] = report.Series is { } series
                ? new JsonObject
                {
                    ["values"] = series.Values,
                    ["read_s"] = Math.Round(series.ReadSeconds, 4),
                    ["allocated_bytes"] = series.AllocatedBytes,
                    ["series_bytes"] = series.SeriesBytes,
                    ["rss_before_mib"] = Math.Round(series.RssBeforeMib, 1),
                    ["peak_rss_after_read_mib"] = Math.Round(series.PeakRssAfterMib, 1),
                    ["epochs"] = new JsonArray(series.Epochs.Select(e => (JsonNode)new JsonObject
                    {
                        ["batch"] = e.Batch,
                        ["train_samples"] = e.TrainSamples,
                        ["series_samples_per_s"] = Math.Round(e.SeriesSamplesPerSecond, 1),
                        ["generated_samples_per_s"] = Math.Round(e.GeneratedSamplesPerSecond, 1),
                    }).ToArray()),
                }
                : null,
            ["peak_rss_mib"] = Math.Round(report.PeakRssMib, 1),
            ["startup_ms"] = Math.Round(report.Startup.SinceProcessStartMs, 1),
            ["libtorch_load_ms"] = Math.Round(report.Startup.LibTorchLoadMs, 1),
        };
    }

    private static string F(double value, int decimals) => value.ToString("N" + decimals, CultureInfo.InvariantCulture);
}
