using SimpleRnnTorch.Data;
using static TorchSharp.torch;

namespace SimpleRnnTorch.Model;

/// <summary>The lesson's last step: normalise, reshape to (k, T, 1), predict, denormalise.</summary>
internal static class Predictor
{
    public static double[] Predict(SequenceRegressor model, SequenceScaler scaler, IReadOnlyList<double[]> sequences, Device device)
    {
        if (sequences.Count == 0)
        {
            return [];
        }

        var timeSteps = sequences[0].Length;
        if (sequences.Any(s => s.Length != timeSteps))
        {
            throw new ArgumentException("All sequences must have the same length.", nameof(sequences));
        }

        var flat = sequences.SelectMany(s => s.Select(v => (float)v)).ToArray();
        var output = new double[sequences.Count];
        Predict(model, scaler, flat, sequences.Count, timeSteps, device, output);
        return output;
    }

    /// <summary>
    /// The flat form for streams: <paramref name="count"/> sequences of <paramref name="timeSteps"/>
    /// values end to end, one prediction each into <paramref name="output"/>.
    /// </summary>
    public static void Predict(SequenceRegressor model, SequenceScaler scaler, ReadOnlySpan<float> flat, int count, int timeSteps, Device device, Span<double> output)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        model.eval();
        var input = scaler.Transform(tensor(flat.ToArray(), [count, timeSteps, 1]).to(device));
        // Back to original units in float64: multiplying by 100 in float32 would round to 8e-6 near 80.
        var result = scaler.Inverse(model.call(input).to(ScalarType.Float64)).to(CPU);
        result.data<double>().CopyTo(output);
    }
}
