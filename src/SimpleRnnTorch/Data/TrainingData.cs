using SimpleRnnTorch.Scaling;
using static TorchSharp.torch;

namespace SimpleRnnTorch.Data;

/// <summary>
/// The lesson's tensors, scaled and shaped for a batch-first RNN: inputs (N, T, 1), targets (N, 1),
/// already cut into the training part and the validation part (the last fraction, as Keras'
/// validation_split does, before any shuffling).
/// </summary>
internal sealed class TrainingData : IDisposable
{
    public required Tensor TrainInputs { get; init; }
    public required Tensor TrainTargets { get; init; }
    public required Tensor ValidationInputs { get; init; }
    public required Tensor ValidationTargets { get; init; }

    public long TrainCount => TrainInputs.shape[0];
    public long ValidationCount => ValidationInputs.shape[0];

    /// <summary>Keras: split_at = int(N * (1 - validation_split)); samples [split_at, N) validate.</summary>
    public static long TrainCountFor(long count, double validationSplit) => (long)(count * (1.0 - validationSplit));

    public static TrainingData Create(Tensor sequences, SequenceScaler scaler, double validationSplit, Device device)
    {
        // The scaled, reshaped copies die with this scope; Split's four results are moved out of it.
        using var scope = NewDisposeScope();
        var (inputs, targets) = SequenceData.SplitInputsTargets(sequences);
        var (scaledInputs, scaledTargets) = scaler.Transform(inputs, targets);
        var x = scaledInputs.unsqueeze(-1);   // (N, T) -> (N, T, 1)
        var y = scaledTargets.unsqueeze(-1);  // (N) -> (N, 1)
        var data = Split(x, y, validationSplit, device);
        data.TrainInputs.MoveToOuterDisposeScope();
        data.TrainTargets.MoveToOuterDisposeScope();
        data.ValidationInputs.MoveToOuterDisposeScope();
        data.ValidationTargets.MoveToOuterDisposeScope();
        return data;
    }

    /// <summary>
    /// Inputs that are already shaped (N, T, features) and targets (N, 1), such as the adding problem's,
    /// cut the same way: the last fraction validates, before any shuffling. The arguments stay the caller's.
    /// </summary>
    public static TrainingData Split(Tensor inputs, Tensor targets, double validationSplit, Device device)
    {
        using var scope = NewDisposeScope();
        var x = inputs.to(device);
        var y = targets.to(device);
        var n = inputs.shape[0];
        var trainCount = TrainCountFor(n, validationSplit);
        return new TrainingData
        {
            TrainInputs = x.narrow(0, 0, trainCount).contiguous().MoveToOuterDisposeScope(),
            TrainTargets = y.narrow(0, 0, trainCount).contiguous().MoveToOuterDisposeScope(),
            ValidationInputs = x.narrow(0, trainCount, n - trainCount).contiguous().MoveToOuterDisposeScope(),
            ValidationTargets = y.narrow(0, trainCount, n - trainCount).contiguous().MoveToOuterDisposeScope(),
        };
    }

    public void Dispose()
    {
        TrainInputs.Dispose();
        TrainTargets.Dispose();
        ValidationInputs.Dispose();
        ValidationTargets.Dispose();
    }
}
