using SimpleRnnTorch.Training;
using static TorchSharp.torch;

namespace SimpleRnnTorch.Tests.Training;

/// <summary>
/// The trainer's schedules against TorchSharp's own lr_scheduler, the library a reader would reach for:
/// the same rates, so the hand-written ones stay only for the reasons Trainer.LearningRateAt gives.
/// </summary>
[Collection(TorchCollection.Name)]
public sealed class ScheduleTests
{
    [Fact]
    public void Cosine_is_torchs_CosineAnnealingLR_stepped_per_epoch_to_the_last_bit_or_two()
    {
        var config = new TrainingConfig();
        using var parameter = new TorchSharp.Modules.Parameter(zeros(1));
        using var optimizer = optim.Adam([parameter], lr: config.LearningRate);
        var scheduler = optim.lr_scheduler.CosineAnnealingLR(optimizer, config.Epochs, 0);
        for (var epoch = 1; epoch <= config.Epochs; epoch++)
        {
            var theirs = optimizer.ParamGroups.First().LearningRate;
            var ours = Trainer.LearningRateAt(config, epoch);
            // Theirs is PyTorch's recursive form: within a few ulps of the closed form, not always equal.
            Assert.True(Math.Abs(theirs - ours) <= 1e-15 * ours, $"epoch {epoch}: {ours:R} vs {theirs:R}");
            scheduler.step();
        }
    }

    [Fact]
    public void Plateau_is_torchs_ReduceLROnPlateau_with_keras_patience_counting()
    {
        // A loss that improves, stalls, improves, stalls: the rates must follow the same cuts.
        double[] losses = [1.0, 0.5, 0.5, 0.49, 0.49, 0.2, 0.3, 0.3, 0.3, 0.3, 0.1, 0.1];
        var config = new TrainingConfig { LearningRate = 0.01, Schedule = LearningRateSchedule.Plateau, PlateauPatience = 2, PlateauFactor = 0.5, MinDelta = 0.05 };

        using var parameter = new TorchSharp.Modules.Parameter(zeros(1));
        using var optimizer = optim.Adam([parameter], lr: config.LearningRate);
        // PyTorch cuts after more than `patience` bad epochs, Keras (and --plateau-patience) after `patience`.
        var scheduler = optim.lr_scheduler.ReduceLROnPlateau(optimizer, mode: "min", factor: config.PlateauFactor,
            patience: config.PlateauPatience - 1, threshold: config.MinDelta, threshold_mode: "abs");
        var theirs = new List<double>();
        foreach (var loss in losses)
        {
            theirs.Add(optimizer.ParamGroups.First().LearningRate);
            scheduler.step(loss);
        }

        var monitor = new ImprovementMonitor(config.MinDelta);
        var ours = new PlateauSchedule(config);
        var rates = new List<double>();
        foreach (var loss in losses)
        {
            rates.Add(ours.Rate);
            ours.AfterEpoch(monitor.Improved(loss));
        }

        Assert.Equal(rates, theirs);
        Assert.Equal(4, rates.Distinct().Count()); // the losses were chosen to make three cuts
    }
}
