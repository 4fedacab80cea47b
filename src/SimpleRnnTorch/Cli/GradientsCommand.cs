using System.CommandLine;
using System.CommandLine.Parsing;
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
/// it holds locked. Every check at parse time, saved models' manifests included.
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

    /// <summary>What the options ask for: the jobs to train (none with --model) and the saved models to measure.</summary>
    public sealed record Request(IReadOnlyList<TrainJob> Jobs, IReadOnlyList<string> Models, int Samples, string Output, bool Json);

    public Command Build(CliConsole console)
    {
        var command = new Command("gradients",
            "The vanishing gradient on the adding task: ‖∂L/∂x_t‖ at every step for rnn, lstm and gru, at initialisation and after training; writes gradients.png");
        foreach (var option in new Option[] { TimeSteps, Cells }.Concat(adding.Training).Concat([shared.Seed, Samples, Models, Output, Json, shared.Threads, shared.Device]))
        {
            command.Options.Add(option);
        }

        command.Validators.Add(OptionKit.CrossCheck(Validate));
        CliApp.SetAction(command, parse =>
        {
            var request = Bind(parse);
            if (request.Jobs.Count > 0
                && AddingOptions.BudgetProblem(request.Jobs.Select(j => j.Model), adding.Data(parse, parse.GetValue(TimeSteps)), request.Jobs[0].Training.BatchSize) is { } budgetProblem)
            {
                throw new ProgramError(budgetProblem, FailureKind.Input);
            }

            return Run(request, console);
        });
        return command;
    }

    private void Validate(CommandResult result)
    {
        var models = result.ValueOf(Models) ?? [];
        if (PathChecks.FolderProblem("--output", result.ValueOf(Output)) is { } folderProblem)
        {
            result.AddError(folderProblem);
        }
        else if (models.Length > 0 && new Option[] { TimeSteps, Cells, shared.Seed }.Concat(adding.Training).FirstOrDefault(result.Given) is { } trainingOption)
        {
            // A saved model brings its own T, cell, seed and training: an option that would train is a contradiction.
            result.AddError($"{trainingOption.Name} sets up training; --model measures saved models as they are (their manifest has T, cell and seed): give one or the other");
        }
        else if (models.Length > 0 && GradientStudy.ModelsProblem(models) is { } modelsProblem)
        {
            result.AddError($"--model {modelsProblem}");
        }

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
        return new Request(jobs, models, parse.GetValue(Samples), parse.GetValue(Output)!, parse.GetValue(Json));
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
