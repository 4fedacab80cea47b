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
        Assert.Equal(config with { BatchSize = expected }, config.For(samples, 0));
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

    [Theory]
    [InlineData(100, 65_536, 32, null)]
    [InlineData(65_536, 65_536, 4_096, null)]
    [InlineData(400_000, 65_536, 4_096, 65_536)]
    [InlineData(2_000_000, 65_536, 4_096, 65_536)]
    public void A_samples_cap_bounds_the_batch_and_stays_in_the_config_only_where_it_binds(long samples, int cap, int batch, int? kept)
    {
        var config = new TrainingConfig { BatchSize = 32, MaxStepsPerEpoch = 16, MaxSamplesPerEpoch = cap };

        Assert.Equal(batch, config.BatchFor(samples));
        Assert.Equal((batch, kept), (config.For(samples, 0).BatchSize, config.For(samples, 0).MaxSamplesPerEpoch));
        Assert.Equal(Math.Min(samples, cap), config.SamplesPerEpoch(samples));
    }

    /// <summary>
    /// The lesson's 800 training sequences: capped at 100 an epoch, each epoch is 4 steps of 32, 32, 32 and 4 from its own
    /// shuffle; capped at 800 (all of them) the history is the uncapped one, bit for bit.
    /// </summary>
    [Fact]
    public void A_capped_epoch_trains_on_the_first_samples_of_its_shuffle_and_a_cap_that_does_not_bind_changes_nothing()
    {
        var events = new List<TrainingEvent>();
        using var capped = TestRuns.Train(new TrainingConfig { Epochs = 2, Seed = 1, MaxSamplesPerEpoch = 100 }, observers: [new TrainingObserver(events.Add)]);
        using var all = TestRuns.Train(new TrainingConfig { Epochs = 2, Seed = 1, MaxSamplesPerEpoch = 800 });
        using var plain = TestRuns.Train(new TrainingConfig { Epochs = 2, Seed = 1 });

        Assert.All(events.OfType<EpochStarted>(), e => Assert.Equal(4, e.Steps));
        Assert.Equal(100, capped.Manifest.Training.MaxSamplesPerEpoch);
        Assert.NotEqual(plain.History.Epochs[0].Loss, capped.History.Epochs[0].Loss);
        Assert.Equal(plain.History.Epochs.Select(e => (e.Loss, e.ValidationLoss)), all.History.Epochs.Select(e => (e.Loss, e.ValidationLoss)));
        Assert.Null(all.Manifest.Training.MaxSamplesPerEpoch);
    }

    [Theory]
    [InlineData(100, null)]
    [InlineData(16_384, null)]
    [InlineData(16_385, 16_384)]
    [InlineData(400_000, 16_384)]
    public void A_validation_cap_takes_evenly_spaced_rows_from_the_first_and_stays_only_where_it_binds(long samples, int? kept)
    {
        var config = new TrainingConfig { MaxValidationSamples = 16_384 };

        Assert.Equal(kept, config.For(1000, samples).MaxValidationSamples);
        var rows = config.ValidationRows(samples);
        Assert.Equal(kept is null, rows is null);
        if (rows is not null)
        {
            Assert.Equal(16_384, rows.Length);
            Assert.Equal(0, rows[0]);
            Assert.True(rows.Zip(rows.Skip(1)).All(p => p.Second > p.First) && rows[^1] < samples && rows[^1] >= samples - (samples / 16_384) - 1);
        }
    }

    /// <summary>
    /// The lesson's 200 validation sequences: capped at 50, each epoch's val_loss is the MSE of the same 50 evenly spaced
    /// ones (checked against the trained model by hand); capped at 200, the history is the uncapped one, bit for bit.
    /// </summary>
    [Fact]
    public void A_capped_validation_loss_is_that_of_the_evenly_spaced_rows_and_a_cap_that_does_not_bind_changes_nothing()
    {
        using var capped = TestRuns.Train(new TrainingConfig { Epochs = 2, Seed = 1, MaxValidationSamples = 50 });
        using var all = TestRuns.Train(new TrainingConfig { Epochs = 2, Seed = 1, MaxValidationSamples = 200 });
        using var plain = TestRuns.Train(new TrainingConfig { Epochs = 2, Seed = 1 });

        Assert.Equal(50, capped.Manifest.Training.MaxValidationSamples);
        Assert.Equal(plain.History.Epochs.Select(e => (e.Loss, e.ValidationLoss)), all.History.Epochs.Select(e => (e.Loss, e.ValidationLoss)));
        Assert.Null(all.Manifest.Training.MaxValidationSamples);
        Assert.Equal(plain.History.Epochs.Select(e => e.Loss), capped.History.Epochs.Select(e => e.Loss)); // training is untouched

        var data = capped.Data.Tensors;
        var rows = Enumerable.Range(0, 50).Select(i => (long)(i * 4)).ToArray(); // 200 rows, every 4th
        using var index = TorchSharp.torch.tensor(rows);
        using var inputs = data.ValidationInputs.index_select(0, index);
        using var targets = data.ValidationTargets.index_select(0, index);
        var byHand = SimpleRnnTorch.Evaluation.ChunkedForward.MeanSquaredError(capped.Model, inputs, targets);
        Assert.Equal(byHand, capped.History.Epochs[^1].ValidationLoss!.Value, 12);
        Assert.NotEqual(plain.History.Epochs[^1].ValidationLoss, capped.History.Epochs[^1].ValidationLoss);
    }
}
