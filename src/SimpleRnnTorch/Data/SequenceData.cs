using TorchSharp;
using static TorchSharp.torch;

namespace SimpleRnnTorch.Data;

/// <summary>
/// Arithmetic sequences in original units: row i is [s, s+d, ..., s+T*d] with s drawn uniformly from
/// the integers in [StartMin, StartMax) and d = Step, or, when StepMax is above Step, d drawn per row
/// from the integers in [Step, StepMax]. The first T columns are the inputs, the last one the target.
/// </summary>
internal sealed record SequenceSpec(int Count = 1000, int TimeSteps = 3, int Step = 10, int StartMin = 0, int StartMax = 100, int? StepMax = null)
{
    public string Describe() =>
        $"start in [{StartMin}, {StartMax}), step {(StepMax is { } max && max > Step ? $"in [{Step}, {max}]" : Step.ToString(System.Globalization.CultureInfo.InvariantCulture))}";
}

internal static class SequenceData
{
    /// <summary>
    /// Generates sequences straight into a tensor, shape (Count, TimeSteps + 1), dtype float32.
    /// The data has its own generator so that drawing it never disturbs the weight initialisation.
    /// </summary>
    public static Tensor Generate(SequenceSpec spec, long seed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(spec.Count, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(spec.TimeSteps, 1);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(spec.StartMax, spec.StartMin);
        using var generator = new Generator((ulong)seed);
        using var starts = randint(spec.StartMin, spec.StartMax, [spec.Count, 1], generator: generator, dtype: ScalarType.Float32);
        using var positions = arange(0, spec.TimeSteps + 1, dtype: ScalarType.Float32);
        if (spec.StepMax is { } max && max > spec.Step)
        {
            // Drawn after the starts, so a fixed step leaves the generator's stream (and old results) unchanged.
            using var steps = randint(spec.Step, max + 1L, [spec.Count, 1], generator: generator, dtype: ScalarType.Float32);
            return starts + (steps * positions);
        }

        using var offsets = positions.mul(spec.Step);
        return starts + offsets;
    }

    /// <summary>Splits (N, T+1) sequences into inputs (N, T) and targets (N).</summary>
    public static (Tensor Inputs, Tensor Targets) SplitInputsTargets(Tensor sequences)
    {
        var t = sequences.shape[1] - 1;
        return (sequences.narrow(1, 0, t), sequences.select(1, t));
    }
}
