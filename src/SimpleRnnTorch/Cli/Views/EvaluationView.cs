using System.Globalization;
using SimpleRnnTorch.Data;
using SimpleRnnTorch.Prediction;
using SimpleRnnTorch.Cli;
using SimpleRnnTorch.Evaluation;
using Spectre.Console;

namespace SimpleRnnTorch.Cli.Views;

/// <summary>The evaluation and generalisation table printed after training.</summary>
internal static class EvaluationView
{
    public static void Write(IAnsiConsole console, IReadOnlyList<EvaluationResult> results, SequenceSpec training, long seed)
    {
        var table = new Table
        {
            Border = TableBorder.Square,
            Title = new TableTitle(Markup.Escape($"Evaluation in original units: {results[0].Metrics.Count} fresh sequences per set, seed {seed} (trained on {training.Describe()})")),
        };
        table.AddColumn("set");
        foreach (var column in new[] { "MSE", "MAE", "worst |error|", "within ±0.5", "within ±1", "worst case" })
        {
            table.AddColumn(column == "worst case" ? new TableColumn(column) : new TableColumn(column).RightAligned());
        }

        foreach (var r in results)
        {
            var m = r.Metrics;
            table.AddRow(
                Markup.Escape(r.Set.Name),
                Number(m.Mse),
                Number(m.Mae),
                Number(m.WorstAbsError),
                Percent(m.WithinHalf),
                Percent(m.WithinOne),
                Markup.Escape($"{SequenceText.Format(m.WorstInput)} -> {m.WorstPrediction.ToString("F1", CultureInfo.InvariantCulture)}, not {m.WorstTarget.ToString("0.##", CultureInfo.InvariantCulture)}"));
        }

        console.Write(table);
    }

    private static string Percent(double share) => (share * 100).ToString("0.#", CultureInfo.InvariantCulture) + "%";

    private static string Number(double value) =>
        Math.Abs(value) is >= 0.01 and < 1e5 || value == 0
            ? value.ToString("0.###", CultureInfo.InvariantCulture)
            : value.ToString("0.##e+0", CultureInfo.InvariantCulture);
}
