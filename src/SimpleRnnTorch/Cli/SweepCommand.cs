using System.CommandLine;
using System.Globalization;
using SimpleRnnTorch.Cli.Views;
using SimpleRnnTorch.Common;
using SimpleRnnTorch.Data;
using SimpleRnnTorch.Experiments;
using SimpleRnnTorch.Model;
using SimpleRnnTorch.Persistence;
using SimpleRnnTorch.Reporting;
using SimpleRnnTorch.Sources;

namespace SimpleRnnTorch.Cli;

/// <summary>
/// `sweep`: the chapter's comparison. Trains every cell at every T on the adding problem, over several
/// seeds, with the same budget (<see cref="AddingSweepPlan"/>), and reports per (T, cell) the median test
/// MSE and how many seeds got below 0.01; writes adding_mse.png. scripts/adding_table.sh runs it.
/// </summary>
internal sealed class SweepCommand(SharedOptions shared)
{
    private static readonly AddingSweepPlan Defaults = new();

    private readonly AddingOptions adding = new();

    public Option<int[]> TimeSteps { get; } = OptionKit.IntList("--time-steps", "Sequence lengths T to train at", [.. Defaults.TimeSteps], AddingProblem.MinTimeSteps, 10_000);

    public Option<Choices<CellKind>> Cells { get; } = OptionKit.ChoiceList("--cells", "Cells to train", Defaults.Cells);

    public Option<int[]> Seeds { get; } = OptionKit.IntList("--seeds", "Seeds: one run per seed at every T and cell", Defaults.Seeds.Select(s => (int)s).ToArray(), 0, int.MaxValue);

    public Option<string> Output { get; } = SharedOptions.OutputFolder($"Folder for {AddingSweepPlot.FileName}; held locked while the command runs");

    public Option<bool> Json { get; } = new("--json")
    {
        Description = "JSON lines instead of the table: one {\"run\": ...} per trained model as it ends, then one {\"point\": ...} per T and cell",
    };

    public Command Build(CliConsole console)
    {
        var command = new Command("sweep",
            "Adding problem: train every cell at every T over several seeds with the same budget; median test MSE and seeds below 0.01; writes adding_mse.png");
        foreach (var option in new Option[] { TimeSteps, Cells, Seeds }.Concat(adding.Training).Concat([Output, Json, shared.Threads, shared.Device]))
        {
            command.Options.Add(option);
        }

        CliApp.SetAction(command, parse =>
        {
            var request = Bind(parse);
            return Problem(request) is { } problem
                ? throw new ProgramError(problem, FailureKind.Input)
                : Run(console, request.Plan, request.Output, request.Json);
        });
        return command;
    }

    /// <summary>What the options ask for: the sweep, the folder its plot goes to, and whether to write JSON lines.</summary>
    public sealed record Request(AddingSweepPlan Plan, string Output, bool Json);

    private Request Bind(ParseResult parse) => new(
        new AddingSweepPlan
        {
            TimeSteps = parse.GetValue(TimeSteps)!.Distinct().ToArray(),
            Cells = parse.GetValue(Cells)!.Values,
            Seeds = parse.GetValue(Seeds)!.Distinct().Select(s => (long)s).ToArray(),
            Data = adding.Data(parse, AddingData.DefaultTimeSteps),
            Job = adding.Job(parse, AddingData.DefaultTimeSteps, 0, shared),
        },
        parse.GetValue(Output)!,
        parse.GetValue(Json));

    /// <summary>
    /// The one check of a bound request, before anything is trained or written: something to train, the output
    /// folder, then whether this machine can train the plan's largest runs (every cell at the longest T). The first
    /// problem is reported.
    /// </summary>
    public static string? Problem(Request request)
    {
        var plan = request.Plan;
        if (plan.TimeSteps.Count == 0 || plan.Seeds.Count == 0)
        {
            return $"{(plan.TimeSteps.Count == 0 ? "--time-steps" : "--seeds")} none leaves the sweep nothing to train; give at least one";
        }

        var longest = new AddingData(plan.Data.Count, plan.TimeSteps.Max(), plan.Data.EvalCount);
        return PathChecks.FolderProblem("--output", request.Output)
            ?? AddingOptions.BudgetProblem(plan.Cells.Select(cell => plan.Job.Model with { Cell = cell }), longest, plan.Job.Training.BatchSize);
    }

    public static Ending Run(CliConsole console, AddingSweepPlan plan, string output, bool json)
    {
        PlotFont.Resolve(); // no font, no figure: refuse before the sweep's minutes of training
        using var folder = OutputFolderLock.Acquire(output, "--output", "simplernntorch sweep");
        using var interrupts = new Interrupts();
        var job = plan.Job;
        console.Error.WriteLine($"sweep: {plan.Runs} runs (T {string.Join(", ", plan.TimeSteps)} × {string.Join(", ", plan.Cells.Select(c => c.ToString().ToLowerInvariant()))} × seeds {string.Join(", ", plan.Seeds)}), " +
                                $"each {plan.StepsPerRun:N0} steps: {job.Training.Epochs} epochs of {plan.Data.Count} sequences, batch {job.Training.BatchSize}, hidden {job.Model.HiddenSize}, " +
                                $"Adam {job.Training.LearningRate.ToString(CultureInfo.InvariantCulture)} {job.Training.Schedule.ToString().ToLowerInvariant()}, {job.Threads} thread(s)");
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var done = 0;
        IReadOnlyList<SweepRun> runs;
        try
        {
            runs = AddingSweep.Run(plan, run =>
            {
                done++;
                console.Error.WriteLine($"sweep: {done}/{plan.Runs} T {run.TimeSteps} {run.Cell.ToString().ToLowerInvariant()} seed {run.Seed}: test MSE " +
                                        $"{SweepView.Mse(run.Mse)}{(run.Diverged ? " (loss became non-finite)" : "")}, {run.TrainingTime.TotalSeconds:0.0} s");
                console.Error.Flush();
                if (json)
                {
                    SweepView.WriteRun(console, run);
                }
            }, interrupts.Token);
        }
        catch (OperationCanceledException)
        {
            throw interrupts.Stopped($"after {done} of {plan.Runs} runs; {AddingSweepPlot.FileName} was not written");
        }

        var points = AddingSweep.Summarize(runs);
        var path = Path.Combine(output, AddingSweepPlot.FileName);
        AddingSweepPlot.Write(path, points);
        SweepView.Write(console, plan, points, json, path, System.Diagnostics.Stopwatch.GetElapsedTime(started));
        return Ending.Completed;
    }
}
