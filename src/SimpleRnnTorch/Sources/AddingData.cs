using System.Diagnostics;
using SimpleRnnTorch.Data;
using SimpleRnnTorch.Evaluation;
using SimpleRnnTorch.Model;
using SimpleRnnTorch.Scaling;
using static TorchSharp.torch;

namespace SimpleRnnTorch.Sources;

/// <summary>
/// The adding problem (<see cref="AddingProblem"/>): T steps of (value, marker), the target the sum of the
/// two marked values; two features a step and no scaling (values and sums are already near [0, 2]).
/// Afterwards the test MSE on fresh sequences beside the constant guess's (<see cref="AddingScore"/>).
/// </summary>
/// <param name="EvalCount">Fresh sequences the test MSE is measured on after training; 0 skips it.</param>
internal sealed record AddingData(int Count = 8000, int TimeSteps = AddingData.DefaultTimeSteps, int EvalCount = 0) : DataSource
{
    /// <summary>Long enough for the simple RNN to fail.</summary>
    public const int DefaultTimeSteps = 50;

    // Checked in every init, `with` included: an adding problem that cannot be generated cannot be built.
    public int Count
    {
        get;
        init => field = CheckCount(value);
    } = CheckCount(Count);

    public override int TimeSteps
    {
        get;
    } = TimeSteps >= AddingProblem.MinTimeSteps
        ? TimeSteps
        : throw new ArgumentOutOfRangeException(nameof(TimeSteps), TimeSteps, $"at least {AddingProblem.MinTimeSteps} (one marker in each half)");

    public int EvalCount
    {
        get;
        init => field = CheckEvalCount(value);
    } = CheckEvalCount(EvalCount);

    private static int CheckCount(int count) => count >= 2 ? count : throw new ArgumentOutOfRangeException(nameof(Count), count, "at least 2 sequences");

    private static int CheckEvalCount(int count) => count >= 0 ? count : throw new ArgumentOutOfRangeException(nameof(EvalCount), count, "0 or more");

    public override int Features => AddingProblem.Features;

    public override IReadOnlyList<string> FileNames => [];

    public override int? Samples => Count;

    public override DataSource WithSamples(int count) => this with { Count = count };

    public override PreparedData Prepare(long seed, double validationSplit, Device device)
    {
        var started = Stopwatch.GetTimestamp();
        var scaler = new GlobalScaler(1);
        var (inputs, targets) = AddingProblem.Generate(Count, TimeSteps, seed);
        TrainingData tensors;
        var first = DataSummary.FirstRow(inputs, targets); // unscaled: the adding problem's values are used as they are
        using (inputs)
        using (targets)
        {
            tensors = TrainingData.Split(inputs, targets, validationSplit, device);
        }

        return new PreparedData
        {
            Tensors = tensors,
            Scaler = scaler,
            Summary = DataSummary.Of(this, tensors, scaler, seed, validationSplit, first),
            Spec = new SequenceSpec(Count: Count, TimeSteps: TimeSteps),
            Task = SequenceTask.Adding,
            Duration = Stopwatch.GetElapsedTime(started),
        };
    }

    /// <summary>The score of a run of this source, when it was evaluated (null: skipped or stopped short).</summary>
    public static AddingScore? Score(DataOutcome? outcome) => (outcome as AddingOutcome)?.Score;

    public override DataOutcome? Evaluate(SequenceRegressor model, PreparedData data, EvaluationContext context) =>
        EvalCount > 0 ? new AddingOutcome(AddingEvaluation.Run(model, EvalCount, TimeSteps, context.Seed, context.Device)) : null;
}

/// <summary>The adding problem's evaluation: the test MSE beside the constant guess's.</summary>
internal sealed record AddingOutcome(AddingScore Score) : DataOutcome;
