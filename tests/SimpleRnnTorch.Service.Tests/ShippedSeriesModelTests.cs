using System.Net;
using Microsoft.AspNetCore.Hosting;

namespace SimpleRnnTorch.Service.Tests;

/// <summary>
/// The service over the shipped series.onnx (a GRU trained on data/nile.csv, ratio-scaled, interval measured
/// over 10 steps), named as the README names it: a path relative to the content root.
/// </summary>
public sealed class ShippedSeriesServiceFactory : ServiceFactory
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Model:Path", "series.onnx");
    }
}

public sealed class ShippedSeriesModelTests(ShippedSeriesServiceFactory factory) : IClassFixture<ShippedSeriesServiceFactory>
{
    /// <summary>The last 12 values of data/nile.csv, 1959 to 1970.</summary>
    private const string NileTail = "975, 815, 1020, 906, 901, 1170, 912, 746, 919, 718, 714, 740";

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    [InlineData(10)]
    public async Task A_forecast_on_Nile_values_has_H_values_each_within_its_interval(int horizon)
    {
        using var client = factory.CreateCheckedClient();

        using var response = await client.PostAsync(new Uri("/forecast", UriKind.Relative), Http.Json($$"""{"values": [{{NileTail}}], "horizon": {{horizon}}}"""));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var json = await Http.ReadJsonAsync(response);
        var forecast = json.GetProperty("forecast").EnumerateArray().Select(v => v.GetDouble()).ToArray();
        var lower = json.GetProperty("lower").EnumerateArray().Select(v => v.GetDouble()).ToArray();
        var upper = json.GetProperty("upper").EnumerateArray().Select(v => v.GetDouble()).ToArray();
        Assert.Equal(horizon, forecast.Length);
        Assert.Equal(horizon, lower.Length);
        Assert.Equal(horizon, upper.Length);
        for (var h = 0; h < horizon; h++)
        {
            Assert.True(double.IsFinite(forecast[h]), $"step {h + 1}: {forecast[h]}");
            Assert.True(lower[h] <= forecast[h] && forecast[h] <= upper[h], $"step {h + 1}: {lower[h]} <= {forecast[h]} <= {upper[h]}");
            Assert.True(upper[h] > lower[h], $"step {h + 1}: an empty interval [{lower[h]}, {upper[h]}]");
        }

        // The Nile's annual flow stayed between 456 and 1370 over 1871-1970: a forecast far outside is not this model.
        Assert.All(forecast, v => Assert.InRange(v, 400, 1500));
        Assert.Equal(0.8, json.GetProperty("level").GetDouble());
    }

    [Fact]
    public async Task Health_says_a_series_model_of_12_steps_forecasting_up_to_10()
    {
        using var client = factory.CreateCheckedClient();

        using var response = await client.GetAsync(new Uri("/health", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var model = (await Http.ReadJsonAsync(response)).GetProperty("model");
        Assert.True(model.GetProperty("series").GetBoolean());
        Assert.Equal(10, model.GetProperty("maxHorizon").GetInt32());
        Assert.Equal(12, model.GetProperty("timeSteps").GetInt32());
        Assert.Equal("gru", model.GetProperty("cell").GetString());
    }

    public static TheoryData<string, string> Refused => new()
    {
        { $$"""{"values": [{{NileTail}}], "horizon": 11}""", "the horizon is 11; this model forecasts 1 to 10 steps" },
        { """{"values": [975, 815, 1020, 906, 901, 1170, 912, 746, 919, 718, 714, 0], "horizon": 3}""", "its last value is 0; this model scales each window by its last value (a ratio) and needs it positive" },
        { """{"values": [975, 815, 1020, 906, 901, 1170, 912, 746, 919, 718, 714, -740], "horizon": 1}""", "its last value is -740" },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public async Task A_horizon_past_10_or_a_window_not_ending_in_a_positive_value_is_a_400_problem(string body, string expected)
    {
        using var client = factory.CreateCheckedClient();

        using var response = await client.PostAsync(new Uri("/forecast", UriKind.Relative), Http.Json(body));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", Http.MediaType(response));
        var problem = await Http.ReadJsonAsync(response);
        Assert.Equal(400, problem.GetProperty("status").GetInt32());
        Assert.Contains(expected, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }
}
