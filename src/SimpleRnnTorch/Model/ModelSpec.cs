using System.Text.Json.Serialization;

namespace SimpleRnnTorch.Model;

/// <summary>Shape of the network; saved with a model so that loading needs no flags.</summary>
internal sealed record ModelSpec(int InputSize = 1, int HiddenSize = 5, int Layers = 1, CellKind Cell = CellKind.Rnn)
{
    /// <summary>Gate blocks per recurrent layer: torch stacks them row-wise in every weight and bias.</summary>
    [JsonIgnore]
    public int Gates => Cell switch { CellKind.Lstm => 4, CellKind.Gru => 3, _ => 1 };

    /// <summary>PyTorch's parameter count of the recurrent layers: per layer W_ih, W_hh and two biases.</summary>
    [JsonIgnore]
    public long RecurrentParameters
    {
        get
        {
            long h = HiddenSize, total = 0;
            for (var layer = 0; layer < Layers; layer++)
            {
                long inputs = layer == 0 ? InputSize : h;
                total += Gates * h * (inputs + h + 2);
            }

            return total;
        }
    }

    /// <summary>The Linear head: hidden weights and one bias.</summary>
    [JsonIgnore]
    public long HeadParameters => HiddenSize + 1L;

    [JsonIgnore]
    public long Parameters => RecurrentParameters + HeadParameters;

    /// <summary>Rows for a Keras-style summary, from the spec alone (no tensors needed).</summary>
    public IReadOnlyList<LayerSummary> Summarize() =>
    [
        new("rnn", Cell.ToString().ToUpperInvariant(), $"(None, {HiddenSize})", RecurrentParameters),
        new("head", "Linear", "(None, 1)", HeadParameters),
    ];
}

/// <summary>The recurrent layer: torch.nn.RNN (tanh), LSTM or GRU.</summary>
internal enum CellKind
{
    Rnn,
    Lstm,
    Gru,
}
