using static TorchSharp.torch;

namespace SimpleRnnTorch.Scaling;

/// <summary>
/// Every value alike: (x − <see cref="SequenceScaler.Offset"/>) / <see cref="SequenceScaler.Divisor"/>. The
/// lesson's fixed ÷100 (offset 0), the adding problem's ÷1, and the standardisation of a series model whose
/// manifest says "global" scaling.
/// </summary>
internal sealed record GlobalScaler : SequenceScaler
{
    public GlobalScaler(double divisor = DefaultDivisor, double offset = 0)
        : base(divisor, offset)
    {
    }

    public override ScalingKind Kind => ScalingKind.Global;

    public override (Tensor Inputs, Tensor Targets) Transform(Tensor inputs, Tensor targets) => (Transform(inputs), Transform(targets));

    public override Tensor TransformInputs(Tensor inputs) => Transform(inputs);

    private protected override Tensor RestoreOutputs(Tensor outputs, Tensor inputs) => Inverse(outputs);

    // With offset 0 the subtraction is skipped, not merely exact: the lesson's tensors go through a
    // division alone, which keeps its histories bit-identical across versions of this file.
    public Tensor Transform(Tensor values) => Offset == 0 ? values / Divisor : (values - Offset) / Divisor;

    public Tensor Inverse(Tensor scaled) => Offset == 0 ? scaled * Divisor : (scaled * Divisor) + Offset;

    public double Transform(double value) => (value - Offset) / Divisor;

    public double Inverse(double scaled) => (scaled * Divisor) + Offset;

    public override double TransformTarget(double target, IReadOnlyList<double> window) => Transform(target);

    private protected override double RestoreOutput(double output, IReadOnlyList<double> window) => Inverse(output);

    private protected override string AddCentering(OnnxGraph graph, string input)
    {
        if ((float)Offset == 0)
        {
            return input;
        }

        graph.Float("scale_offset", (float)Offset);
        graph.Node("Sub", "center", [input, "scale_offset"], ["centered"]);
        return "centered";
    }

    private protected override bool AddsRestoring => (float)Offset != 0;

    private protected override void AddRestoring(OnnxGraph graph, string unscaled, string input, string output) =>
        graph.Node("Add", "uncenter", [unscaled, "scale_offset"], [output]);
}
