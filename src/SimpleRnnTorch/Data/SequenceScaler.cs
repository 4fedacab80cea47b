using static TorchSharp.torch;

namespace SimpleRnnTorch.Data;

/// <summary>
/// The lesson's scaling: every value divided by a constant (100). Networks with tanh units train best on
/// inputs near [-1, 1]; <see cref="Inverse(double)"/> turns predictions back into original units.
/// </summary>
internal sealed record SequenceScaler(double Divisor = SequenceScaler.DefaultDivisor)
{
    /// <summary>The lesson's ÷100.</summary>
    public const double DefaultDivisor = 100.0;

    public Tensor Transform(Tensor values) => values / Divisor;

    public Tensor Inverse(Tensor scaled) => scaled * Divisor;

    public double Transform(double value) => value / Divisor;

    public double Inverse(double scaled) => scaled * Divisor;
}
