using System.Security.Cryptography;
using Google.Protobuf;
using Onnx;
using SimpleRnnTorch.Inference;

namespace SimpleRnnTorch.Service.Tests;

/// <summary>
/// Every number and size an ONNX file's metadata names is checked when it loads, with one line that says which:
/// values the graph could not scale with in float32, more interval steps than a run can measure, strings past
/// their bound (refused before ONNX Runtime parses them), a graph that does not match its checksum.
/// </summary>
public sealed class ModelMetadataTests
{
    public static TheoryData<string, string, string> BadValues => new()
    {
        { OnnxModelInfo.ScaleDivisorKey, "1e-300", "no valid 'scale_divisor' (a positive number float32 holds as a normal number" },
        { OnnxModelInfo.ScaleDivisorKey, "-5", "no valid 'scale_divisor'" }, // an edited sign turned every prediction around
        { OnnxModelInfo.ScaleDivisorKey, "1e-40", "no valid 'scale_divisor'" },
        { OnnxModelInfo.ScaleDivisorKey, "0", "no valid 'scale_divisor'" },
        { OnnxModelInfo.ScaleDivisorKey, "-0", "no valid 'scale_divisor'" },
        { OnnxModelInfo.ScaleDivisorKey, "NaN", "no valid 'scale_divisor'" },
        { OnnxModelInfo.ScaleDivisorKey, "1e39", "no valid 'scale_divisor'" },
        { OnnxModelInfo.ScaleOffsetKey, "1e39", "no valid 'scale_offset' (a finite number within float32's range" },
        { OnnxModelInfo.ScaleOffsetKey, "Infinity", "no valid 'scale_offset'" },
        { OnnxModelInfo.CellKey, "transformer", "no valid 'cell'" },
        { OnnxModelInfo.FormatVersionKey, new string('9', 5000), $"format version '{new string('9', 40)}…' is not supported" },
        { OnnxModelInfo.GraphSha256Key, "abc", "its 'graph_sha256' is not a SHA-256 in lower-case hex" },
        { OnnxModelInfo.GraphSha256Key, new string('0', 64), "its graph does not match its 'graph_sha256' (a damaged or edited file)" },
    };

    [Theory]
    [MemberData(nameof(BadValues))]
    public void A_bad_value_is_refused_at_load_with_one_line(string key, string value, string expected)
    {
        using var file = SeriesModelFile.With(new Dictionary<string, string?> { [key] = value });

        var error = Assert.Throws<OnnxModelException>(() => SequenceModel.Load(file.Path));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.True(error.Message.Length < 400, error.Message);
    }

    [Fact]
    public void More_interval_steps_than_a_run_can_measure_are_refused_before_they_are_parsed()
    {
        var offsets = string.Join(',', Enumerable.Repeat("-1.5", OnnxModelInfo.MaxIntervalSteps + 1));
        using var file = Series(offsets, offsets.Replace('-', ' '));

        var error = Assert.Throws<OnnxModelException>(() => SequenceModel.Load(file.Path));

        Assert.EndsWith("'interval_lower' holds 100001 steps; a model may carry at most 100000 (train's --horizon bound)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void As_many_interval_steps_as_a_run_can_measure_load()
    {
        var lower = string.Join(',', Enumerable.Repeat("-1.2345678901234567E-10", OnnxModelInfo.MaxIntervalSteps));
        using var file = Series(lower, lower.Replace("-", ""));
        using var model = SequenceModel.Load(file.Path);

        Assert.Equal(OnnxModelInfo.MaxIntervalSteps, model.Info.Forecast!.MaxHorizon);
    }

    [Theory]
    [InlineData(OnnxModelInfo.IntervalLowerKey, 4_000_000, "its metadata 'interval_lower' is 3.8 MiB, more than the 3.1 MiB it may be")]
    [InlineData(OnnxModelInfo.ManifestKey, (16 << 20) + 1, "its metadata 'manifest' is 16 MiB, more than the 16 MiB it may be")]
    [InlineData("someone_elses_key", (64 << 10) + 1, "its metadata 'someone_elses_key' is 64 KiB, more than the 64 KiB it may be")]
    public void An_oversized_metadata_string_is_refused_before_onnx_runtime_reads_it(string key, int length, string expected)
    {
        using var file = SeriesModelFile.With(new Dictionary<string, string?> { [key] = new string('1', length) });

        var error = Assert.Throws<OnnxModelException>(() => SequenceModel.Load(file.Path));

        Assert.EndsWith(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_graph_checksum_is_that_of_the_stored_graph_and_a_changed_weight_fails_it()
    {
        var shipped = ModelProto.Parser.ParseFrom(File.ReadAllBytes(SeriesModelFile.ShippedModel));
        var checksum = Convert.ToHexStringLower(SHA256.HashData(shipped.Graph.ToByteArray()));
        using var good = SeriesModelFile.With(new Dictionary<string, string?> { [OnnxModelInfo.GraphSha256Key] = checksum });
        using var model = SequenceModel.Load(good.Path);
        Assert.Equal(checksum, model.Info.GraphSha256);

        var damaged = ModelProto.Parser.ParseFrom(File.ReadAllBytes(good.Path));
        damaged.Graph.Initializer.Single(t => t.Name == "head.bias").FloatData[0] += 1e-3f;
        File.WriteAllBytes(good.Path, damaged.ToByteArray());

        var error = Assert.Throws<OnnxModelException>(() => SequenceModel.Load(good.Path));
        Assert.EndsWith("its graph does not match its 'graph_sha256' (a damaged or edited file)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_without_a_checksum_still_loads()
    {
        using var file = SeriesModelFile.With(new Dictionary<string, string?> { [OnnxModelInfo.GraphSha256Key] = null }); // as files exported before it had one
        using var model = SequenceModel.Load(file.Path);

        Assert.Null(model.Info.GraphSha256);
        Assert.True(float.IsFinite(model.SelfCheck));
    }

    private static SeriesModelFile Series(string lower, string upper) => SeriesModelFile.With(new Dictionary<string, string?>
    {
        [OnnxModelInfo.SeriesKey] = "true",
        [OnnxModelInfo.IntervalLevelKey] = "0.8",
        [OnnxModelInfo.IntervalLowerKey] = lower,
        [OnnxModelInfo.IntervalUpperKey] = upper,
    });
}
