using SimpleRnnTorch.Model;
using SimpleRnnTorch.Training;
using static TorchSharp.torch;

namespace SimpleRnnTorch.Tests.Model;

[Collection(TorchCollection.Name)]
public sealed class CellTests
{
    [Theory]
    [InlineData(CellKind.Rnn, 1, 40)]    // 5*1 + 5*5 + 5 + 5
    [InlineData(CellKind.Lstm, 1, 160)]  // 4 gates x 40
    [InlineData(CellKind.Gru, 1, 120)]   // 3 gates x 40
    [InlineData(CellKind.Rnn, 2, 100)]   // second layer: 5*5 + 5*5 + 5 + 5
    [InlineData(CellKind.Lstm, 2, 400)]
    public void Each_cell_has_pytorch_parameter_counts_and_shapes(CellKind cell, int layers, long recurrentParameters)
    {
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
    [InlineData(CellKind.Rnn)]
    [InlineData(CellKind.Lstm)]
    [InlineData(CellKind.Gru)]
    public void Keras_init_is_glorot_orthogonal_and_zero_biases(CellKind cell)
    {
        using var model = ModelFactory.Create(new ModelSpec(HiddenSize: 5, Cell: cell), seed: 3, CPU, WeightInit.Keras);
        var p = model.state_dict();
        var gates = cell switch { CellKind.Lstm => 4, CellKind.Gru => 3, _ => 1 };

        // Orthogonal recurrent kernel (4h x h for an LSTM): its columns are orthonormal.
        using var hh = p["rnn.weight_hh_l0"];
        using var gram = hh.t().matmul(hh);
        Assert.True(gram.allclose(eye(5), atol: 1e-5), "weight_hh is not orthogonal");

        // Glorot-uniform: within +-sqrt(6 / (fan_in + fan_out)).
        var limit = Math.Sqrt(6.0 / (1 + (5 * gates)));
        Assert.True(p["rnn.weight_ih_l0"].abs().max().item<float>() <= limit);
        Assert.True(p["head.weight"].abs().max().item<float>() <= Math.Sqrt(6.0 / 6));

        Assert.Equal(0, p["rnn.bias_hh_l0"].abs().sum().item<float>());
        Assert.Equal(0, p["head.bias"].abs().sum().item<float>());
        var forgetOnes = cell == CellKind.Lstm ? 5 : 0; // Keras' unit_forget_bias
        Assert.Equal(forgetOnes, p["rnn.bias_ih_l0"].sum().item<float>());
    }

    [Theory]
    [InlineData(CellKind.Lstm)]
    [InlineData(CellKind.Gru)]
    public void Lstm_and_gru_learn_the_lesson(CellKind cell)
    {
        var (model, _) = TrainedModel.Train(epochs: 30, seed: 2, spec: new ModelSpec(Cell: cell));
        using var _ = model;
        var prediction = Predictor.Predict(model, new SimpleRnnTorch.Data.SequenceScaler(), [[50, 60, 70]], CPU)[0];
        Assert.InRange(prediction, 79, 81);
    }

    [Theory]
    [InlineData(CellKind.Rnn)]
    [InlineData(CellKind.Lstm)]
    [InlineData(CellKind.Gru)]
    public void Inference_without_autograd_gives_the_training_forward_result(CellKind cell)
    {
        var (model, _) = TrainedModel.Train(epochs: 5, seed: 42, spec: new ModelSpec(Cell: cell));
        using var _ = model;
        using var x = SimpleRnnTorch.Data.SequenceData.Generate(new SimpleRnnTorch.Data.SequenceSpec(Count: 200), 9).narrow(1, 0, 3).unsqueeze(-1) / 100;
        model.eval();
        using var withGrad = model.call(x).detach();
        using var noGrad = no_grad();
        using var withoutGrad = model.call(x);

        Assert.True(withGrad.allclose(withoutGrad, rtol: 0, atol: 1e-6), $"{cell}: max difference {(withGrad - withoutGrad).abs().max().item<float>()}");
    }
}
