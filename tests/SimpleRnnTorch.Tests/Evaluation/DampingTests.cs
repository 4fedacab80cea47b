using SimpleRnnTorch.Evaluation;
using SimpleRnnTorch.Forecasting;
using SimpleRnnTorch.Model;
using SimpleRnnTorch.Scaling;
using static TorchSharp.torch;

namespace SimpleRnnTorch.Tests.Evaluation;

/// <summary>The damping a series run chooses after training: the share of the network's change whose validation forecasts erred least.</summary>
[Collection(TorchCollection.Name)]
public sealed class DampingTests
{
    [Fact]
    public void The_chosen_damping_has_the_least_validation_error_of_the_candidates()
    {
        // A random walk and an untrained network: its predicted changes are noise, so trusting them fully is not best.
        var random = new Random(11);
        var values = new double[200];
        for (var i = 1; i < values.Length; i++)
        {
            values[i] = values[i - 1] + (random.NextDouble() - 0.5);
        }

        const int t = 6, start = 160, horizon = 5;
        using var model = ModelFactory.Create(new ModelSpec(HiddenSize: 8), seed: 3, CPU);
        var scaler = SequenceScaler.ForWindows(values[..start].Select(v => (float)v).ToArray(), t);

        var chosen = Assert.IsAssignableFrom<RelativeScaler>(SeriesForecast.Damped(model, scaler, values, start, t, horizon, CPU));

        double Error(double damping)
        {
            var origins = Enumerable.Range(start, values.Length - start - horizon + 1).ToArray();
            var forecasts = new NetworkForecaster(model, ((RelativeScaler)scaler) with { Damping = damping }, t, CPU, "")
                .ForecastFrom(origins.Select(o => values[(o - t)..o]).ToArray(), horizon);
            return origins.Select((o, i) => Enumerable.Range(0, horizon).Sum(s => Math.Abs(values[o + s] - forecasts[i][s]))).Sum();
        }

        Assert.Contains(chosen.Damping, SeriesForecast.Dampings);
        Assert.All(SeriesForecast.Dampings, d => Assert.True(Error(chosen.Damping) <= Error(d), $"damping {d}: {Error(d)} < {Error(chosen.Damping)}"));
        Assert.Equal(scaler with { }, chosen with { Damping = ((RelativeScaler)scaler).Damping }); // nothing else changes
    }

    [Fact]
    public void A_global_scaling_is_not_damped()
    {
        using var model = ModelFactory.Create(new ModelSpec(HiddenSize: 4), seed: 1, CPU);
        var scaler = new GlobalScaler(100);

        Assert.Same(scaler, SeriesForecast.Damped(model, scaler, [.. Enumerable.Range(0, 40).Select(i => (double)i)], 30, 3, 5, CPU));
    }
}
