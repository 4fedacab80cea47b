using static TorchSharp.torch;

namespace SimpleRnnTorch.Data;

/// <summary>How a scaler relates a window's values to the network's inputs.</summary>
internal enum ScalingKind
{
    /// <summary>Every value alike: (x − offset) / divisor.</summary>
    Global,

    /// <summary>Relative to each window's last value by difference: (x − last) / divisor; the network predicts the change.</summary>
    Difference,

    /// <summary>Relative to each window's last value by ratio: (x / last − 1) / divisor; the network predicts the growth. For positive series.</summary>
    Ratio,

    /// <summary>
    /// The inputs as <see cref="Difference"/>; the target relative to the window's value one season (the lag)
    /// before it: the network predicts the change from a season back, and one that learned nothing forecasts the
    /// seasonal naive plus the seasonal drift.
    /// </summary>
    Seasonal,
}

/// <summary>
/// How values become a network's inputs and targets and its outputs values again: networks with tanh units
/// train best on inputs near [-1, 1]. Three kinds (<see cref="ScalingKind"/>):
/// <list type="bullet">
/// <item>global: (x − <see cref="Offset"/>) / <see cref="Divisor"/> for every value: the lesson's fixed ÷100
/// (offset 0), and the standardisation that series models saved with a global scaling carry.</item>
/// <item>relative to each window's last value, by difference ((x − last) / divisor) or by ratio
/// ((x / last − 1) / divisor); the target likewise, less <see cref="Offset"/>, the training part's mean change
/// a step (its drift). The network sees the shape of the window and predicts the change beyond the drift, so a
/// level never seen in training is no problem, an untrained network forecasts the drift, and with a ratio a
/// seasonal swing that grows with the level is one shape. A series is scaled so (<see cref="ForWindows"/>).</item>
/// </list>
/// Saved with the model, so predict and the ONNX graph use the same scaling.
/// </summary>
/// <param name="Lag">For <see cref="ScalingKind.Seasonal"/>: the season m; the target's base is the window's value m steps before the target.</param>
internal sealed record SequenceScaler(double Divisor = SequenceScaler.DefaultDivisor, double Offset = 0, ScalingKind Kind = ScalingKind.Global, int Lag = 0)
{
    /// <summary>The lesson's ÷100.</summary>
    public const double DefaultDivisor = 100.0;

    /// <summary>True when each window is scaled relative to its own last value.</summary>
    public bool RelativeToLast => Kind != ScalingKind.Global;

    /// <summary>Inputs (N, T) or (N, T, F) and targets (N), scaled; a relative scaling uses each window's last value of feature 0.</summary>
    public (Tensor Inputs, Tensor Targets) Transform(Tensor inputs, Tensor targets)
    {
        if (!RelativeToLast)
        {
            return (Transform(inputs), Transform(targets));
        }

        using var last = Last(inputs);
        using var lastTarget = Base(inputs).reshape(targets.shape);
        using var change = Relative(targets, lastTarget);
        return (Relative(inputs, last), change - (Offset / Divisor));
    }

    /// <summary>Inputs (N, T, F) in original units, scaled as the network reads them.</summary>
    public Tensor TransformInputs(Tensor inputs)
    {
        if (!RelativeToLast)
        {
            return Transform(inputs);
        }

        using var last = Last(inputs);
        return Relative(inputs, last);
    }

    /// <summary>The network's outputs (N, 1) back in original units; <paramref name="inputs"/> are the (N, T, F) windows they continue, in original units.</summary>
    public Tensor InverseOutputs(Tensor outputs, Tensor inputs)
    {
        if (!RelativeToLast)
        {
            return Inverse(outputs);
        }

        using var last = Base(inputs);
        using var lastOutput = last.reshape(outputs.shape).to(outputs.dtype);
        return Kind == ScalingKind.Ratio ? lastOutput * ((outputs * Divisor) + (1 + Offset)) : (outputs * Divisor) + Offset + lastOutput;
    }

    private Tensor Relative(Tensor values, Tensor last) => Kind == ScalingKind.Ratio ? ((values / last) - 1) / Divisor : (values - last) / Divisor;

    /// <summary>What a target is relative to: the window's last value, or for a seasonal scaling its value a season before the target.</summary>
    private Tensor Base(Tensor inputs)
    {
        if (Kind != ScalingKind.Seasonal)
        {
            return Last(inputs);
        }

        var at = inputs.shape[1] - Lag;
        return inputs.dim() == 2 ? inputs.narrow(1, at, 1) : inputs.narrow(1, at, 1).narrow(2, 0, 1);
    }

    /// <summary>A target in original units as the network is trained on it, from the window before it.</summary>
    public double TransformTarget(double target, IReadOnlyList<double> window) => Kind switch
    {
        ScalingKind.Global => Transform(target),
        ScalingKind.Seasonal => (target - window[window.Count - Lag] - Offset) / Divisor,
        _ => Transform(target, window[^1]) - (Offset / Divisor),
    };

    /// <summary>Each window's last value of its first feature, shaped to broadcast over the window.</summary>
    private static Tensor Last(Tensor inputs) => inputs.dim() == 2
        ? inputs.narrow(1, inputs.shape[1] - 1, 1)
        : inputs.narrow(1, inputs.shape[1] - 1, 1).narrow(2, 0, 1);

    // With offset 0 the subtraction is skipped, not merely exact: the lesson's tensors go through a
    // division alone, which keeps its histories bit-identical across versions of this file.
    /// <summary>Every value scaled alike: the global scaling only (a relative one needs each window's last value).</summary>
    public Tensor Transform(Tensor values) => !RelativeToLast
        ? Offset == 0 ? values / Divisor : (values - Offset) / Divisor
        : throw new InvalidOperationException("a relative scaling transforms windows: use Transform(inputs, targets)");

    /// <inheritdoc cref="Transform(Tensor)"/>
    public Tensor Inverse(Tensor scaled) => !RelativeToLast
        ? Offset == 0 ? scaled * Divisor : (scaled * Divisor) + Offset
        : throw new InvalidOperationException("a relative scaling inverts outputs with their windows: use InverseOutputs");

    /// <summary>One value, globally scaled; relative to a window's last value <paramref name="last"/> otherwise (an input's scaling: no drift).</summary>
    public double Transform(double value, double last = 0) => Kind switch
    {
        ScalingKind.Difference or ScalingKind.Seasonal => (value - last) / Divisor,
        ScalingKind.Ratio => ((value / last) - 1) / Divisor,
        _ => (value - Offset) / Divisor,
    };

    /// <summary>An input back from <see cref="Transform(double, double)"/>.</summary>
    public double Inverse(double scaled, double last = 0) => Kind switch
    {
        ScalingKind.Difference or ScalingKind.Seasonal => (scaled * Divisor) + last,
        ScalingKind.Ratio => last * ((scaled * Divisor) + 1),
        _ => (scaled * Divisor) + Offset,
    };

    /// <summary>
    /// The relative scaling of a series' windows: the divisor is the standard deviation of every training
    /// window's values and target relative to its last value (difference or ratio − 1), in float64, 1 when they
    /// do not spread; the offset is the mean of the targets so made relative: the mean change a step.
    /// </summary>
    public static SequenceScaler ForWindows(ReadOnlySpan<float> trainingValues, int timeSteps, ScalingKind kind = ScalingKind.Difference, int lag = 0)
    {
        if (kind == ScalingKind.Global)
        {
            throw new ArgumentException("a window scaling is relative", nameof(kind));
        }

        if (kind == ScalingKind.Seasonal && (lag < 1 || lag > timeSteps))
        {
            throw new ArgumentOutOfRangeException(nameof(lag), lag, $"a seasonal scaling needs a season in [1, {timeSteps}], the window");
        }

        double sum = 0, squares = 0, drift = 0;
        long n = 0, windows = 0;
        for (var w = 0; w + timeSteps < trainingValues.Length; w++)
        {
            double last = trainingValues[w + timeSteps - 1];
            for (var i = w; i <= w + timeSteps; i++)
            {
                var d = kind == ScalingKind.Ratio ? (trainingValues[i] / last) - 1 : trainingValues[i] - last;
                sum += d;
                squares += d * d;
                n++;
            }

            double targetBase = kind == ScalingKind.Seasonal ? trainingValues[w + timeSteps - lag] : last;
            drift += kind == ScalingKind.Ratio ? (trainingValues[w + timeSteps] / last) - 1 : trainingValues[w + timeSteps] - targetBase;
            windows++;
        }

        if (n == 0)
        {
            throw new ArgumentException("Cannot fit a scaler on no windows.", nameof(trainingValues));
        }

        var mean = sum / n;
        var std = Math.Sqrt(Math.Max(0, (squares / n) - (mean * mean)));
        return new SequenceScaler(std > 0 && double.IsFinite(std) ? std : 1, drift / windows, kind, kind == ScalingKind.Seasonal ? lag : 0);
    }
}
