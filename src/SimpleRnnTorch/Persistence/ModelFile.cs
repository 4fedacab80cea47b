using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using System.Text.Json;
using System.Text;
using SimpleRnnTorch.Common;
using SimpleRnnTorch.Data;
using SimpleRnnTorch.Inference;
using SimpleRnnTorch.Model;
using SimpleRnnTorch.Scaling;
using TorchSharp;
using static TorchSharp.torch;

namespace SimpleRnnTorch.Persistence;

/// <summary>
/// A trained model as one safetensors file: PyTorch's tensor names (rnn.weight_ih_l0, ..., head.bias),
/// float32 little-endian, so `safetensors.torch.load_file` + `load_state_dict` read it as is; our
/// manifest and a SHA-256 of the tensor bytes ride in the header's __metadata__.
/// TorchSharp.PyBridge writes safetensors too, but not __metadata__, and a loader that is fed arbitrary
/// files must check every length and offset itself; the format is 8 bytes + JSON + raw data.
/// </summary>
internal static class ModelFile
{
    public const string Format = "simplernntorch-model";
    public const string FormatVersion = "1";

    /// <summary>
    /// The longest header (JSON: the manifest, with its training history, and the tensor list), checked before it is
    /// parsed: reading and using one costs about 10 times its size (a 46 MiB header took predict to 620 MiB), so
    /// 16 MiB, a history of about 85,000 epochs at some 190 bytes each, keeps predict within about 350 MiB.
    /// </summary>
    internal const long MaxHeaderBytes = OnnxModelInfo.MaxManifestChars;

    /// <summary>The most epochs a history may list: train's --epochs bound.</summary>
    private const int MaxHistoryEpochs = 1_000_000;

    public static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,

        // A name given twice in a manifest or a run's record is refused, not resolved by the last one winning.
        AllowDuplicateProperties = false,

        // A model's values_per_step is written only where it is not 1, so a model that reads one value a step is the
        // file it always was (and reads back as 1: the record's default).
        TypeInfoResolver = new DefaultJsonTypeInfoResolver
        {
            Modifiers =
            {
                info =>
                {
                    if (info.Type == typeof(ModelSpec) && info.Properties.FirstOrDefault(p => p.Name == "values_per_step") is { } property)
                    {
                        property.ShouldSerialize = (_, value) => value is not 1;
                    }
                },
            },
        },
    };

    /// <param name="durable">false for per-epoch checkpoints: atomic against a kill, not flushed against a power cut.</param>
    /// <param name="beforeReplace">Runs once the new file is complete, just before it replaces <paramref name="path"/> (<see cref="AtomicFile.Write"/>).</param>
    public static void Save(string path, SequenceRegressor model, ModelManifest manifest, bool durable = true, Action? beforeReplace = null) =>
        AtomicFile.WriteAllBytes(path, Serialize(model, manifest), durable, beforeReplace);

    public static byte[] Serialize(SequenceRegressor model, ModelManifest manifest) => Encode(ModelWeights.Extract(model), manifest);

    /// <summary>The file's bytes from named float32 tensors (no libtorch involved from here on).</summary>
    public static byte[] Encode(IReadOnlyList<(string Name, long[] Shape, float[] Values)> named, ModelManifest manifest)
    {
        var tensors = named.Select(t =>
        {
            var bytes = new byte[t.Values.Length * 4];
            for (var i = 0; i < t.Values.Length; i++)
            {
                BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * 4), t.Values[i]);
            }

            return (t.Name, t.Shape, Bytes: bytes);
        }).ToList();

        var data = tensors.SelectMany(t => t.Bytes).ToArray();
        var header = new JsonObject
        {
            ["__metadata__"] = new JsonObject
            {
                ["format"] = Format,
                ["format_version"] = FormatVersion,
                ["data_sha256"] = Convert.ToHexStringLower(SHA256.HashData(data)),
                ["manifest"] = JsonSerializer.Serialize(manifest, Json),
            },
        };
        long offset = 0;
        foreach (var (name, shape, bytes) in tensors)
        {
            header[name] = new JsonObject
            {
                ["dtype"] = "F32",
                ["shape"] = new JsonArray(shape.Select(d => (JsonNode)d).ToArray()),
                ["data_offsets"] = new JsonArray(offset, offset + bytes.Length),
            };
            offset += bytes.Length;
        }

        var headerText = header.ToJsonString();
        headerText += new string(' ', (8 - Encoding.UTF8.GetByteCount(headerText) % 8) % 8); // 8-byte alignment, as safetensors does
        var headerBytes = Encoding.UTF8.GetBytes(headerText);
        var file = new byte[8 + headerBytes.Length + data.Length];
        BinaryPrimitives.WriteUInt64LittleEndian(file, (ulong)headerBytes.Length);
        headerBytes.CopyTo(file, 8);
        data.CopyTo(file, 8 + headerBytes.Length);
        return file;
    }

    /// <summary>Loads a model saved by <see cref="Save"/>, or throws <see cref="ModelFileException"/> with one line saying why.</summary>
    public static (SequenceRegressor Model, ModelManifest Manifest) Load(string path, Device device)
    {
        var bytes = ReadBytes(path);
        try
        {
            return Deserialize(bytes, device);
        }
        catch (ModelFileException e)
        {
            throw new ModelFileException($"'{path}' is not a usable SimpleRnnTorch model: {e.Message}");
        }
    }

    /// <summary>
    /// The manifest of a saved model, checked as <see cref="Load"/> checks it, without building the model
    /// or touching libtorch: what a command reads to refuse a file at parse time (task, features, time steps).
    /// The tensors are checked when the model is loaded.
    /// </summary>
    public static ModelManifest ReadManifest(string path)
    {
        var bytes = ReadBytes(path, headerOnly: true);
        try
        {
            return ReadHeader(bytes).Manifest;
        }
        catch (ModelFileException e)
        {
            throw new ModelFileException($"'{path}' is not a usable SimpleRnnTorch model: {e.Message}");
        }
        catch (Exception e)
        {
            throw new ModelFileException($"'{path}' is not a usable SimpleRnnTorch model: the file is corrupted ({e.GetType().Name}: {e.Message.Split('\n')[0]})");
        }
    }

    /// <summary>The file's bytes, read only when it is a regular file within <see cref="InputFileCheck.MaxModelBytes"/>.</summary>
    /// <param name="headerOnly">Only the length and the header (at most <see cref="MaxHeaderBytes"/>): what the manifest needs, so a
    /// file refused for its header costs that much memory, not the whole file.</param>
    private static byte[] ReadBytes(string path, bool headerOnly = false)
    {
        if (InputFileCheck.Problem(path, InputFileCheck.MaxModelBytes, "a model file") is { } problem)
        {
            throw new ModelFileException($"'{path}'{problem}");
        }

        try
        {
            if (headerOnly)
            {
                using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
                var prefix = new byte[8];
                var got = stream.ReadAtLeast(prefix, 8, throwOnEndOfStream: false);
                if (got < 8)
                {
                    return prefix[..got]; // ReadHeader says what is wrong with so few bytes
                }

                var length = BinaryPrimitives.ReadUInt64LittleEndian(prefix);
                if (HeaderLengthProblem(length, stream.Length - 8) is { } tooLong)
                {
                    throw new ModelFileException($"'{path}' is not a usable SimpleRnnTorch model: {tooLong}");
                }

                var bytes = new byte[8 + (int)length];
                prefix.CopyTo(bytes, 0);
                stream.ReadExactly(bytes, 8, (int)length);
                return bytes;
            }

            return InputFileCheck.ReadBounded(path, InputFileCheck.MaxModelBytes, "a model file", p => new ModelFileException($"'{path}'{p}"));
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new ModelFileException($"'{path}': no such file");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new ModelFileException($"'{path}' cannot be read: {e.Message.Split('\n')[0].Trim()}");
        }
    }

    public static (SequenceRegressor Model, ModelManifest Manifest) Deserialize(byte[] bytes, Device device)
    {
        try
        {
            return DeserializeChecked(bytes, device);
        }
        catch (Exception e) when (e is not ModelFileException)
        {
            // The checks below name what they find; anything they did not foresee is still a bad file.
            throw new ModelFileException($"the file is corrupted ({e.GetType().Name}: {e.Message.Split('\n')[0]})");
        }
    }

    private static (SequenceRegressor Model, ModelManifest Manifest) DeserializeChecked(byte[] bytes, Device device)
    {
        var (header, headerLength, manifest) = ReadHeader(bytes);
        var data = bytes.AsSpan(8 + headerLength);
        if (!string.Equals(Text((JsonObject)header["__metadata__"]!, "data_sha256"), Convert.ToHexStringLower(SHA256.HashData(data)), StringComparison.Ordinal))
        {
            throw new ModelFileException("the tensor data does not match its checksum (corrupted or truncated)");
        }

        // Size the architecture from its formula before building it: a damaged manifest must not be able
        // to ask for gigabytes of weights.
        var expectedBytes = manifest.Model.StoredValues * 4;
        if (expectedBytes != data.Length)
        {
            throw new ModelFileException($"the manifest describes {expectedBytes / 4} parameters, the file holds {data.Length / 4.0:0.##} (another architecture, or a corrupted file)");
        }

        return Build(header, manifest, data, device);
    }

    /// <summary>The safetensors header, its length and our manifest, checked; the tensor data is not looked at.</summary>
    /// <summary>Why a header of <paramref name="headerLength"/> bytes cannot be read from a file with <paramref name="available"/> bytes after the length; null when it can.</summary>
    private static string? HeaderLengthProblem(ulong headerLength, long available) =>
        headerLength > MaxHeaderBytes && headerLength <= (ulong)Math.Max(0, available)
            ? $"its header is {InputFileCheck.Size((long)headerLength)}, more than the {InputFileCheck.Size(MaxHeaderBytes)} a model's header may be " +
              "(its manifest and training history; about 85,000 epochs fit)"
            : headerLength < 2 || headerLength > MaxHeaderBytes || headerLength > (ulong)Math.Max(0, available)
                ? "not a safetensors file (bad header length; truncated or another format)"
                : null;

    private static (JsonObject Header, int HeaderLength, ModelManifest Manifest) ReadHeader(byte[] bytes)
    {
        if (bytes.Length == 0)
        {
            throw new ModelFileException("the file is empty");
        }

        if (bytes.Length < 8)
        {
            throw new ModelFileException($"only {bytes.Length} bytes, too short for a safetensors header");
        }

        var headerLength = BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        if (HeaderLengthProblem(headerLength, bytes.Length - 8) is { } problem)
        {
            throw new ModelFileException(problem);
        }


        JsonObject header;
        try
        {
            // A name given twice would be resolved by whichever the reader keeps: refused instead.
            header = JsonNode.Parse(bytes.AsSpan(8, (int)headerLength), documentOptions: new JsonDocumentOptions { AllowDuplicateProperties = false }) as JsonObject
                ?? throw new ModelFileException("the safetensors header is not a JSON object");
        }
        catch (JsonException e) when (e.Message.Contains("uplicate", StringComparison.Ordinal))
        {
            throw new ModelFileException("the safetensors header names a key more than once (an edited or damaged file)");
        }
        catch (JsonException)
        {
            throw new ModelFileException("the safetensors header is not valid JSON (truncated or corrupted)");
        }

        if (header["__metadata__"] is not JsonObject meta || Text(meta, "format") != Format)
        {
            throw new ModelFileException("a safetensors file without SimpleRnnTorch metadata (saved by another program?)");
        }

        if (Text(meta, "format_version") != FormatVersion)
        {
            throw new ModelFileException($"format version '{Text(meta, "format_version")}' is not supported (this program reads {FormatVersion})");
        }

        return (header, (int)headerLength, ParseManifest(Text(meta, "manifest")));
    }

    private static (SequenceRegressor Model, ModelManifest Manifest) Build(JsonObject header, ModelManifest manifest, ReadOnlySpan<byte> data, Device device)
    {
        var model = new SequenceRegressor(manifest.Model);
        try
        {
            var expected = model.state_dict();
            var names = header.Select(kv => kv.Key).Where(k => k != "__metadata__").ToHashSet();
            if (!names.SetEquals(expected.Keys))
            {
                throw new ModelFileException($"tensors [{string.Join(", ", names)}] do not match a {manifest.Model.Cell.ToString().ToLowerInvariant()} " +
                                             $"with {manifest.Model.HiddenSize} hidden units and {manifest.Model.Layers} layer(s)");
            }

            long covered = 0;
            using var noGrad = no_grad();
            foreach (var (name, target) in expected)
            {
                var entry = header[name] as JsonObject ?? throw new ModelFileException($"tensor {name} is not described");
                if (Text(entry, "dtype") != "F32")
                {
                    throw new ModelFileException($"tensor {name} is {Text(entry, "dtype")}, expected F32");
                }

                var shape = Longs(entry, "shape", name);
                if (!shape.SequenceEqual(target.shape))
                {
                    throw new ModelFileException($"tensor {name} has shape [{string.Join(", ", shape)}], the architecture needs [{string.Join(", ", target.shape)}]");
                }

                var offsets = Longs(entry, "data_offsets", name);
                var count = target.numel();
                if (offsets.Length != 2 || offsets[0] < 0 || offsets[1] > data.Length || offsets[1] - offsets[0] != count * 4)
                {
                    throw new ModelFileException($"tensor {name} has bad data offsets");
                }

                var values = new float[count];
                for (var i = 0; i < count; i++)
                {
                    values[i] = BinaryPrimitives.ReadSingleLittleEndian(data[(int)(offsets[0] + (i * 4))..]);
                }

                using var loaded = tensor(values, target.shape);
                target.copy_(loaded);
                covered += count * 4;
            }

            if (covered != data.Length)
            {
                throw new ModelFileException("the data section holds bytes no tensor describes");
            }

            model.to(device);
            model.eval();
            return (model, manifest);
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    private static ModelManifest ParseManifest(string? text)
    {
        ModelManifest? manifest;
        try
        {
            manifest = text is null ? null : JsonSerializer.Deserialize<ModelManifest>(text, Json);
        }
        catch (Exception e) when (e is JsonException or NotSupportedException or ArgumentException)
        {
            throw new ModelFileException("the manifest in the metadata is not valid");
        }

        // The input size is the task's feature count (1 for the lesson, 2 for the adding problem), never
        // more: a damaged manifest must not be able to ask for an input layer of any width.
        if (manifest?.Model is not { } spec || manifest.Data is null || manifest.Training is null || manifest.History is null
            || !Enum.IsDefined(manifest.Task) || spec.InputSize != manifest.Task.Features()
            || spec.HiddenSize is < 1 or > 100_000 || spec.Members is < 1 or > ModelSpec.MaxMembers || (long)spec.HiddenSize * spec.Members > 100_000
            || spec.Layers is < 1 or > 100 || !Enum.IsDefined(spec.Cell)
            || manifest.Data.TimeSteps < manifest.Task.MinTimeSteps() || !spec.Reads(manifest.Data.TimeSteps) || manifest.History.Count > MaxHistoryEpochs
            || manifest.Series?.Interval is { } interval && !Valid(interval)
            || manifest.Series?.Smoothing is { } smoothing && smoothing.Problem() is not null
            || !Enum.IsDefined(manifest.Scaling) || (manifest.Scaling is ScalingKind.Seasonal or ScalingKind.Spread) != (manifest.ScaleLag is >= 1) || manifest.ScaleLag > manifest.Data.TimeSteps
            || manifest.ScaleFloor is { } floor && !(Math.Abs(floor) <= float.MaxValue))
        {
            throw new ModelFileException("the manifest is missing fields or holds values out of range");
        }

        // The scaling runs in float32 (libtorch, and the ONNX graph it is exported to): a divisor that rounds to 0
        // or to a subnormal there would make every input infinite, and every prediction NaN.
        if (!OnnxModelInfo.IsScaleDivisor(manifest.ScaleDivisor))
        {
            throw new ModelFileException($"its scale_divisor ({manifest.ScaleDivisor:R}) is not a positive number float32 holds as a normal one " +
                                         $"({OnnxModelInfo.MinNormalFloat:G3} to {float.MaxValue:G3}); the model cannot scale its input");
        }

        if (!(Math.Abs(manifest.ScaleOffset) <= float.MaxValue))
        {
            throw new ModelFileException($"its scale_offset ({manifest.ScaleOffset:R}) is not a finite number within float32's range (±{float.MaxValue:G3})");
        }

        return manifest;
    }

    /// <summary>An interval a forecast can use: a level in (0, 1) and one finite pair of offsets per step, at most <see cref="OnnxModelInfo.MaxIntervalSteps"/> steps.</summary>
    private static bool Valid(SavedInterval interval) =>
        interval.Level is > 0 and < 1 && interval.Lower is { Length: > 0 and <= OnnxModelInfo.MaxIntervalSteps } lower && interval.Upper is { } upper
        && upper.Length == lower.Length && lower.All(double.IsFinite) && upper.All(double.IsFinite);

    private static string? Text(JsonObject node, string key) =>
        node[key] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    private static long[] Longs(JsonObject node, string key, string name)
    {
        try
        {
            return node[key] is JsonArray array ? array.Select(x => x!.GetValue<long>()).ToArray() : throw new ModelFileException($"tensor {name} has no {key}");
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException or NullReferenceException)
        {
            throw new ModelFileException($"tensor {name} has a malformed {key}");
        }
    }
}
