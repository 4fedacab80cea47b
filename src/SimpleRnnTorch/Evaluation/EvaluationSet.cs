using SimpleRnnTorch.Data;

namespace SimpleRnnTorch.Evaluation;

/// <summary>What an evaluation set measures, so that code picks a set by its meaning, not by its position.</summary>
internal enum EvaluationSetKind
{
    /// <summary>The training distribution, drawn with another seed: measures the fit.</summary>
    Test,

    /// <summary>Starts beyond any the network was trained on: measures extrapolation.</summary>
    LargerStarts,

    /// <summary>Another step than the training's: measures whether it learned "add the step".</summary>
    OtherStep,
}

/// <summary>A named family of sequences to measure a model on; the name is meant for a table row.</summary>
internal sealed record EvaluationSet(string Name, EvaluationSetKind Kind, SequenceSpec Spec)
{
    /// <summary>Sequences per set after a training run (`--eval-count`).</summary>
    public const int DefaultCount = 1000;

    /// <summary>
    /// The training distribution, then sets that each move one thing away from it: larger starts (inputs
    /// beyond any the network was trained on), a smaller and a larger step. Every set keeps the
    /// training's TimeSteps, so that each differs from the training data only in what its name says.
    /// <para>
    /// "test" differs from the training data only by the seed it is drawn with, which the caller must
    /// choose different from the training seed. Even then it is not unseen data in the strict sense:
    /// with integer starts in [0, 100) there are only 100 distinct sequences, and 1000 training draws
    /// cover practically all of them. "test" measures the fit; the other sets measure generalisation.
    /// </para>
    /// </summary>
    public static IReadOnlyList<EvaluationSet> Standard(SequenceSpec training, int count = DefaultCount)
    {
        ArgumentNullException.ThrowIfNull(training);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        var baseline = training with { Count = count };
        return
        [
            new("test", EvaluationSetKind.Test, baseline),
            Starts(baseline, 100, 200),
            Starts(baseline, 500, 1000),
            Step(baseline, 5),
            Step(baseline, 20),
        ];
    }

    // Names come from the spec itself, so a row label can never disagree with the data behind it.
    // StartMax is exclusive, as in SequenceSpec: "starts 100-200" draws from 100 to 199.
    private static EvaluationSet Starts(SequenceSpec spec, int min, int max) =>
        new($"starts {min}-{max}", EvaluationSetKind.LargerStarts, spec with { StartMin = min, StartMax = max });

    private static EvaluationSet Step(SequenceSpec spec, int step) =>
        new($"step {step}", EvaluationSetKind.OtherStep, spec with { Step = step, StepMax = null });
}
