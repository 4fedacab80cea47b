using System.Globalization;
using System.Text.Json;
using SimpleRnnTorch.Experiments;
using Spectre.Console;

namespace SimpleRnnTorch.Cli.Views;

/// <summary>The gradients command's output: how the norms are computed, a table of them counted back from the last step, and the ratios; or JSON lines.</summary>
internal static class GradientsView
{
    private static readonly JsonSerializerOptions JsonLines = new() { NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals };

    public static void Write(CliConsole console, IReadOnlyList<CellGradients> cells, int samples, bool json, string plotPath)
    {
        if (json)
        {
            foreach (var profile in cells.SelectMany(c => new[] { c.Init, c.Trained }))
            {
                console.Out.WriteLine(JsonSerializer.Serialize(new
                {
                    cell = profile.Cell.ToString().ToLowerInvariant(),
                    phase = profile.Phase == GradientPhase.Init ? "init" : "trained",
                    time_steps = profile.TimeSteps,
                    norms = profile.Norms,
                }, JsonLines));
            }

            console.Out.Flush();
            return;
        }

        var output = console.Out;
        var timeSteps = cells[0].Trained.TimeSteps;
        output.WriteLine($"Gradients through time on the adding task, T = {timeSteps}" +
                         (cells.All(c => c.ModelPath is null) ? $"; each cell trained for {cells[0].Epochs} epochs, test MSE on fresh sequences" : ""));
        output.WriteLine("How: for one sequence, L = (prediction − target)²; backpropagation through time gives ∂L/∂x_t, its gradient with respect");
        output.WriteLine($"to the input at step t (value and marker). The table shows ‖∂L/∂x_t‖, the norm over the two features averaged over {samples}");
        output.WriteLine($"fresh sequences, at the initial weights and at the trained ones, for t counted back from the last step (0 = last, {timeSteps - 1} = first).");
        output.WriteLine("Computed in float64 on a copy of the weights, so that tiny norms are measured rather than rounded to zero.");

        // Steps down, one column per cell and weights: the table grows with T in rows, not in width.
        var steps = GradientNorms.StepsBack(timeSteps);
        var profiles = cells.SelectMany(c => new[] { (Cell: c, Profile: c.Init), (Cell: c, Profile: c.Trained) }).ToList();
        var table = new Table { Border = TableBorder.Square };
        table.AddColumn("steps back");
        foreach (var (cell, profile) in profiles)
        {
            var weights = profile.Phase == GradientPhase.Init ? "initial" : cell.ModelPath is null ? "trained" : "saved";
            table.AddColumn(new TableColumn($"{profile.Cell.ToString().ToLowerInvariant()} {weights}").RightAligned());
        }

        foreach (var back in steps)
        {
            var label = back == 0 ? "0 (last)" : back == timeSteps - 1 ? $"{back} (first)" : back.ToString(CultureInfo.InvariantCulture);
            table.AddRow([label, .. profiles.Select(p => E(p.Profile.Norms[timeSteps - 1 - back]))]);
        }

        table.AddRow(["first/last", .. profiles.Select(p => E(p.Profile.FirstToLast))]);
        if (cells.Any(c => c.Score is not null))
        {
            table.AddRow(["test MSE", .. profiles.Select(p => p.Profile.Phase == GradientPhase.Trained && p.Cell.Score is { } score ? E(score.Mse) : "")]);
        }

        console.Ansi.Write(table);
        foreach (var cell in cells)
        {
            output.WriteLine($"{cell.Cell.ToString().ToLowerInvariant()}: norms[0]/norms[T-1] = {E(cell.Init.FirstToLast)} at initialisation, {E(cell.Trained.FirstToLast)} after training" +
                             (cell.ModelPath is { } path ? $" ({path})" : ""));
        }

        output.WriteLine($"Saved {plotPath}");
        output.Flush();
    }

    private static string E(double value) => double.IsFinite(value) ? value.ToString("0.00e+0", CultureInfo.InvariantCulture) : value.ToString(CultureInfo.InvariantCulture);
}
