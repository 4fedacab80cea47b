using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using SimpleRnnTorch.Model;
using SimpleRnnTorch.Reporting;
using static TorchSharp.torch;

namespace SimpleRnnTorch.Cli;

/// <summary>
/// `predict`: load a saved model and continue sequences given as arguments, or one per line from a
/// file or stdin, without training. Text for people, --json (one object per line) for programs.
/// </summary>
public static class PredictCommand
{
    public static Command Build(CliConsole console)
    {
        var sequences = new Argument<string[]>("sequences")
        {
            Description = "Sequences to continue, each as comma-separated numbers, e.g. 50,60,70 10,20,30",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var model = new Option<string>("--model", "-m")
        {
            Description = "The saved model (from a training run)",
            DefaultValueFactory = _ => Path.Combine("plots", "model.safetensors"),
            HelpName = "file",
        };
        var file = new Option<string>("--file", "-f")
        {
            Description = "Read sequences one per line from this file, or '-' for stdin (blank lines and # comments are skipped)",
            HelpName = "file",
        };
        var json = new Option<bool>("--json") { Description = "One JSON object per line: {\"input\": [...], \"prediction\": ...}" };
        var threads = OptionKit.Int("--threads", "libtorch CPU threads", 1, 1, 1024);

        var command = new Command("predict", "Predict the next value of sequences with a saved model, without training")
        {
            sequences, model, file, json, threads,
        };
        command.SetAction(parse => Run(
            console,
            parse.GetValue(model)!,
            parse.GetValue(sequences) ?? [],
            parse.GetValue(file),
            parse.GetValue(json),
            parse.GetValue(threads)));
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
            throw new UserError("predict: give sequences as arguments (e.g. 50,60,70) or with --file PATH (or --file - for stdin)");
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

    private static IEnumerable<(string Source, string Text)> ReadLines(string file, CliConsole console)
    {
        string[] lines;
        try
        {
            lines = file == "-" ? console.In.ReadToEnd().Split('\n') : File.ReadAllLines(file);
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
