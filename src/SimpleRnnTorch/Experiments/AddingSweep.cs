using SimpleRnnTorch.Data;
using SimpleRnnTorch.Evaluation;
using SimpleRnnTorch.Model;
using SimpleRnnTorch.Runs;
using SimpleRnnTorch.Sources;
using SimpleRnnTorch.Training;

namespace SimpleRnnTorch.Experiments;

/// <summary>
/// The chapter's comparison: which sequence lengths T, which cells, which seeds, and the job every run
/// starts from (the adding task's defaults, <see cref="TrainJob.Adding"/>). Every run gets the same
/// budget: the same sequences, epochs and batch, so the same number of optimiser steps, whatever its T.
/// </summary>
internal sealed record AddingSweepPlan
{
    public IReadOnlyList<int> TimeSteps { get; init; } = [5, 10, 20, 50, 100];

    public IReadOnlyList<CellKind> Cells { get; init; } = [CellKind.Rnn, CellKind.Lstm, CellKind.Gru];

    public IReadOnlyList<long> Seeds { get; init; } = [1, 2, 3, 4, 5];

    /// <summary>The adding problem every run trains on, at each T (it must evaluate: EvalCount ≥ 1).</summary>
    public AddingData Data { get; init; } = new(EvalCount: EvaluationSet.DefaultCount);

    /// <summary>The model and training each run varies (cell, seed); its source is <see cref="Data"/> at the run's T.</summary>
    public TrainJob Job { get; init; } = TrainJob.Adding(evalCount: EvaluationSet.DefaultCount);

    public int Runs => TimeSteps.Count * Cells.Count * Seeds.Count;

    /// <summary>Optimiser steps per run: the same for every T.</summary>
    public long StepsPerRun
    {
        get
        {
            var trainCount = TrainingData.TrainCountFor(Data.Count, Job.Training.ValidationSplit);
            return Job.Training.Epochs * ((trainCount + Job.Training.BatchSize - 1) / Job.Training.BatchSize);
        }
    }
}

/// <summary>One trained model of the sweep. <see cref="Mse"/> is +∞ for a run whose loss became non-finite.</summary>
internal sealed record SweepRun(int TimeSteps, CellKind Cell, long Seed, double Mse, double ConstantGuessMse, double? ValidationLoss, TimeSpan TrainingTime, bool Diverged)
{
    public bool Learned => Mse < AddingProblem.LearnedMse;
}

/// <summary>One (T, cell) cell of the table: its runs over the seeds, their median test MSE and how many learned.</summary>
internal sealed record SweepPoint(int TimeSteps, CellKind Cell, IReadOnlyList<SweepRun> Runs)
{
    /// <summary>
    /// The middle test MSE (the mean of the two middle ones for an even count). Not interpolated as
    /// <see cref="Percentiles"/> does: a diverged run's +∞ would turn 0 × ∞ into NaN; here it is just the largest value.
    /// </summary>
    public double MedianMse
    {
        get
        {
            var sorted = Runs.Select(r => r.Mse).Order().ToArray();
            var middle = sorted.Length / 2;
            return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
        }
    }

    public int Learned => Runs.Count(r => r.Learned);
}

/// <summary>Runs an <see cref="AddingSweepPlan"/> through <see cref="TrainingPipeline"/>, console-free.</summary>
internal static class AddingSweep
{
    /// <param name="completed">Told about every run as it ends (progress, --json lines).</param>
    public static IReadOnlyList<SweepRun> Run(AddingSweepPlan plan, Action<SweepRun>? completed = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var adding = plan.Data;
        if (adding.EvalCount < 1)
        {
            throw new ArgumentException("a sweep trains adding-task jobs and evaluates them (EvalCount >= 1)", nameof(plan));
        }

        var runs = new List<SweepRun>(plan.Runs);
        foreach (var timeSteps in plan.TimeSteps)
        {
            foreach (var cell in plan.Cells)
            {
                foreach (var seed in plan.Seeds)
                {
                    var job = plan.Job with
                    {
                        Source = new AddingData(adding.Count, timeSteps, adding.EvalCount),
                        Model = plan.Job.Model with { Cell = cell },
                        Training = plan.Job.Training with { Seed = seed },
                        Artifacts = null,
                    };
                    using var run = TrainingPipeline.Run(job, cancellation: cancellation);
                    var stop = run.History.Stop.Reason;
                    if (stop == StopReason.Interrupted)
                    {
                        throw new OperationCanceledException("the sweep was interrupted");
                    }

                    var time = run.History.Epochs.Aggregate(TimeSpan.Zero, (sum, e) => sum + e.Duration);
                    var result = AddingData.Score(run.Outcome) is { } score
                        ? new SweepRun(timeSteps, cell, seed, score.Mse, score.ConstantGuessMse, run.History.Epochs[^1].ValidationLoss, time, false)
                        : new SweepRun(timeSteps, cell, seed, double.PositiveInfinity, double.NaN, null, time, true);
                    runs.Add(result);
                    completed?.Invoke(result);
                }
            }
        }

        return runs;
    }

    /// <summary>The table: one point per (T, cell), in the plan's order.</summary>
    public static IReadOnlyList<SweepPoint> Summarize(IEnumerable<SweepRun> runs) =>
        runs.GroupBy(r => (r.TimeSteps, r.Cell)).Select(g => new SweepPoint(g.Key.TimeSteps, g.Key.Cell, g.ToList())).ToList();
}
