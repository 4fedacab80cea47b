using SimpleRnnTorch.Model;
using SimpleRnnTorch.Training;
using static TorchSharp.torch;

namespace SimpleRnnTorch.Tests.Model;

[Collection(TorchCollection.Name)]
public sealed class CellTests
{
    [Theory]
    [InlineData("Rnn", 1, 40)]    // 5*1 + 5*5 + 5 + 5
    [InlineData("Lstm", 1, 160)]  // 4 gates x 40
    [InlineData("Gru", 1, 120)]   // 3 gates x 40
    [InlineData("Rnn", 2, 100)]   // second layer: 5*5 + 5*5 + 5 + 5
    [InlineData("Lstm", 2, 400)]
    public void Each_cell_has_pytorch_parameter_counts_and_shapes(string cellName, int layers, long recurrentParameters)
    {
        var cell = Enum.Parse<CellKind>(cellName);
        using var model = ModelFactory.Create(new ModelSpec(HiddenSize: 5, Layers: layers, Cell: cell), seed: 0, CPU);
        var rows = model.Summarize();

        Assert.Equal(recurrentParameters, rows[0].Parameters);
        Assert.Equal(cell.ToString().ToUpperInvariant(), rows[0].Type);
        Assert.Equal(6, rows[1].Parameters);
        using var x = rand(7, 3, 1);
        using var y = model.call(x);
        Assert.Equal([7L, 1L], y.shape);
        Assert.Contains($"rnn.weight_hh_l{layers - 1}", model.state_dict().Keys);
    }

    [Theory]
    [InlineData("Rnn")]
    [InlineData("Lstm")]
    [InlineData("Gru")]
    public void Keras_init_is_glorot_orthogonal_and_zero_biases_and_torch_init_is_not(string cellName)
    {
        var cell = Enum.Parse<CellKind>(cellName);
        // 64 hidden units: enough weights that Glorot's wider range shows, beyond torch's ±1/sqrt(64).
        var spec = new ModelSpec(HiddenSize: 64, Cell: cell);
        using var keras = ModelFactory.Create(spec, seed: 3, CPU, WeightInit.Keras);
        using var torch = ModelFactory.Create(spec, seed: 3, CPU, WeightInit.Torch);

        Assert.Equal("", KerasInitViolation(keras, spec));
        Assert.NotEqual("", KerasInitViolation(torch, spec));
    }

    /// <summary>"" when the weights look as Keras initialises them, else the first thing that does not.</summary>
    private static string KerasInitViolation(SequenceRegressor model, ModelSpec spec)
    {
        var p = model.state_dict();
        var h = spec.HiddenSize;
        var torchBound = 1 / Math.Sqrt(h);

        // Orthogonal recurrent kernel (gates*h x h): its columns are orthonormal.
        using var hh = p["rnn.weight_hh_l0"];
        using var gram = hh.t().matmul(hh);
        if (!gram.allclose(eye(h), atol: 1e-4))
        {
            return "weight_hh is not orthogonal";
        }

        // Glorot-uniform U(±sqrt(6 / (fan_in + fan_out))): within the limit, and reaching well beyond
        // torch's ±1/sqrt(h) (with 64+ draws the largest is near the limit).
        foreach (var (name, fanIn, fanOut) in new[] { ("rnn.weight_ih_l0", 1, spec.Gates * h), ("head.weight", h, 1) })
        {
            var limit = Math.Sqrt(6.0 / (fanIn + fanOut));
            var largest = p[name].abs().max().item<float>();
            if (largest > limit || largest < 1.2 * torchBound)
            {
                return $"{name}: largest |w| {largest} is not glorot's (limit {limit})";
            }
        }

        var forgetOnes = spec.Cell == CellKind.Lstm ? h : 0; // Keras' unit_forget_bias
        if (p["rnn.bias_hh_l0"].abs().sum().item<float>() != 0 || p["head.bias"].abs().sum().item<float>() != 0
            || p["rnn.bias_ih_l0"].sum().item<float>() != forgetOnes || p["rnn.bias_ih_l0"].abs().sum().item<float>() != forgetOnes)
        {
            return "biases are not Keras' zeros (and forget-gate ones)";
        }

        return "";
    }

    [Theory]
    [InlineData("Lstm")]
    [InlineData("Gru")]
    public void Lstm_and_gru_learn_the_lesson(string cellName)
    {
        var cell = Enum.Parse<CellKind>(cellName);
        using var run = TestRuns.Train(new TrainingConfig { Epochs = 30, Seed = 2 }, new ModelSpec(Cell: cell), predict: [[50, 60, 70]]);
        var prediction = run.Predictions[0];
        Assert.InRange(prediction, 79, 81);
    }

    [Theory]
    [InlineData("Rnn")]
    [InlineData("Lstm")]
    [InlineData("Gru")]
    public void Inference_without_autograd_gives_the_training_forward_result(string cellName)
    {
        var cell = Enum.Parse<CellKind>(cellName);
        using var run = TestRuns.Train(new TrainingConfig { Epochs = 5, Seed = 42 }, new ModelSpec(Cell: cell));
        var model = run.Model;
        using var x = SimpleRnnTorch.Data.SequenceData.Generate(new SimpleRnnTorch.Data.SequenceSpec(Count: 200), 9).narrow(1, 0, 3).unsqueeze(-1) / 100;
        model.eval();
        using var withGrad = model.call(x).detach();
        using var noGrad = no_grad();
        using var withoutGrad = model.call(x);

        Assert.True(withGrad.allclose(withoutGrad, rtol: 0, atol: 1e-6), $"{cell}: max difference {(withGrad - withoutGrad).abs().max().item<float>()}");
    }
}
