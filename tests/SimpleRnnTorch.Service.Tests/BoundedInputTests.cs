using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Google.Protobuf;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Onnx;
using SimpleRnnTorch.Inference;

namespace SimpleRnnTorch.Service.Tests;

/// <summary>
/// What a client can name is bounded, and a request is judged by what it says: made-up methods add no label sets
/// to /metrics, a name twice is refused, a quoted charset is UTF-8 all the same, a horizon is a whole number within
/// the served range (with one message for each way it is not).
/// </summary>
public sealed class BoundedInputTests(SeriesServiceFactory factory) : IClassFixture<SeriesServiceFactory>
{
    [Fact]
    public async Task Made_up_methods_and_paths_are_answered_and_counted_under_one_label_each()
    {
        // Not the checked client: 501 is the framework-wide answer to a method HTTP does not define, not an operation's.
        using var client = factory.CreateClient();

        await SendMadeUpAsync(client, "FIRST");
        var first = await client.GetStringAsync(new Uri("/metrics", UriKind.Relative));
        await SendMadeUpAsync(client, "SECOND");
        var second = await client.GetStringAsync(new Uri("/metrics", UriKind.Relative));

        foreach (var text in new[] { "FIRST", "SECOND", "made-up", "no-such-path" })
        {
            Assert.DoesNotContain(text, second, StringComparison.Ordinal);
        }

        Assert.Contains("""http_requests_received_total{code="501",method="OTHER",controller="",action="",endpoint=""} 80""", second, StringComparison.Ordinal);
        Assert.Contains("""http_requests_received_total{code="404",method="GET",controller="",action="",endpoint=""} 80""", second, StringComparison.Ordinal);

        // 80 more made-up methods and paths: the same label sets, so not one line more.
        Assert.Equal(Lines(first), Lines(second));
    }

    /// <summary>40 requests with made-up methods (to /predict and to made-up paths), 40 GETs of made-up paths.</summary>
    private static async Task SendMadeUpAsync(HttpClient client, string prefix)
    {
        for (var i = 0; i < 40; i++)
        {
            using var request = new HttpRequestMessage(new HttpMethod($"{prefix}{i}"), new Uri(i % 2 == 0 ? "/predict" : $"/no-such-path-{prefix}{i}", UriKind.Relative));
            using var response = await client.SendAsync(request);

            Assert.Equal(HttpStatusCode.NotImplemented, response.StatusCode);
            Assert.Equal("application/problem+json", Http.MediaType(response));
            Assert.Contains($"the method '{prefix}{i}' is not implemented", (await Http.ReadJsonAsync(response)).GetProperty("detail").GetString(), StringComparison.Ordinal);
        }

        for (var i = 0; i < 40; i++)
        {
            using var response = await client.GetAsync(new Uri($"/made-up/{prefix}{i}", UriKind.Relative));
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        }
    }

    [Theory]
    [InlineData("/predict", """{"sequences": [[1, 2, 3]], "sequences": [[50, 60, 70]]}""", "sequences")]
    [InlineData("/forecast", """{"values": [50, 60, 70], "horizon": 1, "horizon": 5}""", "horizon")]
    [InlineData("/predict", """{"sequences": [[50, 60, 70]], "x": {"a": 1, "a": 2}}""", "a")]
    public async Task A_name_twice_in_one_object_is_refused(string path, string body, string name)
    {
        using var client = factory.CreateCheckedClient();

        using var response = await client.PostAsync(new Uri(path, UriKind.Relative), Http.Json(body));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.StartsWith($"the body names \"{name}\" more than once in one object", (await Http.ReadJsonAsync(response)).GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_same_name_in_two_objects_is_no_duplicate()
    {
        using var client = factory.CreateCheckedClient();

        using var response = await client.PostAsync(new Uri("/predict", UriKind.Relative),
            Http.Json("""{"sequences": [[50, 60, 70]], "meta": {"sequences": 1}}"""));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("application/json; charset=\"utf-8\"", HttpStatusCode.OK)]
    [InlineData("application/json; charset=\"UTF-8\"", HttpStatusCode.OK)]
    [InlineData("application/json;charset=utf-8", HttpStatusCode.OK)]
    [InlineData("application/json; charset=\"latin1\"", HttpStatusCode.UnsupportedMediaType)]
    public async Task A_quoted_charset_is_read_as_the_same_charset(string contentType, HttpStatusCode expected)
    {
        using var client = factory.CreateCheckedClient();
        using var content = new ByteArrayContent(Encoding.UTF8.GetBytes("""{"sequences": [[50, 60, 70]]}"""));
        content.Headers.TryAddWithoutValidation("Content-Type", contentType);

        using var response = await client.PostAsync(new Uri("/predict", UriKind.Relative), content);

        Assert.Equal(expected, response.StatusCode);
    }

    public static TheoryData<string, string> BadHorizons => new()
    {
        { "2.5", "\"horizon\" must be a whole number of steps, not 2.5" },
        { "1e-3", "\"horizon\" must be a whole number of steps, not 1e-3" },
        { "1e9", "the horizon is 1e9; this model forecasts 1 to 5 steps" },
        { "-3", "the horizon is -3; this model forecasts 1 to 5 steps" },
        { "1e400", "the horizon is 1e400; this model forecasts 1 to 5 steps" },
        { "99999999999999999999999", "the horizon is 99999999999999999999999; this model forecasts 1 to 5 steps" },
    };

    [Theory]
    [MemberData(nameof(BadHorizons))]
    public async Task A_horizon_that_is_not_whole_and_one_out_of_range_are_told_apart(string horizon, string expected)
    {
        using var client = factory.CreateCheckedClient();

        using var response = await client.PostAsync(new Uri("/forecast", UriKind.Relative), Http.Json($$"""{"values": [50, 60, 70], "horizon": {{horizon}}}"""));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.StartsWith(expected, (await Http.ReadJsonAsync(response)).GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_whole_horizon_written_with_a_fraction_or_an_exponent_is_that_number()
    {
        using var client = factory.CreateCheckedClient();

        var answers = new List<string>();
        foreach (var horizon in new[] { "3", "3.0", "3e0", "0.3e1" })
        {
            using var response = await client.PostAsync(new Uri("/forecast", UriKind.Relative), Http.Json($$"""{"values": [50, 60, 70], "horizon": {{horizon}}}"""));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            answers.Add(await response.Content.ReadAsStringAsync());
        }

        Assert.Single(answers.Distinct());
    }

    [Fact]
    public async Task The_service_cap_bounds_the_horizon_below_what_the_model_measured()
    {
        using var capped = factory.WithWebHostBuilder(b => b.UseSetting("Limits:MaxForecastHorizon", "3"));
        using var client = capped.CreateCheckedClient();

        using var health = await client.GetAsync(new Uri("/health", UriKind.Relative));
        using var within = await client.PostAsync(new Uri("/forecast", UriKind.Relative), Http.Json("""{"values": [50, 60, 70], "horizon": 3}"""));
        using var beyond = await client.PostAsync(new Uri("/forecast", UriKind.Relative), Http.Json("""{"values": [50, 60, 70], "horizon": 4}"""));

        Assert.Equal(3, (await Http.ReadJsonAsync(health)).GetProperty("model").GetProperty("maxHorizon").GetInt32());
        Assert.Equal(HttpStatusCode.OK, within.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, beyond.StatusCode);
        Assert.Equal("the horizon is 4; this service forecasts 1 to 3 steps (Limits:MaxForecastHorizon; the model's horizon is 5)",
            (await Http.ReadJsonAsync(beyond)).GetProperty("detail").GetString());
    }

    [Theory]
    [InlineData("0")]
    [InlineData("100001")]
    public void A_forecast_cap_out_of_range_stops_the_service(string value)
    {
        using var bad = factory.WithWebHostBuilder(b => b.UseSetting("Limits:MaxForecastHorizon", value));

        var error = Assert.Throws<ServiceConfigurationException>(() => bad.CreateClient());

        Assert.Equal("Limits:MaxForecastHorizon must be 1 to 100000 steps", error.Message);
    }

    private static int Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length;
}

/// <summary>A model whose graph gives NaN for every input (its head's bias): the service's fault, not the client's.</summary>
public sealed class BrokenModelTests : IDisposable
{
    private readonly string path = Path.Combine(Path.GetTempPath(), $"nan-{Guid.NewGuid():N}.onnx");
    private readonly WebApplicationFactory<Program> factory;

    public BrokenModelTests()
    {
        using (var series = SeriesModelFile.Create())
        {
            var model = ModelProto.Parser.ParseFrom(File.ReadAllBytes(series.Path));
            var bias = model.Graph.Initializer.Single(t => t.Name == "head.bias");
            bias.FloatData[0] = float.NaN;
            // Edited by hand, without a checksum (one would refuse it at load: ModelMetadataTests).
            model.MetadataProps.Remove(model.MetadataProps.Single(p => p.Key == OnnxModelInfo.GraphSha256Key));
            File.WriteAllBytes(path, model.ToByteArray());
        }

        factory = new ServiceFactory().WithWebHostBuilder(b => b.UseSetting("Model:Path", path));
    }

    public void Dispose()
    {
        factory.Dispose();
        File.Delete(path);
    }

    [Theory]
    [InlineData("/predict", """{"sequences": [[50, 60, 70]]}""")]
    [InlineData("/forecast", """{"values": [50, 60, 70], "horizon": 2}""")]
    public async Task A_model_that_gives_NaN_is_a_500_problem(string endpoint, string body)
    {
        using var client = factory.CreateCheckedClient();

        using var response = await client.PostAsync(new Uri(endpoint, UriKind.Relative), Http.Json(body));

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("application/problem+json", Http.MediaType(response));
        Assert.StartsWith("the loaded model gives no finite prediction (NaN for a window of ones)", (await Http.ReadJsonAsync(response)).GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bad_request_to_a_broken_model_is_still_the_clients_400()
    {
        using var client = factory.CreateCheckedClient();

        using var response = await client.PostAsync(new Uri("/predict", UriKind.Relative), Http.Json("""{"sequences": [[50, 60]]}"""));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Readiness_is_503_while_liveness_stays_200()
    {
        using var client = factory.CreateClient();

        using var ready = await client.GetAsync(new Uri("/health/ready", UriKind.Relative));
        using var live = await client.GetAsync(new Uri("/health/live", UriKind.Relative));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
    }
}
