using SimpleRnnTorch.Data;
using SimpleRnnTorch.Evaluation;
using SimpleRnnTorch.Inference;
using SimpleRnnTorch.Model;
using SimpleRnnTorch.Scaling;
using static TorchSharp.torch;

namespace SimpleRnnTorch.Tests.Evaluation;

/// <summary>A panel's forecasts are made in chunks of windows (bounded memory): the equivalence test of that optimisation.</summary>
[Collection(TorchCollection.Name)]
public sealed class PanelForecastTests
{
    private static Series Wave(string name, double level, int n) =>
        new("panel.csv", name, [.. Enumerable.Range(0, n).Select(i => (float)(level * (1 + (0.2 * Math.Sin(i / 2.0)) + (0.01 * i))))], null, 0, ',', true);

    /// <summary>Each series planned as a panel plans it: the window, a fifth validating, the season given.</summary>
    private static List<(Series, SeriesWindows)> Planned(IEnumerable<Series> series, int timeSteps, int? season = null) =>
        [.. series.Select(s => (s, SeriesWindows.Plan(s, timeSteps, 0.2, season)))];

    /// <summary>The panel's evaluation with a scaler fitted on the members' training parts, an 80% interval.</summary>
    private static PanelOutcome Evaluate(SequenceRegressor model, List<(Series Series, SeriesWindows Windows)> members, int horizon,
        IReadOnlyList<Series>? forecastOnly = null, SmoothingShare? smoothing = null, int chunk = PanelForecast.ForecastChunk)
    {
        var t = members[0].Windows.TimeSteps;
        var scaler = SpreadScaler.ForWindows(members.Select(m => m.Series.Values[..m.Windows.TrainingValues]), t, 1);
        return PanelForecast.Evaluate(model, scaler, members, forecastOnly ?? [], horizon, 0.8, "model", new PanelIds(["id"]), [], CPU, chunk, smoothing);
    }

    [Fact]
    public void Forecasting_in_chunks_of_windows_gives_what_one_batch_gives()
    {
        using var model = ModelFactory.Create(new ModelSpec(HiddenSize: 8, Cell: CellKind.Gru, Members: 2), 3, CPU);
        Series[] series = [Wave("a", 10, 60), Wave("b", 1000, 48), Wave("c", 0.5, 72)];
        var members = Planned(series, 6);
        IReadOnlyList<Series> forecastOnly = [Wave("d", 50, 10)];

        PanelOutcome Run(int chunk) => Evaluate(model, members, 5, forecastOnly, chunk: chunk);

        var whole = Run(int.MaxValue);
        var chunked = Run(7); // fewer windows than one series' origins: every series crosses a chunk's edge

        // A batch's size may change libtorch's order of summation: equal within float32 rounding, not bit for bit.
        static void Close(IEnumerable<double> expected, IEnumerable<double> actual) =>
            Assert.All(expected.Zip(actual), p => Assert.True(Math.Abs(p.First - p.Second) <= 1e-6 * Math.Max(1, Math.Abs(p.First)), $"{p.First} against {p.Second}"));

        Assert.True(whole.IntervalOrigins > 21);
        Assert.Equal(whole.IntervalOrigins, chunked.IntervalOrigins);
        Close(whole.Interval.Lower, chunked.Interval.Lower);
        Close(whole.Interval.Upper, chunked.Interval.Upper);
        Close(whole.Series.SelectMany(s => s.Forecast), chunked.Series.SelectMany(s => s.Forecast));
        Close(whole.Series.SelectMany(s => s.Lower), chunked.Series.SelectMany(s => s.Lower));
        Close(whole.Series.SelectMany(s => s.Upper), chunked.Series.SelectMany(s => s.Upper));
        Close(whole.Backtested.Select(s => s.Model!.MeanMase), chunked.Backtested.Select(s => s.Model!.MeanMase));
        Assert.Equal(4, whole.Series.Count);
    }

    /// <summary>Each series' forecast is the global network's combined with exponential smoothing fitted on that series alone.</summary>
    [Fact]
    public void Each_series_forecast_is_the_mean_of_the_networks_and_its_own_smoothings()
    {
        using var model = ModelFactory.Create(new ModelSpec(HiddenSize: 8, Cell: CellKind.Gru, Members: 2), 3, CPU);
        Series[] series = [Wave("a", 10, 60), Wave("b", 1000, 48), Wave("c", 0.5, 72)];
        var members = Planned(series, 6);
        IReadOnlyList<Series> forecastOnly = [Wave("d", 50, 12)];

        var alone = Evaluate(model, members, 5, forecastOnly, new SmoothingShare.Fixed(0));
        var combined = Evaluate(model, members, 5, forecastOnly, new SmoothingShare.Fixed(0.5));

        Assert.Null(alone.Smoothing);
        var smoothing = Assert.IsType<SmoothingCombination>(combined.Smoothing);
        Assert.Equal(new SmoothingCombination(0.5, 0, PanelForecast.MaxBaselineHistory), smoothing);
        for (var i = 0; i < 4; i++)
        {
            var values = combined.Series[i].Series.Values.Select(v => (double)v).ToArray();
            var smoothed = smoothing.Fit(values).Forecast(5);
            for (var h = 0; h < 5; h++)
            {
                Assert.Equal((alone.Series[i].Forecast[h] + smoothed[h]) / 2, combined.Series[i].Forecast[h], 9);
            }
        }

        // The interval is the combination's: its backtest errors, not the network's.
        Assert.NotEqual(alone.Interval.Upper, combined.Interval.Upper);
        Assert.NotEqual(alone.Backtested.Select(s => s.Model!.MeanMase), combined.Backtested.Select(s => s.Model!.MeanMase));
    }

    /// <summary>
    /// A panel models its season as one series does, where the training part holds two of it, judged on its median series
    /// (the model carries one share and season for all): the default share follows what is modelled.
    /// </summary>
    [Theory]
    [InlineData(40, 12, 0.85)] // training parts of 32: two seasons of 12 fit, modelled
    [InlineData(25, 0, 0.25)]  // training parts of 20: a season of 12 cannot start, so it is one the smoothing cannot model
    public void A_panel_models_its_season_where_its_median_series_holds_two(int length, int modelled, double share)
    {
        using var model = ModelFactory.Create(new ModelSpec(HiddenSize: 8, Cell: CellKind.Gru, Members: 1), 3, CPU);
        Series[] series = [Wave("a", 10, length), Wave("b", 1000, length), Wave("c", 0.5, 80)];
        var outcome = Evaluate(model, Planned(series, 4, season: 12), 3);

        // Where the season is modelled, a series whose chosen form has none gets the share without a season.
        var unseasoned = modelled > 0 ? SmoothingCombination.DefaultWeight : (double?)null;
        Assert.Equal(new SmoothingCombination(share, modelled, PanelForecast.MaxBaselineHistory) { UnseasonedWeight = unseasoned }, outcome.Smoothing);
        Assert.Equal(SmoothingShare.BySeason.Why(modelled, 12, PanelForecast.MedianPart), outcome.SmoothingReason);
    }

    [Fact]
    public void A_panels_share_does_not_depend_on_which_series_comes_first()
    {
        using var model = ModelFactory.Create(new ModelSpec(HiddenSize: 8, Cell: CellKind.Gru, Members: 1), 3, CPU);

        // The first series kept no season (too short for it, as a series of dates shorter than its season is planned): the panel's is still 12.
        List<(Series, SeriesWindows)> members = [.. Planned([Wave("short", 10, 20)], 4), .. Planned([Wave("b", 1000, 80), Wave("c", 0.5, 80)], 4, season: 12)];
        foreach (var order in new[] { members, members.AsEnumerable().Reverse().ToList() })
        {
            var outcome = Evaluate(model, order, 3);
            Assert.Equal(new SmoothingCombination(SmoothingCombination.SeasonalWeight, 12, PanelForecast.MaxBaselineHistory) { UnseasonedWeight = SmoothingCombination.DefaultWeight }, outcome.Smoothing);
        }
    }

    [Fact]
    public void The_median_series_counts_the_series_forecast_without_a_backtest()
    {
        using var model = ModelFactory.Create(new ModelSpec(HiddenSize: 8, Cell: CellKind.Gru, Members: 1), 3, CPU);
        Series[] series = [Wave("a", 10, 40), Wave("b", 1000, 40), Wave("c", 0.5, 40)];
        var members = Planned(series, 4, season: 12);

        // Three backtested series (training parts of 32) and four forecast-only ones of 12 values: the median series holds 12, too few for a season of 12.
        IReadOnlyList<Series> forecastOnly = [.. Enumerable.Range(0, 4).Select(k => Wave($"new{k}", 20 + k, 12))];
        var outcome = Evaluate(model, members, 3, forecastOnly);

        Assert.Equal(new SmoothingCombination(SmoothingCombination.UnmodelledSeasonWeight, 0, PanelForecast.MaxBaselineHistory), outcome.Smoothing);
        Assert.Contains(PanelForecast.MedianPart, outcome.SmoothingReason);
    }

    [Fact]
    public void A_panel_whose_training_parts_are_all_too_short_for_smoothing_is_the_networks_alone()
    {
        using var model = ModelFactory.Create(new ModelSpec(HiddenSize: 8, Cell: CellKind.Gru, Members: 1), 3, CPU);
        PanelOutcome Run(params int[] lengths)
        {
            return Evaluate(model, Planned(lengths.Select((n, k) => Wave($"s{k}", 10 + k, n)), 4), 3, smoothing: new SmoothingShare.Fixed(1));
        }

        // Training parts under 10 values: the backtest could not measure the smoothing, so no series gets it (as one series would not).
        var tooShort = Run(11, 11, 11);
        Assert.All(tooShort.Series, s => Assert.True(s.TrainingValues < SmoothingCombination.MinimumValues, $"{s.TrainingValues}"));
        Assert.Null(tooShort.Smoothing);
        Assert.True(tooShort.SmoothingTooShort);

        // One long series: the panel combines, and the short ones are named as backtested by the network alone.
        var mixed = Run(11, 11, 60);
        Assert.NotNull(mixed.Smoothing);
        Assert.False(mixed.SmoothingTooShort);
        Assert.Equal(["s0", "s1"], mixed.UnsmoothedBacktests.Select(s => s.Name));
    }

    [Fact]
    public void A_series_ending_in_a_window_of_zeros_gets_an_interval_with_a_width()
    {
        // A window of zeros has no spread; the interval (offsets in spreads) then takes half the spread of the series' values.
        double[] values = [40, 30, 20, 10, 5, 0, 0, 0, 0];
        Assert.Equal(OnnxModelInfo.IntervalSeriesShare * OnnxModelInfo.WindowSpread(values), OnnxModelInfo.IntervalSpread(values, 9, 4));
        Assert.Equal(OnnxModelInfo.WindowSpread([40, 30, 20, 10, 5]), OnnxModelInfo.IntervalSpread(values, 5, 5)); // a window that moves keeps its own
        Assert.Equal(OnnxModelInfo.IntervalSpread(values, 7, 3), OnnxModelInfo.IntervalSpread(values[..7], 7, 3));   // only the values before the end count

        using var model = ModelFactory.Create(new ModelSpec(HiddenSize: 8, Cell: CellKind.Gru, Members: 1), 3, CPU);
        var decay = new Series("panel.csv", "decay", [.. Enumerable.Range(0, 60).Select(i => (float)Math.Max(0, 40 - i))], null, 0, ',', true);
        Series[] series = [Wave("a", 10, 60), Wave("b", 1000, 60), decay];
        var outcome = Evaluate(model, Planned(series, 4), 3);

        var last = outcome.Series.Single(s => s.Series.Name == "decay");
        Assert.All(Enumerable.Range(0, 3), h => Assert.True(last.Upper[h] - last.Lower[h] > 1e-3, $"step {h + 1}: [{last.Lower[h]}, {last.Upper[h]}] around {last.Forecast[h]}"));
    }

    /// <summary>
    /// Intermittent series (mostly zeros) beside ordinary ones: their flat windows have next to no spread, and their errors
    /// divided by it took the pooled interval of every series with them (an ordinary series near 110 got a lower bound of 0).
    /// </summary>
    [Fact]
    public void Intermittent_series_do_not_widen_the_other_series_intervals()
    {
        using var model = ModelFactory.Create(new ModelSpec(HiddenSize: 8, Cell: CellKind.Gru, Members: 1), 3, CPU);
        var random = new Random(1);
        Series Intermittent(string name) =>
            new("panel.csv", name, [.. Enumerable.Range(0, 80).Select(i => i == 0 || random.NextDouble() < 0.3 ? (float)random.Next(1, 6) : 0f)], null, 0, ',', true);
        Series[] ordinary = [Wave("a", 100, 80), Wave("b", 110, 80), Wave("c", 120, 80)];

        double Width(Series[] series)
        {
            var outcome = Evaluate(model, Planned(series, 3), 3, smoothing: new SmoothingShare.Fixed(0.5));
            var a = outcome.Series.Single(s => s.Series.Name == "a");
            return a.Upper[0] - a.Lower[0];
        }

        var alone = Width(ordinary);
        var beside = Width([.. ordinary, Intermittent("i0"), Intermittent("i1"), Intermittent("i2")]);
        Assert.True(beside < 3 * alone, $"series a's interval: {beside} wide beside intermittent series, {alone} alone");
    }
    /// <summary>
    /// A panel of mixed signs has no floor of its own; a series of it that is never negative keeps the one it would have alone:
    /// no forecast or bound below 0 (SequenceModel.Forecast applies the same rule, <see cref="Inference.ForecastInterval.FloorFor"/>).
    /// </summary>
    [Fact]
    public void A_series_never_negative_gets_no_negative_bound_beside_a_negative_series()
    {
        using var model = ModelFactory.Create(new ModelSpec(HiddenSize: 8, Cell: CellKind.Gru, Members: 1), 3, CPU);
        var random = new Random(3);
        var swing = new Series("panel.csv", "swing", [.. Enumerable.Range(0, 60).Select(i => (float)Math.Max(0, 1 + Math.Sin(i / 2.0) + (0.3 * random.NextDouble())))], null, 0, ',', true);
        var outcome = Evaluate(model, Planned([swing, Wave("below", -10, 60)], 4), 4, smoothing: new SmoothingShare.Fixed(0.5));

        var kept = outcome.Series.Single(s => s.Series.Name == "swing");
        Assert.All(kept.Lower, v => Assert.True(v >= 0, $"a lower bound of {v}"));
        Assert.All(kept.Forecast.Zip(kept.Lower, kept.Upper), x => Assert.True(x.First >= 0 && x.Second <= x.First && x.First <= x.Third, $"{x.Second} <= {x.First} <= {x.Third}"));
        Assert.Contains(0.0, kept.Lower); // the floor binds: unfloored, the interval reaches below 0
        Assert.All(outcome.Series.Single(s => s.Series.Name == "below").Upper, v => Assert.True(v < 0, $"the negative series' upper bound {v} was floored"));
    }
    /// <summary>Each series takes the share for its own chosen form; the outcome counts those that took the share without a season.</summary>
    [Fact]
    public void Each_series_takes_the_share_of_its_own_smoothing_form()
    {
        using var model = ModelFactory.Create(new ModelSpec(HiddenSize: 8, Cell: CellKind.Gru, Members: 1), 3, CPU);
        var random = new Random(5);
        var level = 100.0;
        var walk = new Series("panel.csv", "walk", [.. Enumerable.Range(0, 96).Select(_ => (float)(level += random.NextDouble() - 0.5))], null, 0, ',', true);
        var seasonal = new Series("panel.csv", "seasonal", [.. Enumerable.Range(0, 96).Select(i => (float)(100 + (20 * Math.Sin(2 * Math.PI * i / 12)) + random.NextDouble()))], null, 0, ',', true);
        var outcome = Evaluate(model, Planned([walk, seasonal], 12, season: 12), 3);

        Assert.Equal(SmoothingCombination.DefaultWeight, outcome.Smoothing!.UnseasonedWeight);
        Assert.Equal((1, 2), outcome.Shares); // the walk shows no season, the other does
    }
}
