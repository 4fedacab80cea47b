using SimpleRnnTorch.Model;
using static TorchSharp.torch;

namespace SimpleRnnTorch.Tests.Model;

[Collection(TorchCollection.Name)]
public sealed class SequenceRegressorTests
{
    [Fact]
    public void Lesson_model_has_46_parameters_as_40_plus_6()
    {
        using var model = ModelFactory.Create(new ModelSpec(), seed: 0, CPU);
        var rows = model.Summarize();

        Assert.Equal(["rnn", "head"], rows.Select(r => r.Name));
        Assert.Equal([40L, 6L], rows.Select(r => r.Parameters));
        Assert.Equal(46, model.parameters().Sum(p => p.numel()));
        Assert.Equal("(None, 5)", rows[0].OutputShape);
        Assert.Equal("(None, 1)", rows[1].OutputShape);
    }

    [Fact]
    public void State_dict_uses_pytorch_names()
    {
        using var model = ModelFactory.Create(new ModelSpec(), seed: 0, CPU);
        Assert.Equal(
            ["rnn.weight_ih_l0", "rnn.weight_hh_l0", "rnn.bias_ih_l0", "rnn.bias_hh_l0", "head.weight", "head.bias"],
            model.state_dict().Keys);
    }

    [Fact]
    public void Maps_batch_time_feature_input_to_one_value_per_sample()
    {
        using var model = ModelFactory.Create(new ModelSpec(HiddenSize: 7), seed: 0, CPU);
        using var x = rand(4, 3, 1);
        using var y = model.call(x);
        Assert.Equal([4L, 1L], y.shape);

        // The output depends on the last time step: the network reads the sequence, not one value.
        using var changed = x.clone();
        changed[.., 2, 0] = tensor(0.9f);
        using var y2 = model.call(changed);
        Assert.False(y.allclose(y2));
    }

    [Fact]
    public void Same_seed_same_initial_weights()
    {
        using var a = ModelFactory.Create(new ModelSpec(), seed: 11, CPU);
        using var b = ModelFactory.Create(new ModelSpec(), seed: 11, CPU);
        using var c = ModelFactory.Create(new ModelSpec(), seed: 12, CPU);
        var pa = a.parameters().ToList();
        var pb = b.parameters().ToList();
        var pc = c.parameters().ToList();
        Assert.All(pa.Zip(pb), p => Assert.True(p.First.eq(p.Second).all().item<bool>()));
        Assert.Contains(pa.Zip(pc), p => !p.First.eq(p.Second).all().item<bool>());
    }
}
