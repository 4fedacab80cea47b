using SimpleRnnTorch.Experiments;
using SimpleRnnTorch.Model;
using TorchSharp;
using static TorchSharp.torch;

namespace SimpleRnnTorch.Tests.Evaluation;

/// <summary>
/// The gradient norms on cases that can be checked by hand. A one-unit linear RNN, h_t = w·h_{t-1} + a·v_t
/// + b·m_t with h_{-1} = 0 and the prediction h_{T-1}, has ∂L/∂x_t = 2(h_{T-1} − y)·w^(T-1-t)·(a, b): the
/// norm at step t is exactly |w|^(T-1-t) times the norm at the last step, for every sequence.
/// </summary>
[Collection(TorchCollection.Name)]
public sealed class GradientNormsTests
{
    /// <summary>The linear one-unit RNN above, written out step by step so its gradient is known exactly.</summary>
    private sealed class LinearRnn(double w, double a, double b) : nn.Module<Tensor, Tensor>("LinearRnn")
    {
        public override Tensor forward(Tensor input)
        {
            var h = zeros([input.shape[0], 1], dtype: input.dtype);
            for (var t = 0; t < input.shape[1]; t++)
            {
                var x = input.select(1, t);
                h = (h * w) + (x.narrow(1, 0, 1) * a) + (x.narrow(1, 1, 1) * b);
            }

            return h;
        }
    }

    private static (Tensor X, Tensor Y) Batch(int count, int timeSteps, ScalarType dtype)
    {
        var (x, y) = SimpleRnnTorch.Data.AddingProblem.Generate(count, timeSteps, seed: 9);
        using (x)
        using (y)
        {
            return (x.to(dtype), y.to(dtype));
        }
    }

    [Theory]
    [InlineData(0.8, 20)]
    [InlineData(0.5, 50)]
    [InlineData(-0.9, 30)]
    [InlineData(1.1, 25)]
    public void A_one_unit_linear_rnn_has_norms_in_the_ratio_w_to_the_power_of_the_steps_back(double w, int timeSteps)
    {
        using var model = new LinearRnn(w, 0.7, -0.3);
        var (x, y) = Batch(64, timeSteps, ScalarType.Float64);
        using var _x = x;
        using var _y = y;

        var norms = GradientNorms.Measure(model, x, y);

        Assert.Equal(timeSteps, norms.Length);
        for (var t = 0; t < timeSteps; t++)
        {
            var expected = Math.Pow(Math.Abs(w), timeSteps - 1 - t);
            Assert.True(Math.Abs((norms[t] / norms[^1]) - expected) <= 1e-9 * expected, $"t = {t}: ratio {norms[t] / norms[^1]}, expected {expected}");
        }

        Assert.Equal(Math.Pow(Math.Abs(w), timeSteps - 1), GradientNorms.FirstToLast(norms), 1e-9 * Math.Pow(Math.Abs(w), timeSteps - 1));

        // The last step's norm itself: mean over the batch of |2(h − y)| · ‖(a, b)‖.
        using var residual = (model.call(x) - y).abs().mean();
        Assert.Equal(2 * residual.item<double>() * Math.Sqrt((0.7 * 0.7) + (0.3 * 0.3)), norms[^1], 12);
    }

    [Fact]
    public void The_programs_rnn_cell_in_its_near_linear_range_follows_the_same_law()
    {
        // torch.nn.RNN with one unit: h_t = tanh(W_ih x_t + W_hh h_{t-1}); a tiny input weight keeps tanh at
        // its linear part (h stays below 1e-2, tanh' above 0.9999), so the ratio is w^(T-1-t) within 0.1%.
        const double w = 0.7;
        const int timeSteps = 20;
        using var model = new SequenceRegressor(new ModelSpec(InputSize: 2, HiddenSize: 1, Cell: CellKind.Rnn));
        model.to(ScalarType.Float64);
        using (no_grad())
        {
            var p = model.named_parameters().ToDictionary(kv => kv.name, kv => kv.parameter);
            p["rnn.weight_ih_l0"].copy_(tensor(new[] { 1e-3, 0 }, [1, 2], ScalarType.Float64));
            p["rnn.weight_hh_l0"].fill_(w);
            p["rnn.bias_ih_l0"].zero_();
            p["rnn.bias_hh_l0"].zero_();
            p["head.weight"].fill_(1.0);
            p["head.bias"].zero_();
        }

        var (x, y) = Batch(32, timeSteps, ScalarType.Float64);
        using var _x = x;
        using var _y = y;
        var norms = GradientNorms.Measure(model, x, y);

        for (var t = 0; t < timeSteps; t++)
        {
            var expected = Math.Pow(w, timeSteps - 1 - t);
            Assert.True(Math.Abs((norms[t] / norms[^1]) - expected) <= 1e-3 * expected, $"t = {t}: ratio {norms[t] / norms[^1]}, expected {expected}");
        }

        Assert.All(model.parameters(), p => Assert.Null(p.grad));
    }

    [Fact]
    public void A_gated_cell_measures_too_and_its_parameters_get_no_gradient()
    {
        using var model = ModelFactory.Create(new ModelSpec(InputSize: 2, HiddenSize: 4, Cell: CellKind.Lstm), 1, CPU);
        var (x, y) = Batch(16, 12, ScalarType.Float32);
        using var _x = x;
        using var _y = y;

        var norms = GradientNorms.Measure(model, x, y);

        Assert.Equal(12, norms.Length);
        Assert.All(norms, n => Assert.True(double.IsFinite(n) && n > 0, $"norm {n}"));
        Assert.All(model.parameters(), p => Assert.Null(p.grad));
    }

    [Theory]
    [InlineData(2, new[] { 0, 1 })]
    [InlineData(3, new[] { 0, 1, 2 })]
    [InlineData(50, new[] { 0, 1, 2, 5, 10, 20, 49 })]
    [InlineData(100, new[] { 0, 1, 2, 5, 10, 20, 50, 99 })]
    [InlineData(21, new[] { 0, 1, 2, 5, 10, 20 })]
    public void The_table_counts_back_1_2_5_and_ends_at_the_first_step(int timeSteps, int[] expected)
    {
        Assert.Equal(expected, GradientNorms.StepsBack(timeSteps));
    }
}
