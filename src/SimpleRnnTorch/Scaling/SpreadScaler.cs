using SimpleRnnTorch.Inference;
using static TorchSharp.torch;

namespace SimpleRnnTorch.Scaling;

/// <summary>
/// Each window relative to its last value and divided by its own spread s = mean |x[i] − x[i−1]| + 0.001 · mean |x| + 1e-37
/// (<see cref="OnnxModelInfo.WindowSpread"/>); the target relative to the window's value <see cref="Lag"/> steps from its
/// end (1: the last; a season for a seasonal panel), likewise divided by s, less <see cref="SequenceScaler.Offset"/> (the mean
/// change so measured). Nothing about one series is in it: a window of sales in millions and one of sales in units look the
/// same to the network, so one network learns from every series of a panel and the exported model forecasts any series of
/// that family from its values alone (the spread is computed in the graph). The level term keeps a flat window finite; the
/// constant, an all-zero one.
/// </summary>
internal sealed record SpreadScaler : SequenceScaler
{
    /// <summary>The share of the window's mean magnitude added to its mean step, so that a flat window has a spread.</summary>
    public const double LevelShare = OnnxModelInfo.SpreadLevelShare;

    /// <summary>The spread's least value: an all-zero window.</summary>
    public const double MinSpread = OnnxModelInfo.MinSpread;

    /// <summary>
    /// The range of sizes (a series' largest magnitude) the spread works for in float32, as the graph computes it: below
    /// 1e-30 the floor <see cref="MinSpread"/> is over a ten-thousandth of the spread's level term and grows to all of
    /// it (a series of 1e-40 was forecast 400 times its level); above 1e30 the steps and the recursion's forecasts reach
    /// float32's 3.4e38. A panel with a series outside it is refused, not forecast wrong.
    /// </summary>
    public const double SmallestLevel = OnnxModelInfo.SmallestSize, LargestLevel = OnnxModelInfo.LargestSize;

    /// <summary>
    /// Whether a series whose largest magnitude is <paramref name="size"/> (read as float32) can be scaled: 0, or within
    /// [<see cref="SmallestLevel"/>, <see cref="LargestLevel"/>] as float32 holds the bounds (1e30 is read as 1.0000000150e30).
    /// </summary>
    public static bool Scalable(double size) => size == 0 || size is >= (float)SmallestLevel and <= (float)LargestLevel;

    /// <summary>
    /// The largest change a training target may have, in spreads of its window: a spike (one value a thousand times its
    /// neighbours) is hundreds of spreads, and unclipped it would set the divisor and the mean change of every series of
    /// the panel and most of the loss. A regular window's values and target lie within a dozen spreads of its last value.
    /// The statistics (divisor, offset) see the same clipped changes; the inputs are not clipped (the graph reads them).
    /// </summary>
    public const double MaxTargetSpreads = 20;

    public SpreadScaler(double divisor, double offset, int lag)
        : base(divisor, offset)
    {
        Lag = lag >= 1 ? lag : throw new ArgumentOutOfRangeException(nameof(lag), lag, "a spread scaling's target base is at least 1 step back");
    }

    public override ScalingKind Kind => ScalingKind.Spread;

    public override int Lag { get; }

    /// <summary>The spread of one window (doubles): <see cref="OnnxModelInfo.WindowSpread"/>, which the tensor and graph paths repeat.</summary>
    public static double Spread(IReadOnlyList<double> window) => OnnxModelInfo.WindowSpread(window);

    /// <summary>The spread of each window of (N, T) or (N, T, F) inputs, feature 0, shaped to broadcast over them: (N, 1) or (N, 1, 1).</summary>
    private static Tensor Spread(Tensor inputs)
    {
        using var scope = NewDisposeScope();
        var x = inputs.dim() == 2 ? inputs : inputs.narrow(2, 0, 1);
        var t = x.shape[1];
        var level = x.abs().mean([1], keepdim: true) * LevelShare;
        var spread = t > 1 ? (x.narrow(1, 1, t - 1) - x.narrow(1, 0, t - 1)).abs().mean([1], keepdim: true) + level : level;
        return (spread + MinSpread).MoveToOuterDisposeScope();
    }

    public override (Tensor Inputs, Tensor Targets) Transform(Tensor inputs, Tensor targets)
    {
        using var spread = Spread(inputs);
        using var last = Step(inputs, 1);
        using var targetBase = Step(inputs, Lag).reshape(targets.shape);
        using var targetSpread = spread.reshape(targets.shape);
        using var spreads = ((targets - targetBase) / targetSpread).clamp(-MaxTargetSpreads, MaxTargetSpreads);
        using var change = spreads / Divisor;
        return (((inputs - last) / spread) / Divisor, change - (Offset / Divisor));
    }

    public override Tensor TransformInputs(Tensor inputs)
    {
        using var spread = Spread(inputs);
        using var last = Step(inputs, 1);
        return ((inputs - last) / spread) / Divisor;
    }

    private protected override Tensor RestoreOutputs(Tensor outputs, Tensor inputs)
    {
        using var spread = Spread(inputs);
        using var baseValue = Step(inputs, Lag);
        using var s = spread.reshape(outputs.shape).to(outputs.dtype);
        using var b = baseValue.reshape(outputs.shape).to(outputs.dtype);
        return (((outputs * Divisor) + Offset) * s) + b;
    }

    public override double TransformTarget(double target, IReadOnlyList<double> window) =>
        (Math.Clamp((target - window[window.Count - Lag]) / Spread(window), -MaxTargetSpreads, MaxTargetSpreads) / Divisor) - (Offset / Divisor);

    private protected override double RestoreOutput(double output, IReadOnlyList<double> window) =>
        (((output * Divisor) + Offset) * Spread(window)) + window[window.Count - Lag];

    // The graph: spread (N, 1, 1) from the input's steps; (input − last) / spread; the output back through the same spread.
    private protected override string AddCentering(OnnxGraph graph, string input)
    {
        if (graph.Features != 1)
        {
            throw new ArgumentException("a spread scaling is for one feature a step");
        }

        var t = graph.TimeSteps;
        graph.Int64s("time_axis", [1]);
        graph.Int64s("last_start", [t - 1]);
        graph.Int64s("last_end", [t]);
        graph.Node("Slice", "last_step", [input, "last_start", "last_end", "time_axis"], ["last_step"]);
        graph.Float("level_share", (float)LevelShare);
        graph.Float("min_spread", (float)MinSpread);
        graph.Node("Abs", "magnitude", [input], ["magnitude"]);
        graph.Node("ReduceMean", "mean_magnitude", ["magnitude"], ["mean_magnitude"], OnnxGraph.Ints("axes", [1]), OnnxGraph.Int("keepdims", 1));
        graph.Node("Mul", "level_term", ["mean_magnitude", "level_share"], ["level_term"]);
        var withLevel = "level_term";
        if (t > 1)
        {
            graph.Int64s("head_start", [0]);
            graph.Int64s("head_end", [t - 1]);
            graph.Int64s("tail_start", [1]);
            graph.Int64s("tail_end", [t]);
            graph.Node("Slice", "window_head", [input, "head_start", "head_end", "time_axis"], ["window_head"]);
            graph.Node("Slice", "window_tail", [input, "tail_start", "tail_end", "time_axis"], ["window_tail"]);
            graph.Node("Sub", "steps", ["window_tail", "window_head"], ["steps"]);
            graph.Node("Abs", "step_sizes", ["steps"], ["step_sizes"]);
            graph.Node("ReduceMean", "mean_step", ["step_sizes"], ["mean_step"], OnnxGraph.Ints("axes", [1]), OnnxGraph.Int("keepdims", 1));
            graph.Node("Add", "step_and_level", ["mean_step", "level_term"], ["step_and_level"]);
            withLevel = "step_and_level";
        }

        graph.Node("Add", "spread", [withLevel, "min_spread"], ["spread"]);
        graph.Node("Sub", "center", [input, "last_step"], ["centered_raw"]);
        graph.Node("Div", "per_spread", ["centered_raw", "spread"], ["centered"]);
        return "centered";
    }

    private protected override bool AddsRestoring => true;

    private protected override void AddRestoring(OnnxGraph graph, string unscaled, string input, string output)
    {
        var baseStep = "last_step";
        if (Lag != 1)
        {
            graph.Int64s("base_start", [graph.TimeSteps - Lag]);
            graph.Int64s("base_end", [graph.TimeSteps - Lag + 1]);
            graph.Node("Slice", "base_step", [input, "base_start", "base_end", "time_axis"], ["base_step"]);
            baseStep = "base_step";
        }

        graph.Int64s("axes_2", [2]);
        graph.Node("Squeeze", "base_value", [baseStep, "axes_2"], ["base_value"]);
        graph.Node("Squeeze", "window_spread", ["spread", "axes_2"], ["window_spread"]);
        graph.Float("drift", (float)Offset);
        graph.Node("Add", "with_drift", [unscaled, "drift"], ["change"]);
        graph.Node("Mul", "respread", ["change", "window_spread"], ["spread_change"]);
        graph.Node("Add", "reapply", ["spread_change", "base_value"], [output]);
    }

    /// <summary>
    /// The scaler of a panel's training windows: the divisor is the standard deviation of every training window's values
    /// and target made relative and divided by the window's spread, 1 when they do not spread; the offset the mean of the
    /// targets so made (the mean change, in spreads); a <see cref="SequenceScaler.Floor"/> of 0 when no value is negative.
    /// </summary>
    /// <param name="series">Each series' training part.</param>
    public static SpreadScaler ForWindows(IEnumerable<float[]> series, int timeSteps, int lag)
    {
        if (lag < 1 || lag > timeSteps)
        {
            throw new ArgumentOutOfRangeException(nameof(lag), lag, $"the target's base must be in the window of {timeSteps}");
        }

        double sum = 0, squares = 0, drift = 0;
        long n = 0, windows = 0;
        var neverNegative = true;
        var window = new double[timeSteps];
        foreach (var values in series)
        {
            foreach (var v in values)
            {
                neverNegative &= v >= 0;
            }

            for (var w = 0; w + timeSteps < values.Length; w++)
            {
                for (var i = 0; i < timeSteps; i++)
                {
                    window[i] = values[w + i];
                }

                var spread = Spread((IReadOnlyList<double>)window);
                var last = window[^1];
                for (var i = 0; i <= timeSteps; i++)
                {
                    var d = Math.Clamp((values[w + i] - last) / spread, -MaxTargetSpreads, MaxTargetSpreads);
                    sum += d;
                    squares += d * d;
                    n++;
                }

                drift += Math.Clamp((values[w + timeSteps] - window[timeSteps - lag]) / spread, -MaxTargetSpreads, MaxTargetSpreads);
                windows++;
            }
        }

        if (windows == 0)
        {
            throw new ArgumentException("Cannot fit a scaler on no windows.", nameof(series));
        }

        var mean = sum / n;
        var std = Math.Sqrt(Math.Max(0, (squares / n) - (mean * mean)));
        return new SpreadScaler(std > 0 && double.IsFinite(std) ? std : 1, drift / windows, lag) { Floor = neverNegative ? 0 : null };
    }
}
