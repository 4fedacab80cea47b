namespace SimpleRnnTorch.Model;

/// <summary>Shape of the network; saved with a model so that loading needs no flags.</summary>
public sealed record ModelSpec(int InputSize = 1, int HiddenSize = 5, int Layers = 1);
