using SimpleRnnTorch.Evaluation;
using SimpleRnnTorch.Forecasting;
using SimpleRnnTorch.Model;
using SimpleRnnTorch.Scaling;
using TorchSharp;
using static TorchSharp.torch;

namespace SimpleRnnTorch.Tests.Evaluation;

/// <summary>
/// The validation loss and the one-step predictions made in chunks: a set of one chunk is bit for bit the one pass it
/// always was; in more chunks each row's output is the one pass's up to float32 rounding (the CPU's matrix kernels
/// round a row's dot products differently for different row counts, so no chunking is bit-exact for every row).
/// </summary>
[Collection(TorchCollection.Name)]
public sealed class ChunkedForwardTests
{
    [Theory]
    [InlineData("Rnn", 1)]
    [InlineData("Gru", 1)]
    [InlineData("Lstm", 2)]
    public void Chunked_outputs_and_loss_equal_one_pass(string cell, int layers)
    {
        using var model = ModelFactory.Create(new ModelSpec(HiddenSize: 16, Layers: layers, Cell: Enum.Parse<CellKind>(cell)), seed: 3, CPU);
        using var generator = new Generator(7);
        using var inputs = randn([1000, 12, 1], generator: generator);
        using var targets = randn([1000, 1], generator: generator);

        using var whole = ChunkedForward.Outputs(model, inputs, rows: 1000);
        var loss = ChunkedForward.MeanSquaredError(model, inputs, targets, rows: 1000);
        using (var noGrad = no_grad())
        using (var reference = model.call(inputs))
        {
            // One chunk is the one pass it always was.
            Assert.True(reference.eq(whole).all().item<bool>());
        }

        foreach (var rows in new long[] { 1, 7, 128, 999 })
        {
            using var chunked = ChunkedForward.Outputs(model, inputs, rows);
            Assert.Equal([1000L, 1], chunked.shape);
            Assert.True(chunked.allclose(whole, rtol: 1e-5, atol: 1e-6), $"{rows} rows a chunk");
            Assert.Equal(loss, ChunkedForward.MeanSquaredError(model, inputs, targets, rows), 1e-6 * loss);
        }
    }

    [Fact]
    public void Rows_per_chunk_keep_the_activations_within_the_bound()
    {
        var spec = new ModelSpec(HiddenSize: 16, Cell: CellKind.Gru);
        var rows = ChunkedForward.RowsPerChunk(spec, 12);
        Assert.InRange(rows * 12 * 16 * (3 + 2) * 4, ChunkedForward.MaxActivationBytes - (12 * 16 * 5 * 4), ChunkedForward.MaxActivationBytes);
        Assert.Equal(1, ChunkedForward.RowsPerChunk(new ModelSpec(HiddenSize: 4096, Layers: 64, Cell: CellKind.Lstm), 10_000));
    }

    [Fact]
    public void One_step_predictions_in_chunks_equal_one_pass()
    {
        using var model = ModelFactory.Create(new ModelSpec(HiddenSize: 8, Cell: CellKind.Gru), seed: 5, CPU);
        var values = Enumerable.Range(0, 400).Select(i => Math.Sin(i / 5.0) * 10 + (i * 0.01)).ToArray();
        var scaler = new DifferenceScaler(2.5, 0.01);
        var network = new NetworkForecaster(model, scaler, 12, CPU, "model");

        var whole = SeriesForecast.OneStep(network, values, 300, chunk: 1000);
        Assert.Equal(100, whole.Length);
        Assert.Equal(whole, SeriesForecast.OneStep(network, values, 300, chunk: 100));
        foreach (var chunk in new long[] { 1, 9, 99 })
        {
            var chunked = SeriesForecast.OneStep(network, values, 300, chunk);
            Assert.All(chunked.Zip(whole), p => Assert.Equal(p.Second, p.First, 1e-5 * Math.Max(1, Math.Abs(p.Second))));
        }

        // Each is the prediction from the 12 values before its target.
        Assert.Equal(network.ForecastFrom([values[288..300], values[387..399]], 1).Select(f => f[0]), [whole[0], whole[99]]);
    }

    /// <summary>
    /// The backtest reads the network's forecasts from the one batched pass over every validation origin: each equals
    /// the network's own forecast from that origin alone (float32 rounding apart), and the table's origins all had one.
    /// </summary>
    [Fact]
    public void The_backtests_network_forecasts_are_its_own_from_each_origin()
    {
        using var model = ModelFactory.Create(new ModelSpec(HiddenSize: 8, Cell: CellKind.Gru), seed: 5, CPU);
        var values = Enumerable.Range(0, 240).Select(i => 100 + (Math.Sin(i / 4.0) * 10) + (i * 0.2)).ToArray();
        var network = new NetworkForecaster(model, new DifferenceScaler(2.5, 0.2), 12, CPU, "model");

        var backtest = SeriesForecast.Backtest(network, values, start: 192, season: null, horizon: 6, level: 0.8);

        Assert.Equal(4, backtest.Model.Origins.Count);
        foreach (var origin in backtest.Model.Origins)
        {
            var alone = network.Forecast(values.AsSpan(0, origin.Origin), 6);
            for (var h = 0; h < 6; h++)
            {
                Assert.Equal(alone[h], origin.Forecast[h], Math.Max(1e-4, Math.Abs(alone[h]) * 1e-6));
            }
        }
    }
}
