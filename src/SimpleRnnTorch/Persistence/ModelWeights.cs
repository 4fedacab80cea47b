using SimpleRnnTorch.Model;
using static TorchSharp.torch;

namespace SimpleRnnTorch.Persistence;

/// <summary>A model's state_dict as PyTorch-named float32 arrays on the CPU: what every file format is written from.</summary>
internal static class ModelWeights
{
    public static IReadOnlyList<(string Name, long[] Shape, float[] Values)> Extract(SequenceRegressor model)
    {
        var tensors = new List<(string Name, long[] Shape, float[] Values)>();
        using (NewDisposeScope())
        {
            foreach (var (name, value) in model.state_dict())
            {
                var cpu = value.detach().to(CPU).contiguous();
                tensors.Add((name, cpu.shape, cpu.data<float>().ToArray()));
            }
        }

        return tensors;
    }
}
