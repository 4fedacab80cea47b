using System.Diagnostics;
using SimpleRnnTorch.Data;
using SimpleRnnTorch.Evaluation;
using SimpleRnnTorch.Model;
using SimpleRnnTorch.Reporting;
using SimpleRnnTorch.Scaling;
using static TorchSharp.torch;

namespace SimpleRnnTorch.Sources;

/// <summary>
/// The lesson: arithmetic sequences [s, s+d, ..., s+(T-1)d] → s+Td (<see cref="SequenceData"/>), one
/// feature a step, divided by <see cref="Divisor"/>; afterwards the standard evaluation sets
/// (<see cref="EvaluationSet.Standard"/>) and predictions.png.
/// </summary>
/// <param name="EvalCount">Sequences per evaluation set after training; 0 skips the evaluation.</param>
internal sealed record LessonData(SequenceSpec Spec, double Divisor = SequenceScaler.DefaultDivisor, int EvalCount = 0) : DataSource
{
    public LessonData()
        : this(new SequenceSpec())
    {
    }

    // Checked in every init, `with` included: a lesson that cannot be generated cannot be built.
    public SequenceSpec Spec
    {
        get;
        init => field = CheckSpec(value);
    } = CheckSpec(Spec);

    public double Divisor
    {
        get;
        init => field = CheckDivisor(value);
    } = CheckDivisor(Divisor);

    public int EvalCount
    {
        get;
        init => field = CheckCount(value);
    } = CheckCount(EvalCount);

    private static SequenceSpec CheckSpec(SequenceSpec spec) => spec is { TimeSteps: >= 1, Count: >= 1 } && spec.StartMax > spec.StartMin
        ? spec
        : throw new ArgumentOutOfRangeException(nameof(Spec), spec, "at least one sequence of at least one step, and StartMax above StartMin");

    private static double CheckDivisor(double divisor) =>
        double.IsFinite(divisor) && divisor > 0 ? divisor : throw new ArgumentOutOfRangeException(nameof(Divisor), divisor, "a positive number");

    private static int CheckCount(int count) => count >= 0 ? count : throw new ArgumentOutOfRangeException(nameof(EvalCount), count, "0 or more");

    public override int Features => 1;

    public override int TimeSteps => Spec.TimeSteps;

    public override IReadOnlyList<string> FileNames => EvalCount > 0 ? [PredictionPlot.FileName] : [];

    /// <summary>The lesson's question, [50, 60, 70], stretched to T values.</summary>
    public override IReadOnlyList<double[]> DefaultQuestions => [Question(TimeSteps)];

    public static double[] Question(int timeSteps) => Enumerable.Range(0, timeSteps).Select(i => 50.0 + (10 * i)).ToArray();

    public override int? Samples => Spec.Count;

    public override DataSource WithSamples(int count) => this with { Spec = Spec with { Count = count } };

    public override PreparedData Prepare(long seed, double validationSplit, Device device)
    {
        var started = Stopwatch.GetTimestamp();
        var scaler = new GlobalScaler(Divisor);
        using var sequences = SequenceData.Generate(Spec, seed);
        var tensors = TrainingData.Create(sequences, scaler, validationSplit, device);
        return new PreparedData
        {
            Tensors = tensors,
            Scaler = scaler,
            Summary = DataSummary.Of(this, tensors, scaler, seed, validationSplit, DataSummary.FirstRow(sequences)),
            Spec = Spec,
            Task = SequenceTask.Arithmetic,
            Duration = Stopwatch.GetElapsedTime(started),
        };
    }

    public override DataOutcome? Evaluate(SequenceRegressor model, PreparedData data, EvaluationContext context)
    {
        if (EvalCount == 0)
        {
            return null;
        }

        return new LessonOutcome(Evaluator.RunAll(model, data.Scaler, EvaluationSet.Standard(Spec, EvalCount), context.Seed, context.Device), context.Seed);
    }
}

/// <summary>The lesson's evaluation: one result per standard set, drawn with <paramref name="Seed"/>.</summary>
internal sealed record LessonOutcome(IReadOnlyList<EvaluationResult> Sets, long Seed) : DataOutcome
{
    public override IReadOnlyList<OutcomeFile> Files => [new(PredictionPlot.FileName, () => PredictionPlot.Render(Sets))];
}
