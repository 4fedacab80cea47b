using SimpleRnnTorch.Runs;
using SimpleRnnTorch.Training;

namespace SimpleRnnTorch.Tests.Training;

/// <summary>A cap on an epoch's steps: the batch grows with the training part past it, and stays as asked below it.</summary>
[Collection(TorchCollection.Name)]
public sealed class StepsPerEpochTests
{
    [Theory]
    [InlineData(32, null, 1_000_000, 32)]
    [InlineData(32, 16, 100, 32)]
    [InlineData(32, 16, 512, 32)]
    [InlineData(32, 16, 513, 33)]
    [InlineData(32, 16, 1785, 112)]
    [InlineData(32, 8, 4552, 569)]
    public void The_batch_is_the_asked_one_until_an_epoch_would_pass_the_cap(int batch, int? cap, long samples, int expected)
    {
        var config = new TrainingConfig { BatchSize = batch, MaxStepsPerEpoch = cap };

        Assert.Equal(expected, config.BatchFor(samples));
        Assert.True(cap is null || (samples + expected - 1) / expected <= cap);
        Assert.Equal(config with { BatchSize = expected }, config.For(samples));
    }

    [Fact]
    public void A_cap_below_one_cannot_be_built() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new TrainingConfig { MaxStepsPerEpoch = 0 });

    /// <summary>The lesson's 800 training sequences at batch 32 are 25 steps an epoch; capped at 5, the run trains and records batch 160.</summary>
    [Fact]
    public void The_run_trains_with_the_grown_batch_and_says_so()
    {
        var events = new List<TrainingEvent>();
        using var run = TestRuns.Train(new TrainingConfig { Epochs = 2, Seed = 1, MaxStepsPerEpoch = 5 }, observers: [new TrainingObserver(events.Add)]);

        Assert.Equal(160, events.OfType<ModelCreated>().Single().Training.BatchSize);
        Assert.All(events.OfType<EpochStarted>(), e => Assert.Equal(5, e.Steps));
        Assert.Equal(160, run.Manifest.Training.BatchSize);
    }
}
