using SimpleRnnTorch.Scaling;
using static TorchSharp.torch;

namespace SimpleRnnTorch.Model;

/// <summary>
/// The lesson's last step: normalise, reshape to (k, T, features), predict, denormalise. A sequence is
/// given as T × features values, step by step (for the adding task: value, marker, value, marker, …).
/// </summary>
internal static class Predictor
{
    public static double[] Predict(SequenceRegressor model, SequenceScaler scaler, IReadOnlyList<double[]> sequences, Device device)
    {
        if (sequences.Count == 0)
        {
            return [];
        }

        var length = sequences[0].Length;
        var features = model.Spec.InputSize;
        if (sequences.Any(s => s.Length != length) || length % features != 0)
        {
            throw new ArgumentException($"All sequences must have the same length, a multiple of the model's {features} feature(s).", nameof(sequences));
        }

        var flat = sequences.SelectMany(s => s.Select(v => (float)v)).ToArray();
        var output = new double[sequences.Count];
        Predict(model, scaler, flat, sequences.Count, length / features, device, output);
        return output;
    }

    /// <summary>
    /// The flat form for streams: <paramref name="count"/> sequences of <paramref name="timeSteps"/> ×
    /// features values end to end, one prediction each into <paramref name="output"/>.
    /// </summary>
    public static void Predict(SequenceRegressor model, SequenceScaler scaler, ReadOnlySpan<float> flat, int count, int timeSteps, Device device, Span<double> output)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        model.eval();
        var original = tensor(flat.ToArray(), [count, timeSteps, model.Spec.InputSize]).to(device);
        var input = scaler.TransformInputs(original);
        // Back to original units in float64: multiplying by 100 in float32 would round to 8e-6 near 80.
        var result = scaler.InverseOutputs(model.call(input).to(ScalarType.Float64), original).to(CPU);
        result.data<double>().CopyTo(output);
    }
}
