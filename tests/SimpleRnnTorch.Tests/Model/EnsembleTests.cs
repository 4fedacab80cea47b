using SimpleRnnTorch.Data;
using SimpleRnnTorch.Model;
using SimpleRnnTorch.Persistence;
using SimpleRnnTorch.Scaling;
using SimpleRnnTorch.Training;
using static TorchSharp.torch;

namespace SimpleRnnTorch.Tests.Model;

/// <summary>
/// An ensemble is its members side by side in one recurrent layer with block-diagonal weights: each member computes
/// what it would alone, the model gives their mean, and training never couples them.
/// </summary>
[Collection(TorchCollection.Name)]
public sealed class EnsembleTests
{
    public static TheoryData<string, int> Cells => new() { { "Rnn", 1 }, { "Lstm", 2 }, { "Gru", 1 }, { "Gru", 2 } };

    [Theory]
    [MemberData(nameof(Cells))]
    public void Each_member_computes_what_the_network_of_its_seed_does_alone(string cell, int layers)
    {
        var spec = new ModelSpec(HiddenSize: 6, Layers: layers, Cell: Enum.Parse<CellKind>(cell), Members: 3);
        using var ensemble = ModelFactory.Create(spec, seed: 11, CPU);
        var alone = Enumerable.Range(0, 3).Select(k => ModelFactory.Create(spec with { Members = 1 }, 11 + k, CPU)).ToArray();
        using var x = randn(9, 5, 1);

        using var noGrad = no_grad();
        using var members = ensemble.MemberOutputs(x);
        using var mean = ensemble.call(x);
        for (var k = 0; k < 3; k++)
        {
            using var own = alone[k].call(x);
            Assert.True(members.narrow(1, k, 1).allclose(own, rtol: 0, atol: 1e-6), $"member {k}");
        }

        Assert.True(mean.allclose(members.mean([1], keepdim: true), rtol: 0, atol: 1e-7));
        Assert.Equal([9L, 1L], mean.shape);
        Assert.Equal(alone.Sum(m => m.parameters().Sum(p => p.numel())), spec.Parameters);
        Assert.Equal(ensemble.parameters().Sum(p => p.numel()), spec.StoredValues);
        foreach (var model in alone)
        {
            model.Dispose();
        }
    }

    [Fact]
    public void Training_keeps_every_weight_outside_a_members_block_at_zero()
    {
        var spec = new ModelSpec(HiddenSize: 4, Layers: 2, Cell: CellKind.Gru, Members: 3);
        using var model = ModelFactory.Create(spec, seed: 3, CPU);
        using var sequences = SequenceData.Generate(new SequenceSpec(Count: 200), 3);
        using var data = TrainingData.Create(sequences, new GlobalScaler(), 0.2, CPU);

        var history = Trainer.Fit(model, data, new TrainingConfig { Epochs = 3, Seed = 3, LearningRate = 0.01 });

        using var mask = model.BlockMask()!;
        using var values = cat(model.parameters().Select(p => p.detach().flatten()).ToArray(), 0);
        Assert.Equal(0, values.masked_select(mask.eq(0)).abs().max().item<float>());
        Assert.True(values.masked_select(mask.eq(1)).abs().min().item<float>() >= 0);
        Assert.True(history.Loss[^1] < history.Loss[0]);
        Assert.Equal(spec.StoredValues - spec.Parameters, mask.eq(0).sum().item<long>());
    }

    /// <summary>
    /// The optimisation's equivalence: trained side by side on the same batches, each member ends where it would alone
    /// (the mean of the members' losses gives each 1/members of its own gradient, a scale Adam does not see but for its ε).
    /// </summary>
    [Fact]
    public void Each_member_trains_as_it_would_alone()
    {
        var spec = new ModelSpec(HiddenSize: 4, Cell: CellKind.Gru, Members: 2);
        var config = new TrainingConfig { Epochs = 2, Seed = 8, LearningRate = 0.01 };
        using var sequences = SequenceData.Generate(new SequenceSpec(Count: 200), 8);
        using var data = TrainingData.Create(sequences, new GlobalScaler(), 0.2, CPU);
        using var ensemble = ModelFactory.Create(spec, config.Seed, CPU);
        Trainer.Fit(ensemble, data, config);

        using var x = randn(7, 3, 1);
        using var members = ensemble.MemberOutputs(x).detach();
        for (var k = 0; k < 2; k++)
        {
            using var alone = ModelFactory.Create(spec with { Members = 1 }, config.Seed + k, CPU);
            Trainer.Fit(alone, data, config);
            using var own = alone.call(x).detach();
            Assert.True(members.narrow(1, k, 1).allclose(own, rtol: 0, atol: 1e-5), $"member {k}");
        }
    }

    [Fact]
    public void An_ensemble_of_one_is_the_network()
    {
        using var one = ModelFactory.Create(new ModelSpec(HiddenSize: 5, Members: 1), seed: 4, CPU);
        using var plain = ModelFactory.Create(new ModelSpec(HiddenSize: 5), seed: 4, CPU);

        Assert.Null(one.BlockMask());
        Assert.All(one.parameters().Zip(plain.parameters()), p => Assert.True(p.First.allclose(p.Second, rtol: 0, atol: 0)));
    }

    [Fact]
    public void Its_model_file_round_trips_and_no_members_is_refused()
    {
        var spec = new ModelSpec(HiddenSize: 5, Cell: CellKind.Gru, Members: 4);
        using var model = ModelFactory.Create(spec, seed: 5, CPU);
        using var temp = new TempFolder();
        var path = temp.File("ensemble.safetensors");
        var manifest = new ModelManifest(spec, new SequenceSpec(), 100, new TrainingConfig(), [], "completed", "test");
        ModelFile.Save(path, model, manifest);

        var (loaded, read) = ModelFile.Load(path, CPU);
        using (loaded)
        {
            using var x = randn(6, 3, 1);
            using var noGrad = no_grad();
            Assert.True(loaded.call(x).allclose(model.call(x), rtol: 0, atol: 0));
            Assert.Equal(4, read.Model.Members);
        }

        // The same header with members 0 (one digit for another: the header keeps its length).
        var bad = temp.File("bad.safetensors");
        var text = File.ReadAllText(path, System.Text.Encoding.Latin1);
        Assert.Contains("members\\u0022:4", text, StringComparison.Ordinal); // the manifest is an escaped JSON string in the header
        File.WriteAllText(bad, text.Replace("members\\u0022:4", "members\\u0022:0", StringComparison.Ordinal), System.Text.Encoding.Latin1);
        Assert.Contains("out of range", Assert.Throws<ModelFileException>(() => ModelFile.Load(bad, CPU)).Message);
    }
}
