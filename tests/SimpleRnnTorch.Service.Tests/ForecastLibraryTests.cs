using SimpleRnnTorch.Inference;

namespace SimpleRnnTorch.Service.Tests;

/// <summary>SequenceModel.Forecast and the series metadata contract of OnnxModelInfo, in the inference library.</summary>
public sealed class ForecastLibraryTests
{
    [Fact]
    public void The_forecast_is_repeated_Predict_calls_with_each_prediction_fed_back()
    {
        using var file = SeriesModelFile.Create();
        using var model = SequenceModel.Load(file.Path);
        double[] history = [10, 20, 30, 40, 50, 60, 70];

        var forecast = model.Forecast(history, 5);

        var window = new List<double>(history[^3..]);
        for (var h = 0; h < 5; h++)
        {
            var next = model.Predict(window.ToArray());
            Assert.Equal(next, forecast.Point[h]);
            Assert.Equal(next + SeriesModelFile.Lower[h], forecast.Lower[h]);
            Assert.Equal(next + SeriesModelFile.Upper[h], forecast.Upper[h]);
            window.RemoveAt(0);
            window.Add(next);
        }

        Assert.Equal(0.8, forecast.Level);

        // The lesson's model continues an arithmetic sequence: 80, 90, ... within a few units.
        Assert.InRange(forecast.Point[0], 79, 81);
        Assert.True(forecast.Point[4] > forecast.Point[3] && forecast.Point[3] > forecast.Point[0]);
    }

    [Fact]
    public void A_floor_in_the_metadata_keeps_every_bound_at_or_above_it()
    {
        // The shipped lesson model continues 50, 60, 70 with about 80; a floor of 79 is above 80 − 1.5 and below 80 + 1.
        using var file = SeriesModelFile.With(new Dictionary<string, string?>
        {
            [OnnxModelInfo.SeriesKey] = "true",
            [OnnxModelInfo.IntervalLevelKey] = "0.8",
            [OnnxModelInfo.IntervalLowerKey] = SeriesModelFile.Join(SeriesModelFile.Lower),
            [OnnxModelInfo.IntervalUpperKey] = SeriesModelFile.Join(SeriesModelFile.Upper),
            [OnnxModelInfo.IntervalFloorKey] = "79",
        });
        using var model = SequenceModel.Load(file.Path);

        var forecast = model.Forecast([50, 60, 70], 1);

        Assert.Equal(79, model.Info.Forecast!.Floor);
        Assert.Equal("79", model.Info.ToMetadata()[OnnxModelInfo.IntervalFloorKey]);
        Assert.Equal(79, forecast.Lower[0]);
        Assert.Equal(forecast.Point[0] + SeriesModelFile.Upper[0], forecast.Upper[0]);
    }

    /// <summary>The shipped model with the series keys and a combination with exponential smoothing (weight, season, history).</summary>
    private static SeriesModelFile Combined(string weight, string season = "0", string history = "40") => SeriesModelFile.With(new Dictionary<string, string?>
    {
        [OnnxModelInfo.SeriesKey] = "true",
        [OnnxModelInfo.IntervalLevelKey] = "0.8",
        [OnnxModelInfo.IntervalLowerKey] = SeriesModelFile.Join(SeriesModelFile.Lower),
        [OnnxModelInfo.IntervalUpperKey] = SeriesModelFile.Join(SeriesModelFile.Upper),
        [OnnxModelInfo.SmoothingWeightKey] = weight,
        [OnnxModelInfo.SmoothingSeasonKey] = season,
        [OnnxModelInfo.SmoothingHistoryKey] = history,
    });

    /// <summary>A combined model (<see cref="Combined"/>) beside the same network without the combination, both loaded.</summary>
    private static ModelPair CombinedAndAlone(string weight)
    {
        var (combined, alone) = (Combined(weight), SeriesModelFile.Create());
        return new ModelPair(SequenceModel.Load(combined.Path), SequenceModel.Load(alone.Path), combined, alone);
    }

    private sealed record ModelPair(SequenceModel Combined, SequenceModel Network, SeriesModelFile CombinedFile, SeriesModelFile NetworkFile) : IDisposable
    {
        public void Dispose()
        {
            Combined.Dispose();
            Network.Dispose();
            CombinedFile.Dispose();
            NetworkFile.Dispose();
        }
    }

    [Fact]
    public void A_combined_model_forecasts_the_weighted_mean_of_the_network_and_smoothing_fitted_on_the_values_given()
    {
        using var pair = CombinedAndAlone("0.25");
        var (model, network) = (pair.Combined, pair.Network);
        var history = Enumerable.Range(0, 60).Select(t => 10.0 * t + (t % 3)).ToArray();

        var forecast = model.Forecast(history, 5);

        var smoothing = model.Info.Forecast!.Smoothing!;
        Assert.Equal(new SmoothingCombination(0.25, 0, 40), smoothing);
        var alone = network.Forecast(history, 5).Point;
        var smoothed = ExponentialSmoothing.Select(history[^40..], null).Forecast(5);
        for (var h = 0; h < 5; h++)
        {
            Assert.Equal((0.75 * alone[h]) + (0.25 * smoothed[h]), forecast.Point[h], 9);
            Assert.Equal(forecast.Point[h] + SeriesModelFile.Lower[h], forecast.Lower[h], 9);
        }

        // The smoothing sees the series, not only the network's window: an earlier past changes the forecast.
        var changed = history.ToArray();
        changed[25] += 100;
        Assert.NotEqual(forecast.Point[0], model.Forecast(changed, 5).Point[0]);
        Assert.Equal("0.25", model.Info.ToMetadata()[OnnxModelInfo.SmoothingWeightKey]);
    }

    [Fact]
    public void Fewer_values_than_smoothing_needs_get_the_networks_forecast_as_in_the_run()
    {
        using var pair = CombinedAndAlone("0.5");
        var (model, network) = (pair.Combined, pair.Network);

        Assert.Equal(network.Forecast([40, 50, 60, 70, 80], 2).Point, model.Forecast([40, 50, 60, 70, 80], 2).Point);
        Assert.NotEqual(network.Forecast([.. Enumerable.Range(0, 10).Select(t => 10.0 * t)], 2).Point, model.Forecast([.. Enumerable.Range(0, 10).Select(t => 10.0 * t)], 2).Point);
    }

    [Theory]
    [InlineData("1.5", "0", "40", "its weight 1.5 is not in [0, 1]")]
    [InlineData("x", "0", "40", "no valid 'smoothing_weight'")]
    [InlineData("0.5", "52", "40", "its season 52 is not in 0..24")]
    [InlineData("0.5", "0", "3", "its history 3 is not in 10..10000")]
    [InlineData("0.5", "0", "100000", "its history 100000 is not in 10..10000")]
    public void A_model_with_bad_smoothing_metadata_is_refused_at_load(string weight, string season, string history, string expected)
    {
        using var file = Combined(weight, season, history);

        var error = Assert.Throws<OnnxModelException>(() => SequenceModel.Load(file.Path));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Only_the_last_window_counts_without_smoothing()
    {
        using var file = SeriesModelFile.Create();
        using var model = SequenceModel.Load(file.Path);

        var longer = model.Forecast([-500, 12345, 50, 60, 70], 3);
        var exact = model.Forecast([50, 60, 70], 3);

        Assert.Equal(exact.Point, longer.Point);
    }

    [Fact]
    public void The_metadata_gives_the_interval_and_the_longest_horizon()
    {
        using var file = SeriesModelFile.Create();
        using var model = SequenceModel.Load(file.Path);

        var interval = Assert.IsType<ForecastInterval>(model.Info.Forecast);
        Assert.Equal(0.8, interval.Level);
        Assert.Equal(SeriesModelFile.Lower, interval.Lower);
        Assert.Equal(SeriesModelFile.Upper, interval.Upper);
        Assert.Equal(5, interval.MaxHorizon);
        Assert.Equal("true", model.Info.ToMetadata()[OnnxModelInfo.SeriesKey]);
        Assert.Equal(SeriesModelFile.Join(SeriesModelFile.Lower), model.Info.ToMetadata()[OnnxModelInfo.IntervalLowerKey]);
    }

    [Fact]
    public void A_model_that_is_not_a_series_model_refuses_to_forecast()
    {
        using var model = SequenceModel.Load(SeriesModelFile.ShippedModel);

        Assert.Null(model.Info.Forecast);
        Assert.False(model.Info.ToMetadata().ContainsKey(OnnxModelInfo.SeriesKey));
        var error = Assert.Throws<ForecastException>(() => model.Forecast([50, 60, 70], 1));
        Assert.Contains("not trained on a series", error.Message, StringComparison.Ordinal);
    }

    public static TheoryData<double[], int, string> BadForecasts => new()
    {
        { [50, 60, 70], 0, "the horizon is 0; this model forecasts 1 to 5 steps" },
        { [50, 60, 70], 6, "the horizon is 6; this model forecasts 1 to 5 steps" },
        { [60, 70], 1, "2 value(s) given; the model needs at least the last 3 values" },
        { [], 1, "0 value(s) given" },
        { [50, double.NaN, 70], 1, "value 1 is not a finite number" },
        { [50, 60, double.PositiveInfinity], 1, "value 2 is not a finite number" },
        { [1e39, 60, 70], 1, "value 0 (1E+39) is beyond float32's range" },
    };

    [Theory]
    [MemberData(nameof(BadForecasts))]
    public void A_forecast_that_cannot_be_made_says_why(double[] values, int horizon, string expected)
    {
        using var file = SeriesModelFile.Create();
        using var model = SequenceModel.Load(file.Path);

        var error = Assert.Throws<ForecastException>(() => model.Forecast(values, horizon));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    public static TheoryData<string, string?, string> BadSeriesMetadata => new()
    {
        { OnnxModelInfo.IntervalLevelKey, null, "no valid 'interval_level'" },
        { OnnxModelInfo.IntervalLevelKey, "80", "no valid 'interval_level'" },
        { OnnxModelInfo.IntervalLowerKey, null, "has no 'interval_lower'" },
        { OnnxModelInfo.IntervalUpperKey, "1,2", "'interval_lower' has 5 values and 'interval_upper' 2" },
        { OnnxModelInfo.IntervalUpperKey, "1,2,x,4,5", "'interval_upper' value 3 ('x') is not a finite number" },
        { OnnxModelInfo.IntervalLowerKey, "-1,-2,NaN,-4,-5", "'interval_lower' value 3 ('NaN') is not a finite number" },
        { OnnxModelInfo.IntervalFloorKey, "zero", "'interval_floor' is not a finite number" },
        { OnnxModelInfo.IntervalFloorKey, "1e300", "'interval_floor' is not a finite number" },
        { OnnxModelInfo.SmoothingUnseasonedWeightKey, "0.5", "no valid 'smoothing_weight'" }, // a share without a season, and no combination
    };

    [Theory]
    [MemberData(nameof(BadSeriesMetadata))]
    public void A_series_model_with_bad_interval_metadata_is_refused_at_load(string key, string? value, string expected)
    {
        using var good = SeriesModelFile.Create();
        var changes = new Dictionary<string, string?>
        {
            [OnnxModelInfo.SeriesKey] = "true",
            [OnnxModelInfo.IntervalLevelKey] = "0.8",
            [OnnxModelInfo.IntervalLowerKey] = SeriesModelFile.Join(SeriesModelFile.Lower),
            [OnnxModelInfo.IntervalUpperKey] = SeriesModelFile.Join(SeriesModelFile.Upper),
        };
        changes[key] = value;
        using var file = SeriesModelFile.With(changes);

        var error = Assert.Throws<OnnxModelException>(() => SequenceModel.Load(file.Path));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Interval_keys_without_the_series_mark_make_no_series_model()
    {
        using var file = SeriesModelFile.With(new Dictionary<string, string?>
        {
            [OnnxModelInfo.SeriesKey] = "false",
            [OnnxModelInfo.IntervalLevelKey] = "0.8",
            [OnnxModelInfo.IntervalLowerKey] = "-1",
            [OnnxModelInfo.IntervalUpperKey] = "1",
        });
        using var model = SequenceModel.Load(file.Path);

        Assert.Null(model.Info.Forecast);
    }
}
