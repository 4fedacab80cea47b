using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SimpleRnnTorch.Model;

/// <summary>
/// The lesson's network: torch.nn.RNN(1 -> hidden, tanh, batch-first), whose last hidden state feeds
/// torch.nn.Linear(hidden -> 1). Keras' SimpleRNN(5) + Dense(1), in PyTorch's vocabulary. The recurrent
/// layer can also be an LSTM or a GRU (<see cref="ModelSpec.Cell"/>).
/// Field names become state_dict keys (rnn.weight_ih_l0, ..., head.weight), the same as in PyTorch.
/// </summary>
internal sealed class SequenceRegressor : nn.Module<Tensor, Tensor>
{
    private readonly nn.Module rnn;
    private readonly Linear head;

    public ModelSpec Spec { get; }

    public SequenceRegressor(ModelSpec spec) : base(nameof(SequenceRegressor))
    {
        Spec = spec;
        rnn = spec.Cell switch
        {
            CellKind.Lstm => nn.LSTM(spec.StepInputs, spec.Units, numLayers: spec.Layers, batchFirst: true),
            CellKind.Gru => nn.GRU(spec.StepInputs, spec.Units, numLayers: spec.Layers, batchFirst: true),
            _ => nn.RNN(spec.StepInputs, spec.Units, numLayers: spec.Layers, nonLinearity: nn.NonLinearities.Tanh, batchFirst: true),
        };
        head = nn.Linear(spec.Units, spec.Members);
        RegisterComponents();
    }

    /// <param name="input">(batch, time steps, features)</param>
    /// <returns>(batch, 1): the members' mean, or the one network's output.</returns>
    public override Tensor forward(Tensor input)
    {
        if (Spec.Members == 1)
        {
            return MemberOutputs(input);
        }

        using var members = MemberOutputs(input);
        return members.mean([1], keepdim: true);
    }

    /// <summary>
    /// Each member's output, (batch, members): what training fits, every member to the same target, so that each
    /// learns as it would alone (its gradient is its own loss's over the members' count, a scale Adam does not see, and
    /// moves only its block).
    /// </summary>
    public Tensor MemberOutputs(Tensor input)
    {
        if (Spec.ValuesPerStep > 1)
        {
            // (N, T, F) -> (N, T/k, k·F): k consecutive steps side by side, a row-major view of the same values.
            if (input.dim() != 3 || !Spec.Reads((int)input.shape[1]))
            {
                throw new ArgumentException($"a window of {(input.dim() == 3 ? input.shape[1] : 0)} steps is not whole steps of {Spec.ValuesPerStep} values", nameof(input));
            }

            using var steps = input.reshape(input.shape[0], input.shape[1] / Spec.ValuesPerStep, Spec.StepInputs);
            return LastStateHead(steps);
        }

        return LastStateHead(input);
    }

    private Tensor LastStateHead(Tensor input)
    {
        // h_n is (layers, batch, hidden); the top layer's final state summarises the sequence,
        // exactly what Keras' SimpleRNN returns with return_sequences=False.
        // TorchSharp's LSTM returns a flat (output, h_n, c_n); only h_n matters here.
        using var hN = rnn switch
        {
            RNN r => r.call(input).Item2,
            LSTM l => LstmFinalState(l, input),
            GRU g => g.call(input).Item2,
            _ => throw new InvalidOperationException($"unsupported recurrent layer {rnn.GetType().Name}"),
        };
        using var last = hN[-1];
        return head.call(last);
    }

    /// <summary>
    /// libtorch 2.10's CPU LSTM takes another kernel when autograd is off (no_grad), and that kernel's
    /// results are wrong here: validation MSE 4e-4 instead of 1.5e-6 for the same weights and inputs,
    /// while RNN and GRU agree in both modes (measured; PyTorch 1.13 agrees too). So an LSTM always runs
    /// its forward pass with autograd on and hands back a detached result when autograd was off.
    /// </summary>
    private static Tensor LstmFinalState(LSTM lstm, Tensor input)
    {
        if (is_grad_enabled())
        {
            return lstm.call(input).Item2;
        }

        using var grad = enable_grad();
        var (output, hN, cN) = lstm.call(input);
        output.Dispose();
        cN.Dispose();
        using (hN)
        {
            return hN.detach();
        }
    }

    /// <summary>
    /// Where each parameter may be nonzero, flattened end to end in <c>parameters()</c> order (the layout of the
    /// trainer's flat gradient): within a member's block (its own units' rows and columns) 1, elsewhere 0. Null for one
    /// network, which has no blocks. Multiplying the gradient by it keeps the blocks off the diagonal at zero.
    /// </summary>
    public Tensor? BlockMask()
    {
        if (Spec.Members == 1)
        {
            return null;
        }

        using var scope = NewDisposeScope();
        var masks = named_parameters().Select(p => MaskOf(p.name, p.parameter).flatten()).ToArray();
        return cat(masks, 0).MoveToOuterDisposeScope();
    }

    private Tensor MaskOf(string name, Tensor parameter)
    {
        var (units, hidden) = ((long)Spec.Units, (long)Spec.HiddenSize);
        var options = (parameter.dtype, parameter.device);
        var blocks = name.StartsWith("rnn.weight_hh_l", StringComparison.Ordinal) || (name.StartsWith("rnn.weight_ih_l", StringComparison.Ordinal) && name != "rnn.weight_ih_l0");
        if (!blocks && name != "head.weight")
        {
            return ones_like(parameter);
        }

        // A row's member: its unit within the gate block (rnn), or the output it is (head); a column's: its unit.
        var rows = name == "head.weight" ? arange(Spec.Members, device: options.device) : arange(parameter.shape[0], device: options.device).remainder(units).div(hidden, RoundingMode.floor);
        var columns = arange(units, device: options.device).div(hidden, RoundingMode.floor);
        return rows.unsqueeze(1).eq(columns.unsqueeze(0)).to(options.dtype);
    }

    /// <summary>
    /// An ensemble whose member k is <paramref name="members"/>[k] (each a one-network model of the same hidden size):
    /// its weights copied into block k, every other weight 0. So member k computes exactly what the network alone does.
    /// </summary>
    public static SequenceRegressor FromMembers(ModelSpec spec, IReadOnlyList<SequenceRegressor> members)
    {
        if (members.Count != spec.Members || members.Any(m => m.Spec != spec with { Members = 1 }))
        {
            throw new ArgumentException($"{spec.Members} members of hidden size {spec.HiddenSize} expected", nameof(members));
        }

        var ensemble = new SequenceRegressor(spec);
        using var noGrad = no_grad();
        var (units, hidden) = ((long)spec.Units, (long)spec.HiddenSize);
        var targets = ensemble.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        foreach (var target in targets.Values)
        {
            target.zero_();
        }

        for (var k = 0; k < members.Count; k++)
        {
            foreach (var (name, source) in members[k].named_parameters())
            {
                var target = targets[name];
                if (name == "head.weight")
                {
                    target.narrow(0, k, 1).narrow(1, k * hidden, hidden).copy_(source);
                    continue;
                }

                if (name == "head.bias")
                {
                    target.narrow(0, k, 1).copy_(source);
                    continue;
                }

                // rnn.*: each gate block's rows of member k; the columns of its units where the inputs are units.
                var square = source.dim() == 2 && name != "rnn.weight_ih_l0";
                for (var g = 0L; g < spec.Gates; g++)
                {
                    using var rows = target.narrow(0, (g * units) + (k * hidden), hidden);
                    using var from = source.narrow(0, g * hidden, hidden);
                    if (square)
                    {
                        rows.narrow(1, k * hidden, hidden).copy_(from);
                    }
                    else
                    {
                        rows.copy_(from);
                    }
                }
            }
        }

        return ensemble;
    }

    /// <summary>Rows for a Keras-style summary: layer name, type, output shape, parameter count.</summary>
    public IReadOnlyList<LayerSummary> Summarize() => Spec.Summarize();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            rnn.Dispose();
            head.Dispose();
        }
        base.Dispose(disposing);
    }
}
