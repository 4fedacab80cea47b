using System.Buffers.Binary;
using System.Text;
using SimpleRnnTorch.Model;
using SimpleRnnTorch.Persistence;
using static TorchSharp.torch;

namespace SimpleRnnTorch.Tests.Persistence;

[Collection(TorchCollection.Name)]
public sealed class ModelFileTests(TrainedModelFixture trained) : IClassFixture<TrainedModelFixture>
{
    private static readonly double[][] Inputs = [[50, 60, 70], [10, 20, 30], [0, 10, 20]];

    [Fact]
    public void Round_trip_keeps_weights_manifest_and_predictions_bit_for_bit()
    {
        var (model, manifest) = (trained.Model, trained.Manifest);
        using var temp = new TempFolder();
        var path = temp.File("model.safetensors");

        ModelFile.Save(path, model, manifest);
        var (loaded, loadedManifest) = ModelFile.Load(path, CPU);
        using var __ = loaded;

        foreach (var (name, value) in model.state_dict())
        {
            Assert.True(value.eq(loaded.state_dict()[name]).all().item<bool>(), name);
        }

        Assert.Equal(manifest.Model, loadedManifest.Model);
        Assert.Equal(manifest.Data, loadedManifest.Data);
        Assert.Equal(manifest.Training, loadedManifest.Training);
        Assert.Equal(manifest.History, loadedManifest.History);
        Assert.Equal(
            Predictor.Predict(model, manifest.Scaler, Inputs, CPU),
            Predictor.Predict(loaded, loadedManifest.Scaler, Inputs, CPU));
    }

    [Fact]
    public void The_file_is_plain_safetensors_with_pytorch_names()
    {
        var (model, manifest) = (trained.Model, trained.Manifest);
        var bytes = ModelFile.Serialize(model, manifest);
        var headerLength = (int)BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        var header = Encoding.UTF8.GetString(bytes, 8, headerLength);

        Assert.Equal(0, headerLength % 8);
        foreach (var name in new[] { "rnn.weight_ih_l0", "rnn.weight_hh_l0", "rnn.bias_ih_l0", "rnn.bias_hh_l0", "head.weight", "head.bias" })
        {
            Assert.Contains($"\"{name}\":{{\"dtype\":\"F32\"", header);
        }

        Assert.Equal(8 + headerLength + (46 * 4), bytes.Length);
    }

    public static TheoryData<string, string> BadFiles => new()
    {
        { "empty", "empty" },
        { "short", "too short" },
        { "truncated-header", "truncated" },
        { "truncated-data", "checksum" },
        { "flipped-data", "checksum" },
        { "png", "not a safetensors file" },
        { "json-garbage", "not valid JSON" },
        { "foreign-safetensors", "without SimpleRnnTorch metadata" },
        { "other-architecture", "the manifest describes 61 parameters, the file holds 46" },
        { "divisor-1e-300", "its scale_divisor (1E-300) is not a positive number float32 holds as a normal one" },
        { "divisor-subnormal", "its scale_divisor (1E-40) is not a positive number float32 holds as a normal one" },
        { "divisor-zero", "its scale_divisor (0) is not a positive number float32 holds as a normal one" },
        { "divisor-negative", "its scale_divisor (-5) is not a positive number float32 holds as a normal one" },
        { "offset-1e39", "its scale_offset (1E+39) is not a finite number within float32's range" },
    };

    [Theory]
    [MemberData(nameof(BadFiles))]
    public void Bad_files_give_one_clear_error(string kind, string expected)
    {
        var (model, manifest) = (trained.Model, trained.Manifest);
        var good = ModelFile.Serialize(model, manifest);
        var headerLength = (int)BinaryPrimitives.ReadUInt64LittleEndian(good);
        byte[] bytes = kind switch
        {
            "empty" => [],
            "short" => good[..5],
            "truncated-header" => good[..(8 + (headerLength / 2))],
            "truncated-data" => good[..^10],
            "flipped-data" => Flip(good, good.Length - 3),
            "png" => [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, (byte)'I', (byte)'H', (byte)'D', (byte)'R'],
            "json-garbage" => Flip(good, 8 + 1),
            "foreign-safetensors" => RewriteHeader(good, "simplernntorch-model", "someone-elses-model"),
            "other-architecture" => RewriteHeader(good, "\\u0022hidden_size\\u0022:5", "\\u0022hidden_size\\u0022:6"),
            "divisor-1e-300" => RewriteHeader(good, "\\u0022scale_divisor\\u0022:100", "\\u0022scale_divisor\\u0022:1e-300"),
            "divisor-subnormal" => RewriteHeader(good, "\\u0022scale_divisor\\u0022:100", "\\u0022scale_divisor\\u0022:1e-40"),
            "divisor-zero" => RewriteHeader(good, "\\u0022scale_divisor\\u0022:100", "\\u0022scale_divisor\\u0022:0"),
            "divisor-negative" => RewriteHeader(good, "\\u0022scale_divisor\\u0022:100", "\\u0022scale_divisor\\u0022:-5"),
            "offset-1e39" => RewriteHeader(good, "\\u0022scale_offset\\u0022:0", "\\u0022scale_offset\\u0022:1e39"),
            _ => throw new ArgumentException(kind),
        };
        using var temp = new TempFolder();
        var path = temp.File("model.safetensors");
        File.WriteAllBytes(path, bytes);

        var error = Assert.Throws<ModelFileException>(() => ModelFile.Load(path, CPU));

        Assert.Contains(expected, error.Message);
        Assert.DoesNotContain('\n', error.Message);
        Assert.Equal(bytes, File.ReadAllBytes(path)); // loading never writes
    }

    [Fact]
    public void A_header_past_its_bound_is_refused_before_it_is_parsed()
    {
        // A 20 MiB header of spaces: no JSON is read, the length alone refuses it.
        var headerLength = 20 << 20;
        var bytes = new byte[8 + headerLength + 16];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, (ulong)headerLength);
        bytes.AsSpan(8, headerLength).Fill((byte)' ');
        using var temp = new TempFolder();
        var path = temp.File("model.safetensors");
        File.WriteAllBytes(path, bytes);

        var error = Assert.Throws<ModelFileException>(() => ModelFile.ReadManifest(path));

        Assert.Equal($"'{path}' is not a usable SimpleRnnTorch model: its header is 20 MiB, more than the 16 MiB a model's header may be " +
                     "(its manifest and training history; about 85,000 epochs fit)", error.Message);
    }

    [Fact]
    public void A_history_of_80000_epochs_fits_the_header_bound()
    {
        var (model, manifest) = (trained.Model, trained.Manifest);
        var epoch = manifest.History[0];
        var long_ = manifest with { History = Enumerable.Range(1, 80_000).Select(i => epoch with { Epoch = i, Loss = 0.123456789012345 / i }).ToList() };
        using var temp = new TempFolder();
        var path = temp.File("model.safetensors");
        ModelFile.Save(path, model, long_);

        Assert.Equal(80_000, ModelFile.ReadManifest(path).History.Count);
    }

    [Fact]
    public void Missing_file_is_named()
    {
        var error = Assert.Throws<ModelFileException>(() => ModelFile.Load("/nonexistent/model.safetensors", CPU));
        Assert.Equal("'/nonexistent/model.safetensors': no such file", error.Message);
    }

    [Fact]
    public void Random_bytes_truncations_and_mutations_never_escape_as_another_exception()
    {
        var (model, manifest) = (trained.Model, trained.Manifest);
        var good = ModelFile.Serialize(model, manifest);
        var random = new Random(20261125);
        var cases = new List<byte[]>();
        for (var i = 0; i < 200; i++)
        {
            var noise = new byte[random.Next(0, 3000)];
            random.NextBytes(noise);
            if (i % 4 == 0 && noise.Length >= 8)
            {
                BinaryPrimitives.WriteUInt64LittleEndian(noise, (ulong)random.Next(0, noise.Length)); // a plausible header length
            }

            cases.Add(noise);
        }

        for (var i = 0; i < 200; i++)
        {
            cases.Add(good[..random.Next(0, good.Length)]);
        }

        var mutations = new List<byte[]>();
        for (var i = 0; i < 200; i++)
        {
            mutations.Add(Flip(good, random.Next(0, good.Length), (byte)random.Next(1, 256)));
        }

        foreach (var bytes in cases)
        {
            Assert.Throws<ModelFileException>(() => ModelFile.Deserialize(bytes, CPU).Model.Dispose());
        }

        // A changed byte may still leave a valid file (a digit of the history, say); it must never crash.
        var rejected = 0;
        foreach (var bytes in mutations)
        {
            try
            {
                ModelFile.Deserialize(bytes, CPU).Model.Dispose();
            }
            catch (ModelFileException)
            {
                rejected++;
            }
        }

        Assert.True(rejected > 100, $"only {rejected} of 200 single-byte mutations were detected");
    }

    private static byte[] Flip(byte[] bytes, int index, byte mask = 0x5a)
    {
        var copy = (byte[])bytes.Clone();
        copy[index] ^= mask;
        return copy;
    }

    /// <summary>The same tensors under an edited header: another program's metadata, or another architecture.</summary>
    private static byte[] RewriteHeader(byte[] good, string from, string to)
    {
        var headerLength = (int)BinaryPrimitives.ReadUInt64LittleEndian(good);
        var header = Encoding.UTF8.GetString(good, 8, headerLength);
        Assert.Contains(from, header);
        var headerBytes = Encoding.UTF8.GetBytes(header.Replace(from, to));
        var result = new byte[8 + headerBytes.Length + (good.Length - 8 - headerLength)];
        BinaryPrimitives.WriteUInt64LittleEndian(result, (ulong)headerBytes.Length);
        headerBytes.CopyTo(result, 8);
        good.AsSpan(8 + headerLength).CopyTo(result.AsSpan(8 + headerBytes.Length));
        return result;
    }

    /// <summary>The longest run the command line allows saves a model its own loader accepts: the history fits the header's bound.</summary>
    [Fact]
    public void The_most_epochs_a_run_may_have_fit_in_a_models_header()
    {
        var epoch = new SimpleRnnTorch.Training.EpochResult(SimpleRnnTorch.Training.TrainingConfig.MaxEpochs, -1.2345678901234567e-123, -9.876543210987654e-200, 0.012345678901234567, TimeSpan.FromDays(1.23456789));
        var manifest = trained.Manifest with { History = Enumerable.Repeat(epoch, SimpleRnnTorch.Training.TrainingConfig.MaxEpochs).ToArray() };

        var json = System.Text.Json.JsonSerializer.Serialize(manifest, ModelFile.Json);

        Assert.True(Encoding.UTF8.GetByteCount(json) < ModelFile.MaxHeaderBytes * 3 / 4, $"{Encoding.UTF8.GetByteCount(json):N0} bytes");
    }
}
