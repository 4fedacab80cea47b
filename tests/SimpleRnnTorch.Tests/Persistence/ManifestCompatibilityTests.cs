using System.Buffers.Binary;
using System.Text;
using SimpleRnnTorch.Data;
using SimpleRnnTorch.Persistence;
using SimpleRnnTorch.Scaling;
using static TorchSharp.torch;

namespace SimpleRnnTorch.Tests.Persistence;

/// <summary>Model files saved before the scaler had an offset (and before series models) still load, as the lesson's ÷100.</summary>
[Collection(TorchCollection.Name)]
public sealed class ManifestCompatibilityTests(TrainedModelFixture trained) : IClassFixture<TrainedModelFixture>
{
    [Fact]
    public void A_manifest_without_scale_offset_loads_with_offset_zero()
    {
        // The header as the previous version wrote it: no scale_offset, no series.
        var old = Without(ModelFile.Serialize(trained.Model, trained.Manifest), ",\\u0022scale_offset\\u0022:0,\\u0022series\\u0022:null");
        Assert.DoesNotContain("scale_offset", Encoding.UTF8.GetString(old));

        var (model, manifest) = ModelFile.Deserialize(old, CPU);
        using var _ = model;

        Assert.Equal(0, manifest.ScaleOffset);
        Assert.Null(manifest.Series);
        Assert.Equal(new GlobalScaler(100), manifest.Scaler);
        Assert.Equal(trained.Manifest.History, manifest.History);
    }

    /// <summary>
    /// A series model saved with a global standardisation, before the window scalings existed (no `scaling`, no
    /// `scale_lag` in its manifest), loads with that scaling and predicts through it: (x − mean) / sd and back.
    /// </summary>
    [Fact]
    public void A_series_model_saved_with_a_standardisation_still_loads_and_predicts_through_it()
    {
        var saved = trained.Manifest with
        {
            ScaleDivisor = 34.0611,
            ScaleOffset = 43.7267,
            Series = new SeriesOrigin("sunspots.csv", "SUNACTIVITY", 309, 247, "standardised on the training part"),
        };
        var old = Without(ModelFile.Serialize(trained.Model, saved), ",\\u0022scaling\\u0022:\\u0022global\\u0022,\\u0022scale_lag\\u0022:0");

        var (model, manifest) = ModelFile.Deserialize(old, CPU);
        using var _ = model;

        Assert.Equal(new GlobalScaler(34.0611, 43.7267), manifest.Scaler);
        using var input = tensor(new float[] { (float)((10 - 43.7267) / 34.0611), (float)((20 - 43.7267) / 34.0611), (float)((30 - 43.7267) / 34.0611) }, [1, 3, 1]);
        double expected;
        using (no_grad())
        using (var output = model.call(input))
        {
            expected = (output.item<float>() * 34.0611) + 43.7267;
        }

        Assert.Equal(expected, SimpleRnnTorch.Model.Predictor.Predict(model, manifest.Scaler, [[10.0, 20, 30]], CPU)[0], 4);
    }

    [Fact]
    public void A_non_finite_offset_is_refused()
    {
        var bytes = ModelFile.Encode([("x", [1], [0f])], trained.Manifest with { ScaleOffset = double.NaN });
        var error = Assert.Throws<ModelFileException>(() => ModelFile.Deserialize(bytes, CPU));
        Assert.Contains("its scale_offset (NaN) is not a finite number within float32's range", error.Message);
    }

    /// <summary>A saved file as an older version wrote it: its header without <paramref name="added"/> (which must be there), the tensor data unchanged.</summary>
    private static byte[] Without(byte[] file, string added)
    {
        var headerLength = (int)BinaryPrimitives.ReadUInt64LittleEndian(file);
        var header = Encoding.UTF8.GetString(file, 8, headerLength);
        Assert.Contains(added, header);
        var oldHeader = Encoding.UTF8.GetBytes(header.Replace(added, "").TrimEnd());
        var old = new byte[8 + oldHeader.Length + (file.Length - 8 - headerLength)];
        BinaryPrimitives.WriteUInt64LittleEndian(old, (ulong)oldHeader.Length);
        oldHeader.CopyTo(old, 8);
        file.AsSpan(8 + headerLength).CopyTo(old.AsSpan(8 + oldHeader.Length));
        return old;
    }
}
