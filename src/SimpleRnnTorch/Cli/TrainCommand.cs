using System.CommandLine;
using SimpleRnnTorch.Cli.Sources;
using SimpleRnnTorch.Cli.Views;
using SimpleRnnTorch.Common;
using SimpleRnnTorch.Data;
using SimpleRnnTorch.Model;
using SimpleRnnTorch.Persistence;
using SimpleRnnTorch.Prediction;
using SimpleRnnTorch.Runs;
using SimpleRnnTorch.Training;

namespace SimpleRnnTorch.Cli;

/// <summary>
/// `train` (also what the program does with no command): the options (<see cref="TrainOptions"/> and each
/// source's own) bound to one <see cref="TrainJob"/> holding one <see cref="DataSource"/>, the bound job checked
/// once (<see cref="Problem"/>; nothing loads or is created for a bad command line), then one
/// <see cref="TrainingPipeline"/> run rendered by <see cref="TrainView"/>. Which source the options ask for is
/// decided once, by the sources themselves (<see cref="SourceCli.IsAsked"/>); from there on the command talks to
/// that source's <see cref="SourceCli"/> only.
/// </summary>
internal sealed class TrainCommand
{
    /// <param name="moreSources">Sources beyond the program's own, asked before the lesson (which takes whatever no other source asks for).</param>
    public TrainCommand(SharedOptions shared, IReadOnlyList<SourceCli>? moreSources = null)
    {
        Options = new TrainOptions(shared);
        Sources = [new SeriesCli(), .. moreSources ?? [], new AddingCli(), new LessonCli()];
    }

    public TrainOptions Options { get; }

    /// <summary>The sources the command line can ask for, in the order they are asked; the lesson last.</summary>
    public IReadOnlyList<SourceCli> Sources { get; }

    /// <summary>The `train` command; the root command gets the same options and action (<see cref="AddTo"/>).</summary>
    public Command Build(CliConsole console)
    {
        var command = new Command("train", "Train on generated sequences (or a CSV series, --data), plot the losses, save the model, predict and evaluate (the default)");
        AddTo(command, console);
        return command;
    }

    public void AddTo(Command command, CliConsole console)
    {
        foreach (var option in Options.Common.Concat(Sources.SelectMany(s => s.OwnOptions)))
        {
            command.Options.Add(option);
        }

        CliApp.SetAction(command, parse =>
        {
            var (job, verbosity) = Bind(parse);
            var source = Asked(parse);
            if (Problem(job, source) is { } problem)
            {
                throw new ProgramError(problem, FailureKind.Input);
            }

            return Run(job, source, verbosity, console);
        });
    }

    private SourceCli Asked(ParseResult parse) => Sources.First(s => s.IsAsked(parse, Options));

    /// <summary>
    /// Reads the parsed options into a job: the source the options ask for binds its own, and every option left
    /// out takes that source's default (its preset: <see cref="TrainJob.Adding"/>, <see cref="TrainJob.Series"/>),
    /// as --lesson has its own optimiser. Reads no file; options that cannot make a job are one line (exit 2).
    /// </summary>
    public (TrainJob Job, int Verbosity) Bind(ParseResult parse)
    {
        var o = Options;
        var source = Asked(parse);
        var refused = source.Refuses(parse, o)
            .Concat(Sources.Where(other => other != source).SelectMany(other => other.OwnOptions.Select(option => (option, $"{option.Name} applies only with {other.Selector}"))))
            .FirstOrDefault(r => parse.Given(r.Item1)).Item2;
        var problem = refused
            ?? (parse.GetValue(o.NoSave) && parse.Given(o.Save) ? "--save and --no-save contradict each other; give one" : null);
        var (data, dataProblem) = problem is null ? source.Bind(parse, o) : (null, null);
        if ((problem ?? dataProblem) is { } why)
        {
            throw new ProgramError(why, FailureKind.Input);
        }

        var defaults = source.Defaults;
        T Pick<T>(Option<T> option, T fallback) => parse.Given(option) ? parse.GetValue(option)! : fallback;
        var lesson = parse.GetValue(o.Lesson);
        var output = parse.GetValue(o.Output)!;
        var job = new TrainJob
        {
            Source = data!,
            Model = new ModelSpec(HiddenSize: Pick(o.Hidden, defaults.Model.HiddenSize), Layers: parse.GetValue(o.Layers), Cell: Pick(o.Cell, new(defaults.Model.Cell)).Value,
                Members: Pick(o.Members, defaults.Model.Members)),
            ValuesPerStep = parse.GetValue(o.ValuesPerStep),
            Training = new TrainingConfig
            {
                Epochs = Pick(o.Epochs, defaults.Training.Epochs),
                BatchSize = Pick(o.BatchSize, defaults.Training.BatchSize),
                MaxStepsPerEpoch = parse.Given(o.BatchSize) ? null : defaults.Training.MaxStepsPerEpoch,
                MaxSamplesPerEpoch = defaults.Training.MaxSamplesPerEpoch,
                MaxValidationSamples = defaults.Training.MaxValidationSamples,
                ValidationSplit = parse.GetValue(o.ValidationSplit),
                LearningRate = lesson && !parse.Given(o.LearningRate) ? TrainingConfig.Lesson.LearningRate : Pick(o.LearningRate, defaults.Training.LearningRate),
                Schedule = lesson && !parse.Given(o.Schedule) ? TrainingConfig.Lesson.Schedule : Pick(o.Schedule, new(defaults.Training.Schedule)).Value,
                Seed = parse.GetValue(o.Shared.Seed),
                Init = parse.GetValue(o.Init).Value,
                Patience = Pick(o.Patience, defaults.Training.Patience),
                MinDelta = parse.GetValue(o.MinDelta),
                PlateauPatience = parse.GetValue(o.PlateauPatience),
                PlateauFactor = parse.GetValue(o.PlateauFactor),
            },
            Device = parse.GetValue(o.Shared.Device).Value,
            Threads = parse.GetValue(o.Shared.Threads),
            Artifacts = new ArtifactPlan(output, parse.GetValue(o.NoSave) ? null : parse.GetValue(o.Save) ?? ArtifactPlan.DefaultModelPath(output), parse.GetValue(o.LossScale).Value)
            {
                Labels = ("--output", "--save"),
            },
        };
        return (parse.GetValue(o.Predict) is { Length: > 0 } given ? job with { Predict = given } : job, parse.GetValue(o.Verbosity));
    }

    /// <summary>
    /// The one check of a bound job, before anything is created: its questions fit its window, the source's own
    /// checks (a series' file), the output paths (no two files one, the data none of them), and whether this
    /// machine can train it (<see cref="ResourceBudget"/>). The first problem is reported.
    /// </summary>
    public static string? Problem(TrainJob job, SourceCli source)
    {
        var timeSteps = job.Source.TimeSteps;
        var wrong = job.Predict.FirstOrDefault(p => p.Length != timeSteps * job.Source.Features);
        return (wrong is not null ? $"--predict {SequenceText.Brief(wrong)} has {wrong.Length} values; expected {timeSteps} (--time-steps)" : null)
            ?? (timeSteps > 0 ? job.WindowProblem(timeSteps) : null)
            ?? source.Problem(job)
            ?? OutputProblem(job, source.ReadPath(job))
            ?? BudgetProblem(job, source.Size(job));
    }

    /// <summary>What is wrong with --output and --save, found without creating anything.</summary>
    private static string? OutputProblem(TrainJob job, string? readPath)
    {
        var plan = job.Artifacts!;
        if (PathChecks.FolderProblem("--output", plan.Folder) is { } problem)
        {
            return problem;
        }

        if (plan.ModelPath is { } save)
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
        return job.Files!.Clash(readPath);
    }

    /// <summary>Whether this machine can train the job (<see cref="ResourceBudget"/>); null when it can, or when the source's reading refuses it first.</summary>
    private static string? BudgetProblem(TrainJob job, JobSize? size)
    {
        if (size is null)
        {
            return null;
        }

        var model = job.Model;
        var validation = (long)Math.Ceiling(size.Samples * job.Training.ValidationSplit);
        var batch = job.Training.BatchFor(size.Samples - validation);
        var shape = new TrainingShape(model, size.Samples, size.TimeSteps, batch, validation, size.EvalCount);
        return ResourceBudget.Problem(shape, $"{ResourceBudget.Describe(model)}, --time-steps {size.TimeSteps}, {size.What}, --batch-size {batch}");
    }

    /// <summary>One job through the pipeline, narrated by its source.</summary>
    public static Ending Run(TrainJob job, SourceCli source, int verbosity, CliConsole console)
    {
        using var interrupts = new Interrupts();
        var view = new TrainView(console, verbosity, job, source);
        // Once the fit and the evaluation are over there is nothing to finish gracefully: a signal may end the
        // process wherever it is, since every file is replaced atomically (see Interrupts.Dispose).
        var releaseSignals = new TrainingObserver(e =>
        {
            if (e is EvaluationEnded)
            {
                interrupts.Dispose();
            }
        });
        using var run = TrainingPipeline.Run(job, [view, releaseSignals], interrupts.Token);
        return view.Finish(run, interrupts.Received);
    }
}
