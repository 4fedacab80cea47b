using System.CommandLine;
using SimpleRnnTorch.Common;
using SimpleRnnTorch.Experiments;
using SimpleRnnTorch.Cli.Views;
using SimpleRnnTorch.Data;
using SimpleRnnTorch.Model;
using SimpleRnnTorch.Runs;
using SimpleRnnTorch.Sources;
using SimpleRnnTorch.Training;

namespace SimpleRnnTorch.Cli;

/// <summary>
/// `bench`: times the training loop (step, epoch, whole lesson), throughput at growing data sizes, and
/// memory; prints a table and, last, one `BENCH {json}` line for scripts (scripts/bench_vs_pytorch.sh).
/// Progress lines go to stderr, so stdout holds only the results.
/// </summary>
internal sealed class BenchCommand(SharedOptions shared)
{
    private static readonly BenchSettings Defaults = new();

    public Option<int> Batch { get; } = OptionKit.Int("--batch", "Batch size of the step timing", Defaults.Batch, 1, 65_536);
    public Option<int> Steps { get; } = OptionKit.Int("--steps", $"Timed training steps (after {Defaults.WarmupSteps} warm-up steps)", Defaults.Steps, 10, 10_000_000);
    public Option<int[]> Sizes { get; } = OptionKit.IntList("--sizes", "Sequence counts for the one-epoch throughput runs; 'none' skips them", [.. Defaults.ScaleSizes], 100, 50_000_000);
    public Option<int[]> ScaleBatches { get; } = OptionKit.IntList("--scale-batches", "Batch sizes for the throughput runs", [.. Defaults.ScaleBatches], 1, 1_048_576);

    public Option<int> SoakSteps { get; } = OptionKit.Int("--soak-steps",
        "Also train this many steps and compare resident memory after 1000 and after all of them (100000 takes ~30 s); 0 skips it", Defaults.SoakSteps, 0, 100_000_000);

    public Option<double> LearningRate { get; } = SharedOptions.LearningRate(
        "Adam's learning rate, constant (default: the lesson's, which scripts/torch_reference.py runs too)", Defaults.LearningRate);

    public Option<string> Data { get; } = new("--data")
    {
        Description = "Also time a CSV series: its reading (time, memory), then one epoch on its windows beside as many generated sequences",
        HelpName = "file.csv",
    };

    public Option<Choice<SequenceTask>> Task { get; } = OptionKit.Choice("--task",
        "What every part trains on: arithmetic (the lesson) or adding (the adding problem, as scripts/torch_reference.py --task adding)", Defaults.Task);

    public Option<Choice<CellKind>> Cell { get; } = OptionKit.Choice("--cell", "Recurrent layer: rnn, lstm or gru", Defaults.Cell);

    public Option<int?> TimeSteps { get; } = OptionKit.NullableInt("--time-steps",
        $"Sequence length T [default: the task's, {new SequenceSpec().TimeSteps} or {AddingData.DefaultTimeSteps} with --task adding]", 1, 10_000);

    public Option<int?> Hidden { get; } = OptionKit.NullableInt("--hidden",
        $"Hidden units [default: the task's, {new TrainJob().Model.HiddenSize} or {TrainJob.Adding().Model.HiddenSize} with --task adding]", 1, 100_000);

    public Command Build(CliConsole console)
    {
        var command = new Command("bench", "Measure training speed and memory; ends with one line `BENCH {json}`")
        {
            Batch, Steps, Sizes, ScaleBatches, SoakSteps, LearningRate, Task, Cell, TimeSteps, Hidden, shared.Threads, shared.Seed, shared.Device, Data,
        };
        CliApp.SetAction(command, parse =>
        {
            var settings = Bind(parse);
            return Problem(settings) is { } problem ? throw new ProgramError(problem, FailureKind.Input) : Run(console, settings);
        });
        return command;
    }

    private BenchSettings Bind(ParseResult parse) => new()
    {
        Batch = parse.GetValue(Batch),
        Steps = parse.GetValue(Steps),
        ScaleSizes = parse.GetValue(Sizes)!,
        ScaleBatches = parse.GetValue(ScaleBatches)!,
        SoakSteps = parse.GetValue(SoakSteps),
        LearningRate = parse.GetValue(LearningRate),
        Seed = parse.GetValue(shared.Seed),
        Threads = parse.GetValue(shared.Threads),
        Device = parse.GetValue(shared.Device).Value,
        SeriesFile = parse.GetValue(Data),
        Task = parse.GetValue(Task).Value,
        Cell = parse.GetValue(Cell).Value,
        TimeSteps = parse.GetValue(TimeSteps),
        Hidden = parse.GetValue(Hidden),
    };

    /// <summary>
    /// The one check of the bound settings, before anything is timed: the task's window, something for each
    /// throughput run to do, the --data file, then whether this machine can train it. The first problem is reported.
    /// </summary>
    public static string? Problem(BenchSettings settings)
    {
        if (settings.Task == SequenceTask.Adding && settings.TimeSteps is < AddingProblem.MinTimeSteps and var t)
        {
            return $"--time-steps must be at least {AddingProblem.MinTimeSteps} for --task adding (one marker in each half), got {t}";
        }

        if (settings.ScaleSizes.Count > 0 && settings.ScaleBatches.Count == 0)
        {
            return "--scale-batches none leaves the --sizes runs nothing to do; give batch sizes or --sizes none";
        }

        if (settings.SeriesFile is { } data && SeriesFile.FileProblem(data) is { } fileProblem)
        {
            return $"--data '{Excerpt.OfPath(data)}'{fileProblem}";
        }

        return settings.SeriesFile is not null && settings.ScaleBatches.Count == 0
            ? "--scale-batches none leaves the --data epochs nothing to do; give batch sizes"
            : BudgetProblem(settings);
    }

    /// <summary>Whether this machine can train the bench's largest runs, from the bound settings: the step timing's and each --sizes run's (<see cref="ResourceBudget"/>).</summary>
    private static string? BudgetProblem(BenchSettings settings)
    {
        var job = BenchRunner.Workload(settings); // the task's model and window, as the bench will train them
        var model = job.Model;
        var timeSteps = job.Source.TimeSteps;
        var batch = settings.Batch;
        var runs = new List<(long Sequences, int Batch, string What)> { ((long)batch * BenchRunner.StepsPerEpoch * 5 / 4, batch, $"--batch {batch}") };
        var scaleBatch = settings.ScaleBatches.DefaultIfEmpty(1).Max();
        runs.AddRange(settings.ScaleSizes.Select(size => ((long)size, scaleBatch, $"--sizes {size} with --scale-batches {scaleBatch}")));
        return runs.Select(r => ResourceBudget.Problem(new TrainingShape(model, r.Sequences, timeSteps, r.Batch, r.Sequences / 5),
                $"--hidden {model.HiddenSize} ({model.Cell.ToString().ToLowerInvariant()}), --time-steps {timeSteps}, {r.What}"))
            .FirstOrDefault(p => p is not null);
    }

    public static Ending Run(CliConsole console, BenchSettings settings)
    {
        using var interrupts = new Interrupts();
        BenchReport report;
        try
        {
            report = BenchRunner.Run(settings, phase => console.Progress("bench", phase), interrupts.Token);
        }
        catch (OperationCanceledException)
        {
            throw interrupts.Stopped("before the bench had results; nothing was measured to the end");
        }

        BenchView.Write(console, report, settings);
        return Ending.Completed;
    }
}
