using SimpleRnnTorch.Data;
using static TorchSharp.torch;

namespace SimpleRnnTorch.Tests.Data;

[Collection(TorchCollection.Name)]
public sealed class AddingProblemTests
{
    [Theory]
    [InlineData(2)]
    [InlineData(7)]
    [InlineData(50)]
    public void Every_sequence_has_two_markers_one_per_half_and_its_target_is_the_sum_of_the_marked_values(int timeSteps)
    {
        const int count = 2000;
        var (inputs, targets) = AddingProblem.Generate(count, timeSteps, seed: 5);
        using var __ = inputs;
        using var ___ = targets;

        Assert.Equal([count, (long)timeSteps, 2L], inputs.shape);
        Assert.Equal([count, 1L], targets.shape);
        var x = inputs.data<float>().ToArray();
        var y = targets.data<float>().ToArray();
        var half = timeSteps / 2;
        var firstSeen = new HashSet<int>();
        var secondSeen = new HashSet<int>();
        for (var i = 0; i < count; i++)
        {
            var marked = new List<int>();
            double sum = 0;
            for (var t = 0; t < timeSteps; t++)
            {
                var value = x[(((i * timeSteps) + t) * 2) + 0];
                var marker = x[(((i * timeSteps) + t) * 2) + 1];
                Assert.InRange(value, 0f, 0.9999999f);
                Assert.True(marker is 0f or 1f, $"marker {marker}");
                if (marker == 1f)
                {
                    marked.Add(t);
                    sum += value;
                }
            }

            Assert.Equal(2, marked.Count);
            Assert.InRange(marked[0], 0, half - 1);
            Assert.InRange(marked[1], half, timeSteps - 1);
            Assert.True(Math.Abs(sum - y[i]) < 1e-6, $"row {i}: target {y[i]}, marked values sum to {sum}");
            firstSeen.Add(marked[0]);
            secondSeen.Add(marked[1]);
        }

        // Every step of each half gets a marker somewhere: the placement is uniform over the half, not fixed.
        Assert.Equal(half, firstSeen.Count);
        Assert.Equal(timeSteps - half, secondSeen.Count);
    }

    [Fact]
    public void The_constant_guess_1_scores_about_one_sixth()
    {
        var (inputs, targets) = AddingProblem.Generate(50_000, 10, seed: 1);
        using var __ = inputs;
        using var ___ = targets;
        var mse = (targets - 1).square().mean().item<float>();

        // Var(U1 + U2) = 2/12; the estimate's standard error over 50,000 sums is about 0.0009.
        Assert.InRange(mse, AddingProblem.ConstantGuessMse - 0.005, AddingProblem.ConstantGuessMse + 0.005);
        Assert.InRange(targets.mean().item<float>(), 0.99, 1.01);
    }

    [Fact]
    public void Same_seed_same_data_other_seed_other_data_and_the_global_generator_is_untouched()
    {
        manual_seed(3);
        using var before = rand(4);
        manual_seed(3);
        var (a, ya) = AddingProblem.Generate(100, 8, 11);
        using var after = rand(4);
        var (b, yb) = AddingProblem.Generate(100, 8, 11);
        var (c, yc) = AddingProblem.Generate(100, 8, 12);
        using var _a = a; using var _b = b; using var _c = c; using var _ya = ya; using var _yb = yb; using var _yc = yc;

        Assert.True(a.eq(b).all().item<bool>());
        Assert.True(ya.eq(yb).all().item<bool>());
        Assert.False(a.eq(c).all().item<bool>());
        Assert.True(before.eq(after).all().item<bool>(), "drawing the data must not move torch's global generator (the weights' seed)");
    }

    [Fact]
    public void Fewer_than_two_steps_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => AddingProblem.Generate(10, 1, 1));
    }
}
