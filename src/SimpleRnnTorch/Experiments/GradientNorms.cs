using TorchSharp;
using static TorchSharp.torch;

namespace SimpleRnnTorch.Experiments;

/// <summary>
/// How much the loss at the end of a sequence still depends on each input step: for every time step t,
/// ‖∂L/∂x_t‖ averaged over a batch, where L = (prediction − target)² is one sequence's squared error and
/// x_t its input at step t (all features), by backpropagation through time. In a simple RNN the factor
/// between two steps is a product of (recurrent weights × tanh') terms, one per step in between, so the
/// norms fall geometrically towards the start of the sequence (the vanishing gradient); LSTM and GRU
/// carry their state additively through their gates, which lets them keep it near 1.
/// No console and no side effects: the model's parameters get no .grad, only the inputs are differentiated.
/// </summary>
internal static class GradientNorms
{
    /// <param name="model">Any (batch, T, features) → (batch, 1) module; it runs with autograd on.</param>
    /// <param name="inputs">(batch, T, features), in the model's dtype.</param>
    /// <param name="targets">(batch, 1).</param>
    /// <returns>T values: [0] for the first time step, [T-1] for the last.</returns>
    public static double[] Measure(nn.Module<Tensor, Tensor> model, Tensor inputs, Tensor targets)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (inputs.dim() != 3 || targets.dim() != 2 || inputs.shape[0] != targets.shape[0])
        {
            throw new ArgumentException($"inputs must be (batch, T, features) and targets (batch, 1); got [{string.Join(", ", inputs.shape)}] and [{string.Join(", ", targets.shape)}]");
        }

        using var scope = NewDisposeScope();
        using var grad = enable_grad();
        var x = inputs.detach().clone().requires_grad_(true);
        // The sum of the per-sequence losses: sequences do not interact, so its gradient with respect to
        // sequence i's inputs is exactly ∂L_i/∂x_i (a mean would divide every norm by the batch size).
        var loss = (model.call(x) - targets).square().sum();
        var dx = autograd.grad([loss], [x])[0];                    // (batch, T, features)
        var perStep = dx.square().sum(2).sqrt().mean([0]);          // ‖·‖ over features, mean over the batch: (T)
        return perStep.to(ScalarType.Float64).cpu().data<double>().ToArray();
    }

    /// <summary>norms[0] / norms[T-1]: how much of the gradient at the last step reaches the first.</summary>
    public static double FirstToLast(IReadOnlyList<double> norms) => norms[0] / norms[^1];

    /// <summary>
    /// The steps before the end that a table shows: 0, 1, 2, 5, 10, 20, 50, 100, 200, 500, … below T,
    /// then T-1 (the first step) if it is not already there.
    /// </summary>
    public static IReadOnlyList<int> StepsBack(int timeSteps)
    {
        var steps = new List<int>();
        foreach (var candidate in Candidates())
        {
            if (candidate >= timeSteps - 1)
            {
                break;
            }

            steps.Add(candidate);
        }

        steps.Add(timeSteps - 1);
        return steps;

        static IEnumerable<int> Candidates()
        {
            yield return 0;
            for (var decade = 1; decade <= 100_000_000; decade *= 10)
            {
                yield return decade;
                yield return 2 * decade;
                yield return 5 * decade;
            }
        }
    }
}
