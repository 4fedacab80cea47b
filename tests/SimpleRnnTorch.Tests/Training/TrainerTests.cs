using SimpleRnnTorch.Training;
using static TorchSharp.torch;

namespace SimpleRnnTorch.Tests.Training;

[Collection(TorchCollection.Name)]
public sealed class TrainerTests
{
    private static (TrainingHistory History, double Prediction, List<TrainingEvent> Events) Train(TrainingConfig config)
    {
        var events = new List<TrainingEvent>();
        using var run = TestRuns.Train(config, observers: [new TrainingObserver(events.Add)], predict: [[50, 60, 70]]);
        return (run.History, run.Predictions[0], events);
    }

    [Fact]
    public void A_short_run_lowers_the_loss_and_predicts_near_80()
    {
        var (history, prediction, _) = Train(new TrainingConfig { Epochs = 40, Seed = 3 });

        Assert.Equal(40, history.Epochs.Count);
        Assert.True(history.Loss[^1] < history.Loss[0] / 100, $"loss {history.Loss[0]} -> {history.Loss[^1]}");
        Assert.True(history.ValidationLoss[^1] < 1e-4, $"val_loss {history.ValidationLoss[^1]}");
        Assert.InRange(prediction, 79, 81);
    }

    [Fact]
    public void The_same_seed_gives_a_bit_identical_history()
    {
        var config = new TrainingConfig { Epochs = 5, Seed = 9 };
        var first = Train(config);
        var second = Train(config);
        var other = Train(config with { Seed = 10 });

        Assert.Equal(first.History.Loss, second.History.Loss);            // exact double equality
        Assert.Equal(first.History.ValidationLoss, second.History.ValidationLoss);
        Assert.Equal(first.Prediction, second.Prediction);
        Assert.NotEqual(first.History.Loss, other.History.Loss);
    }

    [Fact]
    public void Reports_every_step_and_epoch_to_the_observer()
    {
        var (history, _, events) = Train(new TrainingConfig { Epochs = 2, Seed = 1 });

        // 800 training samples in batches of 32: 25 steps per epoch.
        Assert.Equal(2, events.OfType<EpochStarted>().Count());
        Assert.Equal(50, events.OfType<StepCompleted>().Count());
        Assert.All(events.OfType<EpochStarted>(), e => Assert.Equal(25, e.Steps));
        var ends = events.OfType<EpochCompleted>().Select(e => e.Result).ToList();
        Assert.Equal(history.Epochs, ends);
        // The epoch loss is the running mean after its last step, as Keras reports it.
        var lastStep = events.OfType<StepCompleted>().Last();
        Assert.Equal(history.Loss[^1], lastStep.RunningLoss, 12);
    }

    [Fact]
    public void Cosine_schedule_decays_from_lr_towards_zero()
    {
        var config = new TrainingConfig { Epochs = 10, LearningRate = 0.01, Schedule = LearningRateSchedule.Cosine };
        Assert.Equal(0.01, Trainer.LearningRateAt(config, 1), 12);
        Assert.Equal(0.005, Trainer.LearningRateAt(config, 6), 12);
        Assert.True(Trainer.LearningRateAt(config, 10) < 0.0003);
        Assert.Equal(0.001, Trainer.LearningRateAt(config with { Schedule = LearningRateSchedule.Constant, LearningRate = 0.001 }, 10));
    }

    [Fact]
    public void Without_validation_split_there_is_no_val_loss()
    {
        var (history, _, _) = Train(new TrainingConfig { Epochs = 1, ValidationSplit = 0, Seed = 2 });
        Assert.False(history.HasValidation);
        Assert.Null(history.Epochs[0].ValidationLoss);
    }
}
