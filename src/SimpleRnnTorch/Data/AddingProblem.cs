using TorchSharp;
using static TorchSharp.torch;

namespace SimpleRnnTorch.Data;

/// <summary>
/// The adding problem (Hochreiter &amp; Schmidhuber 1997, experiment 4), a task that can only be solved by
/// remembering: every sequence has T steps of two features, a value drawn uniformly from [0, 1) and a
/// marker that is 1 at exactly two steps and 0 elsewhere; the target is the sum of the two marked values.
/// <para>
/// Marker placement follows Arjovsky, Shah &amp; Bengio 2016, "Unitary Evolution Recurrent Neural Networks"
/// (section 4.2), as Li et al. 2018 (IndRNN) do too: the first marker uniformly at random in the first half
/// of the sequence, steps [0, T/2), the second in the second half, steps [T/2, T) (T/2 rounded down). So the
/// first marked value is always at least T/2 steps before the end: the network must carry it that far.
/// (The 1997 original puts the first marker among the first ten steps and scales the target; we do not.)
/// </para>
/// <para>
/// A model that has learned nothing predicts the mean, 1: the sum of two independent uniform values has
/// variance 2/12, so that guess scores an MSE of 1/6 ≈ 0.167 (<see cref="ConstantGuessMse"/>). A test MSE
/// below ~0.01 means the network remembers the marked values.
/// </para>
/// </summary>
internal static class AddingProblem
{
    /// <summary>Value and marker.</summary>
    public const int Features = 2;

    /// <summary>One step in each half.</summary>
    public const int MinTimeSteps = 2;

    /// <summary>The expected MSE of the constant guess 1: Var(U1 + U2) = 2 × 1/12.</summary>
    public const double ConstantGuessMse = 1.0 / 6.0;

    /// <summary>Below this test MSE a model counts as having learned to remember (the chapter's threshold).</summary>
    public const double LearnedMse = 0.01;

    /// <summary>
    /// <paramref name="count"/> sequences of <paramref name="timeSteps"/> steps: inputs (count, T, 2) with
    /// the value in feature 0 and the marker in feature 1, targets (count, 1); float32, on the CPU. The
    /// data has its own generator, as <see cref="SequenceData"/> does, so drawing it never disturbs the
    /// weight initialisation.
    /// </summary>
    public static (Tensor Inputs, Tensor Targets) Generate(int count, int timeSteps, long seed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(timeSteps, MinTimeSteps);
        using var scope = NewDisposeScope();
        using var generator = new Generator((ulong)seed);
        var half = timeSteps / 2;
        var values = rand([count, timeSteps], generator: generator, dtype: ScalarType.Float32);
        var first = randint(0, half, [count, 1], generator: generator, dtype: ScalarType.Int64);
        var second = randint(half, timeSteps, [count, 1], generator: generator, dtype: ScalarType.Int64);
        var positions = cat([first, second], 1);
        var markers = zeros([count, timeSteps], dtype: ScalarType.Float32).scatter_(1, positions, ones([count, 2], dtype: ScalarType.Float32));
        var inputs = stack([values, markers], 2);                                // (count, T, 2)
        var targets = values.gather(1, positions).sum(1, keepdim: true);         // (count, 1)
        return (inputs.MoveToOuterDisposeScope(), targets.MoveToOuterDisposeScope());
    }
}
