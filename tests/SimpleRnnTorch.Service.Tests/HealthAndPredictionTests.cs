using System.Net;

namespace SimpleRnnTorch.Service.Tests;

public sealed class HealthAndPredictionTests(ServiceFactory factory) : IClassFixture<ServiceFactory>
{
    [Fact]
    public async Task Health_reports_the_model_and_the_batch_limit()
    {
        using var client = factory.CreateCheckedClient();

        using var response = await client.GetAsync(new Uri("/health", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", Http.MediaType(response));
        var json = await Http.ReadJsonAsync(response);
        Assert.Equal("ok", json.GetProperty("status").GetString());
        var model = json.GetProperty("model");
        Assert.Equal("rnn", model.GetProperty("cell").GetString());
        Assert.Equal(3, model.GetProperty("timeSteps").GetInt32());
        Assert.Equal(1, model.GetProperty("features").GetInt32());
        Assert.Equal(3, model.GetProperty("sequenceLength").GetInt32());
        Assert.Equal(0, model.GetProperty("scaleOffset").GetDouble());
        Assert.Equal(100, model.GetProperty("scaleDivisor").GetDouble());
        Assert.Equal(4096, json.GetProperty("maxSequences").GetInt32());
    }

    [Fact]
    public async Task The_lesson_sequence_continues_to_80()
    {
        using var client = factory.CreateCheckedClient();

        using var response = await client.PostAsync(new Uri("/predict", UriKind.Relative), Http.Json("""{"sequences": [[50, 60, 70]]}"""));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var predictions = (await Http.ReadJsonAsync(response)).GetProperty("predictions");
        Assert.Equal(1, predictions.GetArrayLength());
        Assert.InRange(predictions[0].GetDouble(), 79.5, 80.5);
    }

    [Fact]
    public async Task A_batch_is_answered_in_order()
    {
        using var client = factory.CreateCheckedClient();

        using var response = await client.PostAsync(new Uri("/predict", UriKind.Relative),
            Http.Json("""{"sequences": [[50, 60, 70], [10, 20, 30], [50.0, 60, 70], [30, 40, 50]]}"""));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var predictions = (await Http.ReadJsonAsync(response)).GetProperty("predictions");
        Assert.Equal(4, predictions.GetArrayLength());
        Assert.InRange(predictions[0].GetDouble(), 79.5, 80.5);
        Assert.InRange(predictions[1].GetDouble(), 39.5, 40.5);
        Assert.Equal(predictions[0].GetDouble(), predictions[2].GetDouble());
        Assert.InRange(predictions[3].GetDouble(), 59.5, 60.5);
    }

    [Fact]
    public async Task A_batch_at_the_limit_is_accepted()
    {
        using var client = factory.CreateCheckedClient();

        using var response = await client.PostAsync(new Uri("/predict", UriKind.Relative), Http.Json(Http.Sequences(4096)));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var predictions = (await Http.ReadJsonAsync(response)).GetProperty("predictions");
        Assert.Equal(4096, predictions.GetArrayLength());
        Assert.All(predictions.EnumerateArray(), p => Assert.Equal(predictions[0].GetDouble(), p.GetDouble()));
    }

    [Fact]
    public async Task Concurrent_requests_share_one_model()
    {
        using var client = factory.CreateCheckedClient();

        var responses = await Task.WhenAll(Enumerable.Range(0, 32).Select(async i =>
        {
            using var response = await client.PostAsync(new Uri("/predict", UriKind.Relative), Http.Json($$"""{"sequences": [[{{i}}, {{i + 10}}, {{i + 20}}]]}"""));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            return (await Http.ReadJsonAsync(response)).GetProperty("predictions")[0].GetDouble();
        }));

        for (var i = 0; i < responses.Length; i++)
        {
            Assert.InRange(responses[i], i + 30 - 1.0, i + 30 + 1.0);
        }
    }

    [Fact]
    public void The_service_carries_no_TorchSharp_or_libtorch()
    {
        var files = Directory.EnumerateFiles(AppContext.BaseDirectory, "*", SearchOption.AllDirectories).Select(Path.GetFileName).ToList();

        Assert.Contains("SimpleRnnTorch.Service.dll", files);
        Assert.DoesNotContain(files, f => f!.StartsWith("TorchSharp", StringComparison.OrdinalIgnoreCase)
            || f.Contains("libtorch", StringComparison.OrdinalIgnoreCase) || f.StartsWith("libc10", StringComparison.Ordinal));
    }
}
