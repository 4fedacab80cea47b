using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using SimpleRnnTorch.Inference;

namespace SimpleRnnTorch.Service.Tests;

/// <summary>The service over a model file made for the tests (<see cref="SeriesModelFile"/>), deleted with the factory.</summary>
public abstract class SeriesModelServiceFactory : ServiceFactory
{
    private readonly SeriesModelFile file;

    private protected SeriesModelServiceFactory(SeriesModelFile file) => this.file = file;

    public string ModelPath => file.Path;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Model:Path", file.Path);
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        file.Dispose();
    }
}

/// <summary>The service over a series model: the shipped model with the forecast metadata added.</summary>
public sealed class SeriesServiceFactory() : SeriesModelServiceFactory(SeriesModelFile.Create());

public sealed class ForecastEndpointTests(SeriesServiceFactory factory) : IClassFixture<SeriesServiceFactory>
{
    [Fact]
    public async Task A_forecast_is_the_library_forecast_with_its_interval()
    {
        using var client = factory.CreateCheckedClient();

        using var response = await client.PostAsync(new Uri("/forecast", UriKind.Relative), Http.Json("""{"values": [30, 40, 50, 60, 70], "horizon": 4}"""));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var json = await Http.ReadJsonAsync(response);
        using var model = SequenceModel.Load(factory.ModelPath);
        var expected = model.Forecast([30, 40, 50, 60, 70], 4);
        Assert.Equal(expected.Point, json.GetProperty("forecast").EnumerateArray().Select(v => v.GetDouble()));
        Assert.Equal(expected.Lower, json.GetProperty("lower").EnumerateArray().Select(v => v.GetDouble()));
        Assert.Equal(expected.Upper, json.GetProperty("upper").EnumerateArray().Select(v => v.GetDouble()));
        Assert.Equal(0.8, json.GetProperty("level").GetDouble());
        Assert.Equal("none", json.GetProperty("smoothing").GetString()); // this model's run combined no smoothing
    }

    [Fact]
    public async Task Health_says_the_model_forecasts_and_how_far()
    {
        using var client = factory.CreateCheckedClient();

        using var response = await client.GetAsync(new Uri("/health", UriKind.Relative));

        var model = (await Http.ReadJsonAsync(response)).GetProperty("model");
        Assert.True(model.GetProperty("series").GetBoolean());
        Assert.Equal(5, model.GetProperty("maxHorizon").GetInt32());
        Assert.Equal(0.8, model.GetProperty("intervalLevel").GetDouble());
    }

    public static TheoryData<string, string> BadForecasts => new()
    {
        { """{"values": [50, 60, 70], "horizon": 6}""", "the horizon is 6; this model forecasts 1 to 5 steps" },
        { """{"values": [50, 60, 70], "horizon": 0}""", "the horizon is 0" },
        { """{"values": [60, 70], "horizon": 1}""", "2 value(s) given; the model needs at least the last 3 values" },
        { """{"values": [50, 60, 1e400], "horizon": 1}""", "value 2 is not a finite number" },
        { """{"values": [50, 60, 1e39], "horizon": 1}""", "value 2 (1E+39) is beyond float32's range" },
        { """{"values": [50, "60", 70], "horizon": 1}""", "\"values\"[1] is a string; every value must be a number" },
        { """{"values": [50, 60, 70], "horizon": 1.5}""", "\"horizon\" must be a whole number of steps, not 1.5" },
        { """{"values": [50, 60, 70], "horizon": "3"}""", "\"horizon\" must be a whole number of steps, not a string" },
        { """{"values": "50,60,70", "horizon": 1}""", "\"values\" must be an array of numbers, not a string" },
        { """{"values": [50, 60, 70]}""", "an object with a \"values\" array and a \"horizon\"" },
        { """[50, 60, 70]""", "an object with a \"values\" array and a \"horizon\"" },
        { """{"values": [50, 60, 70], "horizon": """, "not valid JSON" },
    };

    [Theory]
    [MemberData(nameof(BadForecasts))]
    public async Task A_bad_forecast_request_is_a_400_problem(string body, string expected)
    {
        using var client = factory.CreateCheckedClient();

        using var response = await client.PostAsync(new Uri("/forecast", UriKind.Relative), Http.Json(body));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", Http.MediaType(response));
        Assert.Contains(expected, (await Http.ReadJsonAsync(response)).GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_model_that_is_not_a_series_model_answers_400()
    {
        using var plain = new ServiceFactory();
        using var client = plain.CreateCheckedClient();

        using var response = await client.PostAsync(new Uri("/forecast", UriKind.Relative), Http.Json("""{"values": [50, 60, 70], "horizon": 1}"""));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("not trained on a series", (await Http.ReadJsonAsync(response)).GetProperty("detail").GetString(), StringComparison.Ordinal);
    }
}

/// <summary>The service over a series model that combines the network with exponential smoothing.</summary>
public sealed class CombinedSeriesServiceFactory() : SeriesModelServiceFactory(SeriesModelFile.With(new Dictionary<string, string?>
{
    [OnnxModelInfo.SeriesKey] = "true",
    [OnnxModelInfo.IntervalLevelKey] = "0.8",
    [OnnxModelInfo.IntervalLowerKey] = SeriesModelFile.Join(SeriesModelFile.Lower),
    [OnnxModelInfo.IntervalUpperKey] = SeriesModelFile.Join(SeriesModelFile.Upper),
    [OnnxModelInfo.SmoothingWeightKey] = "0.5",
    [OnnxModelInfo.SmoothingSeasonKey] = "4",
    [OnnxModelInfo.SmoothingHistoryKey] = "1000",
}));

public sealed class CombinedForecastEndpointTests(CombinedSeriesServiceFactory factory) : IClassFixture<CombinedSeriesServiceFactory>
{
    [Fact]
    public async Task A_combined_models_forecast_is_the_library_forecast_of_the_values_sent()
    {
        using var client = factory.CreateCheckedClient();
        var values = Enumerable.Range(0, 24).Select(t => 50.0 + (2 * t) + (t % 4 == 0 ? 6 : 0)).ToArray();
        var body = $$"""{"values": [{{string.Join(", ", values.Select(v => v.ToString(System.Globalization.CultureInfo.InvariantCulture)))}}], "horizon": 5}""";

        using var response = await client.PostAsync(new Uri("/forecast", UriKind.Relative), Http.Json(body));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var json = await Http.ReadJsonAsync(response);
        using var model = SequenceModel.Load(factory.ModelPath);
        var expected = model.Forecast(values, 5);
        Assert.NotNull(model.Info.Forecast!.Smoothing);
        Assert.Equal(expected.Point, json.GetProperty("forecast").EnumerateArray().Select(v => v.GetDouble()));
        Assert.Equal(expected.Upper, json.GetProperty("upper").EnumerateArray().Select(v => v.GetDouble()));
        Assert.Equal((SmoothingUse.Combined, "combined"), (expected.Smoothing, json.GetProperty("smoothing").GetString()));
    }

    [Fact]
    public async Task Too_few_values_for_the_smoothing_get_the_networks_forecast_and_say_so()
    {
        using var client = factory.CreateCheckedClient();

        using var response = await client.PostAsync(new Uri("/forecast", UriKind.Relative), Http.Json("""{"values": [50, 60, 70], "horizon": 1}"""));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var model = SequenceModel.Load(factory.ModelPath);
        var json = await Http.ReadJsonAsync(response);
        Assert.Equal(model.Predict([50, 60, 70]), json.GetProperty("forecast")[0].GetDouble());
        Assert.Equal("too-few-values", json.GetProperty("smoothing").GetString());
        Assert.Equal(SmoothingUse.TooFewValues, model.Forecast([50, 60, 70], 1).Smoothing);
    }
}
