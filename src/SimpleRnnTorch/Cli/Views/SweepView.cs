using System.Globalization;
using System.Text.Json;
using SimpleRnnTorch.Data;
using SimpleRnnTorch.Experiments;
using Spectre.Console;

namespace SimpleRnnTorch.Cli.Views;

/// <summary>The sweep's table (T down, cells across: median test MSE and seeds below 0.01), or its JSON lines.</summary>
internal static class SweepView
{
    private static readonly JsonSerializerOptions JsonLines = new() { NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals };

    public static void WriteRun(CliConsole console, SweepRun run)
    {
        console.Out.WriteLine(JsonSerializer.Serialize(new
        {
            run = new
            {
                time_steps = run.TimeSteps,
                cell = Name(run.Cell),
                seed = run.Seed,
                test_mse = run.Mse,
                constant_guess_mse = run.ConstantGuessMse,
                val_loss = run.ValidationLoss,
                train_s = Math.Round(run.TrainingTime.TotalSeconds, 3),
                diverged = run.Diverged,
            },
        }, JsonLines));
        console.Out.Flush();
    }

    public static void Write(CliConsole console, AddingSweepPlan plan, IReadOnlyList<SweepPoint> points, bool json, string plotPath, TimeSpan elapsed)
    {
        if (json)
        {
            foreach (var p in points)
            {
                console.Out.WriteLine(JsonSerializer.Serialize(new
                {
                    point = new
                    {
                        time_steps = p.TimeSteps,
                        cell = Name(p.Cell),
                        median_test_mse = p.MedianMse,
                        learned = p.Learned,
                        seeds = p.Runs.Count,
                        train_s = Math.Round(p.Runs.Sum(r => r.TrainingTime.TotalSeconds), 3),
                    },
                }, JsonLines));
            }

            console.Out.Flush();
            return;
        }

        var job = plan.Job;
        console.Out.WriteLine($"Adding problem: median test MSE over {plan.Seeds.Count} seed(s), and in brackets how many got below {AddingProblem.LearnedMse.ToString(CultureInfo.InvariantCulture)}");
        var table = new Table { Border = TableBorder.Square };
        table.AddColumn(new TableColumn("T").RightAligned());
        foreach (var cell in plan.Cells)
        {
            table.AddColumn(new TableColumn(Name(cell)).RightAligned());
        }

        foreach (var t in plan.TimeSteps)
        {
            var row = new List<string> { t.ToString(CultureInfo.InvariantCulture) };
            row.AddRange(plan.Cells.Select(cell => points.Single(p => p.TimeSteps == t && p.Cell == cell) is var p
                ? $"{Mse(p.MedianMse)} ({p.Learned}/{p.Runs.Count})"
                : ""));
            table.AddRow(row.Select(Markup.Escape).ToArray());
        }

        console.Ansi.Write(table);
        console.Out.WriteLine($"Each run: {plan.StepsPerRun:N0} Adam steps ({job.Training.Epochs} epochs of {plan.Data.Count} sequences, 20% validating, batch {job.Training.BatchSize}), " +
                              $"hidden {job.Model.HiddenSize}, lr {job.Training.LearningRate.ToString(CultureInfo.InvariantCulture)} {job.Training.Schedule.ToString().ToLowerInvariant()}, " +
                              $"{job.Training.Init.ToString().ToLowerInvariant()} init; test MSE on {plan.Data.EvalCount} fresh sequences. The constant guess 1 scores about {Mse(AddingProblem.ConstantGuessMse)}.");
        console.Out.WriteLine($"{plan.Runs} runs in {elapsed.TotalMinutes:0.0} min; saved {plotPath}");
        console.Out.Flush();
    }

    public static string Mse(double value) =>
        double.IsFinite(value) ? value.ToString(value >= 0.01 ? "0.000" : "0.0e+0", CultureInfo.InvariantCulture) : "diverged";

    private static string Name(Model.CellKind cell) => cell.ToString().ToLowerInvariant();
}
