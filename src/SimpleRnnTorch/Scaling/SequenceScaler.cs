using SimpleRnnTorch.Inference;
using static TorchSharp.torch;

namespace SimpleRnnTorch.Scaling;

/// <summary>
/// How values become a network's inputs and targets, and its outputs values again (tanh units train best on
/// inputs near [-1, 1]). One closed set of kinds (<see cref="ScalingKind"/>), one type each, and each type is the
/// whole definition of its kind, on all three paths a value takes:
/// <list type="bullet">
/// <item>tensors: training data (<see cref="Transform"/>) and predictions in libtorch (<see cref="TransformInputs"/>,
/// <see cref="InverseOutputs"/>);</item>
/// <item>one window in doubles: what the narration shows and tests compare (<see cref="TransformTarget"/>,
/// <see cref="InverseOutput"/>);</item>
/// <item>the ONNX graph: the nodes before and after the network (<see cref="AddInputNodes"/>,
/// <see cref="AddOutputNodes"/>), so the exported model takes and gives original units.</item>
/// </list>
/// A new kind is one more file here; ScalingTests check that the three paths agree for every kind.
/// </summary>
internal abstract record SequenceScaler
{
    /// <summary>The lesson's ÷100.</summary>
    public const double DefaultDivisor = 100.0;

    private protected SequenceScaler(double divisor, double offset)
    {
        Divisor = divisor;
        Offset = offset;
    }

    public double Divisor { get; }

    /// <summary>Global: the value subtracted before dividing. Relative: the training part's mean change a step (the drift), added back to every output.</summary>
    public double Offset { get; }

    public abstract ScalingKind Kind { get; }

    /// <summary>
    /// The least value an output may take, or null: a series whose training part is never negative (counts, prices,
    /// sunspots) has its outputs floored at 0 on every path, so no forecast of it goes below 0.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public double? Floor { get; init; }

    /// <summary>
    /// For training only, not saved: the largest change a training target may have from its base, in divisors (+∞: none);
    /// <see cref="ForWindows"/> sets it where a series has wild values (<see cref="RelativeScaler"/> clips there).
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public double TargetBound { get; init; } = double.PositiveInfinity;

    /// <summary>How far back the target's base is: the season of a <see cref="SeasonalScaler"/>, 1 or a season for a <see cref="SpreadScaler"/>; 0 for the others.</summary>
    public virtual int Lag => 0;

    /// <summary>The kind's one name: the manifest's and the ONNX metadata's "scaling" (not kept again in the manifest's "scaler").</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public string Name => Kind.ToString().ToLowerInvariant();

    /// <summary>True when each window is scaled relative to its own values.</summary>
    public bool RelativeToLast => Kind != ScalingKind.Global;

    /// <summary>The scaler a manifest or a metadata map describes.</summary>
    public static SequenceScaler Of(ScalingKind kind, double divisor, double offset = 0, int lag = 0, double? floor = null) => (kind switch
    {
        ScalingKind.Global => (SequenceScaler)new GlobalScaler(divisor, offset),
        ScalingKind.Difference => new DifferenceScaler(divisor, offset),
        ScalingKind.Ratio => new RatioScaler(divisor, offset),
        ScalingKind.Seasonal => new SeasonalScaler(divisor, offset, lag),
        ScalingKind.Spread => new SpreadScaler(divisor, offset, lag),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    }) with { Floor = floor };

    // ---- tensors ----

    /// <summary>Inputs (N, T) or (N, T, F) and targets (N), in original units, scaled for training.</summary>
    public abstract (Tensor Inputs, Tensor Targets) Transform(Tensor inputs, Tensor targets);

    /// <summary>Inputs (N, T, F) in original units, scaled as the network reads them.</summary>
    public abstract Tensor TransformInputs(Tensor inputs);

    /// <summary>The network's outputs (N, 1) back in original units, not below <see cref="Floor"/>; <paramref name="inputs"/> are the (N, T, F) windows they continue, in original units.</summary>
    public Tensor InverseOutputs(Tensor outputs, Tensor inputs)
    {
        var restored = RestoreOutputs(outputs, inputs);
        if (Floor is not { } floor)
        {
            return restored;
        }

        using (restored)
        {
            return restored.clamp_min(floor);
        }
    }

    /// <summary>The kind's inverse of the outputs, before the floor.</summary>
    private protected abstract Tensor RestoreOutputs(Tensor outputs, Tensor inputs);

    /// <summary>The window's value <paramref name="back"/> steps from its end (1: the last), feature 0, shaped to broadcast over the window.</summary>
    private protected static Tensor Step(Tensor inputs, int back)
    {
        var at = inputs.shape[1] - back;
        return inputs.dim() == 2 ? inputs.narrow(1, at, 1) : inputs.narrow(1, at, 1).narrow(2, 0, 1);
    }

    // ---- one window ----

    /// <summary>A target in original units as the network is trained on it, from the window (one feature) before it.</summary>
    public abstract double TransformTarget(double target, IReadOnlyList<double> window);

    /// <summary>A network's output for <paramref name="window"/> in original units, not below <see cref="Floor"/>.</summary>
    public double InverseOutput(double output, IReadOnlyList<double> window) =>
        Floor is { } floor ? Math.Max(floor, RestoreOutput(output, window)) : RestoreOutput(output, window);

    /// <summary>The kind's inverse of one output, before the floor.</summary>
    private protected abstract double RestoreOutput(double output, IReadOnlyList<double> window);

    /// <summary>Why a window cannot be fed to a model of this scaling, or null (the inference library's rule, shared).</summary>
    public string? WindowProblem(ReadOnlySpan<float> window) => OnnxModelInfo.WindowProblem(Name, window);

    // ---- the ONNX graph ----

    /// <summary>
    /// Adds the nodes from the graph's input (N, T, F) in original units to what the network reads; returns that
    /// tensor's name. Writes the "scale_divisor" initializer, which <see cref="AddOutputNodes"/> reuses.
    /// </summary>
    public string AddInputNodes(OnnxGraph graph, string input)
    {
        var divisor = (float)Divisor;
        if (!float.IsFinite(divisor) || divisor == 0)
        {
            throw new ArgumentException($"scale divisor {Divisor} cannot be used in float32");
        }

        if (!float.IsFinite((float)Offset))
        {
            throw new ArgumentException($"scale offset {Offset} cannot be used in float32");
        }

        graph.Float("scale_divisor", divisor);
        var centered = AddCentering(graph, input);
        graph.Node("Div", "scale", [centered, "scale_divisor"], ["scaled"]);
        return "scaled";
    }

    /// <summary>Adds the nodes from the network's output (N, 1) to <paramref name="output"/> in original units, given the graph's input.</summary>
    public void AddOutputNodes(OnnxGraph graph, string networkOutput, string input, string output)
    {
        var restores = AddsRestoring;
        var restored = Floor is null ? output : "restored";
        graph.Node("Mul", "unscale", [networkOutput, "scale_divisor"], [restores ? "unscaled" : restored]);
        if (restores)
        {
            AddRestoring(graph, "unscaled", input, restored);
        }

        if (Floor is { } floor)
        {
            graph.Float("output_floor", (float)floor);
            graph.Node("Max", "floor", [restored, "output_floor"], [output]);
        }
    }

    /// <summary>The nodes before the division: returns the name of the tensor to divide.</summary>
    private protected abstract string AddCentering(OnnxGraph graph, string input);

    /// <summary>Whether anything follows the multiplication by the divisor (<see cref="AddRestoring"/>).</summary>
    private protected abstract bool AddsRestoring { get; }

    private protected abstract void AddRestoring(OnnxGraph graph, string unscaled, string input, string output);

    /// <summary>
    /// The relative scaling of a series' windows: the divisor is the standard deviation of every training
    /// window's values and target relative to its last value (difference or ratio − 1), in float64, 1 when they
    /// do not spread; the offset is the mean of the targets so made relative (to the value a season back for a
    /// seasonal scaling): the mean change a step. Both leave out values further than <see cref="MaxChangeSigmas"/> robust
    /// standard deviations from their base (<see cref="RobustSigma"/>), so that one wild value (a typo of 1e6 in a series of hundreds)
    /// does not set the divisor: unclipped, it made it a thousand times the series' own, and the network's small bias,
    /// times that divisor, a forecast climbing by a fifth of the level a step. A regular series has nothing that far
    /// out, and its scaling is what it was without the bound. The training targets are clipped there too
    /// (<see cref="RelativeScaler"/>).
    /// </summary>
    /// <remarks>A training part with no negative value gives a <see cref="Floor"/> of 0.</remarks>
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

        // Values further out than the bound are left out of both statistics (none, in a regular series).
        var bound = MaxChangeSigmas * RobustSigma(trainingValues, timeSteps, kind);
        double sum = 0, squares = 0, drift = 0;
        long n = 0, windows = 0;
        for (var w = 0; w + timeSteps < trainingValues.Length; w++)
        {
            double last = trainingValues[w + timeSteps - 1];
            for (var i = w; i <= w + timeSteps; i++)
            {
                var d = Relative(kind, trainingValues[i], last);
                if (Math.Abs(d) <= bound)
                {
                    sum += d;
                    squares += d * d;
                    n++;
                }
            }

            double targetBase = kind == ScalingKind.Seasonal ? trainingValues[w + timeSteps - lag] : last;
            var change = Relative(kind, trainingValues[w + timeSteps], targetBase);
            if (Math.Abs(change) <= bound)
            {
                drift += change;
                windows++;
            }
        }

        if (n == 0)
        {
            throw new ArgumentException("Cannot fit a scaler on no windows.", nameof(trainingValues));
        }

        var mean = sum / n;
        var std = Math.Sqrt(Math.Max(0, (squares / n) - (mean * mean)));
        var neverNegative = true;
        foreach (var v in trainingValues)
        {
            neverNegative &= v >= 0;
        }

        var divisor = std > 0 && double.IsFinite(std) ? std : StillDivisor(trainingValues, kind);
        return Of(kind, divisor, windows > 0 ? drift / windows : 0, kind == ScalingKind.Seasonal ? lag : 0, neverNegative ? 0 : null) with { TargetBound = bound / divisor };
    }

    /// <summary>
    /// The divisor of a series that never changes (no spread of relative values): a thousandth of its size, so that the
    /// network's noise stays far below the series' own scale (by 1, a constant 1e-6 was forecast at half of it); 1 for a
    /// ratio (already relative) or a series of zeros.
    /// </summary>
    private static double StillDivisor(ReadOnlySpan<float> trainingValues, ScalingKind kind)
    {
        double size = 0;
        foreach (var v in trainingValues)
        {
            size += Math.Abs((double)v) / trainingValues.Length;
        }

        return kind == ScalingKind.Ratio || !(size > 0) ? 1 : size * 1e-3;
    }

    /// <summary>
    /// How far, in robust standard deviations of the training windows' relative values, a value or a training target may
    /// be from its base before the statistics leave it out and the training clips it (<see cref="ForWindows"/>): far beyond
    /// anything a regular series holds (a normal value is past 20 standard deviations with a probability below 1e-80).
    /// </summary>
    public const double MaxChangeSigmas = 20;

    /// <summary>At most this many relative values estimate <see cref="RobustSigma"/>: evenly spaced, so a long series costs no more.</summary>
    private const int SigmaSample = 100_000;

    /// <summary>A value relative to a base: its difference, or its ratio − 1.</summary>
    private static double Relative(ScalingKind kind, double value, double baseValue) => kind == ScalingKind.Ratio ? (value / baseValue) - 1 : value - baseValue;

    /// <summary>
    /// A standard deviation of the training windows' relative values that a few wild values cannot move: the 90th
    /// percentile of their magnitudes over 1.6449 (the normal distribution's), from at most <see cref="SigmaSample"/> of them
    /// evenly spaced. A few wild values are held (each spoils about two windows' worth of relative values: 12 in 300 are,
    /// 15 are not, docs/series.md); a series where more are on another scale (quiet, then a steep trend, or a sharp
    /// season) has its 90th percentile there, and nothing is left out. +∞ (nothing is) where that percentile is 0, as
    /// in a series that mostly stands still (intermittent sales).
    /// </summary>
    internal static double RobustSigma(ReadOnlySpan<float> trainingValues, int timeSteps, ScalingKind kind)
    {
        var total = (long)Math.Max(0, trainingValues.Length - timeSteps) * (timeSteps + 1);
        var stride = Math.Max(1, (total + SigmaSample - 1) / SigmaSample);
        var magnitudes = new List<double>((int)Math.Min(total, SigmaSample + 1));
        long k = 0;
        for (var w = 0; w + timeSteps < trainingValues.Length; w++)
        {
            double last = trainingValues[w + timeSteps - 1];
            for (var i = w; i <= w + timeSteps; i++, k++)
            {
                if (k % stride == 0)
                {
                    magnitudes.Add(Math.Abs(Relative(kind, trainingValues[i], last)));
                }
            }
        }

        return RobustSigma(magnitudes);
    }

    /// <summary><see cref="RobustSigma(ReadOnlySpan{float}, int, ScalingKind)"/> of magnitudes (sorted here): their 90th percentile / 1.6449, or +∞ where that is 0 or there are none.</summary>
    internal static double RobustSigma(List<double> magnitudes)
    {
        if (magnitudes.Count == 0)
        {
            return double.PositiveInfinity;
        }

        magnitudes.Sort();
        var q90 = magnitudes[(int)Math.Ceiling(0.9 * magnitudes.Count) - 1];
        return q90 > 0 && double.IsFinite(q90) ? q90 / 1.6449 : double.PositiveInfinity;
    }
}
