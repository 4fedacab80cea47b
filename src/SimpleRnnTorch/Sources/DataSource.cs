using SimpleRnnTorch.Data;
using SimpleRnnTorch.Model;
using SimpleRnnTorch.Persistence;
using SimpleRnnTorch.Scaling;
using static TorchSharp.torch;

namespace SimpleRnnTorch.Sources;

/// <summary>
/// What a training job learns from: one of a closed set of cases, each in its own file, each owning what
/// differs between them. <see cref="LessonData"/> (the lesson's arithmetic sequences, ÷ a divisor),
/// <see cref="AddingData"/> (the adding problem: two features a step, unscaled) and <see cref="SeriesData"/>
/// (windows of one column of a CSV file, each relative to its own last value).
/// <para>
/// A case says how many features a step has and how long a window is, makes or reads its data and
/// scales and splits it (<see cref="Prepare"/>), evaluates the trained model and writes the files that
/// go with that (<see cref="Evaluate"/>), and names those files (<see cref="FileNames"/>), so that the
/// pipeline reads top to bottom without asking which case it holds. A fourth source is one more file here.
/// </para>
/// The constructor is private to this assembly's cases: no other kind of source can exist.
/// </summary>
internal abstract record DataSource
{
    private protected DataSource()
    {
    }

    /// <summary>Features per time step: the model's input size.</summary>
    public abstract int Features { get; }

    /// <summary>Inputs per sample (T): the window the model reads.</summary>
    public abstract int TimeSteps { get; }

    /// <summary>
    /// Window values each recurrent step reads (<see cref="ModelSpec.ValuesPerStep"/>) when the job does not say, for a
    /// window of <paramref name="timeSteps"/>: 1, every value its own step (the lesson; the adding problem, whose point is
    /// the gradient through every step).
    /// </summary>
    public virtual int ValuesPerStepFor(int timeSteps) => 1;

    /// <summary>The files this source writes into a run's folder after training, beside the run's own.</summary>
    public abstract IReadOnlyList<string> FileNames { get; }

    /// <summary>Samples the source makes, or null when a file decides how many (a series).</summary>
    public virtual int? Samples => null;

    /// <summary>The same source making <paramref name="count"/> samples (the benchmark's sizes); a source read from a file stays itself.</summary>
    public virtual DataSource WithSamples(int count) => this;

    /// <summary>Sequences to continue after training when the job names none (the lesson's question).</summary>
    public virtual IReadOnlyList<double[]> DefaultQuestions => [];

    /// <summary>
    /// Makes or reads the data, scales it and splits it: the last <paramref name="validationSplit"/> of the
    /// samples validate, before any shuffling (Keras' validation_split). Writes no file; a bad input file
    /// is a <see cref="SeriesDataException"/> here, before the run's folder exists.
    /// </summary>
    public abstract PreparedData Prepare(long seed, double validationSplit, Device device);

    /// <summary>
    /// How the trained model does on this kind of data (the files that show it are the outcome's to write,
    /// <see cref="DataOutcome.WriteFiles"/>). Called only for a run that ended as planned.
    /// </summary>
    public abstract DataOutcome? Evaluate(SequenceRegressor model, PreparedData data, EvaluationContext context);
}

/// <summary>What the evaluation of a trained model needs besides the model and its data.</summary>
/// <param name="Seed">The evaluation's data seed: away from the training seed, which would regenerate the training data.</param>
/// <param name="ModelName">How tables name the model, e.g. "model (rnn)".</param>
/// <param name="Cancellation">Stops a long evaluation (a backtest) between its steps: OperationCanceledException.</param>
internal sealed record EvaluationContext(long Seed, Device Device, string ModelName, CancellationToken Cancellation = default);

/// <summary>One file that shows an outcome: its name in the run's folder, and its contents, made when it is written.</summary>
internal sealed record OutcomeFile(string Name, Func<byte[]> Contents);

/// <summary>What a source's evaluation found; each source has its own case.</summary>
internal abstract record DataOutcome
{
    /// <summary>The files written for it, in the order written (set by the pipeline from <see cref="Files"/>).</summary>
    public IReadOnlyList<string> Written { get; init; } = [];

    /// <summary>
    /// The files that show this outcome, by name (one of the source's <see cref="DataSource.FileNames"/>) with their
    /// contents; the pipeline writes them, atomically, where the run's files go. The outcome writes nothing itself.
    /// </summary>
    public virtual IReadOnlyList<OutcomeFile> Files => [];

    /// <summary>What the saved model keeps of this outcome (a series' interval); the manifest unchanged by default.</summary>
    public virtual ModelManifest Annotate(ModelManifest manifest) => manifest;
}

/// <summary>
/// A source's data, ready to train on: the tensors, the scaler, what the narration shows, and what the
/// saved model's manifest records about the data. Owns the tensors.
/// </summary>
internal sealed class PreparedData : IDisposable
{
    public required TrainingData Tensors { get; init; }

    public required SequenceScaler Scaler { get; init; }

    public required DataSummary Summary { get; init; }

    /// <summary>The manifest's description of the samples (count and time steps, and the lesson's generator).</summary>
    public required SequenceSpec Spec { get; init; }

    /// <summary>The manifest's task: what the saved model's inputs mean.</summary>
    public required SequenceTask Task { get; init; }

    /// <summary>A series' origin, recorded in the manifest; null for generated data.</summary>
    public SeriesOrigin? Origin { get; init; }

    /// <summary>
    /// The most training samples an epoch sees, or null for the job's own cap: a source whose training part is a pool of
    /// several epochs' worth (a panel's windows) sets it, and every epoch draws that many from a fresh shuffle of the pool.
    /// </summary>
    public int? SamplesPerEpoch { get; init; }

    /// <summary>
    /// The window values a recurrent step reads by default for this data, or null for the source's rule by the window alone
    /// (<see cref="DataSource.ValuesPerStepFor"/>): a panel's window of two seasons of months is read two a step, which the
    /// window's length alone does not tell (24 is also one season of hours, read one a step).
    /// </summary>
    public int? ValuesPerStep { get; init; }

    /// <summary>Making or reading, scaling and splitting (the benchmark reports it apart from training).</summary>
    public TimeSpan Duration { get; init; }

    public void Dispose() => Tensors.Dispose();
}
