using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SimpleRnnTorch.Training;

/// <summary>
/// Every parameter of a model re-pointed into one contiguous buffer, and every gradient into another,
/// so that the optimiser sees one tensor instead of six.
/// <para>
/// Why: with 46 parameters the arithmetic is nothing; the cost of a step is the number of native calls.
/// torch.optim.Adam issues ~10 tensor ops per parameter tensor, and zero_grad one per tensor; given one
/// flat tensor it issues ~10 in all. The parameters stay what they were (nn.RNN's and nn.Linear's own
/// tensors, same shapes, same state_dict names): <c>set_</c> only changes which storage they view, so the
/// module's forward, state_dict() copies and <see cref="WeightSnapshot"/> all read and write the buffer.
/// </para>
/// <para>
/// Autograd accumulates into an existing gradient in place, so the per-parameter gradients, preset to
/// views of <see cref="Gradients"/>, fill the flat gradient; it must therefore be zeroed
/// (<see cref="ZeroGrad"/>), never set to none. Anything that gives a parameter a new tensor (a device
/// move, load_state_dict with replacement) breaks the link: adopt the model after such changes.
/// </para>
/// <para>
/// <see cref="Dispose"/> gives every parameter and gradient its own storage back, with the same values,
/// so the model leaves training exactly as an ordinary module.
/// </para>
/// </summary>
internal sealed class FlatParameters : IDisposable
{
    private readonly Parameter[] parameters;
    private bool disposed;

    private FlatParameters(Parameter[] parameters, Parameter values, Tensor gradients)
    {
        this.parameters = parameters;
        Values = values;
        Gradients = gradients;
    }

    /// <summary>All parameters, end to end in <c>parameters()</c> order; give this one tensor to the optimiser.</summary>
    public Parameter Values { get; }

    /// <summary>All gradients, in the same layout as <see cref="Values"/>; also <c>Values.grad</c>.</summary>
    public Tensor Gradients { get; }

    public long Count => Values.numel();

    public static FlatParameters Adopt(nn.Module model)
    {
        var parameters = model.parameters().ToArray();
        if (parameters.Length == 0)
        {
            throw new ArgumentException("the model has no parameters", nameof(model));
        }

        var dtype = parameters[0].dtype;
        var device = parameters[0].device;
        // Device has no value equality: compare its type and index.
        if (parameters.Any(p => p.dtype != dtype || p.device_type != device.type || p.device_index != device.index))
        {
            throw new ArgumentException("all parameters must share one dtype and device to live in one buffer", nameof(model));
        }

        var total = parameters.Sum(p => p.numel());
        using var noGrad = no_grad();
        // Parameter(...) takes over the tensor's handle; the buffer is the flat parameter itself.
        var values = new Parameter(zeros(total, dtype: dtype, device: device).DetachFromDisposeScope(), requires_grad: true);
        var gradients = zeros(total, dtype: dtype, device: device).DetachFromDisposeScope();
        long offset = 0;
        foreach (var parameter in parameters)
        {
            var count = parameter.numel();
            using var valueRange = values.narrow(0, offset, count);
            using var valueSlot = valueRange.view(parameter.shape);
            using var gradientRange = gradients.narrow(0, offset, count);
            using var gradientSlot = gradientRange.view(parameter.shape);
            valueSlot.copy_(parameter);
            // set_ keeps the parameter's identity (the module, the RNN's weight list and autograd all hold
            // this very tensor) and only swaps its storage for the slot in the buffer.
            Repoint(parameter, valueSlot);
            parameter.grad = gradientSlot;
            offset += count;
        }

        values.grad = gradients;
        return new FlatParameters(parameters, values, gradients);
    }

    /// <summary>One native call for all gradients; keeps the buffer (a set-to-none would cut the link).</summary>
    public void ZeroGrad() => Gradients.zero_();

    /// <summary>TorchSharp's in-place ops may hand back the receiver itself: dispose only a distinct wrapper.</summary>
    private static void Repoint(Parameter parameter, Tensor storage)
    {
        var result = parameter.set_(storage);
        if (!ReferenceEquals(result, parameter))
        {
            result.Dispose();
        }
    }

    public void Dispose()
    {
        if (disposed)
        {
            return;
        }

        disposed = true;
        using (no_grad())
        {
            foreach (var parameter in parameters)
            {
                using var ownValues = parameter.detach().clone();
                Repoint(parameter, ownValues);
                using var gradient = parameter.grad;
                if (gradient is not null)
                {
                    using var ownGradient = gradient.clone();
                    parameter.grad = ownGradient;
                }
            }
        }

        Values.Dispose();
        Gradients.Dispose();
    }
}
