using SimpleRnnTorch.Common;

namespace SimpleRnnTorch.Prediction;

/// <summary>Where predict's sequences come from: arguments, and then a file, standard input, or nothing.</summary>
internal abstract record SequenceInput
{
    private protected SequenceInput()
    {
    }

    public sealed record None : SequenceInput;

    /// <summary>One sequence per line of a file, which is read twice: checked whole, then predicted.</summary>
    public sealed record FromFile(string Path) : SequenceInput;

    /// <summary>One sequence per line of standard input, read once: a bad line stops the run there.</summary>
    public sealed record FromStdin(TextReader Reader) : SequenceInput;
}

/// <summary>A chunk of predicted sequences, for the view to render.</summary>
internal readonly record struct PredictedChunk(IReadOnlyList<double[]> Inputs, ReadOnlyMemory<double> Predictions, int Features);

/// <summary>
/// `predict` as a stream: sequences from arguments and a file or stdin, predicted in chunks of
/// <see cref="ChunkSize"/> so that millions of lines go through in flat memory, each chunk handed to
/// <c>emit</c> as soon as it is predicted. Arguments and a file are checked whole before the model loads,
/// so a bad line costs nothing and prints nothing; standard input can only be read once.
/// Every problem is a <see cref="ProgramError"/> naming the line.
/// </summary>
internal static class PredictionStream
{
    /// <summary>Sequences per forward pass: large enough to amortise a call, small enough to stay flat in memory.</summary>
    public const int ChunkSize = 8192;

    public const string NoSequences = "predict: give sequences as arguments (e.g. 50,60,70) or with --file PATH (or --file - for stdin)";

    /// <returns>How many sequences were predicted.</returns>
    public static long Run(string modelPath, int threads, IReadOnlyList<string> arguments, SequenceInput input, Action<PredictedChunk> emit)
    {
        // A first pass over what can be read twice (not stdin): every line a sequence, all of one length.
        var first = CheckAll(Lines(arguments, input is SequenceInput.FromFile ? input : new SequenceInput.None()));
        if (first is null && input is not SequenceInput.FromStdin)
        {
            throw new ProgramError(NoSequences, FailureKind.Input);
        }

        using var predictor = BatchPredictor.Load(modelPath, threads);
        if (first is var (length, source, firstText) && length != predictor.SequenceLength)
        {
            throw WrongLength(source, firstText, length, predictor);
        }

        var lines = Lines(arguments, input);
        long predicted = 0;
        var chunk = new List<double[]>(ChunkSize);
        var sources = new List<string>(ChunkSize);
        var inputs = new float[ChunkSize * predictor.SequenceLength];
        var outputs = new double[ChunkSize];
        foreach (var (lineSource, lineText) in lines)
        {
            if (SequenceText.Problem(lineText, out var values) is { } problem)
            {
                throw NotASequence(lineSource, problem);
            }

            if (values.Length != predictor.SequenceLength)
            {
                throw WrongLength(lineSource, lineText, values.Length, predictor);
            }

            if (Inference.OnnxModelInfo.WindowProblem(predictor.Scaling, [(float)values[^1]]) is { } lastProblem)
            {
                throw new ProgramError($"predict: {lineSource}: {lastProblem}", FailureKind.Input);
            }

            if (Inference.OnnxModelInfo.SizeProblem(predictor.Scaling, values) is { } sizeProblem)
            {
                throw new ProgramError($"predict: {lineSource}: {sizeProblem}", FailureKind.Input);
            }

            chunk.Add(values);
            sources.Add(lineSource);
            if (chunk.Count == ChunkSize)
            {
                predicted += Flush(predictor, chunk, sources, inputs, outputs, emit);
            }
        }

        predicted += Flush(predictor, chunk, sources, inputs, outputs, emit);
        return predicted > 0 ? predicted : throw new ProgramError(NoSequences, FailureKind.Input);
    }

    private static int Flush(BatchPredictor predictor, List<double[]> chunk, List<string> sources, float[] inputs, double[] outputs, Action<PredictedChunk> emit)
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
        if (Array.FindIndex(outputs, 0, chunk.Count, v => !double.IsFinite(v)) is var bad and >= 0)
        {
            throw NotFinite(predictor, sources[bad], chunk[bad], outputs[bad]);
        }

        emit(new PredictedChunk(chunk, outputs.AsMemory(0, chunk.Count), predictor.Features));
        var count = chunk.Count;
        chunk.Clear();
        sources.Clear();
        return count;
    }

    /// <summary>The sequences to read, each with where it came from: the arguments ("argument 1"), then the file's or stdin's lines.</summary>
    internal static IEnumerable<(string Source, string Text)> Lines(IReadOnlyList<string> arguments, SequenceInput input) =>
        arguments.Select((text, i) => (Source: $"argument {i + 1}", Text: text)).Concat(input switch
        {
            SequenceInput.FromFile file => SequenceLines.Read(file.Path),
            SequenceInput.FromStdin stdin => SequenceLines.Read(stdin.Reader),
            _ => [],
        });

    /// <summary>Every line parses as numbers and all have one length; returns the first line and that length (null: no lines).</summary>
    private static (int Length, string Source, string Text)? CheckAll(IEnumerable<(string Source, string Text)> lines)
    {
        (int Length, string Source, string Text)? first = null;
        foreach (var (source, text) in lines)
        {
            if (SequenceText.Problem(text, out var values) is { } problem)
            {
                throw NotASequence(source, problem);
            }

            if (first is null)
            {
                first = (values.Length, source, text);
            }
            else if (values.Length != first.Value.Length)
            {
                throw new ProgramError($"predict: {source} {SequenceText.Brief(values)} has {values.Length} values; the sequences before it have {first.Value.Length}", FailureKind.Input);
            }
        }

        return first;
    }

    /// <summary>
    /// A prediction that is not a number: the model's fault (exit 1) when a window of ones gives none either (a
    /// divisor of 0, damaged weights), else the sequence's (exit 2): its values overflow the model's float32.
    /// </summary>
    private static ProgramError NotFinite(BatchPredictor predictor, string source, double[] values, double prediction)
    {
        var shown = prediction.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var check = predictor.SelfCheck();
        return double.IsFinite(check)
            ? new ProgramError($"predict: {source} {SequenceText.Brief(values)} gives no finite prediction ({shown}): its values are too large for the model", FailureKind.Input)
            : new ProgramError($"predict: the model gives no finite prediction ({shown}, and {check.ToString(System.Globalization.CultureInfo.InvariantCulture)} " +
                               "for a window of ones): the model file is broken", FailureKind.Failed);
    }

    private static ProgramError NotASequence(string source, string problem) => new($"predict: {source} {problem}", FailureKind.Input);

    private static ProgramError WrongLength(string source, string text, int length, BatchPredictor predictor)
    {
        SequenceText.TryParse(text, out var values);
        return new(predictor.Features == 1
            ? $"predict: {source} {SequenceText.Brief(values)} has {length} values; the model was trained on sequences of {predictor.SequenceLength}"
            : $"predict: {source} {SequenceText.Brief(values)} has {length} values; the model reads {predictor.SequenceLength / predictor.Features} time steps of " +
              $"{predictor.Features} features, {predictor.SequenceLength} values step by step (for the adding task: value, marker, value, marker, ...)", FailureKind.Input);
    }
}
