using System.CommandLine;
using SimpleRnnTorch.Data;
using SimpleRnnTorch.Model;
using SimpleRnnTorch.Training;

namespace SimpleRnnTorch.Cli;

/// <summary>The training session's options: every knob of the lesson, with its default and range.</summary>
public sealed class TrainOptions
{
    // The records' own defaults, so that a default lives in one place and help shows it.
    private static readonly SequenceSpec DefaultData = new();
    private static readonly ModelSpec DefaultModel = new();
    private static readonly TrainingConfig DefaultTraining = new();

    public Option<int> Sequences { get; } = OptionKit.Int("--sequences", "Number of sequences to generate", DefaultData.Count, 2, 50_000_000);
    public Option<int> TimeSteps { get; } = OptionKit.Int("--time-steps", "Inputs per sequence (T); the target is the next value", DefaultData.TimeSteps, 1, 10_000);
    public Option<int> StartMin { get; } = OptionKit.Int("--start-min", "Smallest first value of a training sequence", DefaultData.StartMin, -1_000_000_000, 1_000_000_000);
    public Option<int> StartMax { get; } = OptionKit.Int("--start-max", "First values are drawn below this (exclusive)", DefaultData.StartMax, -1_000_000_000, 1_000_000_000);
    public Option<int> Step { get; } = OptionKit.Int("--step", "Difference between consecutive values", DefaultData.Step, -1_000_000, 1_000_000);
    public Option<int?> StepMax { get; } = OptionKit.NullableInt("--step-max", "Draw each sequence's step from [--step, --step-max] instead of one step", -1_000_000, 1_000_000);
    public Option<double> Scale { get; } = OptionKit.Double("--scale", "Divide inputs and targets by this (tanh units like values near [-1, 1])", new SequenceScaler().Divisor, 0, double.PositiveInfinity, minExclusive: true, maxExclusive: false);

    public Option<string> Cell { get; } = OptionKit.Choice("--cell", "Recurrent layer: rnn (torch.nn.RNN, tanh), lstm or gru", DefaultModel.Cell);
    public Option<int> Hidden { get; } = OptionKit.Int("--hidden", "Hidden units of the recurrent layer", DefaultModel.HiddenSize, 1, 100_000);
    public Option<int> Layers { get; } = OptionKit.Int("--layers", "Stacked recurrent layers", DefaultModel.Layers, 1, 100);
    public Option<string> Init { get; } = OptionKit.Choice("--init", "Initial weights: torch (PyTorch's defaults) or keras (glorot-uniform, orthogonal recurrent, zero biases)", DefaultTraining.Init);
    public Option<int> Epochs { get; } = OptionKit.Int("--epochs", "Passes over the training data, as in the lesson", DefaultTraining.Epochs, 1, 1_000_000);
    public Option<int> BatchSize { get; } = OptionKit.Int("--batch-size", "Samples per optimiser step", DefaultTraining.BatchSize, 1, 50_000_000);

    public Option<double> ValidationSplit { get; } = OptionKit.Double("--validation-split",
        "Fraction of samples held out for validation, taken from the end as Keras does", DefaultTraining.ValidationSplit, 0, 1, minExclusive: false, maxExclusive: true);

    public Option<double> LearningRate { get; } = OptionKit.Double("--lr",
        "Adam's learning rate at the first epoch (the lesson: 0.001, constant; see --lesson)", DefaultTraining.LearningRate, 0, double.PositiveInfinity, minExclusive: true, maxExclusive: false);

    public Option<string> Schedule { get; } = OptionKit.Choice("--schedule",
        "Learning rate per epoch: constant, cosine (decay from --lr to 0), or plateau (cut when the loss stalls)", DefaultTraining.Schedule);

    public Option<int> Patience { get; } = OptionKit.Int("--patience", "Early stopping: stop after this many epochs without improvement and restore the best weights; 0 = off", DefaultTraining.Patience, 0, 1_000_000);
    public Option<double> MinDelta { get; } = OptionKit.Double("--min-delta", "Early stopping and --schedule plateau: the smallest change that counts as an improvement", DefaultTraining.MinDelta, 0, double.PositiveInfinity, minExclusive: false, maxExclusive: false);
    public Option<int> PlateauPatience { get; } = OptionKit.Int("--plateau-patience", "--schedule plateau: epochs without improvement before the rate is cut", DefaultTraining.PlateauPatience, 1, 1_000_000);
    public Option<double> PlateauFactor { get; } = OptionKit.Double("--plateau-factor", "--schedule plateau: factor applied at each cut", DefaultTraining.PlateauFactor, 0, 1, minExclusive: true, maxExclusive: true);

    public Option<bool> Lesson { get; } = new("--lesson")
    {
        Description = "The lesson's exact optimiser: Adam lr 0.001, constant (predicts ~82 after 30 epochs; see README). Explicit --lr/--schedule still win",
    };

    public Option<long> Seed { get; } = OptionKit.Long("--seed", "Seed for the data, the initial weights and the shuffle", 42);

    public Option<int> Verbosity { get; } = OptionKit.Int("--verbose",
        "0 silent, 1 progress bar per epoch (plain lines when not a terminal), 2 one line per epoch", 1, 0, 2, alias: "-v");

    public Option<string> Device { get; } = OptionKit.Choice("--device",
        "cpu (default: a 46-parameter model runs faster on the CPU than it can be launched on a GPU), cuda, or auto (cuda if this build and machine have it)",
        DeviceKind.Cpu);

    public Option<int> Threads { get; } = OptionKit.Int("--threads",
        "libtorch CPU threads; 1 is fastest for this small model and immune to a busy neighbour core", 1, 1, 1024);

    public Option<int> EvalCount { get; } = OptionKit.Int("--eval-count",
        "Sequences per evaluation set after training (a fresh test set and shifted starts and steps); 0 skips the evaluation", 1000, 0, 10_000_000);

    public Option<string> Output { get; } = new("--output", "-o")
    {
        Description = "Folder for loss.png and history.csv",
        DefaultValueFactory = _ => "plots",
        HelpName = "folder",
    };

    public Option<string> Save { get; } = new("--save")
    {
        Description = "Where to save the trained model (safetensors, plus a .pt beside it), updated after every epoch [default: <output>/model.safetensors]",
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
                if (!SequenceText.TryParse(token.Value, out var values))
                {
                    result.AddError($"--predict must be comma-separated numbers such as 50,60,70, got '{token.Value}'");
                    return [];
                }

                sequences.Add(values);
            }

            return sequences.ToArray();
        },
    };

    public IEnumerable<Option> All =>
        [Sequences, TimeSteps, StartMin, StartMax, Step, StepMax, Scale, Cell, Hidden, Layers, Init, Epochs, BatchSize, ValidationSplit, LearningRate, Schedule, Lesson, Patience, MinDelta, PlateauPatience, PlateauFactor, Seed, Verbosity, Device, Threads, EvalCount, Output, Save, NoSave, Predict];

    /// <summary>Reads the parsed options; checks that involve two options throw a one-line <see cref="UserError"/>.</summary>
    public TrainSettings Bind(ParseResult result)
    {
        var sequences = result.GetValue(Sequences);
        var split = result.GetValue(ValidationSplit);
        if (LessonDataset.TrainCountFor(sequences, split) < 1)
        {
            throw new UserError($"--validation-split {split} leaves no training samples out of {sequences} sequences; use a value in [0, 1) that keeps at least one");
        }

        var lesson = result.GetValue(Lesson);
        var output = result.GetValue(Output) ?? "plots";
        if (string.IsNullOrWhiteSpace(output))
        {
            throw new UserError("--output must name a folder");
        }

        if (result.GetValue(NoSave) && Given(result, Save))
        {
            throw new UserError("--save and --no-save contradict each other; give one");
        }

        if (result.GetValue(Save) is { } save &&
            (string.IsNullOrWhiteSpace(save) || string.IsNullOrEmpty(Path.GetFileName(save)) || Path.GetExtension(save).Equals(".pt", StringComparison.OrdinalIgnoreCase)))
        {
            throw new UserError($"--save '{save}' must name a file such as model.safetensors (the .pt export is written beside it)");
        }

        var (startMin, startMax, step) = (result.GetValue(StartMin), result.GetValue(StartMax), result.GetValue(Step));
        if (startMax <= startMin)
        {
            throw new UserError($"--start-max {startMax} must be above --start-min {startMin}");
        }

        var stepMax = result.GetValue(StepMax);
        if (stepMax < step)
        {
            throw new UserError($"--step-max {stepMax} must be at least --step {step}");
        }

        var timeSteps = result.GetValue(TimeSteps);
        var predict = result.GetValue(Predict) is { Length: > 0 } given ? given : [LessonInput(timeSteps)];
        if (predict.FirstOrDefault(p => p.Length != timeSteps) is { } wrong)
        {
            throw new UserError($"--predict {SequenceText.Format(wrong)} has {wrong.Length} values; expected {timeSteps} (--time-steps)");
        }

        return new TrainSettings(
            new SequenceSpec(sequences, timeSteps, step, startMin, startMax, stepMax),
            new ModelSpec(HiddenSize: result.GetValue(Hidden), Layers: result.GetValue(Layers), Cell: result.GetChoice<CellKind>(Cell)),
            new TrainingConfig
            {
                Epochs = result.GetValue(Epochs),
                BatchSize = result.GetValue(BatchSize),
                ValidationSplit = split,
                LearningRate = lesson && !Given(result, LearningRate) ? 0.001 : result.GetValue(LearningRate),
                Schedule = lesson && !Given(result, Schedule) ? LearningRateSchedule.Constant : result.GetChoice<LearningRateSchedule>(Schedule),
                Seed = result.GetValue(Seed),
                Init = result.GetChoice<WeightInit>(Init),
                Patience = result.GetValue(Patience),
                MinDelta = result.GetValue(MinDelta),
                PlateauPatience = result.GetValue(PlateauPatience),
                PlateauFactor = result.GetValue(PlateauFactor),
            },
            result.GetValue(Scale),
            result.GetValue(EvalCount),
            result.GetValue(Verbosity),
            result.GetChoice<DeviceKind>(Device),
            result.GetValue(Threads),
            output,
            result.GetValue(NoSave) ? null : result.GetValue(Save) ?? Path.Combine(output, "model.safetensors"),
            predict);
    }

    private static bool Given(ParseResult result, Option option) => result.GetResult(option) is { Implicit: false };

    /// <summary>The lesson's question, [50, 60, 70], stretched to T values.</summary>
    public static double[] LessonInput(int timeSteps) => Enumerable.Range(0, timeSteps).Select(i => 50.0 + 10 * i).ToArray();
}
