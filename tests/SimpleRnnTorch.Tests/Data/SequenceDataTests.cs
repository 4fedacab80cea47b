using SimpleRnnTorch.Data;
using static TorchSharp.torch;

namespace SimpleRnnTorch.Tests.Data;

[Collection(TorchCollection.Name)]
public sealed class SequenceDataTests
{
    [Fact]
    public void Generates_arithmetic_sequences_with_starts_in_range()
    {
        using var sequences = SequenceData.Generate(new SequenceSpec(Count: 1000, TimeSteps: 3), seed: 7);

        Assert.Equal([1000L, 4L], sequences.shape);
        var values = sequences.data<float>().ToArray();
        var starts = new HashSet<float>();
        for (var i = 0; i < 1000; i++)
        {
            var s = values[i * 4];
            Assert.InRange(s, 0f, 99f);
            Assert.Equal(MathF.Floor(s), s);
            Assert.Equal([s, s + 10, s + 20, s + 30], values.Skip(i * 4).Take(4));
            starts.Add(s);
        }

        // 1000 draws from 100 integers: all of them show up, so the range really is [0, 100).
        Assert.Equal(100, starts.Count);
    }

    [Fact]
    public void Inputs_and_targets_have_the_lesson_shapes()
    {
        using var sequences = SequenceData.Generate(new SequenceSpec(Count: 1000, TimeSteps: 3), seed: 1);
        var (x, y) = SequenceData.SplitInputsTargets(sequences);

        Assert.Equal([1000L, 3L], x.shape);
        Assert.Equal([1000L], y.shape);
        Assert.Equal(sequences[0, 3].item<float>(), y[0].item<float>());
        Assert.Equal([1000L, 3L, 1L], x.unsqueeze(-1).shape);
    }

    [Fact]
    public void Same_seed_same_data_other_seed_other_data()
    {
        var spec = new SequenceSpec(Count: 50);
        using var a = SequenceData.Generate(spec, 3);
        using var b = SequenceData.Generate(spec, 3);
        using var c = SequenceData.Generate(spec, 4);

        Assert.True(a.eq(b).all().item<bool>());
        Assert.False(a.eq(c).all().item<bool>());
    }

    [Fact]
    public void Other_time_steps_and_steps_follow_the_spec()
    {
        using var sequences = SequenceData.Generate(new SequenceSpec(Count: 5, TimeSteps: 6, Step: 5, StartMin: 100, StartMax: 200), seed: 2);
        Assert.Equal([5L, 7L], sequences.shape);
        var row = sequences[0].data<float>().ToArray();
        Assert.InRange(row[0], 100f, 199f);
        Assert.Equal(Enumerable.Range(0, 7).Select(i => row[0] + 5 * i), row);
    }

    [Fact]
    public void A_step_range_draws_one_step_per_sequence()
    {
        using var sequences = SequenceData.Generate(new SequenceSpec(Count: 500, Step: 5, StepMax: 20), seed: 3);
        var values = sequences.data<float>().ToArray();
        var steps = new HashSet<float>();
        for (var i = 0; i < 500; i++)
        {
            var d = values[(i * 4) + 1] - values[i * 4];
            Assert.InRange(d, 5f, 20f);
            Assert.Equal(values[i * 4] + (3 * d), values[(i * 4) + 3]);
            steps.Add(d);
        }

        Assert.Equal(16, steps.Count);
    }

    [Fact]
    public void A_fixed_step_draws_exactly_what_it_always_did()
    {
        using var fixedStep = SequenceData.Generate(new SequenceSpec(Count: 20), seed: 8);
        using var explicitRange = SequenceData.Generate(new SequenceSpec(Count: 20, StepMax: 10), seed: 8);
        Assert.True(fixedStep.eq(explicitRange).all().item<bool>());
    }
}
