using SimpleRnnTorch.Model;
using static TorchSharp.torch;

namespace SimpleRnnTorch.Training;

/// <summary>A detached copy of a model's weights, to roll back to (46 floats here: cheap every epoch).</summary>
internal sealed class WeightSnapshot : IDisposable
{
    private readonly Dictionary<string, Tensor> weights = [];

    public static WeightSnapshot Take(SequenceRegressor model)
    {
        var snapshot = new WeightSnapshot();
        snapshot.Update(model);
        return snapshot;
    }

    public void Update(SequenceRegressor model)
    {
        using var noGrad = no_grad();
        foreach (var (name, value) in model.state_dict())
        {
            if (weights.TryGetValue(name, out var saved))
            {
                saved.copy_(value);
            }
            else
            {
                using var detached = value.detach();
                weights[name] = detached.clone().DetachFromDisposeScope();
            }
        }
    }

    public void Restore(SequenceRegressor model)
    {
        using var noGrad = no_grad();
        foreach (var (name, value) in model.state_dict())
        {
            value.copy_(weights[name]);
        }
    }

    public void Dispose()
    {
        foreach (var tensor in weights.Values)
        {
            tensor.Dispose();
        }

        weights.Clear();
    }
}
