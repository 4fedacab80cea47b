namespace SimpleRnnTorch.Training;

/// <summary>
/// One epoch as Keras reports it: loss is the sample-weighted mean of the batch losses seen while the
/// weights were still moving; val_loss is computed once on the validation set after the epoch.
/// </summary>
internal sealed record EpochResult(int Epoch, double Loss, double? ValidationLoss, double LearningRate, TimeSpan Duration);
