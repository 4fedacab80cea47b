using SimpleRnnTorch.Data;
using SimpleRnnTorch.Scaling;
using static TorchSharp.torch;

namespace SimpleRnnTorch.Tests.Data;

[Collection(TorchCollection.Name)]
public sealed class TrainingDataTests
{
    [Fact]
    public void Validation_is_the_last_fraction_of_the_samples_in_order()
    {
        using var sequences = SequenceData.Generate(new SequenceSpec(Count: 1000), seed: 5);
        using var data = TrainingData.Create(sequences, new GlobalScaler(), 0.2, CPU);

        Assert.Equal(800, data.TrainCount);
        Assert.Equal(200, data.ValidationCount);
        Assert.Equal([800L, 3L, 1L], data.TrainInputs.shape);
        Assert.Equal([200L, 1L], data.ValidationTargets.shape);

        // Row 800 of the generated data is the first validation sample, row 799 the last training one.
        using var scaled = sequences / 100;
        Assert.True(data.ValidationInputs[0].squeeze(-1).eq(scaled[800, ..3]).all().item<bool>());
        Assert.True(data.ValidationTargets[199, 0].eq(scaled[999, 3]).all().item<bool>());
        Assert.True(data.TrainInputs[799].squeeze(-1).eq(scaled[799, ..3]).all().item<bool>());
    }

    [Theory]
    [InlineData(1000, 0.2, 800)]
    [InlineData(1000, 0.0, 1000)]
    [InlineData(10, 0.25, 7)]   // Keras: int(10 * 0.75) = 7
    [InlineData(3, 0.5, 1)]
    [InlineData(2, 0.6, 0)]
    public void Train_count_follows_keras(long count, double split, long expected) =>
        Assert.Equal(expected, TrainingData.TrainCountFor(count, split));
}
