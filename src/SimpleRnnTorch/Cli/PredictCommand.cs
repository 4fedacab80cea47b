using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using SimpleRnnTorch.Data;
using SimpleRnnTorch.Inference;
using SimpleRnnTorch.Model;
using SimpleRnnTorch.Persistence;
using SimpleRnnTorch.Training;

namespace SimpleRnnTorch.Cli;

/// <summary>
/// `predict`: load a saved model and continue sequences given as arguments, or one per line from a
/// file or stdin, without training. A .onnx model runs on ONNX Runtime and never loads libtorch; any
/// other file is read as the safetensors model a training run saves. Text for people, --json (one
/// object per line) for programs.
/// <para>
/// Lines are predicted in chunks of <see cref="ChunkSize"/>, so a file of millions of sequences streams
/// through in flat memory. A file is read twice: once to check every line (nothing is printed for a file
/// with a bad line), once to predict. Standard input can only be read once: its lines are predicted as
/// they come, and a bad line stops the run there.
/// </para>
/// </summary>
internal sealed class PredictCommand(SharedOptions shared)
{
    /// <summary>Sequences per forward pass: large enough to amortise a call, small enough to stay flat in memory.</summary>
    public const int ChunkSize = 8192;

    private const string NoSequences = "predict: give sequences as arguments (e.g. 50,60,70) or with --file PATH (or --file - for stdin)";

    // A diverged model predicts NaN; say so in the JSON ("NaN") rather than fail half-way through.
    private static readonly JsonSerializerOptions JsonLines = new() { NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals };

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

    public Option<bool> Json { get; } = new("--json") { Description = "One JSON object per line: {\"input\": [...], \"prediction\": ...}" };

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

    /// <summary>True when the model is an ONNX export: predict then never needs libtorch.</summary>
    public static bool IsOnnx(string modelPath) => modelPath.EndsWith(".onnx", StringComparison.OrdinalIgnoreCase);

    public static int Run(CliConsole console, string modelPath, IReadOnlyList<string> arguments, string? file, bool json, int threads)
    {
        // Arguments and a file are checked whole before the model loads: a bad line costs nothing.
        var fromArguments = arguments.Select((text, i) => (Source: $"argument {i + 1}", Text: text));
        var fromFile = file is null or "-" ? [] : ReadLines(file, () => OpenFile(file), file);
        var first = CheckAll(fromArguments.Concat(fromFile));
        if (first is null && file != "-")
        {
            throw new UserError(NoSequences);
        }

        using IBatchPredictor predictor = IsOnnx(modelPath) ? OnnxPredictor.Load(modelPath, threads) : TorchPredictor.Load(modelPath, threads);
        if (first is var (length, source, firstText) && length != predictor.SequenceLength)
        {
            throw WrongLength(source, firstText, length, predictor);
        }

        var lines = file == "-"
            ? fromArguments.Concat(ReadLines("stdin", () => console.In, "-"))
            : fromArguments.Concat(file is null ? [] : ReadLines(file, () => OpenFile(file), file));
        var predicted = 0;
        var chunk = new List<double[]>(ChunkSize);
        var inputs = new float[ChunkSize * predictor.SequenceLength];
        var outputs = new double[ChunkSize];
        var text = new StringBuilder();
        foreach (var (lineSource, lineText) in lines)
        {
            if (!SequenceText.TryParse(lineText, out var values))
            {
                throw NotASequence(lineSource, lineText);
            }

            if (values.Length != predictor.SequenceLength)
            {
                throw WrongLength(lineSource, lineText, values.Length, predictor);
            }

            chunk.Add(values);
            if (chunk.Count == ChunkSize)
            {
                predicted += Flush(console, predictor, chunk, inputs, outputs, text, json);
            }
        }

        predicted += Flush(console, predictor, chunk, inputs, outputs, text, json);
        if (predicted == 0)
        {
            throw new UserError(NoSequences);
        }

        return ExitCodes.Ok;
    }

    /// <summary>Predicts a chunk and writes its lines in one write; returns how many it predicted.</summary>
    private static int Flush(CliConsole console, IBatchPredictor predictor, List<double[]> chunk, float[] inputs, double[] outputs, StringBuilder text, bool json)
    {
        if (chunk.Count == 0)
        {
            return 0;
        }

        var t = predictor.SequenceLength;
        for (var i = 0; i < chunk.Count; i++)
        {
            for (var j = 0; j < t; j++)
            {
                inputs[(i * t) + j] = (float)chunk[i][j];
            }
        }

        predictor.Predict(inputs, chunk.Count, outputs);
        text.Clear();
        for (var i = 0; i < chunk.Count; i++)
        {
            text.Append(json
                ? JsonSerializer.Serialize(new { input = chunk[i], prediction = outputs[i] }, JsonLines)
                : predictor.Features == 1
                    ? $"Input sequence: {SequenceText.Format(chunk[i])}  Predicted next value: {outputs[i].ToString("F2", CultureInfo.InvariantCulture)}"
                    : $"Input sequence: {SequenceText.Format(chunk[i])}  Prediction: {outputs[i].ToString("F4", CultureInfo.InvariantCulture)}").Append('\n');
        }

        console.Out.Write(text);
        console.Out.Flush();
        var count = chunk.Count;
        chunk.Clear();
        return count;
    }

    /// <summary>Every line parses as numbers and all have one length; returns the first line and that length (null: no lines).</summary>
    private static (int Length, string Source, string Text)? CheckAll(IEnumerable<(string Source, string Text)> lines)
    {
        (int Length, string Source, string Text)? first = null;
        foreach (var (source, text) in lines)
        {
            if (!SequenceText.TryParse(text, out var values))
            {
                throw NotASequence(source, text);
            }

            if (first is null)
            {
                first = (values.Length, source, text);
            }
            else if (values.Length != first.Value.Length)
            {
                throw new UserError($"predict: {source} {SequenceText.Format(values)} has {values.Length} values; the sequences before it have {first.Value.Length}");
            }
        }

        return first;
    }

    private static UserError NotASequence(string source, string text) =>
        new($"predict: {source} '{text}' is not a sequence of numbers such as 50,60,70");

    private static UserError WrongLength(string source, string text, int length, IBatchPredictor predictor)
    {
        SequenceText.TryParse(text, out var values);
        return new(predictor.Features == 1
            ? $"predict: {source} {SequenceText.Format(values)} has {length} values; the model was trained on sequences of {predictor.SequenceLength}"
            : $"predict: {source} {SequenceText.Format(values)} has {length} values; the model reads {predictor.SequenceLength / predictor.Features} time steps of " +
              $"{predictor.Features} features, {predictor.SequenceLength} values step by step (for the adding task: value, marker, value, marker, ...)");
    }

    private static TextReader OpenFile(string file)
    {
        if (Directory.Exists(file))
        {
            throw new UserError($"--file '{file}' is a folder; give a file with one sequence per line");
        }

        try
        {
            return new StreamReader(file, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 16);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new UserError(e is FileNotFoundException or DirectoryNotFoundException
                ? $"--file '{file}': no such file"
                : $"--file '{file}' cannot be read: {e.Message}");
        }
    }

    /// <summary>The non-blank, non-comment lines of a reader, lazily, each named by its line number.</summary>
    private static IEnumerable<(string Source, string Text)> ReadLines(string name, Func<TextReader> open, string file)
    {
        var reader = open();
        try
        {
            var number = 0;
            while (true)
            {
                string? line;
                try
                {
                    line = reader.ReadLine();
                }
                catch (IOException e)
                {
                    throw new UserError($"--file '{file}' cannot be read: {e.Message}");
                }

                if (line is null)
                {
                    yield break;
                }

                number++;
                var text = line.Trim();
                if (text.Length > 0 && !text.StartsWith('#'))
                {
                    yield return (file == "-" ? $"stdin line {number}" : $"{name} line {number}", text);
                }
            }
        }
        finally
        {
            if (file != "-")
            {
                reader.Dispose();
            }
        }
    }

    /// <summary>One of the two ways a saved model predicts a chunk of sequences, in original units.</summary>
    private interface IBatchPredictor : IDisposable
    {
        /// <summary>Values per sequence: time steps × features.</summary>
        int SequenceLength { get; }

        int Features { get; }

        void Predict(float[] inputs, int count, double[] outputs);
    }

    /// <summary>ONNX Runtime on the exported graph: no TorchSharp type is touched on this path.</summary>
    private sealed class OnnxPredictor(SequenceModel model) : IBatchPredictor
    {
        private float[] scratch = [];

        public int SequenceLength => model.SequenceLength;

        public int Features => model.Info.Features;

        public static OnnxPredictor Load(string path, int threads) => new(SequenceModel.Load(path, threads));

        public void Predict(float[] inputs, int count, double[] outputs)
        {
            if (scratch.Length < count)
            {
                scratch = new float[count];
            }

            model.Predict(inputs, count, scratch);
            for (var i = 0; i < count; i++)
            {
                outputs[i] = scratch[i];
            }
        }

        public void Dispose() => model.Dispose();
    }

    /// <summary>libtorch on the safetensors model, as training left it.</summary>
    private sealed class TorchPredictor(SequenceRegressor model, SequenceScaler scaler, int timeSteps) : IBatchPredictor
    {
        public int SequenceLength => timeSteps * Features;

        public int Features => model.Spec.InputSize;

        public static TorchPredictor Load(string path, int threads)
        {
            TorchSharp.torch.set_num_threads(threads);
            var (model, manifest) = ModelFile.Load(path, TorchSharp.torch.CPU);
            return new TorchPredictor(model, manifest.Scaler, manifest.TimeSteps);
        }

        public void Predict(float[] inputs, int count, double[] outputs) =>
            Predictor.Predict(model, scaler, inputs.AsSpan(0, count * SequenceLength), count, timeSteps, TorchSharp.torch.CPU, outputs);

        public void Dispose() => model.Dispose();
    }
}
