using SimpleRnnTorch.Scaling;
using static TorchSharp.torch;

namespace SimpleRnnTorch.Tests.Scaling;

[Collection(TorchCollection.Name)]
public sealed class GlobalScalerTests
{
    [Fact]
    public void Divides_by_100_and_inverts()
    {
        var scaler = new GlobalScaler();
        using var raw = tensor(new float[] { 0, 50, 60, 70, 129 });
        using var scaled = scaler.Transform(raw);
        using var back = scaler.Inverse(scaled);

        Assert.Equal([0f, 0.5f, 0.6f, 0.7f, 1.29f], scaled.data<float>().ToArray());
        Assert.True(back.allclose(raw, rtol: 0, atol: 1e-5));
        Assert.Equal(80.0, scaler.Inverse(scaler.Transform(80.0)), 12);
    }

    [Fact]
    public void An_affine_scaler_subtracts_the_offset_then_divides_and_standardize_fits_mean_and_std()
    {
        var scaler = new GlobalScaler(divisor: 2, offset: 10);
        using var raw = tensor(new float[] { 8, 10, 14 });
        using var scaled = scaler.Transform(raw);
        using var back = scaler.Inverse(scaled);

        Assert.Equal([-1f, 0f, 2f], scaled.data<float>().ToArray());
        Assert.Equal([8f, 10f, 14f], back.data<float>().ToArray());
        Assert.Equal(2.0, scaler.Transform(14.0));
        Assert.Equal(14.0, scaler.Inverse(2.0));

    }
}
