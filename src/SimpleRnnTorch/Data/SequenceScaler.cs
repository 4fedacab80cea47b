using static TorchSharp.torch;

namespace SimpleRnnTorch.Data;

/// <summary>
/// An affine scaling, (x − <see cref="Offset"/>) / <see cref="Divisor"/>: networks with tanh units train
/// best on inputs near [-1, 1]; <see cref="Inverse(double)"/> turns predictions back into original units.
/// The lesson's is a fixed ÷100 (offset 0); a series is standardised with the mean and standard deviation
/// of its training part (<see cref="Standardize"/>). Saved with the model, so predict uses the same scale.
/// </summary>
internal sealed record SequenceScaler(double Divisor = SequenceScaler.DefaultDivisor, double Offset = 0)
{
    /// <summary>The lesson's ÷100.</summary>
    public const double DefaultDivisor = 100.0;

    // With offset 0 the subtraction is skipped, not merely exact: the lesson's tensors go through a
    // division alone, which keeps its histories bit-identical across versions of this file.
    public Tensor Transform(Tensor values) => Offset == 0 ? values / Divisor : (values - Offset) / Divisor;

    public Tensor Inverse(Tensor scaled) => Offset == 0 ? scaled * Divisor : (scaled * Divisor) + Offset;

    public double Transform(double value) => (value - Offset) / Divisor;

    public double Inverse(double scaled) => (scaled * Divisor) + Offset;

    /// <summary>
    /// Standardisation: the mean and the (population) standard deviation of <paramref name="values"/>, in
    /// float64. A constant part has no spread to divide by: it is only centred (divisor 1).
    /// </summary>
    public static SequenceScaler Standardize(ReadOnlySpan<float> values)
    {
        if (values.IsEmpty)
        {
            throw new ArgumentException("Cannot fit a scaler on no values.", nameof(values));
        }

        double sum = 0;
        foreach (var v in values)
        {
            sum += v;
        }

        var mean = sum / values.Length;
        double squares = 0;
        foreach (var v in values)
        {
            squares += (v - mean) * (v - mean);
        }

        var std = Math.Sqrt(squares / values.Length);
        return new SequenceScaler(std > 0 && double.IsFinite(std) ? std : 1, mean);
    }
}
