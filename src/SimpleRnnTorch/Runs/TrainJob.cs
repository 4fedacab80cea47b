using SimpleRnnTorch.Data;
using SimpleRnnTorch.Model;
using SimpleRnnTorch.Persistence;
using SimpleRnnTorch.Reporting;
using SimpleRnnTorch.Sources;
using SimpleRnnTorch.Training;

namespace SimpleRnnTorch.Runs;

/// <summary>
/// Everything one training job is asked to do: which data (one <see cref="DataSource"/>), which model,
/// how to fit it, where it runs, what to keep and what to predict afterwards. The command line builds one
/// from its options, the benchmark and the tests build theirs in code; <see cref="TrainingPipeline"/> runs
/// it. The defaults are the lesson's with the program's optimiser: <c>new TrainJob()</c> is `dotnet run`.
/// </summary>
internal sealed record TrainJob
{
    public DataSource Source { get; init; } = new LessonData();

    /// <summary>
    /// The network; its input size is always the source's features per step, and the values it reads a step are
    /// <see cref="ValuesPerStep"/>'s, fixed once the window is known (<see cref="ModelFor"/>).
    /// </summary>
    public ModelSpec Model
    {
        get => field with { InputSize = Source.Features, ValuesPerStep = 1 };
        init;
    } = new();

    /// <summary>Window values each recurrent step reads (<see cref="ModelSpec.ValuesPerStep"/>); null: the source's rule (<see cref="DataSource.ValuesPerStepFor"/>).</summary>
    public int? ValuesPerStep
    {
        get;
        init => field = value is null or >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(ValuesPerStep), value, "at least 1");
    }

    /// <summary>
    /// The network this job trains on windows of <paramref name="timeSteps"/>: <see cref="Model"/> reading <see cref="ValuesPerStep"/>
    /// values a step, else the data's choice (<see cref="PreparedData.ValuesPerStep"/>), else the source's rule by the window.
    /// </summary>
    public ModelSpec ModelFor(int timeSteps, int? dataChoice = null) => Model with { ValuesPerStep = ValuesPerStep ?? dataChoice ?? Source.ValuesPerStepFor(timeSteps) };

    /// <summary>Why this job's network cannot read windows of <paramref name="timeSteps"/> (values a step that do not divide it), or null.</summary>
    public string? WindowProblem(int timeSteps, int? dataChoice = null)
    {
        var spec = ModelFor(timeSteps, dataChoice);
        return spec.Reads(timeSteps) ? null : $"--values-per-step {spec.ValuesPerStep} does not divide the window of {timeSteps} values: give a divisor of {timeSteps}, or another --time-steps";
    }

    public TrainingConfig Training { get; init; } = new();

    public DeviceKind Device { get; init; } = DeviceKind.Cpu;

    /// <summary>libtorch CPU threads: 1 is fastest for this small model and immune to a busy neighbour core.</summary>
    public int Threads { get; init; } = DefaultThreads;

    public const int DefaultThreads = 1;

    /// <summary>Where plots, history and model go; null keeps nothing on disk (the benchmark, most tests).</summary>
    public ArtifactPlan? Artifacts { get; init; }

    /// <summary>
    /// Sequences (in original units, <see cref="DataSource.TimeSteps"/> × features values each) to continue
    /// after training; unless set, the source's own question (the lesson's [50, 60, 70]).
    /// </summary>
    public IReadOnlyList<double[]> Predict
    {
        get => field ?? Source.DefaultQuestions;
        init;
    }

    /// <summary>The evaluation's data seed: away from the training seed, which would regenerate the training data.</summary>
    public long EvaluationSeed => EvaluationSeedFor(Training.Seed);

    public static long EvaluationSeedFor(long trainingSeed) => trainingSeed + 1000;

    /// <summary>The run's files, when it keeps any.</summary>
    public RunFiles? Files => Artifacts?.Files(Source);

    /// <summary>
    /// The adding problem's job: hidden 16, batch 64, Adam 0.01 held constant, 8,000 sequences (6,400
    /// training, 100 steps an epoch) for 15 epochs, so every T gets the same 1,500 optimiser steps and the
    /// whole comparison (T in {5, 10, 20, 50, 100}, three cells, five seeds) trains in under 20 minutes on
    /// one thread (docs/long-sequences.md). Constant, not the lesson's cosine: an LSTM at T = 100 sits on the
    /// constant guess for hundreds of steps before it finds the markers, and a decaying rate leaves it there.
    /// What is not set here is the lesson's.
    /// </summary>
    public static TrainJob Adding(int timeSteps = AddingData.DefaultTimeSteps, int evalCount = 0) => new()
    {
        Source = new AddingData(TimeSteps: timeSteps, EvalCount: evalCount),
        Model = new ModelSpec(HiddenSize: 16),
        Training = new TrainingConfig { Epochs = 15, BatchSize = 64, LearningRate = 0.01, Schedule = LearningRateSchedule.Constant },
    };

    /// <summary>
    /// The most steps an epoch of a series takes (<see cref="TrainingConfig.MaxStepsPerEpoch"/>): the batch of 32 grows
    /// past 512 training windows, so that a long series costs what one of about 650 values does an epoch. On the
    /// corpus's ten long series (600–2,284 values, docs/series.md) mean MASE 3.223 at batch 32, 3.223 with it; one
    /// network on the 5,478 daily values of data/corpus/syn_daily_long.csv 26–35 s at batch 32, 7–9 s with it.
    /// </summary>
    public const int SeriesStepsPerEpoch = 16;

    /// <summary>
    /// The most training windows an epoch of a series sees (<see cref="TrainingConfig.MaxSamplesPerEpoch"/>): with
    /// <see cref="SeriesStepsPerEpoch"/>, a batch of at most 4,096. No series of the corpus comes near it (the longest has
    /// 4,376 training windows); a series of 2,000,000 values took 4.0 GB and 197 s for one epoch without it, its batch of
    /// 100,000 windows holding the GRU's activations for backward (docs/series.md).
    /// </summary>
    public const int SeriesSamplesPerEpoch = 65_536;

    /// <summary>
    /// The most validation windows a series' loss after each epoch is computed on (<see cref="TrainingConfig.MaxValidationSamples"/>),
    /// evenly spaced over its validation part: no series of the corpus comes near it (the longest validates 1,095); one of
    /// 2,000,000 values predicted all of its 400,000 every epoch, most of the epoch's time (docs/series.md).
    /// </summary>
    public const int SeriesValidationSamples = 16_384;

    /// <summary>
    /// The networks a series' model averages (<see cref="ModelSpec.Members"/>). On the corpus's 46 series nobody tuned
    /// on (docs/series.md), mean MASE 1.811 with one, 1.767 with three, 1.737 with five; a default run of 5,478 daily
    /// values 7–9 s with one, 12–15 s with three, 17–19 s with five (the ensemble trains for more epochs before its
    /// validation loss stops falling). Three: over half the gain of five for about two thirds of its time.
    /// </summary>
    public const int SeriesMembers = 3;

    /// <summary>
    /// A series' job: an ensemble of <see cref="SeriesMembers"/> GRUs of 16 units on windows of a season (<see cref="SeriesData.WindowFor"/>), Adam 0.01 held
    /// constant for up to 100 epochs of at most <see cref="SeriesStepsPerEpoch"/> steps, stopped early after 15 without improvement with the best weights restored.
    /// Chosen by the multi-origin backtest on yearly, quarterly, monthly and weekly series (docs/series.md). What
    /// is not set here is the lesson's.
    /// </summary>
    public static TrainJob Series(SeriesSettings settings, int? window = null) => new()
    {
        Source = new SeriesData(settings, window),
        Model = new ModelSpec(HiddenSize: 16, Cell: CellKind.Gru, Members: SeriesMembers),
        Training = new TrainingConfig { Epochs = 100, LearningRate = 0.01, Schedule = LearningRateSchedule.Constant, Patience = 15, MaxStepsPerEpoch = SeriesStepsPerEpoch, MaxSamplesPerEpoch = SeriesSamplesPerEpoch, MaxValidationSamples = SeriesValidationSamples },
    };
}

/// <summary>Where a job keeps its files: the folder it holds locked for the whole run, and the model file.</summary>
internal sealed record ArtifactPlan(string Folder, string? ModelPath, LossScale LossScale = LossScale.Auto)
{
    /// <summary>Where runs write when told nothing else.</summary>
    public const string DefaultFolder = "plots";

    /// <summary>The model file a run into <paramref name="folder"/> saves unless told otherwise.</summary>
    public static string DefaultModelPath(string folder) => RunFiles.DefaultModelPath(folder);

    /// <summary>How messages name the folder and the model file; the command line names its options.</summary>
    public (string Folder, string Model) Labels { get; init; } = ("the output folder", "the model file");

    public RunFiles Files(DataSource source) => new(Folder, ModelPath, source.FileNames) { FolderLabel = Labels.Folder, ModelLabel = Labels.Model };
}
