using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using SimpleRnnTorch.Model;
using SimpleRnnTorch.Persistence;
using SimpleRnnTorch.Training;
using static TorchSharp.torch;

namespace SimpleRnnTorch.Cli;

/// <summary>
/// `predict`: load a saved model and continue sequences given as arguments, or one per line from a
/// file or stdin, without training. Text for people, --json (one object per line) for programs.
/// </summary>
internal sealed class PredictCommand(SharedOptions shared)
{
    public Argument<string[]> Sequences { get; } = new("sequences")
    {
        Description = "Sequences to continue, each as comma-separated numbers, e.g. 50,60,70 10,20,30",
        Arity = ArgumentArity.ZeroOrMore,
    };

    public Option<string> Model { get; } = new("--model", "-m")
    {
        Description = "The saved model (from a training run)",
        DefaultValueFactory = _ => ArtifactPlan.DefaultModelPath(ArtifactPlan.DefaultFolder),
        HelpName = "file",
    };

    public Option<string> File { get; } = new("--file", "-f")
    {
        Description = "Read sequences one per line from this file, or '-' for stdin (blank lines and # comments are skipped)",
        HelpName = "file",
    };

    public Option<bool> Json { get; } = new("--json") { Description = "One JSON object per line: {\"input\": [...], \"prediction\": ...}" };

    private const string NoSequences = "predict: give sequences as arguments (e.g. 50,60,70) or with --file PATH (or --file - for stdin)";

    public Command Build(CliConsole console)
    {
        var command = new Command("predict", "Predict the next value of sequences with a saved model, without training")
        {
            Sequences, Model, File, Json, shared.Threads,
        };
        command.Validators.Add(OptionKit.CrossCheck(result =>
        {
            if (result.GetValue(Sequences) is not { Length: > 0 } && result.ValueOf(File) is null)
            {
                result.AddError(NoSequences);
                return;
            }

            foreach (var (text, i) in (result.GetValue(Sequences) ?? []).Select((t, i) => (t, i)))
            {
                if (!SequenceText.TryParse(text, out _))
                {
                    result.AddError($"predict: argument {i + 1} '{text}' is not a sequence of numbers such as 50,60,70");
                    return;
                }
            }
        }));
        command.SetAction(parse => Run(
            console,
            parse.GetValue(Model)!,
            parse.GetValue(Sequences) ?? [],
            parse.GetValue(File),
            parse.GetValue(Json),
            parse.GetValue(shared.Threads)));
        return command;
    }

    public static int Run(CliConsole console, string modelPath, IReadOnlyList<string> arguments, string? file, bool json, int threads)
    {
        // Read and check every input before loading anything: a bad line costs nothing.
        var inputs = arguments.Select((text, i) => (Source: $"argument {i + 1}", Text: text)).ToList();
        if (file is not null)
        {
            inputs.AddRange(ReadLines(file, console));
        }

        if (inputs.Count == 0)
        {
            throw new UserError(NoSequences);
        }

        var parsed = new List<double[]>();
        foreach (var (source, text) in inputs)
        {
            if (!SequenceText.TryParse(text, out var values))
            {
                throw new UserError($"predict: {source} '{text}' is not a sequence of numbers such as 50,60,70");
            }

            parsed.Add(values);
        }

        set_num_threads(threads);
        var (regressor, manifest) = ModelFile.Load(modelPath, CPU);
        using (regressor)
        {
            var wrong = parsed.FindIndex(p => p.Length != manifest.TimeSteps);
            if (wrong >= 0)
            {
                throw new UserError($"predict: {inputs[wrong].Source} {SequenceText.Format(parsed[wrong])} has {parsed[wrong].Length} values; " +
                                    $"the model was trained on sequences of {manifest.TimeSteps}");
            }

            var predictions = Predictor.Predict(regressor, manifest.Scaler, parsed, CPU);
            for (var i = 0; i < predictions.Length; i++)
            {
                console.Out.WriteLine(json
                    ? JsonSerializer.Serialize(new { input = parsed[i], prediction = predictions[i] }, JsonLines)
                    : $"Input sequence: {SequenceText.Format(parsed[i])}  Predicted next value: {predictions[i].ToString("F2", CultureInfo.InvariantCulture)}");
            }
        }

        return ExitCodes.Ok;
    }

    // A diverged model predicts NaN; say so in the JSON ("NaN") rather than fail half-way through.
    private static readonly JsonSerializerOptions JsonLines = new() { NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals };

    private static List<(string Source, string Text)> ReadLines(string file, CliConsole console)
    {
        string[] lines;
        try
        {
            lines = file == "-" ? console.In.ReadToEnd().Split('\n') : System.IO.File.ReadAllLines(file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new UserError(e is FileNotFoundException or DirectoryNotFoundException
                ? $"--file '{file}': no such file"
                : $"--file '{file}' cannot be read: {e.Message}");
        }

        var name = file == "-" ? "stdin" : file;
        return lines
            .Select((line, i) => (Source: $"{name} line {i + 1}", Text: line.Trim()))
            .Where(l => l.Text.Length > 0 && !l.Text.StartsWith('#'))
            .ToList();
    }
}
