using SimpleRnnTorch.Data;
using SimpleRnnTorch.Evaluation;
using SimpleRnnTorch.Runs;
using SimpleRnnTorch.Sources;

namespace SimpleRnnTorch.Tests;

/// <summary>
/// What the tests read of a run's outcome, by the source they gave it. The program itself never asks: each
/// source's command-line part renders its own outcome.
/// </summary>
internal static class RunOutcomes
{
    extension(TrainingRun run)
    {
        /// <summary>The lesson's evaluation sets; empty for other sources, when skipped or stopped short.</summary>
        public IReadOnlyList<EvaluationResult> Evaluation => (run.Outcome as LessonOutcome)?.Sets ?? [];

        /// <summary>A series run's one-step predictions, baselines and forecast.</summary>
        public SeriesOutcome? Series => (run.Outcome as SeriesForecastOutcome)?.Result;

        /// <summary>The adding task's test MSE beside the constant guess's.</summary>
        public AddingScore? AddingScore => AddingData.Score(run.Outcome);
    }
}
