using System.Globalization;

namespace SimpleRnnTorch.Inference;

/// <summary>
/// What a SimpleRnnTorch ONNX file says about itself in its metadata_props, under these keys. The
/// exporter writes them; <see cref="SequenceModel"/> checks them before it predicts anything.
/// </summary>
public sealed record OnnxModelInfo(int TimeSteps, int Features, string Cell, int HiddenSize, int Layers, double ScaleDivisor, string Manifest, double ScaleOffset = 0)
{
    public const string FormatKey = "format";
    public const string Format = "simplernntorch-onnx";
    public const string FormatVersionKey = "format_version";
    public const string FormatVersion = "1";
    public const string TimeStepsKey = "time_steps";
    public const string FeaturesKey = "features";
    public const string CellKey = "cell";
    public const string HiddenSizeKey = "hidden_size";
    public const string LayersKey = "layers";
    public const string ScaleDivisorKey = "scale_divisor";

    /// <summary>The scaler is (x − offset) / divisor; the graph applies it, the value is for the record. Absent means 0.</summary>
    public const string ScaleOffsetKey = "scale_offset";

    /// <summary>The safetensors file's manifest (architecture, data, training settings, history), as JSON.</summary>
    public const string ManifestKey = "manifest";

    /// <summary>
    /// Optional: "true" marks a model trained on one series (one feature), whose next value can be fed back in to
    /// forecast further. A series model must also carry <see cref="IntervalLevelKey"/>, <see cref="IntervalLowerKey"/>
    /// and <see cref="IntervalUpperKey"/>. Absent, or any other value, means not a series model.
    /// </summary>
    public const string SeriesKey = "series";

    /// <summary>The nominal coverage of the forecast interval, a number in (0, 1), e.g. "0.8" (invariant culture).</summary>
    public const string IntervalLevelKey = "interval_level";

    /// <summary>
    /// Comma-separated invariant-culture doubles, one per horizon step h = 1..H: the offset added to the point
    /// forecast at step h to give the interval's lower end (typically ≤ 0). H, the number of values, is the longest
    /// horizon the training run measured and so the longest one served.
    /// </summary>
    public const string IntervalLowerKey = "interval_lower";

    /// <summary>As <see cref="IntervalLowerKey"/>, for the upper end (typically ≥ 0); the same count H.</summary>
    public const string IntervalUpperKey = "interval_upper";

    /// <summary>
    /// Optional: the least value a forecast or a bound may take (invariant culture), "0" for a series whose training
    /// part was never negative. The graph already floors its output; the interval's bounds are floored with it.
    /// </summary>
    public const string IntervalFloorKey = "interval_floor";

    /// <summary>
    /// Optional: "spread" when the interval's offsets are multiples of the spread of the window the forecast starts from
    /// (<see cref="WindowSpread"/>, a panel's model, which serves series of any size); absent, they are in the series' units.
    /// </summary>
    public const string IntervalScaleKey = "interval_scale";

    /// <summary>A series model's combination with exponential smoothing (<see cref="SmoothingCombination"/>): the smoothing's weight, season and history; absent: the network's forecast alone.</summary>
    public const string SmoothingWeightKey = "smoothing_weight";

    public const string SmoothingSeasonKey = "smoothing_season";

    public const string SmoothingHistoryKey = "smoothing_history";

    /// <summary>Optional: the smoothing's share where the form chosen has no season (<see cref="SmoothingCombination.UnseasonedWeight"/>); absent: the weight always.</summary>
    public const string SmoothingUnseasonedWeightKey = "smoothing_weight_unseasoned";


    /// <summary>The value of <see cref="IntervalScaleKey"/> for offsets in spreads.</summary>
    public const string SpreadIntervalScale = "spread";

    /// <summary>What the spread adds of the window's mean magnitude, so that a flat window has one.</summary>
    public const double SpreadLevelShare = 1e-3;

    /// <summary>The least spread: an all-zero window (near float32's least normal number, so a series of 1e-29 is as scale-free as one of 1e29).</summary>
    public const double MinSpread = 1e-37;

    /// <summary>
    /// A window's spread, s = mean |x[i] − x[i−1]| + 0.001 · mean |x| + 1e-37: what a panel's model divides each window by
    /// (the graph computes it as well) and multiplies its interval by. The one definition.
    /// </summary>
    public static double WindowSpread(IReadOnlyList<double> window)
    {
        double steps = 0, level = 0;
        for (var i = 0; i < window.Count; i++)
        {
            level += Math.Abs(window[i]);
            steps += i > 0 ? Math.Abs(window[i] - window[i - 1]) : 0;
        }

        return (window.Count > 1 ? steps / (window.Count - 1) : 0) + (SpreadLevelShare * level / window.Count) + MinSpread;
    }

    /// <summary>The values before an origin whose spread bounds the interval's (<see cref="IntervalSpread"/>): a run's smoothing history.</summary>
    public const int IntervalSeriesValues = 1000;

    /// <summary>The least share of the series' spread an interval's spread is (<see cref="IntervalSpread"/>).</summary>
    public const double IntervalSeriesShare = 0.5;

    /// <summary>
    /// What a panel's interval offsets (in spreads) are measured in and multiplied by for the forecast from
    /// <paramref name="end"/>: the spread of the window before it, at least <see cref="IntervalSeriesShare"/> of the spread of
    /// the <see cref="IntervalSeriesValues"/> values before it. A flat window (an intermittent series' zeros) has next to no
    /// spread: its errors in spreads would be enormous and take every series' pooled interval with them, and its own interval
    /// would have no width. The run's backtest, its forecasts and <see cref="SequenceModel.Forecast"/> call it alike.
    /// </summary>
    public static double IntervalSpread(double[] values, int end, int window)
    {
        var last = WindowSpread(new ArraySegment<double>(values, end - window, window));
        var from = Math.Max(0, end - IntervalSeriesValues);
        return Math.Max(last, IntervalSeriesShare * WindowSpread(new ArraySegment<double>(values, from, end - from)));
    }

    /// <summary>
    /// The most interval steps (H) a file may carry: train's --horizon bound, so every model a run exports loads.
    /// A file with more is refused at load, before its offsets are parsed.
    /// </summary>
    public const int MaxIntervalSteps = 100_000;

    /// <summary>The longest manifest (characters) a file may carry: the safetensors header's bound (ModelFile).</summary>
    public const int MaxManifestChars = 16 << 20;

    /// <summary>The longest metadata key (bytes) a file may carry.</summary>
    public const int MaxMetadataKeyBytes = 256;

    /// <summary>
    /// The most bytes one metadata value may hold, checked before ONNX Runtime parses the file: the manifest
    /// <see cref="MaxManifestChars"/> (its JSON escapes anything beyond ASCII, so characters are bytes), each interval
    /// <see cref="MaxIntervalSteps"/> offsets, any other key 64 KiB.
    /// </summary>
    public static int MaxMetadataValueBytes(string key) => key switch
    {
        ManifestKey => MaxManifestChars,
        IntervalLowerKey or IntervalUpperKey => MaxIntervalSteps * MaxOffsetChars,
        _ => 64 << 10,
    };

    /// <summary>Characters per interval offset: "-1.2345678901234567E-300" is 24; room for a space around it.</summary>
    private const int MaxOffsetChars = 32;

    /// <summary>
    /// Optional: the SHA-256 (lower-case hex) of the graph as the file stores it (ModelProto field 7: nodes and
    /// weights, not this metadata), checked at load so that a damaged weight is refused rather than predicting
    /// something else. Files exported before it was written load unchecked.
    /// </summary>
    public const string GraphSha256Key = "graph_sha256";

    /// <summary>The graph's checksum (<see cref="GraphSha256Key"/>), or null for a file without one.</summary>
    public string? GraphSha256 { get; init; }

    /// <summary>The cells a graph may be built of (<see cref="CellKey"/>).</summary>
    public static readonly IReadOnlyList<string> Cells = ["rnn", "lstm", "gru"];

    /// <summary>
    /// How the graph scales its input: <see cref="GlobalScaling"/> ((x − offset) / divisor), <see cref="DifferenceScaling"/>
    /// ((x − the window's last value) / divisor) or <see cref="RatioScaling"/> ((x / the window's last value − 1) / divisor,
    /// for positive series). Absent means global.
    /// </summary>
    public const string ScalingKey = "scaling";

    public const string GlobalScaling = "global";

    public const string DifferenceScaling = "difference";

    public const string RatioScaling = "ratio";

    /// <summary>The inputs as <see cref="DifferenceScaling"/>, the output relative to the window's value a season before it.</summary>
    public const string SeasonalScaling = "seasonal";

    /// <summary>Each window relative to its last value and divided by its own spread (its mean absolute step): a panel's model, which serves any series of the panel's kind.</summary>
    public const string SpreadScaling = "spread";

    /// <summary>The graph's scaling (<see cref="ScalingKey"/>): for the record and for checks such as positive inputs; the graph applies it.</summary>
    public string Scaling { get; init; } = GlobalScaling;

    /// <summary>Why a window cannot be fed to a model of this scaling, or null: a ratio to the last value needs that value positive.</summary>
    public static string? WindowProblem(string scaling, ReadOnlySpan<float> window) =>
        scaling == RatioScaling && window.Length > 0 && !(window[^1] > 0)
            ? $"its last value is {window[^1].ToString("R", CultureInfo.InvariantCulture)}; this model scales each window by its last value (a ratio) and needs it positive"
            : null;

    /// <summary>
    /// The largest size a value of a window-relative model's series may have: its changes are computed in float32 (two values
    /// of ±3.4e38 apart overflow), and training refuses a series beyond it.
    /// </summary>
    public const double LargestSize = 1e30;

    /// <summary>Why a value cannot be given to a model of this scaling, or null: a window-relative one takes values up to <see cref="LargestSize"/>.</summary>
    public static string? ValueProblem(string scaling, double value) =>
        scaling != GlobalScaling && !(Math.Abs(value) <= (float)LargestSize)
            ? $"{value.ToString("R", CultureInfo.InvariantCulture)} is beyond {LargestSize.ToString("0e0", CultureInfo.InvariantCulture)} in size: this model computes each window's changes in float32 and trains on series up to that size; divide the values by a power of ten"
            : null;

    /// <summary>The smallest size (largest magnitude) of a series a panel's model takes, other than 0: its spreads are float32, and training refuses a smaller series.</summary>
    public const double SmallestSize = 1e-30;

    /// <summary>
    /// Why values given to a model of this scaling are not of a size it computes in, or null: a window-relative model takes
    /// values up to <see cref="LargestSize"/> (<see cref="ValueProblem"/>), a panel's (spread) model a series whose largest
    /// value is 0 or at least <see cref="SmallestSize"/> (a series of 1e-40 was forecast at 12 to 40 times its level).
    /// </summary>
    public static string? SizeProblem(string scaling, ReadOnlySpan<double> values)
    {
        var largest = 0.0;
        for (var i = 0; i < values.Length; i++)
        {
            if (ValueProblem(scaling, values[i]) is { } problem)
            {
                return $"value {i}: {problem}";
            }

            largest = Math.Max(largest, Math.Abs(values[i]));
        }

        // Compared as float32, the model's type, as training compares the values it read: 1e-30 is at the bound in both.
        return scaling == SpreadScaling && largest > 0 && (float)largest < (float)SmallestSize
            ? $"the largest value is {largest.ToString("R", CultureInfo.InvariantCulture)} in size, below the {SmallestSize.ToString("0e0", CultureInfo.InvariantCulture)} a panel's model scales in float32 (training refuses such a series too); multiply the values by a power of ten above 1"
            : null;
    }

    /// <summary><see cref="SizeProblem(string, ReadOnlySpan{double})"/> for this model.</summary>
    public string? SizeProblem(ReadOnlySpan<double> values) => SizeProblem(Scaling, values);

    /// <summary><see cref="WindowProblem(string, ReadOnlySpan{float})"/> for this model.</summary>
    public string? WindowProblem(ReadOnlySpan<float> window) => WindowProblem(Scaling, window);

    /// <summary>The forecast contract of a series model (<see cref="SeriesKey"/> = "true"), or null for any other model.</summary>
    public ForecastInterval? Forecast { get; init; }

    /// <summary>The graph's input: (batch, time steps, features), float32, in original units.</summary>
    public const string InputName = "input";

    /// <summary>The graph's output: (batch, 1), float32, in original units.</summary>
    public const string OutputName = "output";

    /// <summary>The metadata every exported model carries, as strings, and a series model's forecast keys.</summary>
    public IReadOnlyDictionary<string, string> ToMetadata()
    {
        var metadata = BaseMetadata();
        metadata[ScalingKey] = Scaling;
        if (GraphSha256 is { } sha)
        {
            metadata[GraphSha256Key] = sha;
        }
        if (Forecast is { } forecast)
        {
            metadata[SeriesKey] = "true";
            metadata[IntervalLevelKey] = forecast.Level.ToString("R", CultureInfo.InvariantCulture);
            metadata[IntervalLowerKey] = string.Join(',', forecast.Lower.Select(v => v.ToString("R", CultureInfo.InvariantCulture)));
            metadata[IntervalUpperKey] = string.Join(',', forecast.Upper.Select(v => v.ToString("R", CultureInfo.InvariantCulture)));
            if (forecast.PerSpread)
            {
                metadata[IntervalScaleKey] = SpreadIntervalScale;
            }

            if (forecast.Floor is { } floor)
            {
                metadata[IntervalFloorKey] = floor.ToString("R", CultureInfo.InvariantCulture);
            }

            if (forecast.Smoothing is { } smoothing)
            {
                metadata[SmoothingWeightKey] = smoothing.Weight.ToString("R", CultureInfo.InvariantCulture);
                metadata[SmoothingSeasonKey] = smoothing.Season.ToString(CultureInfo.InvariantCulture);
                metadata[SmoothingHistoryKey] = smoothing.History.ToString(CultureInfo.InvariantCulture);
                if (smoothing.UnseasonedWeight is { } unseasoned)
                {
                    metadata[SmoothingUnseasonedWeightKey] = unseasoned.ToString("R", CultureInfo.InvariantCulture);
                }
            }
        }

        return metadata;
    }

    private Dictionary<string, string> BaseMetadata() => new()
    {
        [FormatKey] = Format,
        [FormatVersionKey] = FormatVersion,
        [TimeStepsKey] = TimeSteps.ToString(CultureInfo.InvariantCulture),
        [FeaturesKey] = Features.ToString(CultureInfo.InvariantCulture),
        [CellKey] = Cell,
        [HiddenSizeKey] = HiddenSize.ToString(CultureInfo.InvariantCulture),
        [LayersKey] = Layers.ToString(CultureInfo.InvariantCulture),
        [ScaleDivisorKey] = ScaleDivisor.ToString("R", CultureInfo.InvariantCulture),
        [ScaleOffsetKey] = ScaleOffset.ToString("R", CultureInfo.InvariantCulture),
        [ManifestKey] = Manifest,
    };

    /// <summary>Reads and checks the metadata, or throws <see cref="OnnxModelException"/> saying what is wrong.</summary>
    public static OnnxModelInfo FromMetadata(IReadOnlyDictionary<string, string> metadata)
    {
        if (!metadata.TryGetValue(FormatKey, out var format) || format != Format)
        {
            throw new OnnxModelException("an ONNX model without SimpleRnnTorch metadata (exported by another program?)");
        }

        if (!metadata.TryGetValue(FormatVersionKey, out var version) || version != FormatVersion)
        {
            throw new OnnxModelException($"format version '{Shown(version ?? "")}' is not supported (this program reads {FormatVersion})");
        }

        var info = new OnnxModelInfo(
            Int(metadata, TimeStepsKey, 1, 100_000),
            Int(metadata, FeaturesKey, 1, 10_000),
            metadata.GetValueOrDefault(CellKey) is { } cell && Cells.Contains(cell) ? cell : throw Missing(CellKey),
            Int(metadata, HiddenSizeKey, 1, 100_000),
            Int(metadata, LayersKey, 1, 100),
            Number(metadata, ScaleDivisorKey) is { } divisor && IsScaleDivisor(divisor)
                ? divisor
                : throw new OnnxModelException($"its metadata has no valid '{ScaleDivisorKey}' (a positive number float32 holds as a normal number, {MinNormalFloat:R} to {float.MaxValue:R})"),
            metadata.GetValueOrDefault(ManifestKey) is { Length: > MaxManifestChars } manifest
                ? throw new OnnxModelException($"its '{ManifestKey}' holds {manifest.Length} characters; a model's manifest may hold at most {MaxManifestChars}")
                : metadata.GetValueOrDefault(ManifestKey) ?? "",
            !metadata.ContainsKey(ScaleOffsetKey) ? 0
                : Number(metadata, ScaleOffsetKey) is { } offset && Math.Abs(offset) <= float.MaxValue ? offset
                : throw new OnnxModelException($"its metadata has no valid '{ScaleOffsetKey}' (a finite number within float32's range, ±{float.MaxValue:R})"))
        {
            Scaling = metadata.GetValueOrDefault(ScalingKey) switch
            {
                null or GlobalScaling => GlobalScaling,
                DifferenceScaling => DifferenceScaling,
                RatioScaling => RatioScaling,
                SeasonalScaling => SeasonalScaling,
                SpreadScaling => SpreadScaling,
                _ => throw Missing(ScalingKey),
            },
            GraphSha256 = metadata.GetValueOrDefault(GraphSha256Key) switch
            {
                null => null,
                { Length: 64 } sha when sha.All(char.IsAsciiHexDigitLower) => sha,
                _ => throw new OnnxModelException($"its '{GraphSha256Key}' is not a SHA-256 in lower-case hex (64 characters)"),
            },
        };
        return metadata.GetValueOrDefault(SeriesKey) == "true" ? info with { Forecast = ReadForecast(metadata, info.Features) } : info;
    }

    private static ForecastInterval ReadForecast(IReadOnlyDictionary<string, string> metadata, int features)
    {
        if (features != 1)
        {
            throw new OnnxModelException($"it is marked '{SeriesKey}' but takes {features} features; a series model takes 1");
        }

        var level = Number(metadata, IntervalLevelKey) is { } l && l > 0 && l < 1
            ? l
            : throw new OnnxModelException($"it is marked '{SeriesKey}' but has no valid '{IntervalLevelKey}' (a number between 0 and 1)");
        var lower = Offsets(metadata, IntervalLowerKey);
        var upper = Offsets(metadata, IntervalUpperKey);
        if (lower.Length != upper.Length)
        {
            throw new OnnxModelException($"'{IntervalLowerKey}' has {lower.Length} values and '{IntervalUpperKey}' {upper.Length}; they need one each per horizon step");
        }

        double? floor = metadata.ContainsKey(IntervalFloorKey)
            ? Number(metadata, IntervalFloorKey) is { } f && Math.Abs(f) <= float.MaxValue
                ? f
                : throw new OnnxModelException($"'{IntervalFloorKey}' is not a finite number within float32's range")
            : null;
        var perSpread = metadata.GetValueOrDefault(IntervalScaleKey) switch
        {
            null => false,
            SpreadIntervalScale => true,
            _ => throw new OnnxModelException($"'{IntervalScaleKey}' is not '{SpreadIntervalScale}'"),
        };
        SmoothingCombination? smoothing = null;
        if (metadata.ContainsKey(SmoothingWeightKey) || metadata.ContainsKey(SmoothingSeasonKey) || metadata.ContainsKey(SmoothingHistoryKey) || metadata.ContainsKey(SmoothingUnseasonedWeightKey))
        {
            smoothing = new SmoothingCombination(
                Number(metadata, SmoothingWeightKey) ?? throw Missing(SmoothingWeightKey),
                Int(metadata, SmoothingSeasonKey, 0, int.MaxValue),
                Int(metadata, SmoothingHistoryKey, 0, int.MaxValue))
            {
                UnseasonedWeight = metadata.ContainsKey(SmoothingUnseasonedWeightKey)
                    ? Number(metadata, SmoothingUnseasonedWeightKey) ?? throw Missing(SmoothingUnseasonedWeightKey)
                    : null,
            };
            if (smoothing.Problem() is { } problem)
            {
                throw new OnnxModelException($"its smoothing metadata is not valid: {problem}");
            }
        }

        return new ForecastInterval(level, lower, upper) { Floor = floor, PerSpread = perSpread, Smoothing = smoothing };
    }

    private static double[] Offsets(IReadOnlyDictionary<string, string> metadata, string key)
    {
        if (metadata.GetValueOrDefault(key) is not { Length: > 0 } text)
        {
            throw new OnnxModelException($"it is marked '{SeriesKey}' but has no '{key}'");
        }

        // Counted before anything is split or parsed: a crafted file with millions of offsets costs one pass over its text.
        var count = text.AsSpan().Count(',') + 1;
        if (count > MaxIntervalSteps || text.Length > (long)MaxIntervalSteps * MaxOffsetChars)
        {
            throw new OnnxModelException(count > MaxIntervalSteps
                ? $"'{key}' holds {count} steps; a model may carry at most {MaxIntervalSteps} (train's --horizon bound)"
                : $"'{key}' holds {text.Length} characters; {MaxIntervalSteps} offsets need at most {MaxIntervalSteps * MaxOffsetChars}");
        }

        var parts = text.Split(',');
        var values = new double[parts.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            if (!double.TryParse(parts[i], NumberStyles.Float, CultureInfo.InvariantCulture, out values[i]) || !double.IsFinite(values[i]))
            {
                throw new OnnxModelException($"'{key}' value {i + 1} ('{Shown(parts[i].Trim())}') is not a finite number");
            }
        }

        return values;
    }

    /// <summary>True for a nonzero number float32 rounds to 0 (below about 1.4e-45): the model would see a value that was not given.</summary>
    public static bool VanishesInFloat32(double value) => value != 0 && (float)value == 0;

    /// <summary>
    /// A scale divisor the graph can apply in float32 without dividing by zero or overflowing: a positive normal float32
    /// (a subnormal one, or one that rounds to 0 as 1e-300 does, makes every scaled input infinite; every scaling divides
    /// by a size, and a negative one, an edited file's, turned every prediction around).
    /// </summary>
    public static bool IsScaleDivisor(double divisor) => divisor is >= MinNormalFloat and <= float.MaxValue;

    /// <summary>float32's smallest normal magnitude, 2^-126.</summary>
    public const double MinNormalFloat = 1.1754943508222875E-38;

    /// <summary>An invariant-culture number (at most 64 characters), or null when the key is missing or holds something else.</summary>
    private static double? Number(IReadOnlyDictionary<string, string> metadata, string key) =>
        metadata.GetValueOrDefault(key) is { Length: <= 64 } text && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value)
            ? value
            : null;

    private static int Int(IReadOnlyDictionary<string, string> metadata, string key, int min, int max) =>
        int.TryParse(metadata.GetValueOrDefault(key), NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max
            ? value
            : throw Missing(key);

    /// <summary>A metadata value quoted in a message: at most 40 characters of it.</summary>
    private static string Shown(string text) => text.Length > 40 ? text[..40] + "…" : text;

    private static OnnxModelException Missing(string key) => new($"its metadata has no valid '{key}'");
}

/// <summary>
/// A series model's forecast interval, from its metadata: at horizon step h (1-based), the interval is
/// [point + Lower[h − 1], point + Upper[h − 1]] with nominal coverage <see cref="Level"/>; with <see cref="PerSpread"/>
/// the offsets are first multiplied by the spread of the window the forecast starts from.
/// </summary>
public sealed record ForecastInterval(double Level, IReadOnlyList<double> Lower, IReadOnlyList<double> Upper)
{
    /// <summary>The longest horizon served: the steps the training run measured.</summary>
    public int MaxHorizon => Lower.Count;

    /// <summary>The least value a bound may take (<see cref="OnnxModelInfo.IntervalFloorKey"/>), or null.</summary>
    public double? Floor { get; init; }

    /// <summary>The exponential smoothing the forecast is combined with, or null for the network's forecast alone.</summary>
    public SmoothingCombination? Smoothing { get; init; }

    /// <summary>True when the offsets are in spreads of the forecast's first window (<see cref="OnnxModelInfo.WindowSpread"/>), a panel's model.</summary>
    public bool PerSpread { get; init; }

    /// <summary>
    /// The least value a forecast or bound of the series given may take: the model's <see cref="Floor"/>, or, for a panel's
    /// model without one (a panel of series of mixed signs), <see cref="SeriesFloor"/> of the values given: each series of a
    /// panel keeps the floor it would have alone, so one that is never negative gets no negative bound.
    /// </summary>
    public double? FloorFor(ReadOnlySpan<double> values) => PerSpread ? PanelFloor(Floor, values) : Floor;

    /// <summary>A panel's floor for one of its series: the panel's, or where it has none (mixed signs), <see cref="SeriesFloor"/>; the run's forecasts and <see cref="FloorFor"/> both take it.</summary>
    public static double? PanelFloor(double? panelFloor, ReadOnlySpan<double> values) => panelFloor ?? SeriesFloor(values);

    /// <summary>0 where no value is negative, else none (<see cref="PanelFloor"/>).</summary>
    public static double? SeriesFloor(ReadOnlySpan<double> values)
    {
        foreach (var v in values)
        {
            if (v < 0)
            {
                return null;
            }
        }

        return 0;
    }

    /// <summary>The bounds around <paramref name="point"/> at step <paramref name="step"/> (1-based), floored; <paramref name="spread"/>: the first window's, for <see cref="PerSpread"/>.</summary>
    public (double Lower, double Upper) Around(double point, int step, double spread = 1)
    {
        var unit = PerSpread ? spread : 1;
        double lower = point + (Lower[step - 1] * unit), upper = point + (Upper[step - 1] * unit);
        return Floored(lower, upper, Floor);
    }

    /// <summary>
    /// Bounds floored at <paramref name="floor"/> (none: as given). An interval wholly at or below the floor is moved up to
    /// start there, its width kept: clipped, it would be [floor, floor], of no width, holding nothing but the floor (a
    /// series of zeros whose forecast errs just above it).
    /// </summary>
    public static (double Lower, double Upper) Floored(double lower, double upper, double? floor) => floor switch
    {
        null => (lower, upper),
        { } f when upper <= f => (f, f + (upper - lower)),
        { } f => (Math.Max(f, lower), upper),
    };
}

/// <summary>A model file that cannot be used: missing, unreadable, not ONNX, or not one of ours. One line.</summary>
public sealed class OnnxModelException(string message) : Exception(message);
