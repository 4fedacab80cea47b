using TorchSharp;
using static TorchSharp.torch;

namespace SimpleRnnTorch.Model;

internal static class ModelFactory
{
    /// <summary>
    /// torch.nn initialises weights from libtorch's global generator, so seeding it right before
    /// construction makes the initial weights a function of the seed alone.
    /// </summary>
    /// <remarks>
    /// An ensemble's member k starts as the one network seed + k would make (member 0: this seed's), so that an
    /// ensemble of one is the network itself and each member begins where it would alone.
    /// </remarks>
    public static SequenceRegressor Create(ModelSpec spec, long seed, Device device, WeightInit init = WeightInit.Torch)
    {
        if (spec.Members > 1)
        {
            var members = Enumerable.Range(0, spec.Members).Select(k => Create(spec with { Members = 1 }, seed + k, CPU, init)).ToArray();
            try
            {
                var ensemble = SequenceRegressor.FromMembers(spec, members);
                ensemble.to(device);
                return ensemble;
            }
            finally
            {
                foreach (var member in members)
                {
                    member.Dispose();
                }
            }
        }

        manual_seed(seed);
        var model = new SequenceRegressor(spec);
        if (init == WeightInit.Keras)
        {
            ApplyKerasInit(model);
        }

        model.to(device);
        return model;
    }

    /// <summary>
    /// Keras' defaults, so the lesson's Keras numbers compare like for like: glorot-uniform input kernels
    /// (and Dense kernel), orthogonal recurrent kernels, zero biases, and an LSTM forget-gate bias of 1
    /// (unit_forget_bias). torch's (4h, in) matrices are Keras' (in, 4h) transposed, with the same fans.
    /// </summary>
    private static void ApplyKerasInit(SequenceRegressor model)
    {
        using var noGrad = no_grad();
        foreach (var (name, p) in model.named_parameters())
        {
            if (name.StartsWith("rnn.weight_ih", StringComparison.Ordinal) || name == "head.weight")
            {
                nn.init.xavier_uniform_(p);
            }
            else if (name.StartsWith("rnn.weight_hh", StringComparison.Ordinal))
            {
                nn.init.orthogonal_(p);
            }
            else
            {
                nn.init.zeros_(p);
                if (model.Spec.Cell == CellKind.Lstm && name.StartsWith("rnn.bias_ih", StringComparison.Ordinal))
                {
                    // torch's gate order is (input, forget, cell, output): the second block is the forget gate.
                    p.narrow(0, model.Spec.Units, model.Spec.Units).fill_(1.0);
                }
            }
        }
    }
}
