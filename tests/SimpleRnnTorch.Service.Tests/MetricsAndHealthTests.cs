using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace SimpleRnnTorch.Service.Tests;

/// <summary>GET /metrics in Prometheus' text format, and the framework's liveness and readiness checks.</summary>
public sealed partial class MetricsAndHealthTests(SeriesServiceFactory factory) : IClassFixture<SeriesServiceFactory>
{
    [Fact]
    public async Task Metrics_count_requests_by_endpoint_and_status_and_time_the_model()
    {
        using var client = factory.CreateCheckedClient();
        var before = await ScrapeAsync(client);

        foreach (var body in new[] { """{"sequences": [[50, 60, 70]]}""", """{"sequences": [[1, 2, 3], [4, 5, 6], [7, 8, 9], [10, 11, 12]]}""", """{"sequences": [[50, 60, 70]]}""", """{"sequences": []}""" })
        {
            using var _ = await client.PostAsync(new Uri("/predict", UriKind.Relative), Http.Json(body));
        }

        foreach (var horizon in new[] { 2, 5 })
        {
            using var _ = await client.PostAsync(new Uri("/forecast", UriKind.Relative), Http.Json($$"""{"values": [50, 60, 70], "horizon": {{horizon}}}"""));
        }

        var after = await ScrapeAsync(client);
        double Increase(string series) => after.GetValueOrDefault(series) - before.GetValueOrDefault(series);

        Assert.Equal(3, Increase("""http_requests_received_total{code="200",method="POST",controller="",action="",endpoint="/predict"}"""));
        Assert.Equal(1, Increase("""http_requests_received_total{code="400",method="POST",controller="",action="",endpoint="/predict"}"""));
        Assert.Equal(2, Increase("""http_requests_received_total{code="200",method="POST",controller="",action="",endpoint="/forecast"}"""));
        Assert.Equal(3, Increase("""http_request_duration_seconds_count{code="200",method="POST",controller="",action="",endpoint="/predict"}"""));
        Assert.True(Increase("""http_request_duration_seconds_sum{code="200",method="POST",controller="",action="",endpoint="/predict"}""") > 0);
        Assert.Equal(3, Increase("""simplernntorch_inference_duration_seconds_count{endpoint="predict"}"""));
        Assert.Equal(2, Increase("""simplernntorch_inference_duration_seconds_count{endpoint="forecast"}"""));
        Assert.True(Increase("""simplernntorch_inference_duration_seconds_sum{endpoint="forecast"}""") > 0);
        Assert.Equal(3, Increase("simplernntorch_sequences_per_request_count"));
        Assert.Equal(6, Increase("simplernntorch_sequences_per_request_sum"));
        Assert.Equal(2, Increase("""simplernntorch_sequences_per_request_bucket{le="1"}"""));
        Assert.Equal(2, Increase("simplernntorch_forecast_horizon_steps_count"));
        Assert.Equal(7, Increase("simplernntorch_forecast_horizon_steps_sum"));
        Assert.Equal(1, after["""simplernntorch_model_info{cell="rnn",time_steps="3",features="1",hidden_size="5",layers="1",series="true",max_horizon="5"}"""]);
    }

    [Fact]
    public async Task Metrics_are_Prometheus_text_with_help_and_type_for_each_family()
    {
        using var client = factory.CreateCheckedClient();

        using var response = await client.GetAsync(new Uri("/metrics", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain", Http.MediaType(response));
        var text = await response.Content.ReadAsStringAsync();
        foreach (var family in new[] { "simplernntorch_inference_duration_seconds histogram", "simplernntorch_sequences_per_request histogram", "simplernntorch_model_info gauge", "http_requests_received_total counter", "http_request_duration_seconds histogram" })
        {
            Assert.Contains($"# TYPE {family}\n", text, StringComparison.Ordinal);
        }

        Assert.All(text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => !l.StartsWith('#')), line => Assert.Matches(SampleLine(), line));
    }

    [Fact]
    public async Task Liveness_and_readiness_answer_healthy()
    {
        using var client = factory.CreateCheckedClient();

        foreach (var path in new[] { "/health/live", "/health/ready" })
        {
            using var response = await client.GetAsync(new Uri(path, UriKind.Relative));

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
        }
    }

    [Fact]
    public async Task Readiness_fails_once_the_service_is_stopping()
    {
        var model = factory.Services.GetRequiredService<SimpleRnnTorch.Inference.SequenceModel>();
        using var stopping = new CancellationTokenSource();
        var check = new ModelReadyCheck(model, new Lifetime(stopping.Token));
        var context = new Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckContext();

        var running = await check.CheckHealthAsync(context);
        await stopping.CancelAsync();
        var stopped = await check.CheckHealthAsync(context);

        Assert.Equal(Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Healthy, running.Status);
        Assert.StartsWith("the model answered ", running.Description, StringComparison.Ordinal);
        Assert.Equal(Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Unhealthy, stopped.Status);
        Assert.Equal("the service is stopping", stopped.Description);
    }

    private sealed class Lifetime(CancellationToken stopping) : IHostApplicationLifetime
    {
        public CancellationToken ApplicationStarted => CancellationToken.None;

        public CancellationToken ApplicationStopping => stopping;

        public CancellationToken ApplicationStopped => CancellationToken.None;

        public void StopApplication() => throw new NotSupportedException();
    }

    /// <summary>Each sample line of the text format, as "name{labels}" → value.</summary>
    private static async Task<Dictionary<string, double>> ScrapeAsync(HttpClient client)
    {
        var text = await client.GetStringAsync(new Uri("/metrics", UriKind.Relative));
        return text.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Where(l => !l.StartsWith('#'))
            .Select(l => SampleLine().Match(l))
            .ToDictionary(m => m.Groups["series"].Value, m => double.Parse(m.Groups["value"].Value, CultureInfo.InvariantCulture));
    }

    [GeneratedRegex("""^(?<series>[a-zA-Z_:][a-zA-Z0-9_:]*(\{([a-zA-Z_][a-zA-Z0-9_]*="[^"]*",?)*\})?) (?<value>[-+]?([0-9.]+([eE][-+]?[0-9]+)?|Inf|NaN))$""")]
    private static partial Regex SampleLine();
}
