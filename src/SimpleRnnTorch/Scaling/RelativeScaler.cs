using static TorchSharp.torch;

namespace SimpleRnnTorch.Scaling;

/// <summary>
/// Each window relative to its own last value (<see cref="DifferenceScaler"/>, <see cref="RatioScaler"/>), its
/// target likewise relative to a base value of the window (the last, or a season back for
/// <see cref="SeasonalScaler"/>), less <see cref="SequenceScaler.Offset"/>: the training part's mean change (its
/// drift). The network sees the shape of the window and predicts the change beyond the drift, so a level never
/// seen in training is no problem and an untrained network forecasts the drift. One feature a step in the graph.
/// </summary>
internal abstract record RelativeScaler : SequenceScaler
{
    private protected RelativeScaler(double divisor, double drift)
        : base(divisor, drift)
    {
    }

    /// <summary>How far back from the window's end the target's base is: 1 for the last value, the season for a seasonal scaling.</summary>
    private protected virtual int BaseBack => 1;

    /// <summary>Values relative to <paramref name="last"/>, divided (tensors).</summary>
    private protected abstract Tensor Relative(Tensor values, Tensor last);

    /// <summary>A value relative to <paramref name="last"/>, divided (doubles).</summary>
    private protected abstract double Relative(double value, double last);

    /// <summary>An output (already × divisor and with the drift added back) on its base again.</summary>
    private protected abstract double Restore(double change, double baseValue);

    /// <summary>
    /// The training targets are clipped at <see cref="SequenceScaler.TargetBound"/> divisors from their base, where the
    /// divisor's statistics stopped (<see cref="SequenceScaler.ForWindows"/>): a wild value is one target among hundreds,
    /// not most of the loss. The inputs are not clipped (the exported graph reads them as they are).
    /// </summary>
    public override (Tensor Inputs, Tensor Targets) Transform(Tensor inputs, Tensor targets)
    {
        using var last = Step(inputs, 1);
        using var targetBase = Step(inputs, BaseBack).reshape(targets.shape);
        using var change = Relative(targets, targetBase);
        using var clipped = double.IsFinite(TargetBound) ? change.clamp(-TargetBound, TargetBound) : change.alias();
        return (Relative(inputs, last), clipped - (Offset / Divisor));
    }

    public override Tensor TransformInputs(Tensor inputs)
    {
        using var last = Step(inputs, 1);
        return Relative(inputs, last);
    }

    public override double TransformTarget(double target, IReadOnlyList<double> window) =>
        Math.Clamp(Relative(target, window[window.Count - BaseBack]), -TargetBound, TargetBound) - (Offset / Divisor);

    private protected override double RestoreOutput(double output, IReadOnlyList<double> window) =>
        Restore((output * Divisor) + Offset, window[window.Count - BaseBack]);

    // The graph: last = input[:, T-1:T, :] (N, 1, 1); the window relative to it; the output back the same way.
    private protected override string AddCentering(OnnxGraph graph, string input)
    {
        if (graph.Features != 1)
        {
            throw new ArgumentException("a relative scaling is for one feature a step");
        }

        graph.Int64s("last_start", [graph.TimeSteps - 1]);
        graph.Int64s("last_end", [graph.TimeSteps]);
        graph.Int64s("time_axis", [1]);
        graph.Int64s("axes_2", [2]);
        graph.Node("Slice", "last_step", [input, "last_start", "last_end", "time_axis"], ["last_step"]);
        AddRelative(graph, input, "last_step", "centered");
        return "centered";
    }

    /// <summary>The nodes of <see cref="Relative(Tensor, Tensor)"/>.</summary>
    private protected abstract void AddRelative(OnnxGraph graph, string input, string last, string output);

    private protected override bool AddsRestoring => true;

    private protected override void AddRestoring(OnnxGraph graph, string unscaled, string input, string output)
    {
        var baseStep = "last_step";
        if (BaseBack != 1)
        {
            graph.Int64s("base_start", [graph.TimeSteps - BaseBack]);
            graph.Int64s("base_end", [graph.TimeSteps - BaseBack + 1]);
            graph.Node("Slice", "base_step", [input, "base_start", "base_end", "time_axis"], ["base_step"]);
            baseStep = "base_step";
        }

        graph.Node("Squeeze", "last_value", [baseStep, "axes_2"], ["last_value"]);
        AddReapply(graph, unscaled, "last_value", output);
    }

    /// <summary>The nodes of <see cref="Restore"/>: the drift back, then the base.</summary>
    private protected abstract void AddReapply(OnnxGraph graph, string unscaled, string baseValue, string output);
}

/// <summary>(x − last) / divisor: the network predicts the change.</summary>
internal sealed record DifferenceScaler : RelativeScaler
{
    public DifferenceScaler(double divisor, double drift = 0)
        : base(divisor, drift)
    {
    }

    public override ScalingKind Kind => ScalingKind.Difference;

    private protected override Tensor Relative(Tensor values, Tensor last) => (values - last) / Divisor;

    private protected override double Relative(double value, double last) => (value - last) / Divisor;

    private protected override double Restore(double change, double baseValue) => change + baseValue;

    private protected override Tensor RestoreOutputs(Tensor outputs, Tensor inputs) => DifferenceInverse(this, outputs, inputs, BaseBack);

    /// <summary>last + drift + d·out, in the outputs' dtype.</summary>
    internal static Tensor DifferenceInverse(SequenceScaler scaler, Tensor outputs, Tensor inputs, int back)
    {
        using var last = Step(inputs, back);
        using var lastOutput = last.reshape(outputs.shape).to(outputs.dtype);
        return (outputs * scaler.Divisor) + scaler.Offset + lastOutput;
    }

    private protected override void AddRelative(OnnxGraph graph, string input, string last, string output) =>
        graph.Node("Sub", "center", [input, last], [output]);

    private protected override void AddReapply(OnnxGraph graph, string unscaled, string baseValue, string output) =>
        AddDifferenceReapply(this, graph, unscaled, baseValue, output);

    internal static void AddDifferenceReapply(SequenceScaler scaler, OnnxGraph graph, string unscaled, string baseValue, string output)
    {
        graph.Float("drift", (float)scaler.Offset);
        graph.Node("Add", "with_drift", [unscaled, "drift"], ["change"]);
        graph.Node("Add", "reapply", ["change", baseValue], [output]);
    }
}

/// <summary>(x / last − 1) / divisor: the network predicts the growth, so a season that grows with the level is one shape. For positive series.</summary>
internal sealed record RatioScaler : RelativeScaler
{
    public RatioScaler(double divisor, double drift = 0)
        : base(divisor, drift)
    {
    }

    public override ScalingKind Kind => ScalingKind.Ratio;

    private protected override Tensor Relative(Tensor values, Tensor last) => ((values / last) - 1) / Divisor;

    private protected override double Relative(double value, double last) => ((value / last) - 1) / Divisor;

    private protected override double Restore(double change, double baseValue) => baseValue * (change + 1);

    /// <summary>last · ((d·out) + (1 + drift)), in the outputs' dtype.</summary>
    private protected override Tensor RestoreOutputs(Tensor outputs, Tensor inputs)
    {
        using var last = Step(inputs, 1);
        using var lastOutput = last.reshape(outputs.shape).to(outputs.dtype);
        return lastOutput * ((outputs * Divisor) + (1 + Offset));
    }

    private protected override void AddRelative(OnnxGraph graph, string input, string last, string output)
    {
        graph.Float("one", 1f);
        graph.Node("Div", "growth", [input, last], ["ratio"]);
        graph.Node("Sub", "center", ["ratio", "one"], [output]);
    }

    private protected override void AddReapply(OnnxGraph graph, string unscaled, string baseValue, string output)
    {
        graph.Float("drift", (float)(1 + Offset));
        graph.Node("Add", "with_drift", [unscaled, "drift"], ["change"]);
        graph.Node("Mul", "reapply", ["change", baseValue], [output]);
    }
}

/// <summary>
/// The inputs as <see cref="DifferenceScaler"/>; the target relative to the window's value one season
/// (<see cref="Lag"/>) before it: the network predicts the change from a season back, and one that learned
/// nothing forecasts the seasonal naive plus the seasonal drift.
/// </summary>
internal sealed record SeasonalScaler : RelativeScaler
{
    public SeasonalScaler(double divisor, double drift, int lag)
        : base(divisor, drift)
    {
        Lag = lag >= 1 ? lag : throw new ArgumentOutOfRangeException(nameof(lag), lag, "a seasonal scaling needs a season of at least 1");
    }

    public override ScalingKind Kind => ScalingKind.Seasonal;

    public override int Lag { get; }

    private protected override int BaseBack => Lag;

    private protected override Tensor Relative(Tensor values, Tensor last) => (values - last) / Divisor;

    private protected override double Relative(double value, double last) => (value - last) / Divisor;

    private protected override double Restore(double change, double baseValue) => change + baseValue;

    private protected override Tensor RestoreOutputs(Tensor outputs, Tensor inputs) => DifferenceScaler.DifferenceInverse(this, outputs, inputs, Lag);

    private protected override void AddRelative(OnnxGraph graph, string input, string last, string output) =>
        graph.Node("Sub", "center", [input, last], [output]);

    private protected override void AddReapply(OnnxGraph graph, string unscaled, string baseValue, string output) =>
        DifferenceScaler.AddDifferenceReapply(this, graph, unscaled, baseValue, output);
}
