using System.CommandLine;
using SimpleRnnTorch.Cli.Views;
using SimpleRnnTorch.Common;
using SimpleRnnTorch.Data;
using SimpleRnnTorch.Experiments;
using SimpleRnnTorch.Model;
using SimpleRnnTorch.Persistence;
using SimpleRnnTorch.Reporting;
using SimpleRnnTorch.Runs;
using SimpleRnnTorch.Sources;

namespace SimpleRnnTorch.Cli;

/// <summary>
/// `gradients`: the vanishing gradient, measured (<see cref="GradientStudy"/>). For each cell at one T of
/// the adding task, ‖∂L/∂x_t‖ at the initial weights and after training; or, with --model, for saved
/// adding-task models as they are. Prints a table (or --json lines), writes gradients.png into a folder
/// it holds locked. The options are bound to one <see cref="Request"/> and checked once (<see cref="Problem"/>),
/// saved models' manifests included, before anything is trained or written.
/// </summary>
internal sealed class GradientsCommand(SharedOptions shared)
{
    private readonly AddingOptions adding = new();

    public Option<int> TimeSteps { get; } = OptionKit.Int("--time-steps", "Sequence length T of the adding problem", AddingData.DefaultTimeSteps, AddingProblem.MinTimeSteps, 10_000);

    public Option<Choices<CellKind>> Cells { get; } = OptionKit.ChoiceList("--cells", "Cells to train and measure, in this order", Enum.GetValues<CellKind>());

    public Option<int> Samples { get; } = OptionKit.Int("--samples", "Fresh sequences the norms are averaged over", GradientStudy.DefaultSamples, 1, 1_000_000);

    public Option<string[]> Models { get; } = new("--model", "-m")
    {
        Description = "Measure a saved adding-task model (its own T, cell and seed) instead of training; repeat for more, one per cell",
        HelpName = "file",
        Arity = ArgumentArity.OneOrMore,
        AllowMultipleArgumentsPerToken = false,
    };

    public Option<string> Output { get; } = SharedOptions.OutputFolder($"Folder for {GradientPlot.FileName}; held locked while the command runs");

    public Option<bool> Json { get; } = new("--json")
    {
        Description = "One JSON object per cell and phase instead of the table: {\"cell\", \"phase\", \"time_steps\", \"norms\"}, norms[0] the first step",
    };

    /// <summary>
    /// What the options ask for: the jobs to train (none with --model) and the saved models to measure;
    /// <see cref="TrainingOption"/> names the first option given that sets up training (which --model contradicts).
    /// </summary>
    public sealed record Request(IReadOnlyList<TrainJob> Jobs, IReadOnlyList<string> Models, int Samples, string Output, bool Json, string? TrainingOption = null);

    public Command Build(CliConsole console)
    {
        var command = new Command("gradients",
            "The vanishing gradient on the adding task: ‖∂L/∂x_t‖ at every step for rnn, lstm and gru, at initialisation and after training; writes gradients.png");
        foreach (var option in new Option[] { TimeSteps, Cells }.Concat(adding.Training).Concat([shared.Seed, Samples, Models, Output, Json, shared.Threads, shared.Device]))
        {
            command.Options.Add(option);
        }

        CliApp.SetAction(command, parse =>
        {
            var request = Bind(parse);
            return Problem(request) is { } problem ? throw new ProgramError(problem, FailureKind.Input) : Run(request, console);
        });
        return command;
    }

    private Request Bind(ParseResult parse)
    {
        var models = parse.GetValue(Models) ?? [];
        var jobs = models.Length > 0
            ? []
            : parse.GetValue(Cells)!.Values.Select(cell =>
            {
                var job = adding.Job(parse, parse.GetValue(TimeSteps), parse.GetValue(shared.Seed), shared);
                return job with { Model = job.Model with { Cell = cell } };
            }).ToList();
        var trainingOption = new Option[] { TimeSteps, Cells, shared.Seed }.Concat(adding.Training).FirstOrDefault(parse.Given);
        return new Request(jobs, models, parse.GetValue(Samples), parse.GetValue(Output)!, parse.GetValue(Json), trainingOption?.Name);
    }

    /// <summary>
    /// The one check of a bound request, before anything is trained or written: the output folder, --model
    /// without training options and its saved models' manifests, then whether this machine can train the jobs.
    /// The first problem is reported.
    /// </summary>
    public static string? Problem(Request request)
    {
        if (PathChecks.FolderProblem("--output", request.Output) is { } folderProblem)
        {
            return folderProblem;
        }

        if (request.Models.Count > 0)
        {
            // A saved model brings its own T, cell, seed and training: an option that would train is a contradiction.
            return request.TrainingOption is { } option
                ? $"{option} sets up training; --model measures saved models as they are (their manifest has T, cell and seed): give one or the other"
                : GradientStudy.ModelsProblem(request.Models) is { } modelsProblem ? $"--model {modelsProblem}" : null;
        }

        return request.Jobs is [{ Source: AddingData data } first, ..]
            ? AddingOptions.BudgetProblem(request.Jobs.Select(j => j.Model), data, first.Training.BatchSize)
            : null;
    }

    public static Ending Run(Request request, CliConsole console)
    {
        PlotFont.Resolve(); // no font, no figure: refuse before minutes of training
        using var folder = OutputFolderLock.Acquire(request.Output, "--output", "simplernntorch gradients");
        using var interrupts = new Interrupts();
        var cells = new List<CellGradients>();
        foreach (var model in request.Models)
        {
            console.Progress("gradients", $"measuring {model}");
            cells.Add(GradientStudy.FromFile(model, request.Samples));
        }

        foreach (var job in request.Jobs)
        {
            var cell = job.Model.Cell.ToString().ToLowerInvariant();
            console.Progress("gradients", $"{cell}: training on the adding task, T = {job.Source.TimeSteps}, {job.Training.Epochs} epochs of {job.Source.Samples} sequences, batch {job.Training.BatchSize}, seed {job.Training.Seed}");
            var result = GradientStudy.Train(job, request.Samples, cancellation: interrupts.Token);
            if (result is null)
            {
                if (interrupts.Received is not null)
                {
                    throw interrupts.Stopped($"while training {cell}; {GradientPlot.FileName} was not written");
                }

                console.WriteError($"the {cell} loss became non-finite; {GradientPlot.FileName} was not written (try a smaller --lr)");
                return Ending.Diverged;
            }

            console.Progress("gradients", $"{cell}: trained in {result.TrainingTime.TotalSeconds:0.0} s" + (result.Score is { } s ? $", test MSE {s.Mse:0.####e+0}" : ""));
            cells.Add(result);
        }

        var path = Path.Combine(request.Output, GradientPlot.FileName);
        GradientPlot.Write(path, cells, request.Samples);
        GradientsView.Write(console, cells, request.Samples, request.Json, path);
        return Ending.Completed;
    }
}
