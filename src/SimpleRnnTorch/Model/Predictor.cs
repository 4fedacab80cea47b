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

        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        model.eval();
        var flat = sequences.SelectMany(s => s.Select(v => (float)v)).ToArray();
        var input = scaler.Transform(tensor(flat, [sequences.Count, timeSteps, 1]).to(device));
        // Back to original units in float64: multiplying by 100 in float32 would round to 8e-6 near 80.
        var output = scaler.Inverse(model.call(input).to(ScalarType.Float64)).to(CPU);
        return output.data<double>().ToArray();
    }
}
