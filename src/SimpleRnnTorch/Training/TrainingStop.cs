namespace SimpleRnnTorch.Training;

internal enum StopReason
{
    /// <summary>All requested epochs ran.</summary>
    Completed,

    /// <summary>Cancelled (Ctrl-C, SIGTERM): the running step finished, its epoch was dropped.</summary>
    Interrupted,

    /// <summary>The loss became NaN or infinite (Keras' TerminateOnNaN).</summary>
    NonFiniteLoss,

    /// <summary>Early stopping: no improvement for Patience epochs; the best epoch's weights were restored.</summary>
    EarlyStopped,
}

/// <summary>
/// Why and where training stopped. <paramref name="Epoch"/> and <paramref name="Step"/> (1-based) name the
/// step that was running; after a stop the model holds the weights of the last completed epoch.
/// </summary>
internal sealed record TrainingStop(StopReason Reason, int Epoch, int Step);
