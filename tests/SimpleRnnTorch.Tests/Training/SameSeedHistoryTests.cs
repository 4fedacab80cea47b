using System.Globalization;
using SimpleRnnTorch.Model;
using SimpleRnnTorch.Reporting;
using SimpleRnnTorch.Runs;
using SimpleRnnTorch.Training;

namespace SimpleRnnTorch.Tests.Training;

/// <summary>
/// The same seed gives the same history, epoch for epoch and bit for bit, for three runs recorded in
/// Golden/: the default lesson (`dotnet run`), a GRU with the plateau schedule and early stopping
/// (`--cell gru --schedule plateau --patience 3 --epochs 40`), and the adding task (`--task adding
/// --epochs 3`). Every column is compared as written, except the epoch's wall time.
/// </summary>
[Collection(TorchCollection.Name)]
public sealed class SameSeedHistoryTests
{
    public static TheoryData<string> Runs => ["default", "gru-plateau-patience3-epochs40", "adding-epochs3"];

    [Theory]
    [MemberData(nameof(Runs))]
    public void A_recorded_run_gives_the_same_history(string name)
    {
        var job = name switch
        {
            "default" => new TrainJob(),
            "gru-plateau-patience3-epochs40" => new TrainJob
            {
                Model = new ModelSpec(Cell: CellKind.Gru),
                Training = new TrainingConfig { Schedule = LearningRateSchedule.Plateau, Patience = 3, Epochs = 40 },
            },
            _ => TrainJob.Adding() with { Training = TrainJob.Adding().Training with { Epochs = 3 } },
        };

        using var run = TrainingPipeline.Run(job with { Predict = [] });

        var expected = File.ReadAllLines(Path.Combine(TestPaths.RepoRoot, "tests", "SimpleRnnTorch.Tests", "Training", "Golden", name + ".csv"));
        var actual = HistoryCsv.Format(run.History).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(expected.Select(WithoutSeconds), actual.Select(WithoutSeconds));
    }

    private static string WithoutSeconds(string line)
    {
        var cells = line.Split(',');
        var seconds = Array.IndexOf(HistoryColumns, "seconds");
        return string.Join(',', cells.Where((_, i) => i != seconds));
    }

    private static readonly string[] HistoryColumns = ["epoch", "loss", "val_loss", "lr", "seconds", "best"];
}
