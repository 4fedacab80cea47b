using SimpleRnnTorch.Training;
using static TorchSharp.torch;

namespace SimpleRnnTorch.Tests.Training;

[Collection(TorchCollection.Name)]
public sealed class EarlyStoppingTests
{
    private static (TrainingHistory History, double[] Predictions) Train(TrainingConfig config)
    {
        using var run = TestRuns.Train(config, predict: [[50, 60, 70], [5, 15, 25]]);
        return (run.History, [.. run.Predictions]);
    }

    [Fact]
    public void Stops_after_patience_epochs_and_restores_the_best_weights()
    {
        // A min_delta no epoch can beat after the first: epoch 1 is the best, epochs 2-4 wait, 4 stops.
        var config = new TrainingConfig { Epochs = 30, Seed = 5, Patience = 3, MinDelta = 10 };
        var (history, predictions) = Train(config);
        var (_, afterOneEpoch) = Train(config with { Epochs = 1, Patience = 0, MinDelta = 0 });

        Assert.Equal(4, history.Epochs.Count);
        Assert.Equal(new TrainingStop(StopReason.EarlyStopped, 4, 25), history.Stop);
        Assert.Equal(1, history.BestEpoch);
        Assert.Equal(afterOneEpoch, predictions); // bit for bit: the weights are epoch 1's
    }

    [Fact]
    public void Best_epoch_is_the_lowest_validation_loss_without_early_stopping()
    {
        var (history, _) = Train(new TrainingConfig { Epochs = 8, Seed = 6 });
        var lowest = history.ValidationLoss.Select((v, i) => (v, i)).MinBy(x => x.v).i + 1;

        Assert.Equal(lowest, history.BestEpoch);
        Assert.Equal(StopReason.Completed, history.Stop.Reason);
        Assert.Equal(8, history.Epochs.Count);
    }

    [Fact]
    public void Plateau_schedule_cuts_the_rate_when_the_loss_stalls()
    {
        var (history, _) = Train(new TrainingConfig
        {
            Epochs = 6,
            Seed = 7,
            Schedule = LearningRateSchedule.Plateau,
            LearningRate = 0.01,
            MinDelta = 10,
            PlateauPatience = 2,
            PlateauFactor = 0.5,
        });

        // Epoch 1 improves on infinity; 2 and 3 do not: the rate halves for epoch 4, and again for epoch 6.
        Assert.Equal([0.01, 0.01, 0.01, 0.005, 0.005, 0.0025], history.Epochs.Select(e => e.LearningRate));
    }
}
