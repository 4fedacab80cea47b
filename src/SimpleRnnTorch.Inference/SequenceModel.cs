using System.Security.Cryptography;
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
    private readonly Lazy<float> selfCheck;

    private SequenceModel(InferenceSession session, OnnxModelInfo info)
    {
        this.session = session;
        Info = info;
        selfCheck = new Lazy<float>(() =>
        {
            var input = new float[SequenceLength];
            Array.Fill(input, 1f);
            Span<float> output = stackalloc float[1];
            Run(input, 1, output);
            return output[0];
        });
    }

    /// <summary>
    /// The prediction for one window of ones, computed once: a finite window must give a finite value, so a
    /// non-finite one here means the model itself is broken (a divisor of 0, damaged weights), not its input.
    /// </summary>
    public float SelfCheck => selfCheck.Value;

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
        byte[] bytes;
        try
        {
            bytes = InputFileCheck.ReadBounded(path, InputFileCheck.MaxModelBytes, "a model file", p => new OnnxModelException($"'{path}'{p}"));
            if (MetadataSizeProblem(bytes) is { } tooLarge)
            {
                throw new OnnxModelException($"'{path}' is not a usable SimpleRnnTorch model: {tooLarge}");
            }

            // ONNX Runtime's own log lines (coloured warnings about a foreign graph) would come before ours on
            // stderr; what goes wrong reaches the caller as an exception, said in one line.
            using var options = new SessionOptions
            {
                IntraOpNumThreads = threads,
                InterOpNumThreads = 1,
                LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL,
            };
            session = new InferenceSession(bytes, options);
        }
        catch (Exception e) when (e is OnnxRuntimeException or IOException or UnauthorizedAccessException)
        {
            throw new OnnxModelException($"'{path}' is not a usable ONNX model: {FirstLine(e.Message)}");
        }

        try
        {
            var info = OnnxModelInfo.FromMetadata(session.ModelMetadata.CustomMetadataMap);
            if (info.GraphSha256 is { } expected && !string.Equals(GraphSha256(bytes), expected, StringComparison.Ordinal))
            {
                throw new OnnxModelException($"its graph does not match its '{OnnxModelInfo.GraphSha256Key}' (a damaged or edited file)");
            }

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
    /// <see cref="ForecastInterval.MaxHorizon"/>. A model whose run combined the network with exponential smoothing
    /// (<see cref="ForecastInterval.Smoothing"/>) fits the smoothing on the values given and forecasts the combination:
    /// give it the series (its last <see cref="SmoothingCombination.History"/> values reproduce the run's forecast); fewer
    /// than <see cref="SmoothingCombination.MinimumValues"/> get the network's forecast alone, as in the run.
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
            throw new ForecastException($"the horizon is {horizon}; this model forecasts 1 to {interval.MaxHorizon} steps (the horizon its training run forecast and measured an interval for)");
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

            if (OnnxModelInfo.VanishesInFloat32(values[i]))
            {
                throw new ForecastException($"value {i} ({values[i].ToString("R", System.Globalization.CultureInfo.InvariantCulture)}) is too small for float32 (it would become 0; the smallest nonzero is 1.4e-45)");
            }
        }

        if (Info.SizeProblem(values) is { } size)
        {
            throw new ForecastException(size);
        }

        var first = values[^window..].ToArray();
        var point = RecursiveForecast.Run([first], window, horizon, PredictStep, Info.WindowProblem)[0];
        interval = interval with { Floor = interval.FloorFor(values) };
        var smoothing = SmoothingUse.None;
        if (interval.Smoothing is { Weight: > 0 } && values.Length < SmoothingCombination.MinimumValues)
        {
            smoothing = SmoothingUse.TooFewValues;
        }
        else if (interval.Smoothing is { Weight: > 0 } combination)
        {
            var fit = combination.Fit(values);
            smoothing = combination.WeightFor(fit.Form) > 0 ? SmoothingUse.Combined : SmoothingUse.None; // a share of 0 for this form: the network's alone
            point = combination.Combine(point, fit.Forecast(horizon), fit.Form, interval.Floor);
            for (var h = 0; h < horizon; h++)
            {
                if (!(Math.Abs(point[h]) <= float.MaxValue))
                {
                    throw new ForecastException($"the forecast is not finite at step {h + 1}: the values are too large for the model");
                }
            }
        }

        if (interval.Floor is { } floor)
        {
            // The graph floors at the model's floor; a panel's series that is never negative has its own (FloorFor).
            for (var h = 0; h < horizon; h++)
            {
                point[h] = Math.Max(floor, point[h]);
            }
        }

        var spread = interval.PerSpread ? OnnxModelInfo.IntervalSpread(values.ToArray(), values.Length, window) : 1;
        var lower = new double[horizon];
        var upper = new double[horizon];
        for (var h = 0; h < horizon; h++)
        {
            (lower[h], upper[h]) = interval.Around(point[h], h + 1, spread);
            if (!(upper[h] > lower[h]))
            {
                // Offsets in the training series' units vanish beside a value 1e16 times larger: refused rather than an interval of no width.
                throw new ForecastException($"the interval at step {h + 1} has no width around {point[h].ToString("R", System.Globalization.CultureInfo.InvariantCulture)}: " +
                                            "this model's interval is in its training series' units, too small to add to values this large; give a series of the size it was trained on");
            }
        }

        return new ForecastResult(point, lower, upper, interval.Level) { Smoothing = smoothing };
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

    /// <summary>
    /// The SHA-256 of the model's graph as stored: the bytes of ModelProto's field 7 (GraphProto), which hold the
    /// nodes and the weights but not the metadata.
    /// </summary>
    internal static string GraphSha256(byte[] model)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var (field, start, length) in TopLevelFields(model, 0, model.Length))
        {
            if (field == 7)
            {
                hash.AppendData(model, start, length);
            }
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    /// <summary>
    /// Why the file's metadata cannot be ours, judged by the sizes of its entries (ModelProto's field 14) before
    /// ONNX Runtime parses them and .NET copies them: a crafted file with millions of interval offsets is refused
    /// for the cost of one pass over its bytes. Null when every entry is within its bound.
    /// </summary>
    internal static string? MetadataSizeProblem(byte[] model)
    {
        // Entries are counted and their keys must differ: ONNX Runtime's map keeps the last of a key given twice
        // (a series model could be served as another), and thousands of entries cost it seconds each to load.
        var keys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (field, start, length) in TopLevelFields(model, 0, model.Length))
        {
            if (field != 14)
            {
                continue;
            }

            if (keys.Count == MaxMetadataEntries)
            {
                return $"its metadata has more than {MaxMetadataEntries} entries; a model of this program has about 20";
            }

            string? key = null;
            var valueLength = 0;
            foreach (var (entryField, entryStart, entryLength) in TopLevelFields(model, start, start + length))
            {
                if (entryField == 1 && entryLength <= OnnxModelInfo.MaxMetadataKeyBytes)
                {
                    key = System.Text.Encoding.UTF8.GetString(model, entryStart, entryLength);
                }
                else if (entryField == 1)
                {
                    return $"a metadata key of {entryLength} bytes (at most {OnnxModelInfo.MaxMetadataKeyBytes})";
                }
                else if (entryField == 2)
                {
                    valueLength = entryLength;
                }
            }

            if (valueLength > OnnxModelInfo.MaxMetadataValueBytes(key ?? ""))
            {
                return $"its metadata '{key}' is {InputFileCheck.Size(valueLength)}, more than the {InputFileCheck.Size(OnnxModelInfo.MaxMetadataValueBytes(key ?? ""))} it may be";
            }

            if (!keys.Add(key ?? ""))
            {
                return $"its metadata names '{key}' more than once; each key may be given once";
            }
        }

        return null;
    }

    /// <summary>The most metadata entries a model file may have (this program writes about 20).</summary>
    internal const int MaxMetadataEntries = 256;

    /// <summary>
    /// The fields of the protobuf message in bytes [from, to): each length-delimited one's number and where its
    /// payload lies in <paramref name="bytes"/> (varints and fixed-size fields are skipped). The walk stops at the first malformed tag or length: ONNX
    /// Runtime judges the file, this only measures it.
    /// </summary>
    private static IEnumerable<(int Field, int Start, int Length)> TopLevelFields(byte[] bytes, int from, int to)
    {
        var at = from;
        while (at < to && Varint(bytes, to, ref at) is { } tag)
        {
            ulong length;
            switch (tag & 7)
            {
                case 0:
                    if (Varint(bytes, to, ref at) is null)
                    {
                        yield break;
                    }

                    continue;
                case 1:
                    at += 8;
                    continue;
                case 2:
                    length = Varint(bytes, to, ref at) ?? ulong.MaxValue;
                    break;
                case 5:
                    at += 4;
                    continue;
                default:
                    yield break;
            }

            if (at > to || length > (ulong)(to - at))
            {
                yield break;
            }

            yield return ((int)(tag >> 3), at, (int)length);
            at += (int)length;
        }
    }

    private static ulong? Varint(byte[] bytes, int to, ref int at)
    {
        ulong value = 0;
        for (var shift = 0; shift < 64 && at < to; shift += 7)
        {
            var b = bytes[at++];
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                return value;
            }
        }

        return null;
    }

    private static string FirstLine(string message) => message.Split('\n', 2)[0].Trim();

    public void Dispose() => session.Dispose();
}

/// <summary>
/// A recursive forecast: <see cref="Point"/>[h − 1] is the value h steps after the last one given; the interval
/// at that step is [<see cref="Lower"/>[h − 1], <see cref="Upper"/>[h − 1]], with nominal coverage <see cref="Level"/>.
/// </summary>
public sealed record ForecastResult(double[] Point, double[] Lower, double[] Upper, double Level)
{
    /// <summary>Whether exponential smoothing fitted on the values is part of <see cref="Point"/>: a model's run may combine it with the network, and then needs <see cref="SmoothingCombination.MinimumValues"/> values for it.</summary>
    public SmoothingUse Smoothing { get; init; }
}

/// <summary>What a forecast made of the smoothing its model's run combined with the network (<see cref="ForecastResult.Smoothing"/>).</summary>
public enum SmoothingUse
{
    /// <summary>The model's run combined none: the network's forecast alone.</summary>
    None,

    /// <summary>Smoothing fitted on the values given, combined with the network's forecast as the run combined them.</summary>
    Combined,

    /// <summary>The run combined smoothing, but fewer than <see cref="SmoothingCombination.MinimumValues"/> values were given to fit it on: the network's forecast alone (as the run forecast a series that short).</summary>
    TooFewValues,
}

/// <summary>How JSON (the service's /forecast, predict --json) names a <see cref="SmoothingUse"/>.</summary>
public static class SmoothingUseNames
{
    /// <summary>"none", "combined" or "too-few-values".</summary>
    public static string Name(this SmoothingUse use) => use switch
    {
        SmoothingUse.Combined => "combined",
        SmoothingUse.TooFewValues => "too-few-values",
        _ => "none",
    };
}

/// <summary>A forecast that cannot be made from this model or these values. One line.</summary>
public sealed class ForecastException(string message) : Exception(message);
