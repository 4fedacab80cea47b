using SimpleRnnTorch.Data;
using SimpleRnnTorch.Evaluation;
using SimpleRnnTorch.Forecasting;

namespace SimpleRnnTorch.Tests.Evaluation;

/// <summary>Series outcomes for view and plot tests, built from real parts: a backtest of simple forecasters over the validation part and an interval from its errors.</summary>
internal static class SeriesOutcomes
{
    /// <param name="classical">A baseline named as the best classical method is (AR …), beside naive and drift.</param>
    public static SeriesOutcome Make(Series series, SeriesWindows windows, double[] oneStep, double[] forecast, string[] labels, int? season = null,
        IForecaster? classical = null)
    {
        var values = series.Values.Select(v => (double)v).ToArray();
        var comparison = SeriesComparison.Compute(series.Values, windows.TrainingValues, oneStep, season);
        var horizon = Math.Min(forecast.Length, values.Length - windows.TrainingValues);
        var result = Backtest.Run(values, [new Named("model (gru)", new DriftForecaster()), new NaiveForecaster(), new DriftForecaster(), .. classical is null ? Array.Empty<IForecaster>() : [new Named("AR (exact)", classical)]], 2, horizon, 1);
        var interval = ForecastInterval.FromBacktest(result.Forecasters[0]) with { };
        var extended = Enumerable.Range(0, forecast.Length).Select(k => Math.Min(k, interval.Horizon - 1)).ToArray();
        var lower = forecast.Select((f, k) => f + interval.Lower[extended[k]]).ToArray();
        var upper = forecast.Select((f, k) => f + interval.Upper[extended[k]]).ToArray();
        var full = interval with
        {
            Lower = [.. extended.Select(k => interval.Lower[k])],
            Upper = [.. extended.Select(k => interval.Upper[k])],
            Counts = [.. extended.Select(k => interval.Counts[k])],
            Guaranteed = [.. extended.Select(k => interval.Guaranteed[k])],
        };
        return new SeriesOutcome(series, windows, oneStep, comparison, new SeriesBacktest(result, horizon, full, 2, 0, 0.5), forecast, lower, upper, labels);
    }

    private sealed class Named(string name, IForecaster inner) : IForecaster
    {
        public string Name => name;

        public int MinimumHistory => inner.MinimumHistory;

        public double[] Forecast(ReadOnlySpan<double> history, int horizon) => inner.Forecast(history, horizon);
    }
}
