using SimpleRnnTorch.Data;
using SimpleRnnTorch.Model;
using TorchSharp;
using static TorchSharp.torch;

namespace SimpleRnnTorch.Training;

/// <summary>
/// Keras' model.fit for one model: Adam on MSE, mini-batches of the training part reshuffled every
/// epoch, validation loss after each epoch. Progress goes to observers, never to the console.
/// Whatever stops it early (cancellation, a non-finite loss), the model is left with the weights of the
/// last completed epoch, so what the history says and what the model holds always agree.
/// </summary>
internal static class Trainer
{
    public static TrainingHistory Fit(
        SequenceRegressor model,
        TrainingData data,
        TrainingConfig config,
        IReadOnlyList<ITrainingObserver>? observers = null,
        CancellationToken cancellation = default)
    {
        observers ??= [];
        ArgumentOutOfRangeException.ThrowIfLessThan(config.Epochs, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(config.BatchSize, 1);
        var history = new TrainingHistory();
        var n = data.TrainCount;
        // An epoch's samples: all of them, or the first of each epoch's shuffle where the config caps them.
        var perEpoch = config.SamplesPerEpoch(n);
        var steps = (int)((perEpoch + config.BatchSize - 1) / config.BatchSize);
        var device = data.TrainInputs.device;

        // One flat parameter tensor and one flat gradient: Adam and zero_grad cost ~10 native calls per
        // step instead of ~10 per parameter tensor (see FlatParameters); the model keeps its own parameters.
        using var flat = FlatParameters.Adopt(model);
        // An ensemble's blocks off the diagonal get no gradient, so Adam never moves them from 0.
        using var blockMask = model.BlockMask();
        using var optimizer = optim.Adam([flat.Values], lr: config.LearningRate);
        // The shuffle has its own generator: the order of batches depends on the seed only.
        using var shuffleGenerator = new Generator((ulong)config.Seed);
        using var lastCompleted = WeightSnapshot.Take(model);
        using var bestWeights = config.Patience > 0 ? WeightSnapshot.Take(model) : null;
        var monitor = new ImprovementMonitor(config.MinDelta);
        var plateau = config.Schedule == LearningRateSchedule.Plateau ? new PlateauSchedule(config) : null;
        var sinceImprovement = 0;

        // The validation rows every epoch's loss is computed on: all, or the same evenly spaced ones (MaxValidationSamples).
        using var validationRows = config.ValidationRows(data.ValidationCount) is { } rows ? tensor(rows).to(data.ValidationInputs.device) : null;
        using var validationInputs = validationRows is null ? data.ValidationInputs.alias() : data.ValidationInputs.index_select(0, validationRows);
        using var validationTargets = validationRows is null ? data.ValidationTargets.alias() : data.ValidationTargets.index_select(0, validationRows);

        for (var epoch = 1; epoch <= config.Epochs; epoch++)
        {
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            var lr = plateau?.Rate ?? LearningRateAt(config, epoch);
            foreach (var group in optimizer.ParamGroups)
            {
                group.LearningRate = lr;
            }

            Notify(observers, new EpochStarted(epoch, config.Epochs, steps));
            model.train();

            // Shuffle once per epoch into new tensors; each batch is then a cheap narrow() view.
            using var permutation = randperm(n, generator: shuffleGenerator);
            using var order = (perEpoch < n ? permutation.narrow(0, 0, perEpoch) : permutation).to(device);
            using var inputs = data.TrainInputs.index_select(0, order);
            using var targets = data.TrainTargets.index_select(0, order);

            double weightedLossSum = 0;
            long seen = 0;
            for (var step = 0; step < steps; step++)
            {
                // Every tensor made in a step dies with it; without this, native memory grows per step.
                using var scope = NewDisposeScope();
                var start = (long)step * config.BatchSize;
                var length = Math.Min(config.BatchSize, perEpoch - start);
                var x = inputs.narrow(0, start, length);
                var y = targets.narrow(0, start, length);

                flat.ZeroGrad();
                var output = model.MemberOutputs(x);
                var loss = nn.functional.mse_loss(output, blockMask is null ? y : y.expand(output.shape));
                loss.backward();
                if (blockMask is not null)
                {
                    flat.Gradients.mul_(blockMask);
                }

                optimizer.step();

                var stepLoss = loss.item<float>();
                if (!float.IsFinite(stepLoss))
                {
                    return Stopped(history, model, lastCompleted, new TrainingStop(StopReason.NonFiniteLoss, epoch, step + 1));
                }

                weightedLossSum += stepLoss * length;
                seen += length;
                Notify(observers, new StepCompleted(epoch, step + 1, steps, weightedLossSum / seen));
                if (cancellation.IsCancellationRequested)
                {
                    return Stopped(history, model, lastCompleted, new TrainingStop(StopReason.Interrupted, epoch, step + 1));
                }
            }

            var validationLoss = data.ValidationCount > 0 ? Evaluate(model, validationInputs, validationTargets) : (double?)null;
            if (validationLoss is { } v && !double.IsFinite(v))
            {
                // The last step can overflow the weights after its loss was computed: such an epoch
                // never counts as completed, so no NaN model is ever kept or saved.
                return Stopped(history, model, lastCompleted, new TrainingStop(StopReason.NonFiniteLoss, epoch, steps));
            }

            var result = new EpochResult(epoch, weightedLossSum / seen, validationLoss, lr,
                System.Diagnostics.Stopwatch.GetElapsedTime(started));
            history.Add(result);
            lastCompleted.Update(model);

            // Keras monitors val_loss, or loss without validation.
            var improved = monitor.Improved(validationLoss ?? result.Loss);
            if (improved)
            {
                history.BestEpoch = epoch;
                bestWeights?.Update(model);
            }

            sinceImprovement = improved ? 0 : sinceImprovement + 1;
            plateau?.AfterEpoch(improved);

            Notify(observers, new EpochCompleted(result, config.Epochs));
            if (config.Patience > 0 && sinceImprovement >= config.Patience && epoch < config.Epochs)
            {
                history.Stop = new TrainingStop(StopReason.EarlyStopped, epoch, steps);
                break;
            }
        }

        // Keras' restore_best_weights: the run ends with the best epoch's weights, not the last one's.
        bestWeights?.Restore(model);
        model.eval();
        return history;
    }

    private static void Notify(IReadOnlyList<ITrainingObserver> observers, TrainingEvent e)
    {
        foreach (var observer in observers)
        {
            observer.Observe(e);
        }
    }

    private static TrainingHistory Stopped(TrainingHistory history, SequenceRegressor model, WeightSnapshot lastCompleted, TrainingStop stop)
    {
        lastCompleted.Restore(model);
        model.eval();
        history.Stop = stop;
        return history;
    }

    /// <summary>Mean squared error over a whole set without autograd, its forward pass in bounded chunks (<see cref="Evaluation.ChunkedForward"/>).</summary>
    private static double Evaluate(SequenceRegressor model, Tensor inputs, Tensor targets) => Evaluation.ChunkedForward.MeanSquaredError(model, inputs, targets);

    /// <summary>
    /// The rate of a fixed schedule at an epoch (1-based); Plateau starts at the configured rate.
    /// Cosine is torch's CosineAnnealingLR(T_max = epochs, eta_min = 0) stepped once per epoch, written
    /// in closed form: TorchSharp's scheduler computes it recursively, as PyTorch does, and drifts from
    /// it by an ulp or two (a test compares them), enough to change a history in its last digits.
    /// </summary>
    public static double LearningRateAt(TrainingConfig config, int epoch) => config.Schedule switch
    {
        LearningRateSchedule.Cosine => config.LearningRate * 0.5 * (1 + Math.Cos(Math.PI * (epoch - 1) / config.Epochs)),
        _ => config.LearningRate,
    };
}
