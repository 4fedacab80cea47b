using SimpleRnnTorch.Data;
using SimpleRnnTorch.Model;
using static TorchSharp.torch;

namespace SimpleRnnTorch.Evaluation;

/// <summary>
/// How a model does on the adding problem: its MSE on fresh sequences, and on the same sequences the MSE
/// of the constant guess 1, the best a model without memory can do (≈ 1/6). Below
/// <see cref="AddingProblem.LearnedMse"/> the model remembers the marked values.
/// </summary>
internal sealed record AddingScore(int Count, int TimeSteps, long Seed, double Mse, double ConstantGuessMse)
{
    public bool Learned => Mse < AddingProblem.LearnedMse;
}

internal static class AddingEvaluation
{
    /// <summary>Sequences per forward pass: the whole set at once would hold (count, T, hidden) activations.</summary>
    private const int Chunk = 8192;

    /// <param name="seed">Seeds the data: choose it away from the training seed, which would regenerate the training data.</param>
    public static AddingScore Run(SequenceRegressor model, int count, int timeSteps, long seed, Device device)
    {
        ArgumentNullException.ThrowIfNull(model);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        model.eval();
        var (inputs, targets) = AddingProblem.Generate(count, timeSteps, seed);
        double squared = 0, guessSquared = 0;
        for (long start = 0; start < count; start += Chunk)
        {
            using var chunkScope = NewDisposeScope();
            var length = Math.Min(Chunk, count - start);
            var x = inputs.narrow(0, start, length).to(device);
            var y = targets.narrow(0, start, length).to(device).to(ScalarType.Float64);
            var prediction = model.call(x).to(ScalarType.Float64);
            squared += (prediction - y).square().sum().item<double>();
            guessSquared += (y - 1.0).square().sum().item<double>();
        }

        return new AddingScore(count, timeSteps, seed, squared / count, guessSquared / count);
    }
}
