using System.Globalization;
using Prometheus;
using SimpleRnnTorch.Inference;

namespace SimpleRnnTorch.Service;

/// <summary>
/// What GET /metrics serves, in Prometheus' text format: prometheus-net's HTTP metrics (requests received,
/// their duration and those in progress, by endpoint, method and status code) and these, all in one
/// registry per service instance (so that two hosts in one process, as in the tests, count apart).
/// prometheus-net.AspNetCore 8.2.1 (MIT) rather than OpenTelemetry: it is a stable release and one package,
/// where OpenTelemetry's Prometheus exporter for ASP.NET Core is served only as a pre-release (1.20.1-beta.1)
/// and needs the SDK, its hosting and instrumentation packages beside it. A switch to OpenTelemetry later
/// changes this file and Program.cs, not the endpoints.
/// </summary>
public sealed class ServiceMetrics
{
    public ServiceMetrics(SequenceModel model)
    {
        Registry = Metrics.NewCustomRegistry();
        Factory = Metrics.WithCustomRegistry(Registry);
        var factory = Factory;

        InferenceDuration = factory.CreateHistogram("simplernntorch_inference_duration_seconds",
            "Time spent in ONNX Runtime per request: one graph run for /predict, one per horizon step for /forecast.",
            ["endpoint"], new HistogramConfiguration { Buckets = Histogram.ExponentialBuckets(0.000_025, 2, 16) });
        SequencesPerRequest = factory.CreateHistogram("simplernntorch_sequences_per_request",
            "Sequences in each answered POST /predict.",
            new HistogramConfiguration { Buckets = Histogram.ExponentialBuckets(1, 2, 13) });
        ForecastHorizon = factory.CreateHistogram("simplernntorch_forecast_horizon_steps",
            "The horizon of each answered POST /forecast.",
            new HistogramConfiguration { Buckets = Histogram.LinearBuckets(1, 1, Math.Max(1, model.Info.Forecast?.MaxHorizon ?? 1)) });

        var info = model.Info;
        factory.CreateGauge("simplernntorch_model_info",
                "The loaded model, as labels; the value is always 1.",
                ["cell", "time_steps", "features", "hidden_size", "layers", "series", "max_horizon"])
            .WithLabels(info.Cell, Text(info.TimeSteps), Text(info.Features), Text(info.HiddenSize), Text(info.Layers),
                info.Forecast is null ? "false" : "true", Text(info.Forecast?.MaxHorizon ?? 0))
            .Set(1);
    }

    /// <summary>The registry /metrics serves and the HTTP metrics middleware writes to.</summary>
    public CollectorRegistry Registry { get; }

    /// <summary>Creates metrics in <see cref="Registry"/>.</summary>
    public IMetricFactory Factory { get; }

    public Histogram InferenceDuration { get; }

    public Histogram SequencesPerRequest { get; }

    public Histogram ForecastHorizon { get; }

    /// <summary>Times the block into <see cref="InferenceDuration"/> under <paramref name="endpoint"/>.</summary>
    public IDisposable TimeInference(string endpoint) => InferenceDuration.WithLabels(endpoint).NewTimer();

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);
}
