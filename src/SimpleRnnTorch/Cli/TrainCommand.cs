using System.CommandLine;
using System.CommandLine.Parsing;
using SimpleRnnTorch.Cli.Views;
using SimpleRnnTorch.Data;
using SimpleRnnTorch.Evaluation;
using SimpleRnnTorch.Model;
using SimpleRnnTorch.Persistence;
using SimpleRnnTorch.Prediction;
using SimpleRnnTorch.Reporting;
using SimpleRnnTorch.Training;

namespace SimpleRnnTorch.Cli;

/// <summary>
/// `train` (also what the program does with no command): every knob as an option, every check at parse
/// time (nothing loads or is created for a bad command line), the options bound to one
/// <see cref="TrainJob"/> holding one <see cref="DataSource"/>, then one <see cref="TrainingPipeline"/> run
/// rendered by <see cref="TrainView"/>.
/// </summary>
internal sealed class TrainCommand(SharedOptions sharedOptions) : TrainOptions(sharedOptions)
{
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
        CliApp.SetAction(command, parse =>
        {
            var (job, verbosity) = Bind(parse);
            return Run(job, verbosity, console);
        });
    }

    /// <summary>The checks that involve two options or the file system: parse errors, before anything runs; the first problem is reported.</summary>
    private void Validate(CommandResult result)
    {
        var kind = KindOf(result);
        var split = result.ValueOf(ValidationSplit);
        var sequences = kind == SourceKind.Adding && !result.Given(Sequences) ? AddingSource.Count : result.ValueOf(Sequences);
        var timeSteps = result.ValueOf(TimeSteps);
        var wrong = result.ValueOf(Predict)?.FirstOrDefault(p => p.Length != timeSteps);
        var problem =
            NotReadBy(kind).FirstOrDefault(o => result.Given(o.Option) && (o.Option != Task || result.ValueOf(Task).Value == SequenceTask.Adding)).Why
            ?? (kind == SourceKind.Adding && result.Given(TimeSteps) && timeSteps < AddingProblem.MinTimeSteps
                ? $"--time-steps must be at least {AddingProblem.MinTimeSteps} for --task adding (one marker in each half), got {timeSteps}" : null)
            ?? (kind == SourceKind.Series ? DataProblem(result, result.ValueOf(Data)!, split)
                : TrainingData.TrainCountFor(sequences, split) < 1 ? $"--validation-split {split} leaves no training samples out of {sequences} sequences; use a value in [0, 1) that keeps at least one"
                : result.ValueOf(StartMax) <= result.ValueOf(StartMin) ? $"--start-max {result.ValueOf(StartMax)} must be above --start-min {result.ValueOf(StartMin)}"
                : result.ValueOf(StepMax) is { } stepMax && stepMax < result.ValueOf(Step) ? $"--step-max {stepMax} must be at least --step {result.ValueOf(Step)}"
                : null)
            ?? (kind == SourceKind.Series && result.Given(Predict) && !result.Given(TimeSteps)
                ? "--predict with --data needs --time-steps: without it the window is chosen from the file, after the options are read" : null)
            ?? (wrong is not null ? $"--predict {SequenceText.Brief(wrong)} has {wrong.Length} values; expected {timeSteps} (--time-steps)" : null)
            ?? OutputProblem(result)
            ?? BudgetProblem(result, kind, sequences, split);
        if (problem is not null)
        {
            result.AddError(problem);
        }
    }

    /// <summary>Whether this machine can train what the options ask for (<see cref="ResourceBudget"/>); a series counts its file's lines.</summary>
    private string? BudgetProblem(CommandResult result, SourceKind kind, int sequences, double split)
    {
        var defaults = kind switch
        {
            SourceKind.Adding => AddingDefaults,
            SourceKind.Series => SeriesDefaults,
            _ => Defaults,
        };
        T Pick<T>(Option<T> option, T fallback) => result.Given(option) ? result.ValueOf(option)! : fallback;
        var model = new ModelSpec(
            InputSize: kind == SourceKind.Adding ? AddingSource.Features : 1,
            HiddenSize: Pick(Hidden, defaults.Model.HiddenSize),
            Layers: result.ValueOf(Layers),
            Cell: result.ValueOf(Cell).Value);
        var timeSteps = kind == SourceKind.Adding ? Pick(TimeSteps, AddingSource.TimeSteps) : result.ValueOf(TimeSteps);
        long count = sequences;
        if (kind == SourceKind.Series)
        {
            // Bounded by the file's size check; the reading checks the lines again, with the values.
            var (lines, longLine) = SeriesFile.Scan(result.ValueOf(Data)!);
            if (longLine > 0 || lines > SeriesFile.MaxValues + 1)
            {
                return null; // the reading refuses it, naming the line
            }

            count = lines;
        }

        var evalCount = kind == SourceKind.Series ? 0 : result.ValueOf(EvalCount);
        var batch = Pick(BatchSize, defaults.Training.BatchSize);
        var shape = new TrainingShape(model, count, timeSteps, batch, (long)Math.Ceiling(count * split), evalCount);
        var what = kind == SourceKind.Series ? $"--data's {count:N0} lines" : $"--sequences {count}";
        return ResourceBudget.Problem(shape, $"{ResourceBudget.Describe(model)}, --time-steps {timeSteps}, {what}, --batch-size {batch}");
    }

    /// <summary>What is wrong with --output and --save, found without creating anything.</summary>
    private string? OutputProblem(CommandResult result)
    {
        var output = result.ValueOf(Output);
        if (PathChecks.FolderProblem("--output", output) is { } problem)
        {
            return problem;
        }

        if (result.ValueOf(NoSave) && result.Given(Save))
        {
            return "--save and --no-save contradict each other; give one";
        }

        var save = result.ValueOf(Save);
        if (save is not null)
        {
            if (string.IsNullOrWhiteSpace(save) || string.IsNullOrEmpty(Path.GetFileName(save))
                || Path.GetExtension(save).Equals(".pt", StringComparison.OrdinalIgnoreCase) || Path.GetExtension(save).Equals(".onnx", StringComparison.OrdinalIgnoreCase))
            {
                return $"--save '{save}' must name a file such as {RunFiles.ModelFileName} (the .pt and .onnx exports are written beside it)";
            }

            if (Directory.Exists(save))
            {
                return $"--save '{save}' is a folder; give a file name such as {RunFiles.ModelFileName}";
            }

            if (PathChecks.FolderProblem(null, Path.GetDirectoryName(Path.GetFullPath(save))!) is { } saveProblem)
            {
                return $"--save '{save}': its folder {saveProblem}";
            }
        }

        // No two of the run's files may be one file, and the series file, only ever read, is none of them.
        DataSource source = KindOf(result) switch
        {
            SourceKind.Series => new SeriesData(new SeriesSettings("")),
            SourceKind.Adding => new AddingData(),
            _ => new LessonData(new SequenceSpec(), EvalCount: result.ValueOf(EvalCount)),
        };
        var plan = new ArtifactPlan(output!, result.ValueOf(NoSave) ? null : save ?? ArtifactPlan.DefaultModelPath(output!)) { Labels = ("--output", "--save") };
        return plan.Files(source).Clash(result.ValueOf(Data));
    }

    /// <summary>What is wrong with --data and the options around it, found without reading the file.</summary>
    private string? DataProblem(CommandResult result, string data, double split) =>
        string.IsNullOrWhiteSpace(data) ? "--data must name a CSV file"
        : Directory.Exists(data) ? $"--data '{Excerpt.OfPath(data)}' is a folder, not a CSV file"
        : SeriesFile.FileProblem(data) is { } fileProblem ? $"--data '{Excerpt.OfPath(data)}'{fileProblem}"
        : split == 0 ? "--validation-split 0 leaves no validation part, where --data compares the model with the naive baselines; give a fraction in (0, 1)"
        : result.ValueOf(Column) is { } column && column == result.ValueOf(TimeColumn) ? $"--column and --time-column both name '{column}'; the time column only labels the values"
        : null;

    /// <summary>
    /// Reads the parsed (and validated) options into a job. An option left out takes the source's default:
    /// the adding task has its own (<see cref="TrainJob.Adding"/>), as --lesson has its own optimiser.
    /// </summary>
    public (TrainJob Job, int Verbosity) Bind(ParseResult result)
    {
        var kind = KindOf(result.CommandResult);
        var defaults = kind switch
        {
            SourceKind.Adding => AddingDefaults,
            SourceKind.Series => SeriesDefaults,
            _ => Defaults,
        };
        T Pick<T>(Option<T> option, T fallback) => result.Given(option) ? result.GetValue(option)! : fallback;
        var lesson = result.GetValue(Lesson);
        var timeSteps = result.GetValue(TimeSteps);
        var output = result.GetValue(Output)!;
        DataSource source = kind switch
        {
            SourceKind.Series => new SeriesData(
                new SeriesSettings(result.GetValue(Data)!, result.GetValue(Column), result.GetValue(TimeColumn), result.GetValue(Fill).Value, result.GetValue(Season),
                    result.GetValue(Horizon), result.GetValue(Interval), result.GetValue(Scaling).Value),
                result.Given(TimeSteps) ? timeSteps : null),
            SourceKind.Adding => new AddingData(Pick(Sequences, AddingSource.Count), Pick(TimeSteps, AddingSource.TimeSteps), result.GetValue(EvalCount)),
            _ => new LessonData(
                new SequenceSpec(result.GetValue(Sequences), timeSteps, result.GetValue(Step), result.GetValue(StartMin), result.GetValue(StartMax), result.GetValue(StepMax)),
                result.GetValue(Scale),
                result.GetValue(EvalCount)),
        };
        var job = new TrainJob
        {
            Source = source,
            Model = new ModelSpec(HiddenSize: Pick(Hidden, defaults.Model.HiddenSize), Layers: result.GetValue(Layers), Cell: Pick(Cell, new(defaults.Model.Cell)).Value),
            Training = new TrainingConfig
            {
                Epochs = Pick(Epochs, defaults.Training.Epochs),
                BatchSize = Pick(BatchSize, defaults.Training.BatchSize),
                ValidationSplit = result.GetValue(ValidationSplit),
                LearningRate = lesson && !result.Given(LearningRate) ? TrainingConfig.Lesson.LearningRate : Pick(LearningRate, defaults.Training.LearningRate),
                Schedule = lesson && !result.Given(Schedule) ? TrainingConfig.Lesson.Schedule : Pick(Schedule, new(defaults.Training.Schedule)).Value,
                Seed = result.GetValue(Shared.Seed),
                Init = result.GetValue(Init).Value,
                Patience = Pick(Patience, defaults.Training.Patience),
                MinDelta = result.GetValue(MinDelta),
                PlateauPatience = result.GetValue(PlateauPatience),
                PlateauFactor = result.GetValue(PlateauFactor),
            },
            Device = result.GetValue(Shared.Device).Value,
            Threads = result.GetValue(Shared.Threads),
            Artifacts = new ArtifactPlan(output, result.GetValue(NoSave) ? null : result.GetValue(Save) ?? ArtifactPlan.DefaultModelPath(output), result.GetValue(LossScale).Value)
            {
                Labels = ("--output", "--save"),
            },
        };
        return (result.GetValue(Predict) is { Length: > 0 } given ? job with { Predict = given } : job, result.GetValue(Verbosity));
    }

    /// <summary>One job through the pipeline, narrated.</summary>
    public static Ending Run(TrainJob job, int verbosity, CliConsole console)
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
        return view.Finish(run, interrupts.Received);
    }
}
