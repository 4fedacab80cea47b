using System.Text.Json.Serialization;

namespace SimpleRnnTorch.Model;

/// <summary>Shape of the network; saved with a model so that loading needs no flags.</summary>
/// <param name="Members">
/// Networks of <paramref name="HiddenSize"/> units whose outputs are averaged (an ensemble, as N-BEATS forecasts); they
/// run side by side as one recurrent layer of <see cref="Units"/> units whose weights are block-diagonal, member by
/// member, so that each sees only its own units (<see cref="SequenceRegressor"/>), and one head with an output each.
/// </param>
/// <param name="ValuesPerStep">
/// Window values the recurrent layer reads at each step: a window of T steps of <paramref name="InputSize"/> features is
/// read as T / k steps of k · <paramref name="InputSize"/> (consecutive values side by side, the oldest first). A step's
/// cost hardly depends on its width, so a long window trains in about 1 / k of the time (<see cref="SequenceRegressor"/>).
/// It must divide the window. Written to a model file only where it is not 1, so files without it read as 1.
/// </param>
internal sealed record ModelSpec(int InputSize = 1, int HiddenSize = 5, int Layers = 1, CellKind Cell = CellKind.Rnn, int Members = 1, int ValuesPerStep = 1)
{
    /// <summary>The most members a model may have.</summary>
    public const int MaxMembers = 64;

    /// <summary>Gate blocks per recurrent layer: torch stacks them row-wise in every weight and bias.</summary>
    [JsonIgnore]
    public int Gates => Cell switch { CellKind.Lstm => 4, CellKind.Gru => 3, _ => 1 };

    /// <summary>The first recurrent layer's inputs a step: <see cref="ValuesPerStep"/> steps of the window side by side.</summary>
    [JsonIgnore]
    public int StepInputs => InputSize * ValuesPerStep;

    /// <summary>Whether this model reads a window of <paramref name="timeSteps"/> steps: whole steps of <see cref="ValuesPerStep"/> values.</summary>
    public bool Reads(int timeSteps) => ValuesPerStep >= 1 && timeSteps >= ValuesPerStep && timeSteps % ValuesPerStep == 0;

    /// <summary>The recurrent layer's width: every member's units side by side.</summary>
    [JsonIgnore]
    public int Units => HiddenSize * Members;

    /// <summary>PyTorch's parameter count of one member's recurrent layers: per layer W_ih, W_hh and two biases.</summary>
    [JsonIgnore]
    public long MemberRecurrentParameters => RecurrentValues(HiddenSize);

    /// <summary>The members' recurrent parameters (the blocks off the diagonal are zeros, not parameters).</summary>
    [JsonIgnore]
    public long RecurrentParameters => MemberRecurrentParameters * Members;

    /// <summary>The Linear head: each member's hidden weights and one bias.</summary>
    [JsonIgnore]
    public long HeadParameters => (HiddenSize + 1L) * Members;

    [JsonIgnore]
    public long Parameters => RecurrentParameters + HeadParameters;

    /// <summary>
    /// The values the model's tensors hold, the zero blocks of an ensemble included: its recurrent layer is one of
    /// <see cref="Units"/> units, its head <see cref="Units"/> → <see cref="Members"/>. For one network, <see cref="Parameters"/>.
    /// </summary>
    [JsonIgnore]
    public long StoredValues => RecurrentValues(Units) + ((Units + 1L) * Members);

    /// <summary>The values of recurrent layers <paramref name="width"/> units wide: per layer W_ih, W_hh and two biases.</summary>
    private long RecurrentValues(long width)
    {
        long total = 0;
        for (var layer = 0; layer < Layers; layer++)
        {
            total += Gates * width * ((layer == 0 ? StepInputs : width) + width + 2);
        }

        return total;
    }

    /// <summary>Rows for a Keras-style summary, from the spec alone (no tensors needed); the window's steps where <paramref name="timeSteps"/> is known.</summary>
    public IReadOnlyList<LayerSummary> Summarize(int? timeSteps = null)
    {
        var steps = timeSteps is { } t ? (t / ValuesPerStep).ToString(System.Globalization.CultureInfo.InvariantCulture) : $"T/{ValuesPerStep}";
        List<LayerSummary> rows = ValuesPerStep == 1 ? [] : [new("steps", "Reshape", $"(None, {steps}, {StepInputs})", 0)];
        rows.AddRange(Members == 1
            ?
            [
                new("rnn", Cell.ToString().ToUpperInvariant(), $"(None, {HiddenSize})", RecurrentParameters),
                new("head", "Linear", "(None, 1)", HeadParameters),
            ]
            :
            [
                new("rnn", $"{Members} × {Cell.ToString().ToUpperInvariant()}", $"(None, {Members} × {HiddenSize})", RecurrentParameters),
                new("head", $"{Members} × Linear", $"(None, {Members})", HeadParameters),
                new("mean", "Mean", "(None, 1)", 0),
            ]);
        return rows;
    }
}

/// <summary>The recurrent layer: torch.nn.RNN (tanh), LSTM or GRU.</summary>
internal enum CellKind
{
    Rnn,
    Lstm,
    Gru,
}
