namespace SimpleRnnTorch.Model;

/// <summary>How a new model's weights are drawn (<see cref="ModelFactory"/>).</summary>
internal enum WeightInit
{
    /// <summary>torch.nn's defaults: uniform(-1/sqrt(hidden), 1/sqrt(hidden)) for every weight and bias.</summary>
    Torch,

    /// <summary>Keras': glorot-uniform input kernels, orthogonal recurrent kernels, zero biases.</summary>
    Keras,
}
