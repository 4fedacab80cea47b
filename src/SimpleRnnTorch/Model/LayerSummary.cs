namespace SimpleRnnTorch.Model;

/// <summary>One row of a Keras-style model summary.</summary>
internal sealed record LayerSummary(string Name, string Type, string OutputShape, long Parameters);
