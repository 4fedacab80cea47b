using TorchSharp;
using static TorchSharp.torch;

namespace SimpleRnnTorch.Model;

public static class ModelFactory
{
    /// <summary>
    /// torch.nn initialises weights from libtorch's global generator, so seeding it right before
    /// construction makes the initial weights a function of the seed alone.
    /// </summary>
    public static SequenceRegressor Create(ModelSpec spec, long seed, Device device)
    {
        manual_seed(seed);
        var model = new SequenceRegressor(spec);
        model.to(device);
        return model;
    }
}
