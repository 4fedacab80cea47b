using System.CommandLine.Parsing;
using System.CommandLine;
using SimpleRnnTorch.Cli.Sources;
using SimpleRnnTorch.Cli.Views;
using SimpleRnnTorch.Data;
using SimpleRnnTorch.Evaluation;
using SimpleRnnTorch.Model;
using SimpleRnnTorch.Persistence;
using SimpleRnnTorch.Prediction;
using SimpleRnnTorch.Reporting;
using SimpleRnnTorch.Runs;
using SimpleRnnTorch.Sources;
using SimpleRnnTorch.Training;

namespace SimpleRnnTorch.Cli;

/// <summary>
/// The options of `train` that every source shares, each with its help and its default, which comes from the
/// records (<see cref="TrainJob"/>, <see cref="LessonData"/>, the sources' presets): a default lives there and help
/// shows it. A source's own options are its own (<see cref="SourceCli.OwnOptions"/>).
/// </summary>
internal sealed class TrainOptions(SharedOptions shared)
{
    public SharedOptions Shared { get; } = shared;

    private static readonly TrainJob Defaults = new();
    private static readonly LessonData LessonDefaults = new();
    private static readonly TrainJob AddingDefaults = AddingCli.Preset;
    private static readonly AddingData AddingSource = AddingCli.Source;

    public Option<Choice<SequenceTask>> Task { get; } = OptionKit.Choice("--task",
        "What to learn: arithmetic (the lesson: the next number) or adding (the adding problem: the sum of two marked values, which needs memory; " +
        $"see docs/long-sequences.md). With adding, options left out take its defaults: --time-steps {AddingSource.TimeSteps}, --sequences {AddingSource.Count}, " +
        $"--hidden {AddingDefaults.Model.HiddenSize}, --epochs {AddingDefaults.Training.Epochs}, --batch-size {AddingDefaults.Training.BatchSize}, " +
        $"--lr {AddingDefaults.Training.LearningRate.ToString(System.Globalization.CultureInfo.InvariantCulture)}, --schedule {AddingDefaults.Training.Schedule.ToString().ToLowerInvariant()}", SequenceTask.Arithmetic);

    public Option<int> Sequences { get; } = OptionKit.Int("--sequences", "Number of sequences to generate", LessonDefaults.Spec.Count, 2, 50_000_000);
    public Option<int> TimeSteps { get; } = OptionKit.Int("--time-steps", "Inputs per sequence (T); the target is the next value", LessonDefaults.Spec.TimeSteps, 1, 10_000);
    public Option<int> StartMin { get; } = OptionKit.Int("--start-min", "Smallest first value of a training sequence", LessonDefaults.Spec.StartMin, -1_000_000_000, 1_000_000_000);
    public Option<int> StartMax { get; } = OptionKit.Int("--start-max", "First values are drawn below this (exclusive)", LessonDefaults.Spec.StartMax, -1_000_000_000, 1_000_000_000);
    public Option<int> Step { get; } = OptionKit.Int("--step", "Difference between consecutive values", LessonDefaults.Spec.Step, -1_000_000, 1_000_000);
    public Option<int?> StepMax { get; } = OptionKit.NullableInt("--step-max", "Draw each sequence's step from [--step, --step-max] instead of one step", -1_000_000, 1_000_000);
    public Option<double> Scale { get; } = OptionKit.Double("--scale", "Divide inputs and targets by this (tanh units like values near [-1, 1])", LessonDefaults.Divisor, 0, double.PositiveInfinity, minExclusive: true, maxExclusive: false);

    public Option<Choice<CellKind>> Cell { get; } = OptionKit.Choice("--cell", "Recurrent layer: rnn (torch.nn.RNN, tanh), lstm or gru", Defaults.Model.Cell);
    public Option<int> Hidden { get; } = OptionKit.Int("--hidden", "Hidden units of the recurrent layer", Defaults.Model.HiddenSize, 1, 100_000);

    public Option<int> Members { get; } = OptionKit.Int("--members",
        "Networks in an ensemble, each of --hidden units and its own starting weights (seed, seed + 1, ...); the prediction is their mean, and the exported model holds them all",
        Defaults.Model.Members, 1, ModelSpec.MaxMembers);
    public Option<int?> ValuesPerStep { get; } = OptionKit.NullableInt("--values-per-step",
        $"Window values each recurrent step reads: T values as T/k steps of k, which trains a long window in about 1/k of the time; it must divide T [default: with --data, 2 for an even window of over {SeriesData.LongestOneValueWindow} values and a panel's two years of months, else 1]",
        1, 1_000_000);
    public Option<int> Layers { get; } = OptionKit.Int("--layers", "Stacked recurrent layers", Defaults.Model.Layers, 1, 100);
    public Option<Choice<WeightInit>> Init { get; } = OptionKit.Choice("--init", "Initial weights: torch (PyTorch's defaults) or keras (glorot-uniform, orthogonal recurrent, zero biases)", Defaults.Training.Init);
    public Option<int> Epochs { get; } = OptionKit.Int("--epochs", "Passes over the training data, as in the lesson", Defaults.Training.Epochs, 1, TrainingConfig.MaxEpochs);
    public Option<int> BatchSize { get; } = OptionKit.Int("--batch-size", $"Samples per optimiser step (with --data and not given: grown where an epoch would pass {TrainJob.SeriesStepsPerEpoch} steps)", Defaults.Training.BatchSize, 1, 50_000_000);

    public Option<double> ValidationSplit { get; } = OptionKit.Double("--validation-split",
        "Fraction of samples held out for validation, taken from the end as Keras does", Defaults.Training.ValidationSplit, 0, 1, minExclusive: false, maxExclusive: true);

    public Option<double> LearningRate { get; } = SharedOptions.LearningRate(
        $"Adam's learning rate at the first epoch (the lesson: {TrainingConfig.Lesson.LearningRate}, constant; see --lesson)", Defaults.Training.LearningRate);

    public Option<Choice<LearningRateSchedule>> Schedule { get; } = OptionKit.Choice("--schedule",
        "Learning rate per epoch: constant, cosine (decay from --lr to 0), or plateau (cut when the loss stalls)", Defaults.Training.Schedule);

    public Option<int> Patience { get; } = OptionKit.Int("--patience", "Early stopping: stop after this many epochs without improvement and restore the best weights; 0 = off", Defaults.Training.Patience, 0, 1_000_000);
    public Option<double> MinDelta { get; } = OptionKit.Double("--min-delta", "Early stopping and --schedule plateau: the smallest change that counts as an improvement", Defaults.Training.MinDelta, 0, double.PositiveInfinity, minExclusive: false, maxExclusive: false);
    public Option<int> PlateauPatience { get; } = OptionKit.Int("--plateau-patience", "--schedule plateau: epochs without improvement before the rate is cut", Defaults.Training.PlateauPatience, 1, 1_000_000);
    public Option<double> PlateauFactor { get; } = OptionKit.Double("--plateau-factor", "--schedule plateau: factor applied at each cut", Defaults.Training.PlateauFactor, 0, 1, minExclusive: true, maxExclusive: true);

    public Option<bool> Lesson { get; } = new("--lesson")
    {
        Description = $"The lesson's exact optimiser: Adam lr {TrainingConfig.Lesson.LearningRate}, constant (predicts ~82 after 30 epochs; see docs/results.md). Explicit --lr/--schedule still win",
    };

    public Option<int> Verbosity { get; } = OptionKit.Int("--verbose",
        "0 no epoch lines, 1 progress bar per epoch (plain lines when not a terminal), 2 one line per epoch", TrainView.DefaultVerbosity, 0, 2, alias: "-v");

    public Option<int> EvalCount { get; } = OptionKit.Int("--eval-count",
        "Sequences per evaluation set after training (a fresh test set and shifted starts and steps); 0 skips the evaluation", EvaluationSet.DefaultCount, 0, 10_000_000);

    public Option<string> Output { get; } = SharedOptions.OutputFolder("Folder for loss.png, history.csv, predictions.png and the model; a run holds it locked until it ends");

    public Option<Choice<LossScale>> LossScale { get; } = OptionKit.Choice("--loss-scale",
        "Loss plot's y axis: auto (log when the losses span more than two decades), linear (the lesson's look) or log", Reporting.LossScale.Auto);

    public Option<string> Save { get; } = new("--save")
    {
        Description = $"Where to save the trained model (safetensors, plus a .pt and a .onnx beside it), updated after every epoch [default: <output>/{RunFiles.ModelFileName}]",
        HelpName = "file",
    };

    public Option<bool> NoSave { get; } = new("--no-save") { Description = "Do not save the model" };

    public Option<double[][]> Predict { get; } = new("--predict")
    {
        Description = "A sequence of --time-steps numbers to continue after training, e.g. 50,60,70; repeat for more [default: 50,60,70]",
        HelpName = "x1,x2,...",
        AllowMultipleArgumentsPerToken = false,
        Arity = ArgumentArity.OneOrMore,
        CustomParser = result =>
        {
            var sequences = new List<double[]>();
            foreach (var token in result.Tokens)
            {
                if (SequenceText.Problem(token.Value, out var values) is { } problem)
                {
                    result.AddError($"--predict {problem}");
                    return [];
                }

                sequences.Add(values);
            }

            return sequences.ToArray();
        },
    };

    /// <summary>The options every source shares, in help's order; each source adds its own (<see cref="SourceCli.OwnOptions"/>).</summary>
    public IEnumerable<Option> Common =>
    [
        Task, Sequences, TimeSteps, StartMin, StartMax, Step, StepMax, Scale, Cell, Hidden, Members, ValuesPerStep, Layers, Init, Epochs, BatchSize, ValidationSplit,
        LearningRate, Schedule, Lesson, Patience, MinDelta, PlateauPatience, PlateauFactor, Shared.Seed, Verbosity, Shared.Device,
        Shared.Threads, EvalCount, Output, LossScale, Save, NoSave, Predict,
    ];
}
