using System.CommandLine;
using SimpleRnnTorch.Data;
using SimpleRnnTorch.Evaluation;
using SimpleRnnTorch.Model;
using SimpleRnnTorch.Runs;
using SimpleRnnTorch.Sources;
using SimpleRnnTorch.Training;

namespace SimpleRnnTorch.Cli;

/// <summary>
/// The training options of the commands that train on the adding task (gradients, sweep), defined once;
/// their defaults are the adding task's (<see cref="TrainJob.Adding"/>).
/// </summary>
internal sealed class AddingOptions
{
    private static readonly TrainJob Defaults = TrainJob.Adding();

    public Option<int> Hidden { get; } = OptionKit.Int("--hidden", "Hidden units of every cell", Defaults.Model.HiddenSize, 1, 100_000);
    public Option<int> Sequences { get; } = OptionKit.Int("--sequences", "Adding-problem sequences per run (the last 20% validate)", new AddingData().Count, 2, 50_000_000);
    public Option<int> Epochs { get; } = OptionKit.Int("--epochs", "Passes over the training sequences; with --sequences and --batch-size, the same optimiser steps for every T", Defaults.Training.Epochs, 1, TrainingConfig.MaxEpochs);
    public Option<int> BatchSize { get; } = OptionKit.Int("--batch-size", "Samples per optimiser step", Defaults.Training.BatchSize, 1, 50_000_000);
    public Option<double> LearningRate { get; } = SharedOptions.LearningRate("Adam's learning rate at the first epoch", Defaults.Training.LearningRate);

    public Option<Choice<LearningRateSchedule>> Schedule { get; } = OptionKit.Choice("--schedule",
        "Learning rate per epoch: constant, cosine (decay from --lr to 0), or plateau", Defaults.Training.Schedule);

    public Option<Choice<WeightInit>> Init { get; } = OptionKit.Choice("--init",
        "Initial weights: torch (PyTorch's defaults) or keras (glorot, orthogonal recurrent, zero biases, an LSTM forget-gate bias of 1)", Defaults.Training.Init);

    public Option<int> EvalCount { get; } = OptionKit.Int("--eval-count", "Fresh sequences the test MSE is measured on after training", EvaluationSet.DefaultCount, 1, 10_000_000);

    public IEnumerable<Option> Training => [Hidden, Sequences, Epochs, BatchSize, LearningRate, Schedule, Init, EvalCount];

    /// <summary>Whether this machine can train each bound model on the bound adding problem (<see cref="ResourceBudget"/>); checked once the options are bound.</summary>
    public static string? BudgetProblem(IEnumerable<ModelSpec> models, AddingData data, int batch) =>
        models.Select(model => ResourceBudget.Problem(new TrainingShape(model, data.Count, data.TimeSteps, batch, data.Count / 5, data.EvalCount),
                $"{ResourceBudget.Describe(model)}, --time-steps {data.TimeSteps}, --sequences {data.Count}, --batch-size {batch}"))
            .FirstOrDefault(p => p is not null);

    /// <summary>The adding problem at <paramref name="timeSteps"/> with these options applied.</summary>
    public AddingData Data(ParseResult result, int timeSteps) => new(result.GetValue(Sequences), timeSteps, result.GetValue(EvalCount));

    /// <summary>The adding task's job at <paramref name="timeSteps"/> with these options applied.</summary>
    public TrainJob Job(ParseResult result, int timeSteps, long seed, SharedOptions shared)
    {
        var defaults = TrainJob.Adding(timeSteps);
        return defaults with
        {
            Source = Data(result, timeSteps),
            Model = defaults.Model with { HiddenSize = result.GetValue(Hidden) },
            Training = defaults.Training with
            {
                Epochs = result.GetValue(Epochs),
                BatchSize = result.GetValue(BatchSize),
                LearningRate = result.GetValue(LearningRate),
                Schedule = result.GetValue(Schedule).Value,
                Init = result.GetValue(Init).Value,
                Seed = seed,
            },
            Device = result.GetValue(shared.Device).Value,
            Threads = result.GetValue(shared.Threads),
        };
    }
}
