namespace SimpleRnnTorch.Model;

/// <summary>Shape of the network; saved with a model so that loading needs no flags.</summary>
public sealed record ModelSpec(int InputSize = 1, int HiddenSize = 5, int Layers = 1, CellKind Cell = CellKind.Rnn);

/// <summary>The recurrent layer: torch.nn.RNN (tanh), LSTM or GRU.</summary>
public enum CellKind
{
    Rnn,
    Lstm,
    Gru,
}
