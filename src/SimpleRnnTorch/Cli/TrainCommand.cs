using System.CommandLine;
using System.CommandLine.Parsing;
using SimpleRnnTorch.Cli.Rendering;
using SimpleRnnTorch.Data;
using SimpleRnnTorch.Evaluation;
using SimpleRnnTorch.Model;
using SimpleRnnTorch.Persistence;
using SimpleRnnTorch.Reporting;
using SimpleRnnTorch.Training;

namespace SimpleRnnTorch.Cli;

/// <summary>
/// `train` (also what the program does with no command): every knob of the lesson as an option, every
/// check at parse time (nothing loads or is created for a bad command line), then one
/// <see cref="TrainingPipeline"/> run rendered by <see cref="TrainView"/>.
/// </summary>
internal sealed class TrainCommand
{
    // Defaults come from the records; a default lives there and help shows it.
    private static readonly TrainJob Defaults = new();

    // The adding task's defaults (the chapter's), for the options a command line leaves out.
    private static readonly TrainJob AddingDefaults = TrainJob.Adding();

    private readonly SharedOptions shared;

    public TrainCommand(SharedOptions shared) => this.shared = shared;

    public Option<Choice<SequenceTask>> Task { get; } = OptionKit.Choice("--task",
        "What to learn: arithmetic (the lesson: the next number) or adding (the adding problem: the sum of two marked values, which needs memory; " +
        $"see docs/long-sequences.md). With adding, options left out take its defaults: --time-steps {AddingDefaults.Data.TimeSteps}, --sequences {AddingDefaults.Data.Count}, " +
        $"--hidden {AddingDefaults.Model.HiddenSize}, --epochs {AddingDefaults.Training.Epochs}, --batch-size {AddingDefaults.Training.BatchSize}, " +
        $"--lr {AddingDefaults.Training.LearningRate.ToString(System.Globalization.CultureInfo.InvariantCulture)}, --schedule {AddingDefaults.Training.Schedule.ToString().ToLowerInvariant()}", Defaults.Task);

    public Option<int> Sequences { get; } = OptionKit.Int("--sequences", "Number of sequences to generate", Defaults.Data.Count, 2, 50_000_000);
    public Option<int> TimeSteps { get; } = OptionKit.Int("--time-steps", "Inputs per sequence (T); the target is the next value", Defaults.Data.TimeSteps, 1, 10_000);
    public Option<int> StartMin { get; } = OptionKit.Int("--start-min", "Smallest first value of a training sequence", Defaults.Data.StartMin, -1_000_000_000, 1_000_000_000);
    public Option<int> StartMax { get; } = OptionKit.Int("--start-max", "First values are drawn below this (exclusive)", Defaults.Data.StartMax, -1_000_000_000, 1_000_000_000);
    public Option<int> Step { get; } = OptionKit.Int("--step", "Difference between consecutive values", Defaults.Data.Step, -1_000_000, 1_000_000);
    public Option<int?> StepMax { get; } = OptionKit.NullableInt("--step-max", "Draw each sequence's step from [--step, --step-max] instead of one step", -1_000_000, 1_000_000);
    public Option<double> Scale { get; } = OptionKit.Double("--scale", "Divide inputs and targets by this (tanh units like values near [-1, 1])", Defaults.ScaleDivisor, 0, double.PositiveInfinity, minExclusive: true, maxExclusive: false);

    public Option<Choice<CellKind>> Cell { get; } = OptionKit.Choice("--cell", "Recurrent layer: rnn (torch.nn.RNN, tanh), lstm or gru", Defaults.Model.Cell);
    public Option<int> Hidden { get; } = OptionKit.Int("--hidden", "Hidden units of the recurrent layer", Defaults.Model.HiddenSize, 1, 100_000);
    public Option<int> Layers { get; } = OptionKit.Int("--layers", "Stacked recurrent layers", Defaults.Model.Layers, 1, 100);
    public Option<Choice<WeightInit>> Init { get; } = OptionKit.Choice("--init", "Initial weights: torch (PyTorch's defaults) or keras (glorot-uniform, orthogonal recurrent, zero biases)", Defaults.Training.Init);
    public Option<int> Epochs { get; } = OptionKit.Int("--epochs", "Passes over the training data, as in the lesson", Defaults.Training.Epochs, 1, 1_000_000);
    public Option<int> BatchSize { get; } = OptionKit.Int("--batch-size", "Samples per optimiser step", Defaults.Training.BatchSize, 1, 50_000_000);

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

    public Option<string> Output { get; } = new("--output", "-o")
    {
        Description = "Folder for loss.png, history.csv, predictions.png and the model; a run holds it locked until it ends",
        DefaultValueFactory = _ => ArtifactPlan.DefaultFolder,
        HelpName = "folder",
    };

    public Option<Choice<LossScale>> LossScale { get; } = OptionKit.Choice("--loss-scale",
        "Loss plot's y axis: auto (log when the losses span more than two decades), linear (the lesson's look) or log", Reporting.LossScale.Auto);

    public Option<string> Save { get; } = new("--save")
    {
        Description = $"Where to save the trained model (safetensors, plus a .pt and a .onnx beside it), updated after every epoch [default: <output>/{ArtifactPlan.ModelFileName}]",
        HelpName = "file",
    };

    public Option<bool> NoSave { get; } = new("--no-save") { Description = "Do not save the model" };

    public Option<string> Data { get; } = new("--data")
    {
        Description = "Train on one column of this CSV file instead of generated sequences: windows of --time-steps values -> the next, " +
                      "the most recent --validation-split held out; then baselines and a forecast (see --column, --time-column, --fill, --season, --horizon)",
        HelpName = "file.csv",
    };

    public Option<string> Column { get; } = new("--column")
    {
        Description = "With --data: the column to read, by header name or 0-based index [default: the last column whose first value is a number]",
        HelpName = "name|index",
    };

    public Option<string> TimeColumn { get; } = new("--time-column")
    {
        Description = "With --data: the values' time: dates (daily to yearly: the step, gaps, the default season, the labels) or other labels",
        HelpName = "name|index",
    };

    public Option<Choice<FillMethod>> Fill { get; } = OptionKit.Choice("--fill",
        "With --data: missing values (empty cells, NaN): none stops at the first one, linear interpolates them", new SeriesSettings("").Fill);

    public Option<int?> Season { get; } = OptionKit.NullableInt("--season",
        "With --data: m of the seasonal naive baseline, y[t-m] predicting y[t] [default: 12 for monthly dates, 4 quarterly, 52 weekly, 7 daily, else none]", 1, 1_000_000_000);

    public Option<int> Horizon { get; } = OptionKit.Int("--horizon", "With --data: values to forecast after the series ends, each fed back as an input",
        new SeriesSettings("").Horizon, 1, 100_000);

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
    [
        Task, Sequences, TimeSteps, StartMin, StartMax, Step, StepMax, Scale, Cell, Hidden, Layers, Init, Epochs, BatchSize, ValidationSplit,
        LearningRate, Schedule, Lesson, Patience, MinDelta, PlateauPatience, PlateauFactor, shared.Seed, Verbosity, shared.Device,
        shared.Threads, EvalCount, Output, LossScale, Save, NoSave, Predict, Data, Column, TimeColumn, Fill, Season, Horizon,
    ];

    /// <summary>The lesson's options that a series cannot use, and why.</summary>
    private IEnumerable<(Option Option, string Why)> LessonOnly =>
    [
        (Sequences, "the file gives the samples"),
        (StartMin, "the file gives the values"),
        (StartMax, "the file gives the values"),
        (Step, "the file gives the values"),
        (StepMax, "the file gives the values"),
        (Scale, "a series is standardised with its training part's mean and standard deviation"),
        (EvalCount, "the evaluation sets are arithmetic sequences; a series is compared with naive baselines instead"),
    ];

    private IEnumerable<Option> SeriesOnly => [Column, TimeColumn, Fill, Season, Horizon];

    /// <summary>The `train` command; the root command gets the same options and action (<see cref="AddTo"/>).</summary>
    public Command Build(CliConsole console)
    {
        var command = new Command("train", "Train on generated sequences (or a CSV series, --data), plot the losses, save the model, predict and evaluate (the default)");
        AddTo(command, console);
        return command;
    }

    public void AddTo(Command command, CliConsole console)
    {
        foreach (var option in All)
        {
            command.Options.Add(option);
        }

        command.Validators.Add(OptionKit.CrossCheck(Validate));
        command.SetAction(parse =>
        {
            var (job, verbosity) = Bind(parse);
            return Run(job, verbosity, console);
        });
    }

    /// <summary>The checks that involve two options or the file system: parse errors, before anything runs.</summary>
    private void Validate(CommandResult result)
    {
        var adding = result.ValueOf(Task).Value == SequenceTask.Adding;
        if (adding && result.Given(Data))
        {
            result.AddError("--data trains on a CSV series; it does not combine with --task adding");
            return;
        }

        if (adding && result.ValueOf(Lesson))
        {
            result.AddError("--lesson is the arithmetic lesson's optimiser (Adam 0.001, constant); --task adding has its own defaults (see --help), and --lr/--schedule set it");
            return;
        }

        if (adding && ArithmeticOnly().FirstOrDefault(result.Given) is { } arithmetic)
        {
            result.AddError($"{arithmetic.Name} applies to the arithmetic task only: --task adding draws its values uniformly from [0, 1), does not scale them, and evaluates on fresh sequences");
            return;
        }

        if (adding && result.Given(TimeSteps) && result.ValueOf(TimeSteps) < AddingProblem.MinTimeSteps)
        {
            result.AddError($"--time-steps must be at least {AddingProblem.MinTimeSteps} for --task adding (one marker in each half), got {result.ValueOf(TimeSteps)}");
            return;
        }

        var sequences = adding && !result.Given(Sequences) ? AddingDefaults.Data.Count : result.ValueOf(Sequences);
        var split = result.ValueOf(ValidationSplit);
        var data = result.ValueOf(Data);
        if ((data is null ? SeriesOnlyProblem(result) : DataProblem(result, data, split)) is { } problem)
        {
            result.AddError(problem);
            return;
        }

        if (data is null && LessonDataset.TrainCountFor(sequences, split) < 1)
        {
            result.AddError($"--validation-split {split} leaves no training samples out of {sequences} sequences; use a value in [0, 1) that keeps at least one");
            return;
        }

        if (result.ValueOf(StartMax) <= result.ValueOf(StartMin))
        {
            result.AddError($"--start-max {result.ValueOf(StartMax)} must be above --start-min {result.ValueOf(StartMin)}");
            return;
        }

        if (result.ValueOf(StepMax) is { } stepMax && stepMax < result.ValueOf(Step))
        {
            result.AddError($"--step-max {stepMax} must be at least --step {result.ValueOf(Step)}");
            return;
        }

        var timeSteps = result.ValueOf(TimeSteps);
        if (result.ValueOf(Predict)?.FirstOrDefault(p => p.Length != timeSteps) is { } wrong)
        {
            result.AddError($"--predict {SequenceText.Format(wrong)} has {wrong.Length} values; expected {timeSteps} (--time-steps)");
            return;
        }

        var output = result.ValueOf(Output);
        if (string.IsNullOrWhiteSpace(output))
        {
            result.AddError("--output must name a folder");
            return;
        }

        if (FolderProblem(output) is { } outputProblem)
        {
            result.AddError($"--output '{output}' {outputProblem}");
            return;
        }

        if (result.ValueOf(NoSave) && result.Given(Save))
        {
            result.AddError("--save and --no-save contradict each other; give one");
            return;
        }

        if (result.ValueOf(Save) is { } save)
        {
            if (string.IsNullOrWhiteSpace(save) || string.IsNullOrEmpty(Path.GetFileName(save))
                || Path.GetExtension(save).Equals(".pt", StringComparison.OrdinalIgnoreCase) || Path.GetExtension(save).Equals(".onnx", StringComparison.OrdinalIgnoreCase))
            {
                result.AddError($"--save '{save}' must name a file such as {ArtifactPlan.ModelFileName} (the .pt and .onnx exports are written beside it)");
            }
            else if (Directory.Exists(save))
            {
                result.AddError($"--save '{save}' is a folder; give a file name such as {ArtifactPlan.ModelFileName}");
            }
            else if (FolderProblem(Path.GetDirectoryName(Path.GetFullPath(save))!) is { } saveProblem)
            {
                result.AddError($"--save '{save}': its folder {saveProblem}");
                return;
            }
        }

        // The series file is only ever read: a run that would write over it is refused.
        if (data is not null && WrittenBy(result, output!).FirstOrDefault(f => SamePath(f, data)) is { } clash)
        {
            result.AddError($"--data '{data}' is a file this run writes ({Path.GetFileName(clash)}); copy the data elsewhere or choose another --output");
        }
    }

    private string? SeriesOnlyProblem(CommandResult result) =>
        SeriesOnly.FirstOrDefault(result.Given) is { } option ? $"{option.Name} applies only with --data FILE.csv" : null;

    /// <summary>What is wrong with --data and the options around it, found without reading the file.</summary>
    private string? DataProblem(CommandResult result, string data, double split)
    {
        if (LessonOnly.FirstOrDefault(o => result.Given(o.Option)) is { Option: { } option } lessonOnly)
        {
            return $"{option.Name} does not apply with --data: {lessonOnly.Why}";
        }

        if (string.IsNullOrWhiteSpace(data))
        {
            return "--data must name a CSV file";
        }

        if (Directory.Exists(data))
        {
            return $"--data '{data}' is a folder, not a CSV file";
        }

        if (!File.Exists(data))
        {
            return $"--data '{data}': no such file";
        }

        if (split == 0)
        {
            return "--validation-split 0 leaves no validation part, where --data compares the model with the naive baselines; give a fraction in (0, 1)";
        }

        if (result.ValueOf(Column) is { } column && column == result.ValueOf(TimeColumn))
        {
            return $"--column and --time-column both name '{column}'; the time column only labels the values";
        }

        return null;
    }

    /// <summary>Every file a run with these options may write.</summary>
    private IEnumerable<string> WrittenBy(CommandResult result, string output)
    {
        var plan = new ArtifactPlan(output, null);
        string[] files = [plan.HistoryPath, plan.LossPlotPath, plan.PredictionPlotPath, plan.ForecastPlotPath];
        var model = result.ValueOf(NoSave) ? null : result.ValueOf(Save) ?? ArtifactPlan.DefaultModelPath(output);
        return model is null ? files : [.. files, model, PyTorchExport.PathBeside(model)];
    }

    private static bool SamePath(string a, string b) =>
        string.Equals(Path.GetFullPath(a), Path.GetFullPath(b), OperatingSystem.IsLinux() ? StringComparison.Ordinal : StringComparison.OrdinalIgnoreCase);

    /// <summary>The options that only the arithmetic task reads: refused with --task adding.</summary>
    private IEnumerable<Option> ArithmeticOnly() => [StartMin, StartMax, Step, StepMax, Scale, Predict];

    /// <summary>
    /// Why a folder can never be used, found without creating anything: it is a file, or a file stands
    /// where one of its parents should be. A folder that merely does not exist yet is fine.
    /// </summary>
    private static string? FolderProblem(string folder)
    {
        if (File.Exists(folder))
        {
            return "is a file, not a folder";
        }

        try
        {
            for (var parent = Path.GetDirectoryName(Path.GetFullPath(folder)); parent is not null; parent = Path.GetDirectoryName(parent))
            {
                if (File.Exists(parent))
                {
                    return $"is not a writable folder: '{parent}' is a file";
                }

                if (Directory.Exists(parent))
                {
                    return null;
                }
            }
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
        {
            return $"is not a usable path: {e.Message}";
        }

        return null;
    }

    /// <summary>Reads the parsed (and validated) options into a job.</summary>
    public (TrainJob Job, int Verbosity) Bind(ParseResult result)
    {
        var lesson = result.GetValue(Lesson);
        var timeSteps = result.GetValue(TimeSteps);
        var output = result.GetValue(Output)!;
        var data = result.GetValue(Data);
        var job = new TrainJob
        {
            Data = new SequenceSpec(result.GetValue(Sequences), timeSteps, result.GetValue(Step), result.GetValue(StartMin), result.GetValue(StartMax), result.GetValue(StepMax)),
            ScaleDivisor = result.GetValue(Scale),
            Model = new ModelSpec(HiddenSize: result.GetValue(Hidden), Layers: result.GetValue(Layers), Cell: result.GetValue(Cell).Value),
            Training = new TrainingConfig
            {
                Epochs = result.GetValue(Epochs),
                BatchSize = result.GetValue(BatchSize),
                ValidationSplit = result.GetValue(ValidationSplit),
                LearningRate = lesson && !result.Given(LearningRate) ? TrainingConfig.Lesson.LearningRate : result.GetValue(LearningRate),
                Schedule = lesson && !result.Given(Schedule) ? TrainingConfig.Lesson.Schedule : result.GetValue(Schedule).Value,
                Seed = result.GetValue(shared.Seed),
                Init = result.GetValue(Init).Value,
                Patience = result.GetValue(Patience),
                MinDelta = result.GetValue(MinDelta),
                PlateauPatience = result.GetValue(PlateauPatience),
                PlateauFactor = result.GetValue(PlateauFactor),
            },
            Device = result.GetValue(shared.Device).Value,
            Threads = result.GetValue(shared.Threads),
            Artifacts = new ArtifactPlan(
                output,
                result.GetValue(NoSave) ? null : result.GetValue(Save) ?? ArtifactPlan.DefaultModelPath(output),
                result.GetValue(LossScale).Value),
            Series = data is null ? null : new SeriesSettings(data, result.GetValue(Column), result.GetValue(TimeColumn), result.GetValue(Fill).Value,
                result.GetValue(Season), result.GetValue(Horizon)),
            // The lesson's question and evaluation sets are arithmetic sequences: a series asks neither unless told.
            Predict = result.GetValue(Predict) is { Length: > 0 } given ? given : data is null ? [TrainJob.LessonQuestion(timeSteps)] : [],
            EvalCount = data is null ? result.GetValue(EvalCount) : 0,
        };
        return (result.GetValue(Task).Value == SequenceTask.Adding ? ForAdding(job, result) : job, result.GetValue(Verbosity));
    }

    /// <summary>
    /// The bound job as an adding-task job: what the command line gave, and the adding task's defaults
    /// (<see cref="TrainJob.Adding"/>) for what it left out, as --lesson does for the optimiser.
    /// </summary>
    private TrainJob ForAdding(TrainJob job, ParseResult result)
    {
        T Pick<T>(Option option, T given, T fallback) => result.Given(option) ? given : fallback;
        var defaults = TrainJob.Adding(Pick(TimeSteps, job.Data.TimeSteps, AddingDefaults.Data.TimeSteps));
        var lesson = result.GetValue(Lesson);
        return job with
        {
            Task = defaults.Task,
            Data = defaults.Data with { Count = Pick(Sequences, job.Data.Count, defaults.Data.Count) },
            ScaleDivisor = defaults.ScaleDivisor,
            Model = job.Model with { InputSize = defaults.Model.InputSize, HiddenSize = Pick(Hidden, job.Model.HiddenSize, defaults.Model.HiddenSize) },
            Training = job.Training with
            {
                Epochs = Pick(Epochs, job.Training.Epochs, defaults.Training.Epochs),
                BatchSize = Pick(BatchSize, job.Training.BatchSize, defaults.Training.BatchSize),
                LearningRate = lesson || result.Given(LearningRate) ? job.Training.LearningRate : defaults.Training.LearningRate,
                Schedule = lesson || result.Given(Schedule) ? job.Training.Schedule : defaults.Training.Schedule,
            },
            Predict = [],
        };
    }

    /// <summary>One job through the pipeline, narrated; the exit code says how it ended.</summary>
    public static int Run(TrainJob job, int verbosity, CliConsole console)
    {
        using var interrupts = new Interrupts();
        var view = new TrainView(console, verbosity);
        // Once the fit is over there is nothing to finish gracefully: a signal may end the process
        // wherever it is, since every file is replaced atomically (see Interrupts.Dispose).
        var releaseSignals = new TrainingObserver(e =>
        {
            if (e is FitEnded)
            {
                interrupts.Dispose();
            }
        });
        using var run = TrainingPipeline.Run(job, [view, releaseSignals], interrupts.Token);
        return view.Finish(run, interrupts);
    }
}
