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

    /// <summary>The graph's input: (batch, time steps, features), float32, in original units.</summary>
    public const string InputName = "input";

    /// <summary>The graph's output: (batch, 1), float32, in original units.</summary>
    public const string OutputName = "output";

    /// <summary>The metadata every exported model carries, as strings.</summary>
    public IReadOnlyDictionary<string, string> ToMetadata() => new Dictionary<string, string>
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
            throw new OnnxModelException($"format version '{version}' is not supported (this program reads {FormatVersion})");
        }

        return new OnnxModelInfo(
            Int(metadata, TimeStepsKey, 1, 100_000),
            Int(metadata, FeaturesKey, 1, 10_000),
            metadata.GetValueOrDefault(CellKey) is { Length: > 0 } cell ? cell : throw Missing(CellKey),
            Int(metadata, HiddenSizeKey, 1, 100_000),
            Int(metadata, LayersKey, 1, 100),
            double.TryParse(metadata.GetValueOrDefault(ScaleDivisorKey), NumberStyles.Float, CultureInfo.InvariantCulture, out var divisor) && double.IsFinite(divisor) && divisor != 0
                ? divisor
                : throw Missing(ScaleDivisorKey),
            metadata.GetValueOrDefault(ManifestKey) ?? "",
            !metadata.TryGetValue(ScaleOffsetKey, out var offsetText) ? 0
                : double.TryParse(offsetText, NumberStyles.Float, CultureInfo.InvariantCulture, out var offset) && double.IsFinite(offset) ? offset
                : throw Missing(ScaleOffsetKey));
    }

    private static int Int(IReadOnlyDictionary<string, string> metadata, string key, int min, int max) =>
        int.TryParse(metadata.GetValueOrDefault(key), NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max
            ? value
            : throw Missing(key);

    private static OnnxModelException Missing(string key) => new($"its metadata has no valid '{key}'");
}

/// <summary>A model file that cannot be used: missing, unreadable, not ONNX, or not one of ours. One line.</summary>
public sealed class OnnxModelException(string message) : Exception(message);
