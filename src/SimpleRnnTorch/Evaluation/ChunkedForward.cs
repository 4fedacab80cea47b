using SimpleRnnTorch.Model;
using static TorchSharp.torch;

namespace SimpleRnnTorch.Evaluation;

/// <summary>
/// Forward passes over a whole set (the validation windows, a series' one-step windows) in chunks of rows,
/// without autograd, so that the activations a pass holds are bounded by <see cref="MaxActivationBytes"/>
/// whatever the set's size: one pass over a million-value series' 200,000 validation windows held about a
/// gigabyte. The outputs are put together and reduced once, as before: each row's output does not depend on
/// the rows beside it (tested bit for bit), and a set of at most one chunk is one pass, as it always was.
/// </summary>
internal static class ChunkedForward
{
    /// <summary>The activations one chunk may hold: rows × T × hidden × layers × (gates + 2) float32 values, as <see cref="Training.ResourceBudget"/> counts them.</summary>
    public const long MaxActivationBytes = 64L << 20;

    /// <summary>Rows per chunk for a model and a window of <paramref name="timeSteps"/>: at least 1.</summary>
    public static long RowsPerChunk(ModelSpec spec, long timeSteps) =>
        Math.Max(1, MaxActivationBytes / (Math.Max(1, timeSteps) * spec.Units * spec.Layers * (spec.Gates + 2L) * sizeof(float)));

    /// <summary>The model's outputs (N, 1) for <paramref name="inputs"/> (N, T, F), <paramref name="rows"/> rows at a time (default <see cref="RowsPerChunk"/>).</summary>
    public static Tensor Outputs(SequenceRegressor model, Tensor inputs, long? rows = null)
    {
        using var noGrad = no_grad();
        model.eval();
        var n = inputs.shape[0];
        var chunk = rows ?? RowsPerChunk(model.Spec, inputs.shape[1]);
        if (n <= chunk)
        {
            return model.call(inputs);
        }

        using var scope = NewDisposeScope();
        var outputs = new List<Tensor>();
        for (long start = 0; start < n; start += chunk)
        {
            // Each chunk's activations die with its own scope; only its (rows, 1) outputs are kept.
            using var inner = NewDisposeScope();
            outputs.Add(model.call(inputs.narrow(0, start, Math.Min(chunk, n - start))).MoveToOuterDisposeScope());
        }

        return cat(outputs, 0).MoveToOuterDisposeScope();
    }

    /// <summary>Mean squared error of the model over a set, the outputs made in chunks and reduced in one mse_loss as a single pass reduces them.</summary>
    public static double MeanSquaredError(SequenceRegressor model, Tensor inputs, Tensor targets, long? rows = null)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        return nn.functional.mse_loss(Outputs(model, inputs, rows), targets).item<float>();
    }
}
