using SimpleRnnTorch.Data;
using SimpleRnnTorch.Model;
using SimpleRnnTorch.Scaling;
using static TorchSharp.torch;

namespace SimpleRnnTorch.Evaluation;

/// <summary>
/// Measures a trained model on freshly generated sequences. Predictions go through
/// <see cref="Predictor"/>, the same path as the program's final prediction, so what is measured is what
/// a user gets, scaling included.
/// </summary>
internal static class Evaluator
{
    /// <param name="seed">
    /// Seeds the data. Choose it different from the training seed: with the training's spec and count,
    /// the same seed regenerates the training data itself.
    /// </param>
    public static EvaluationResult Run(SequenceRegressor model, SequenceScaler scaler, EvaluationSet set, long seed, Device device)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(scaler);
        ArgumentNullException.ThrowIfNull(set);
        var (inputs, targets) = Generate(set.Spec, seed);
        // One batched forward pass for the whole set, not one call per sequence.
        var predictions = Predictor.Predict(model, scaler, inputs, device);
        var metrics = EvaluationMetrics.Compute(inputs, targets, predictions);
        return new EvaluationResult(set, metrics, targets, predictions);
    }

    /// <summary>
    /// Every set is drawn with the same seed on purpose: sets that share a start range then share their
    /// starts ("test", "step 5" and "step 20" differ only by the step), so their rows compare like for like.
    /// </summary>
    public static IReadOnlyList<EvaluationResult> RunAll(
        SequenceRegressor model, SequenceScaler scaler, IEnumerable<EvaluationSet> sets, long seed, Device device)
    {
        ArgumentNullException.ThrowIfNull(sets);
        return sets.Select(set => Run(model, scaler, set, seed, device)).ToList();
    }

    private static (double[][] Inputs, double[] Targets) Generate(SequenceSpec spec, long seed)
    {
        using var scope = NewDisposeScope();
        var values = SequenceData.Generate(spec, seed).to(CPU).data<float>().ToArray();
        var width = spec.TimeSteps + 1;
        var inputs = new double[spec.Count][];
        var targets = new double[spec.Count];
        for (var row = 0; row < spec.Count; row++)
        {
            var offset = row * width;
            var input = new double[spec.TimeSteps];
            for (var t = 0; t < input.Length; t++)
            {
                input[t] = values[offset + t];
            }

            inputs[row] = input;
            targets[row] = values[offset + spec.TimeSteps];
        }

        return (inputs, targets);
    }
}
