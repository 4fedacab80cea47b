namespace SimpleRnnTorch.Scaling;

/// <summary>
/// The kinds of <see cref="SequenceScaler"/>, one type each. The kind's name, lower case, is the one name it has
/// everywhere: the manifest's "scaling" (snake case JSON), the ONNX metadata's "scaling" and --scaling.
/// </summary>
internal enum ScalingKind
{
    /// <summary>Every value alike: (x − offset) / divisor (<see cref="GlobalScaler"/>).</summary>
    Global,

    /// <summary>Relative to each window's last value by difference (<see cref="DifferenceScaler"/>).</summary>
    Difference,

    /// <summary>Relative to each window's last value by ratio, for positive series (<see cref="RatioScaler"/>).</summary>
    Ratio,

    /// <summary>Inputs by difference; the target relative to the value a season before it (<see cref="SeasonalScaler"/>).</summary>
    Seasonal,

    /// <summary>Relative to each window's last value and divided by the window's own spread: a panel's one network (<see cref="SpreadScaler"/>).</summary>
    Spread,
}
