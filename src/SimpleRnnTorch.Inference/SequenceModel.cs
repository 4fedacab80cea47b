using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace SimpleRnnTorch.Inference;

/// <summary>
/// A trained SimpleRnnTorch model, loaded once from its .onnx file and run by ONNX Runtime: give it
/// sequences in original units, get the next values in original units (the scaling is in the graph).
/// <code>
/// using var model = SequenceModel.Load("plots/model.onnx");
/// double next = model.Predict([50, 60, 70]);            // ≈ 80
/// double[] batch = model.Predict([[50, 60, 70], [10, 20, 30]]);
/// </code>
/// Thread-safe: ONNX Runtime sessions may run concurrently, so one instance can serve a whole service.
/// </summary>
public sealed class SequenceModel : IDisposable
{
    private readonly InferenceSession session;

    private SequenceModel(InferenceSession session, OnnxModelInfo info)
    {
        this.session = session;
        Info = info;
    }

    public OnnxModelInfo Info { get; }

    /// <summary>Values per sequence: time steps × features.</summary>
    public int SequenceLength => Info.TimeSteps * Info.Features;

    /// <param name="threads">ONNX Runtime's intra-op threads; 1 is fastest for a model this small.</param>
    public static SequenceModel Load(string path, int threads = 1)
    {
        // A bounded read of a regular file: /dev/zero, a FIFO or a huge file is refused before ONNX Runtime sees it.
        if (InputFileCheck.Problem(path, InputFileCheck.MaxModelBytes, "a model file") is { } problem)
        {
            throw new OnnxModelException($"'{path}'{problem}");
        }

        InferenceSession session;
        try
        {
            var bytes = InputFileCheck.ReadBounded(path, InputFileCheck.MaxModelBytes, "a model file", p => new OnnxModelException($"'{path}'{p}"));
            using var options = new SessionOptions { IntraOpNumThreads = threads, InterOpNumThreads = 1 };
            session = new InferenceSession(bytes, options);
        }
        catch (Exception e) when (e is OnnxRuntimeException or IOException or UnauthorizedAccessException)
        {
            throw new OnnxModelException($"'{path}' is not a usable ONNX model: {FirstLine(e.Message)}");
        }

        try
        {
            var info = OnnxModelInfo.FromMetadata(session.ModelMetadata.CustomMetadataMap);
            CheckSignature(session, info);
            return new SequenceModel(session, info);
        }
        catch (OnnxModelException e)
        {
            session.Dispose();
            throw new OnnxModelException($"'{path}' is not a usable SimpleRnnTorch model: {e.Message}");
        }
    }

    /// <summary>The next value after one sequence of <see cref="SequenceLength"/> values.</summary>
    public double Predict(ReadOnlySpan<double> sequence)
    {
        Span<float> output = stackalloc float[1];
        var input = new float[SequenceLength];
        Fill(sequence, input, 0);
        Run(input, 1, output);
        return output[0];
    }

    /// <summary>The next value after each sequence, in one run of the graph.</summary>
    public double[] Predict(IReadOnlyList<double[]> sequences)
    {
        ArgumentNullException.ThrowIfNull(sequences);
        if (sequences.Count == 0)
        {
            return [];
        }

        var input = new float[sequences.Count * SequenceLength];
        for (var i = 0; i < sequences.Count; i++)
        {
            Fill(sequences[i], input, i);
        }

        var output = new float[sequences.Count];
        Run(input, sequences.Count, output);
        return Array.ConvertAll(output, v => (double)v);
    }

    /// <summary>
    /// The allocation-free form for streams of many sequences: <paramref name="inputs"/> holds
    /// <paramref name="count"/> sequences end to end (count × <see cref="SequenceLength"/> floats),
    /// <paramref name="outputs"/> receives one value per sequence.
    /// </summary>
    public void Predict(float[] inputs, int count, Span<float> outputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentOutOfRangeException.ThrowIfLessThan(inputs.Length, count * SequenceLength, nameof(inputs));
        ArgumentOutOfRangeException.ThrowIfLessThan(outputs.Length, count, nameof(outputs));
        if (count > 0)
        {
            Run(inputs, count, outputs);
        }
    }

    /// <summary>
    /// A recursive forecast for a series model (<see cref="OnnxModelInfo.Forecast"/> not null, one feature): from
    /// the last <see cref="OnnxModelInfo.TimeSteps"/> of <paramref name="values"/>, the next value is predicted,
    /// appended to the window and fed back in, <paramref name="horizon"/> times. Each step's interval is the point
    /// plus the offsets the training run measured for that step, so the horizon is at most
    /// <see cref="ForecastInterval.MaxHorizon"/>.
    /// <code>
    /// var f = model.Forecast(history, 10);   // f.Point[0] follows history[^1]; f.Lower[h], f.Upper[h] around f.Point[h]
    /// </code>
    /// </summary>
    /// <exception cref="ForecastException">a model that is not a series model, a horizon out of range, fewer values
    /// than the window, a value that is not finite or beyond float32, or a forecast that overflows: one line.</exception>
    public ForecastResult Forecast(ReadOnlySpan<double> values, int horizon)
    {
        var interval = Info.Forecast ?? throw new ForecastException(
            $"this model was not trained on a series (its metadata has no '{OnnxModelInfo.SeriesKey}' = \"true\"), so it cannot forecast");
        if (horizon < 1 || horizon > interval.MaxHorizon)
        {
            throw new ForecastException($"the horizon is {horizon}; this model forecasts 1 to {interval.MaxHorizon} steps (the steps its training run measured)");
        }

        var window = Info.TimeSteps;
        if (values.Length < window)
        {
            throw new ForecastException($"{values.Length} value(s) given; the model needs at least the last {window} values of the series");
        }

        for (var i = 0; i < values.Length; i++)
        {
            if (!double.IsFinite(values[i]))
            {
                throw new ForecastException($"value {i} is not a finite number; every value must be one, within float32's range (±3.4e38)");
            }

            if (!(Math.Abs(values[i]) <= float.MaxValue))
            {
                throw new ForecastException($"value {i} ({values[i].ToString("R", System.Globalization.CultureInfo.InvariantCulture)}) is beyond float32's range (±3.4e38)");
            }
        }

        var point = RecursiveForecast.Run([values[^window..].ToArray()], window, horizon, PredictStep, Info.WindowProblem)[0];
        var lower = new double[horizon];
        var upper = new double[horizon];
        for (var h = 0; h < horizon; h++)
        {
            lower[h] = point[h] + interval.Lower[h];
            upper[h] = point[h] + interval.Upper[h];
        }

        return new ForecastResult(point, lower, upper, interval.Level);
    }

    /// <summary>One step for <see cref="RecursiveForecast"/>: the graph's float output, widened.</summary>
    private void PredictStep(ReadOnlySpan<float> windows, int count, Span<double> next)
    {
        var output = count <= 16 ? stackalloc float[count] : new float[count];
        Run(windows.ToArray(), count, output);
        for (var i = 0; i < count; i++)
        {
            next[i] = output[i];
        }
    }

    private void Fill(ReadOnlySpan<double> sequence, float[] input, int row)
    {
        if (sequence.Length != SequenceLength)
        {
            throw new ArgumentException($"a sequence has {sequence.Length} values; the model was trained on sequences of {SequenceLength}");
        }

        for (var t = 0; t < sequence.Length; t++)
        {
            input[(row * SequenceLength) + t] = (float)sequence[t];
        }
    }

    private void Run(float[] input, int count, Span<float> output)
    {
        // The input tensor views the managed array (no copy); the output is copied out before it is freed.
        using var inputValue = OrtValue.CreateTensorValueFromMemory(input, [count, Info.TimeSteps, Info.Features]);
        using var runOptions = new RunOptions();
        using var results = session.Run(runOptions, [OnnxModelInfo.InputName], [inputValue], [OnnxModelInfo.OutputName]);
        results[0].GetTensorDataAsSpan<float>()[..count].CopyTo(output);
    }

    private static void CheckSignature(InferenceSession session, OnnxModelInfo info)
    {
        if (!session.InputMetadata.TryGetValue(OnnxModelInfo.InputName, out var input) || input.ElementDataType != TensorElementType.Float
            || input.Dimensions.Length != 3 || input.Dimensions[1] != info.TimeSteps || input.Dimensions[2] != info.Features)
        {
            throw new OnnxModelException($"its graph has no float input '{OnnxModelInfo.InputName}' of shape (batch, {info.TimeSteps}, {info.Features})");
        }

        if (!session.OutputMetadata.TryGetValue(OnnxModelInfo.OutputName, out var output) || output.ElementDataType != TensorElementType.Float)
        {
            throw new OnnxModelException($"its graph has no float output '{OnnxModelInfo.OutputName}'");
        }
    }

    private static string FirstLine(string message) => message.Split('\n', 2)[0].Trim();

    public void Dispose() => session.Dispose();
}

/// <summary>
/// A recursive forecast: <see cref="Point"/>[h − 1] is the value h steps after the last one given; the interval
/// at that step is [<see cref="Lower"/>[h − 1], <see cref="Upper"/>[h − 1]], with nominal coverage <see cref="Level"/>.
/// </summary>
public sealed record ForecastResult(double[] Point, double[] Lower, double[] Upper, double Level);

/// <summary>A forecast that cannot be made from this model or these values. One line.</summary>
public sealed class ForecastException(string message) : Exception(message);
