using System.CommandLine;
using SimpleRnnTorch.Cli.Rendering;
using SimpleRnnTorch.Data;
using SimpleRnnTorch.Evaluation;
using SimpleRnnTorch.Model;
using SimpleRnnTorch.Persistence;
using SimpleRnnTorch.Reporting;
using SimpleRnnTorch.Training;

namespace SimpleRnnTorch.Cli;

/// <summary>
/// `gradients`: the vanishing gradient, measured. For each cell at one T of the adding task, ‖∂L/∂x_t‖
/// for every input step (<see cref="GradientNorms"/>) at the initial weights and after training through
/// <see cref="TrainingPipeline"/>; or, with --model, for saved adding-task models as they are. Prints a
/// table (or --json lines), writes gradients.png. Every check at parse time, saved models' manifests
/// included: a bad command line trains nothing and writes nothing.
/// </summary>
internal sealed class GradientsCommand(SharedOptions shared)
{
    private readonly AddingOptions adding = new();

    public Option<int> TimeSteps { get; } = OptionKit.Int("--time-steps", "Sequence length T of the adding problem", TrainJob.AddingTimeSteps, AddingProblem.MinTimeSteps, 10_000);

    public Option<Choices<CellKind>> Cells { get; } = OptionKit.ChoiceList("--cells", "Cells to train and measure, in this order", Enum.GetValues<CellKind>());

    public Option<int> Samples { get; } = OptionKit.Int("--samples", "Fresh sequences the norms are averaged over", GradientStudy.DefaultSamples, 1, 1_000_000);

    public Option<string[]> Models { get; } = new("--model", "-m")
    {
        Description = "Measure a saved adding-task model (its own T, cell and seed) instead of training; repeat for more, one per cell",
        HelpName = "file",
        Arity = ArgumentArity.OneOrMore,
        AllowMultipleArgumentsPerToken = false,
    };

    public Option<string> Output { get; } = new("--output", "-o")
    {
        Description = $"Folder for {GradientPlot.FileName}",
        DefaultValueFactory = _ => ArtifactPlan.DefaultFolder,
        HelpName = "folder",
    };

    public Option<bool> Json { get; } = new("--json")
    {
        Description = "One JSON object per cell and phase instead of the table: {\"cell\", \"phase\", \"time_steps\", \"norms\"}, norms[0] the first step",
    };

    public Command Build(CliConsole console)
    {
        var command = new Command("gradients",
            "The vanishing gradient on the adding task: ‖∂L/∂x_t‖ at every step for rnn, lstm and gru, at initialisation and after training; writes gradients.png");
        foreach (var option in new Option[] { TimeSteps, Cells }.Concat(adding.Training).Concat([shared.Seed, Samples, Models, Output, Json, shared.Threads, shared.Device]))
        {
            command.Options.Add(option);
        }

        command.Validators.Add(OptionKit.CrossCheck(Validate));
        command.SetAction(parse =>
        {
            var models = parse.GetValue(Models) ?? [];
            var jobs = models.Length > 0
                ? []
                : parse.GetValue(Cells)!.Values.Select(cell =>
                {
                    var job = adding.Job(parse, parse.GetValue(TimeSteps), parse.GetValue(shared.Seed), shared);
                    return job with { Model = job.Model with { Cell = cell } };
                }).ToList();
            return Run(console, jobs, models, parse.GetValue(Samples), parse.GetValue(Output)!, parse.GetValue(Json));
        });
        return command;
    }

    private void Validate(System.CommandLine.Parsing.CommandResult result)
    {
        var output = result.ValueOf(Output);
        if (string.IsNullOrWhiteSpace(output) || File.Exists(output))
        {
            result.AddError($"--output '{output}' must name a folder");
            return;
        }

        var models = result.ValueOf(Models) ?? [];
        if (models.Length == 0)
        {
            return;
        }

        // A saved model brings its own T, cell, seed and training: an option that would train is a contradiction.
        if (new Option[] { TimeSteps, Cells, shared.Seed }.Concat(adding.Training).FirstOrDefault(result.Given) is { } trainingOption)
        {
            result.AddError($"{trainingOption.Name} sets up training; --model measures saved models as they are (their manifest has T, cell and seed): give one or the other");
            return;
        }

        var seen = new List<(string Path, ModelManifest Manifest)>();
        foreach (var path in models)
        {
            ModelManifest manifest;
            try
            {
                manifest = ModelFile.ReadManifest(path);
            }
            catch (ModelFileException e)
            {
                result.AddError($"--model {e.Message}");
                return;
            }

            if (manifest.Task != SequenceTask.Adding || manifest.Model.InputSize != AddingProblem.Features)
            {
                result.AddError($"--model '{path}' was trained on the {manifest.Task.Name()} task ({manifest.Model.InputSize} feature(s) per step); " +
                                $"gradients measures adding-task models ({AddingProblem.Features} features): train one with `train --task adding`");
                return;
            }

            if (seen.FirstOrDefault(s => s.Manifest.TimeSteps != manifest.TimeSteps) is { Path: { } otherT } other)
            {
                result.AddError($"--model '{path}' has T = {manifest.TimeSteps}, '{otherT}' has T = {other.Manifest.TimeSteps}: one figure compares one T");
                return;
            }

            if (seen.FirstOrDefault(s => s.Manifest.Model.Cell == manifest.Model.Cell) is { Path: { } sameCell })
            {
                result.AddError($"--model '{path}' and '{sameCell}' are both {manifest.Model.Cell.ToString().ToLowerInvariant()} models: give one per cell");
                return;
            }

            seen.Add((path, manifest));
        }
    }

    public static int Run(CliConsole console, IReadOnlyList<TrainJob> jobs, IReadOnlyList<string> models, int samples, string output, bool json)
    {
        PlotFont.Resolve(); // no font, no figure: refuse before minutes of training
        using var interrupts = new Interrupts();
        var cells = new List<CellGradients>();
        foreach (var model in models)
        {
            Progress(console, $"measuring {model}");
            cells.Add(GradientStudy.FromFile(model, samples));
        }

        foreach (var job in jobs)
        {
            var cell = job.Model.Cell.ToString().ToLowerInvariant();
            Progress(console, $"{cell}: training on the adding task, T = {job.Data.TimeSteps}, {job.Training.Epochs} epochs of {job.Data.Count} sequences, batch {job.Training.BatchSize}, seed {job.Training.Seed}");
            var result = GradientStudy.Train(job, samples, cancellation: interrupts.Token);
            if (result is null)
            {
                console.WriteError(interrupts.Token.IsCancellationRequested
                    ? $"interrupted by {interrupts.SignalName} while training {cell}; nothing was written"
                    : $"the {cell} loss became non-finite; nothing was written (try a smaller --lr)");
                return interrupts.Token.IsCancellationRequested ? interrupts.ExitCode : ExitCodes.Failure;
            }

            Progress(console, $"{cell}: trained in {result.TrainingTime.TotalSeconds:0.0} s" + (result.Score is { } s ? $", test MSE {s.Mse:0.####e+0}" : ""));
            cells.Add(result);
        }

        var path = Path.Combine(output, GradientPlot.FileName);
        GradientPlot.Write(path, cells, samples);
        GradientsView.Write(console, cells, samples, json, path);
        return ExitCodes.Ok;
    }

    private static void Progress(CliConsole console, string line)
    {
        console.Error.WriteLine($"gradients: {line}");
        console.Error.Flush();
    }
}
