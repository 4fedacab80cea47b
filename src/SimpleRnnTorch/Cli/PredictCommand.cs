using System.CommandLine;
using SimpleRnnTorch.Cli.Views;
using SimpleRnnTorch.Common;
using SimpleRnnTorch.Prediction;
using SimpleRnnTorch.Runs;

namespace SimpleRnnTorch.Cli;

/// <summary>
/// `predict`: load a saved model and continue sequences given as arguments, or one per line from a file
/// or stdin, without training (<see cref="PredictionStream"/>). A .onnx model runs on ONNX Runtime and
/// never loads libtorch. Text for people, --json (one object per line) for programs (<see cref="PredictView"/>).
/// </summary>
internal sealed class PredictCommand(SharedOptions shared)
{
    public Argument<string[]> Sequences { get; } = new("sequences")
    {
        Description = "Sequences to continue, each as comma-separated numbers, e.g. 50,60,70 10,20,30; an adding-task model reads value,marker pairs step by step",
        Arity = ArgumentArity.ZeroOrMore,
    };

    public Option<string> Model { get; } = new("--model", "-m")
    {
        Description = "The saved model: the .safetensors file a training run writes (libtorch), or its .onnx export (ONNX Runtime, no libtorch)",
        DefaultValueFactory = _ => ArtifactPlan.DefaultModelPath(ArtifactPlan.DefaultFolder),
        HelpName = "file",
    };

    public Option<string> File { get; } = new("--file", "-f")
    {
        Description = "Read sequences one per line from this file, or '-' for stdin (blank lines and # comments are skipped)",
        HelpName = "file",
    };

    public Option<bool> Json { get; } = new("--json") { Description = "One JSON object per line: {\"input\": [...], \"prediction\": ...}; with --horizon {\"source\", \"values\", \"forecast\": [...], \"lower\": [...], \"upper\": [...], \"level\"}" };

    public Option<int?> Horizon { get; } = OptionKit.NullableInt("--horizon",
        "For a series model's .onnx export: forecast this many steps after each sequence, read as a series' values (at least the window; " +
        "give the whole series: its last 1,000 give the forecast and interval its run printed), with the model's interval", 1, 100_000);

    /// <summary>What the options ask for: the model, the sequences given as arguments and where more are read from.</summary>
    public sealed record Request(string Model, IReadOnlyList<string> Arguments, SequenceInput Input, bool Json, int Threads, int? Horizon = null);

    public Command Build(CliConsole console)
    {
        var command = new Command("predict", "Predict the next value of sequences with a saved model, without training")
        {
            Sequences, Model, File, Json, Horizon, shared.Threads,
        };
        CliApp.SetAction(command, parse =>
        {
            var request = Bind(parse, console);
            return Problem(request) is { } problem ? throw new ProgramError(problem, FailureKind.Input) : Run(request, console);
        });
        return command;
    }

    private Request Bind(ParseResult parse, CliConsole console) => new(
        parse.GetValue(Model)!,
        parse.GetValue(Sequences) ?? [],
        parse.GetValue(File) switch
        {
            null => new SequenceInput.None(),
            "-" => new SequenceInput.FromStdin(console.In),
            var path => new SequenceInput.FromFile(path),
        },
        parse.GetValue(Json),
        parse.GetValue(shared.Threads),
        parse.GetValue(Horizon));

    /// <summary>The one check of a bound request, before the model loads: something to continue, and every argument a sequence. The first problem is reported.</summary>
    public static string? Problem(Request request) =>
        request.Arguments.Count == 0 && request.Input is SequenceInput.None ? PredictionStream.NoSequences
        : request.Arguments.Select((text, i) => (Problem: SequenceText.Problem(text, out _), Number: i + 1)).FirstOrDefault(a => a.Problem is not null) is { Problem: { } problem } argument
            ? $"predict: argument {argument.Number} {problem}"
            : null;

    public static Ending Run(Request request, CliConsole console)
    {
        if (request.Horizon is { } horizon)
        {
            ForecastStream.Run(request.Model, request.Threads, horizon, request.Arguments, request.Input, series => PredictView.WriteForecast(console, series, request.Json));
            return Ending.Completed;
        }

        PredictionStream.Run(request.Model, request.Threads, request.Arguments, request.Input, chunk => PredictView.Write(console, chunk, request.Json));
        return Ending.Completed;
    }
}
