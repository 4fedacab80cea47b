using SimpleRnnTorch.Data;
using SimpleRnnTorch.Model;
using SimpleRnnTorch.Scaling;
using SimpleRnnTorch.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace SimpleRnnTorch.Tests.Training;

[Collection(TorchCollection.Name)]
public sealed class FlatParametersTests
{
    [Fact]
    public void Adopting_keeps_every_parameter_its_values_shape_and_name()
    {
        set_num_threads(1);
        using var model = ModelFactory.Create(new ModelSpec(), 5, CPU);
        var before = model.state_dict().ToDictionary(kv => kv.Key, kv => (kv.Value.shape, Values(kv.Value)));

        using (var flat = FlatParameters.Adopt(model))
        {
            Assert.Equal(46, flat.Count);
            var after = model.state_dict();
            Assert.Equal(before.Keys, after.Keys);
            foreach (var (name, value) in after)
            {
                Assert.Equal(before[name].shape, value.shape);
                Assert.Equal(before[name].Item2, Values(value));
            }

            // The buffer holds the parameters end to end, in parameters() order.
            Assert.Equal(model.parameters().SelectMany(Values), Values(flat.Values));
        }

        Assert.Equal(before.Values.Select(v => v.Item2), model.state_dict().Values.Select(Values));
    }

    [Fact]
    public void The_buffer_and_the_parameters_are_one_memory_both_ways()
    {
        set_num_threads(1);
        using var model = ModelFactory.Create(new ModelSpec(), 5, CPU);
        using var flat = FlatParameters.Adopt(model);
        using (no_grad())
        {
            flat.Values.fill_(0.25f);
        }

        Assert.All(model.parameters().SelectMany(Values), v => Assert.Equal(0.25f, v));

        // Autograd accumulates into the preset gradients, so backward fills the flat gradient.
        using var input = ones(4, 3, 1);
        model.call(input).sum().backward();
        Assert.Equal(model.parameters().SelectMany(p => Values(p.grad!)), Values(flat.Gradients));
        Assert.Contains(Values(flat.Gradients), g => g != 0);

        flat.ZeroGrad();
        Assert.All(model.parameters().SelectMany(p => Values(p.grad!)), g => Assert.Equal(0f, g));
    }

    [Fact]
    public void After_training_every_parameter_has_its_own_storage_again()
    {
        using var run = TestRuns.Train(new TrainingConfig { Epochs = 1, Seed = 2 });
        var model = run.Model;

        Assert.All(model.parameters(), p => Assert.Equal(0, p.storage_offset()));
        var others = model.parameters().Skip(1).Select(Values).ToList();
        using (no_grad())
        {
            model.parameters().First().fill_(1f);
        }

        // Writing one parameter no longer reaches its former neighbours in the buffer.
        Assert.Equal(others, model.parameters().Skip(1).Select(Values).ToList());
    }

    /// <summary>
    /// Trainer.Fit (flat parameters, one flat gradient, Adam given one tensor) against the textbook loop:
    /// Adam over model.parameters(), zero_grad, forward, MSE, backward, step; same data, shuffle, weights
    /// and learning rates. 4 epochs of 25 steps = 100 steps.
    /// </summary>
    [Fact]
    public void Losses_of_the_optimised_loop_match_a_straightforward_loop_over_100_steps()
    {
        set_num_threads(1);
        var config = new TrainingConfig { Epochs = 4, Seed = 11 };
        using var sequences = SequenceData.Generate(new SequenceSpec(), config.Seed);
        using var data = TrainingData.Create(sequences, new GlobalScaler(), config.ValidationSplit, CPU);

        var optimised = new List<double>();
        using (var model = ModelFactory.Create(new ModelSpec(), config.Seed, CPU))
        {
            var previous = 0.0;
            Trainer.Fit(model, data, config, [new TrainingObserver(e =>
            {
                if (e is StepCompleted step)
                {
                    // Every batch holds 32 samples, so step k's loss is k·mean_k − (k−1)·mean_(k−1).
                    optimised.Add((step.RunningLoss * step.Step) - (step.Step == 1 ? 0 : previous * (step.Step - 1)));
                    previous = step.RunningLoss;
                }
            })]);
        }

        var straightforward = StraightforwardLosses(data, config);

        Assert.Equal(100, optimised.Count);
        Assert.Equal(100, straightforward.Count);
        var worst = optimised.Zip(straightforward, (a, b) => Math.Abs(a - b)).Max();
        Assert.True(worst <= 1e-6, $"largest difference {worst:e3}");
        Assert.True(straightforward[^1] < straightforward[0] / 10, "the reference loop must train too");
    }

    private static List<double> StraightforwardLosses(TrainingData data, TrainingConfig config)
    {
        using var model = ModelFactory.Create(new ModelSpec(), config.Seed, CPU);
        using var optimizer = optim.Adam(model.parameters(), lr: config.LearningRate);
        using var generator = new Generator((ulong)config.Seed);
        var n = data.TrainCount;
        var losses = new List<double>();
        for (var epoch = 1; epoch <= config.Epochs; epoch++)
        {
            foreach (var group in optimizer.ParamGroups)
            {
                group.LearningRate = Trainer.LearningRateAt(config, epoch);
            }

            model.train();
            using var order = randperm(n, generator: generator);
            for (long start = 0; start < n; start += config.BatchSize)
            {
                using var scope = NewDisposeScope();
                var batch = order.narrow(0, start, Math.Min(config.BatchSize, n - start));
                optimizer.zero_grad();
                var loss = nn.functional.mse_loss(model.call(data.TrainInputs[batch]), data.TrainTargets[batch]);
                loss.backward();
                optimizer.step();
                losses.Add(loss.item<float>());
            }
        }

        return losses;
    }

    private static float[] Values(Tensor t)
    {
        using var cpu = t.detach().to(CPU).contiguous();
        return cpu.data<float>().ToArray();
    }
}
