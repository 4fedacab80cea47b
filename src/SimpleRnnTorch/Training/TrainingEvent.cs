
namespace SimpleRnnTorch.Training;

/// <summary>
/// What a training job tells its observers, in order: the data and the model once they exist, then
/// every epoch and step, then the end of the fit. The pipeline and the trainer never write to the
/// console: the CLI renders these as the lesson's narration and Keras-style progress, the checkpoint
/// writer saves on epoch ends, tests record them, the benchmark times them.
/// </summary>
internal abstract record TrainingEvent;

internal sealed record EpochStarted(int Epoch, int Epochs, int Steps) : TrainingEvent;

/// <summary>After every optimiser step; <paramref name="RunningLoss"/> is the epoch's mean so far.</summary>
internal sealed record StepCompleted(int Epoch, int Step, int Steps, double RunningLoss) : TrainingEvent;

internal sealed record EpochCompleted(EpochResult Result, int Epochs) : TrainingEvent;

/// <summary>The fit is over (completed or stopped); what follows writes artifacts and evaluates.</summary>
internal sealed record FitEnded(TrainingHistory History) : TrainingEvent;

/// <summary>The fit ended as planned and the source's evaluation begins (a series' or a panel's backtest and forecast: on a large panel, a minute or more).</summary>
internal sealed record EvaluationStarted : TrainingEvent;

/// <summary>The source's evaluation is over (done, stopped by the cancellation, or not run); what follows only writes files.</summary>
internal sealed record EvaluationEnded(bool Stopped) : TrainingEvent;

/// <summary>Anything that wants to hear about a training job: progress, checkpoints, timers.</summary>
internal interface ITrainingObserver
{
    void Observe(TrainingEvent e);
}

/// <summary>An observer from a delegate, for the small ones (a timer, a test's recorder).</summary>
internal sealed class TrainingObserver(Action<TrainingEvent> observe) : ITrainingObserver
{
    public void Observe(TrainingEvent e) => observe(e);
}
